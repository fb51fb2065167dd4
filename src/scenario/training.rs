//! A scored training run: the trainee walks the tree, each decision is
//! checked against the scenario's expectation, hints cost points, and time
//! per decision is measured. Pure: every step returns the events to record,
//! and a run is a pure function of the incident's projection.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::clock::{Clock, between};
use super::model::{Scenario, WalkPath};
use super::scorecard::Scorecard;
use crate::store::IncidentState;
use crate::store::event::{EventKind, ValueSource};
use crate::store::projection::Via;
use crate::tree::{Localized, Node, NodeKind, Phase, Tree};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainingError {
    #[error("node '{0}' is not a decision")]
    NotADecision(String),
    #[error("node '{node}' has no choice '{choice}'")]
    UnknownChoice { node: String, choice: String },
    #[error("node '{0}' has no expectation in this scenario")]
    NoExpectation(String),
    #[error("node '{0}' is a decision; choose to move on")]
    DecisionPending(String),
    #[error("the run has ended at outcome '{0}'")]
    Finished(String),
    #[error("the tree has no node '{0}'")]
    UnknownNode(String),
    #[error("event {seq}: {problem}")]
    Replay { seq: u64, problem: String },
}

/// One scored decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredDecision {
    pub node: String,
    pub phase: Phase,
    pub choice: String,
    pub expected: String,
    pub correct: bool,
    pub points: u32,
    /// From entering the node to choosing.
    pub elapsed: Duration,
}

/// A hint the trainee asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintUse {
    pub node: String,
    pub phase: Phase,
    pub index: u32,
    pub cost: u32,
}

/// What the screen shows after a choice.
#[derive(Debug, Clone)]
pub struct DecisionResult<'a> {
    pub scored: ScoredDecision,
    /// Why the chosen answer is right or wrong.
    pub explanation: &'a Localized,
    /// Why the playbook's answer is right (same as `explanation` when correct).
    pub expected_explanation: &'a Localized,
    /// Where the walk goes now.
    pub next: &'a str,
    pub events: Vec<EventKind>,
}

/// A revealed hint, with the event recording it.
#[derive(Debug, Clone)]
pub struct HintShown<'a> {
    pub text: &'a Localized,
    pub cost: u32,
    pub event: EventKind,
}

pub struct TrainingRun<'a> {
    tree: &'a Tree,
    scenario: &'a Scenario,
    clock: &'a dyn Clock,
    current: &'a Node,
    entered_at: DateTime<Utc>,
    decisions: Vec<ScoredDecision>,
    hints: Vec<HintUse>,
    /// How many hints of each node have been revealed (never charged twice).
    revealed: BTreeMap<String, u32>,
}

impl<'a> TrainingRun<'a> {
    /// Starts at the tree's start node; returns the run and the events that
    /// open it (scenario, its variables, the first node).
    pub fn start(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
    ) -> Result<(Self, Vec<EventKind>), TrainingError> {
        let run = Self::new(tree, scenario, clock, clock.now())?;
        let mut events = vec![EventKind::ScenarioStarted {
            scenario: scenario.id.value.clone(),
            tree: tree.id.value.clone(),
        }];
        events.extend(scenario.variables.iter().map(|v| EventKind::VariableSet {
            name: v.name.value.clone(),
            value: v.value.clone(),
            source: ValueSource::Scenario {
                scenario: scenario.id.value.clone(),
            },
        }));
        events.push(EventKind::NodeEntered {
            node: run.current.id.value.clone(),
        });
        Ok((run, events))
    }

    fn new(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
        at: DateTime<Utc>,
    ) -> Result<Self, TrainingError> {
        let current = tree
            .node(&tree.start)
            .ok_or_else(|| TrainingError::UnknownNode(tree.start.value.clone()))?;
        Ok(Self {
            tree,
            scenario,
            clock,
            current,
            entered_at: at,
            decisions: Vec::new(),
            hints: Vec::new(),
            revealed: BTreeMap::new(),
        })
    }

    /// The run as an incident's projection has it: a pure function of the
    /// recorded moves and hints and the scenario (times come from the
    /// events, so timings survive a restart).
    pub fn from_projection(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
        state: &IncidentState,
    ) -> Result<Self, TrainingError> {
        let first = state.started_at().unwrap_or_else(|| clock.now());
        let mut run = Self::new(tree, scenario, clock, first)?;
        for step in &state.path {
            let fail = |problem: String| TrainingError::Replay {
                seq: step.stamp.seq,
                problem,
            };
            match &step.via {
                Via::Choice { from, choice, .. } => {
                    if from != &run.current.id.value {
                        return Err(fail(format!(
                            "choice at '{from}' while the run is at '{}'",
                            run.current.id.value
                        )));
                    }
                    run.choose_at(choice, step.stamp.at)
                        .map_err(|x| fail(x.to_string()))?;
                }
                // A training run cannot jump; a jump in a replayed log is
                // an entry like any other.
                Via::Entered | Via::Backtrack { .. } | Via::Jump { .. }
                    if step.node != run.current.id.value =>
                {
                    run.enter(&step.node, step.stamp.at)
                        .map_err(|x| fail(x.to_string()))?;
                }
                Via::Entered | Via::Backtrack { .. } | Via::Jump { .. } => {}
            }
        }
        for h in &state.hints {
            run.recorded_hint(&h.node, h.hint, h.cost)
                .map_err(|x| TrainingError::Replay {
                    seq: h.stamp.seq,
                    problem: x.to_string(),
                })?;
        }
        Ok(run)
    }

    fn recorded_hint(&mut self, node: &str, index: u32, cost: u32) -> Result<(), TrainingError> {
        let phase = self
            .tree
            .node(node)
            .ok_or_else(|| TrainingError::UnknownNode(node.to_string()))?
            .phase;
        let revealed = self.revealed.entry(node.to_string()).or_default();
        *revealed = (*revealed).max(index + 1);
        self.hints.push(HintUse {
            node: node.to_string(),
            phase,
            index,
            cost,
        });
        Ok(())
    }

    pub fn tree(&self) -> &'a Tree {
        self.tree
    }

    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub fn current(&self) -> &'a Node {
        self.current
    }

    pub fn decisions(&self) -> &[ScoredDecision] {
        &self.decisions
    }

    pub fn hints_used(&self) -> &[HintUse] {
        &self.hints
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.current.kind, NodeKind::Outcome { .. })
    }

    /// Hints of the current node not yet revealed.
    pub fn hints_left(&self) -> usize {
        let shown = self
            .revealed
            .get(&self.current.id.value)
            .copied()
            .unwrap_or(0) as usize;
        self.scenario
            .hints_for(&self.current.id)
            .count()
            .saturating_sub(shown)
    }

    fn enter(&mut self, node: &str, at: DateTime<Utc>) -> Result<(), TrainingError> {
        self.current = self
            .tree
            .node(node)
            .ok_or_else(|| TrainingError::UnknownNode(node.to_string()))?;
        self.entered_at = at;
        Ok(())
    }

    /// Moves on from a step node.
    pub fn advance(&mut self) -> Result<Vec<EventKind>, TrainingError> {
        let next = match &self.current.kind {
            NodeKind::Step { next } => next.value.clone(),
            NodeKind::Decision { .. } => {
                return Err(TrainingError::DecisionPending(
                    self.current.id.value.clone(),
                ));
            }
            NodeKind::Outcome { .. } => {
                return Err(TrainingError::Finished(self.current.id.value.clone()));
            }
        };
        self.enter(&next, self.clock.now())?;
        Ok(vec![EventKind::NodeEntered { node: next }])
    }

    /// Scores `choice` at the current decision and moves on.
    pub fn choose(&mut self, choice: &str) -> Result<DecisionResult<'a>, TrainingError> {
        self.choose_at(choice, self.clock.now())
    }

    fn choose_at(
        &mut self,
        choice: &str,
        at: DateTime<Utc>,
    ) -> Result<DecisionResult<'a>, TrainingError> {
        let node = self.current;
        let NodeKind::Decision { choices } = &node.kind else {
            return Err(TrainingError::NotADecision(node.id.value.clone()));
        };
        let unknown = || TrainingError::UnknownChoice {
            node: node.id.value.clone(),
            choice: choice.to_string(),
        };
        let chosen = choices
            .iter()
            .find(|c| c.id.value == choice)
            .ok_or_else(unknown)?;
        let expectation = self
            .scenario
            .expectation(&node.id)
            .ok_or_else(|| TrainingError::NoExpectation(node.id.value.clone()))?;
        let expected = choices
            .iter()
            .find(|c| c.id.value == expectation.choice.value)
            .ok_or_else(|| TrainingError::NoExpectation(node.id.value.clone()))?;
        let correct = chosen.id.value == expected.id.value;
        let points = if correct {
            self.scenario.scoring.points
        } else {
            0
        };
        let next: &'a str = match self.scenario.scoring.walk {
            WalkPath::Playbook => &expected.next,
            WalkPath::Chosen => &chosen.next,
        };
        let scored = ScoredDecision {
            node: node.id.value.clone(),
            phase: node.phase,
            choice: choice.to_string(),
            expected: expected.id.value.clone(),
            correct,
            points,
            elapsed: between(self.entered_at, at),
        };
        self.decisions.push(scored.clone());
        // The walk goes on where the scoring sends it: a subject opens
        // when that is the chosen choice (as in the walk) or the expected.
        let taken = match self.scenario.scoring.walk {
            WalkPath::Playbook => expected,
            WalkPath::Chosen => chosen,
        };
        let mut events = vec![EventKind::ChoiceMade {
            node: node.id.value.clone(),
            choice: choice.to_string(),
            next: next.to_string(),
            reason: None,
        }];
        events.extend(crate::store::subjects::opened_by(self.tree, taken));
        events.extend([
            EventKind::DecisionScored {
                node: node.id.value.clone(),
                choice: choice.to_string(),
                expected: expected.id.value.clone(),
                correct,
                points,
            },
            EventKind::NodeEntered {
                node: next.to_string(),
            },
        ]);
        self.enter(next, at)?;
        let empty = &EMPTY;
        Ok(DecisionResult {
            scored,
            explanation: expectation.explanation(choice).unwrap_or(empty),
            expected_explanation: expectation.explanation(&expected.id).unwrap_or(empty),
            next,
            events,
        })
    }

    /// Reveals the current node's next hint and charges its cost; `None`
    /// when the node has no hint left.
    pub fn hint(&mut self) -> Option<HintShown<'a>> {
        let node = self.current;
        let index = self.revealed.get(&node.id.value).copied().unwrap_or(0);
        let hint = self.scenario.hints_for(&node.id).nth(index as usize)?;
        self.revealed.insert(node.id.value.clone(), index + 1);
        self.hints.push(HintUse {
            node: node.id.value.clone(),
            phase: node.phase,
            index,
            cost: hint.cost,
        });
        Some(HintShown {
            text: &hint.text,
            cost: hint.cost,
            event: EventKind::HintShown {
                node: node.id.value.clone(),
                hint: index,
                cost: hint.cost,
            },
        })
    }

    /// The scorecard so far (final once [`is_finished`](Self::is_finished)).
    pub fn scorecard(&self) -> Scorecard {
        Scorecard::build(
            self.tree,
            self.scenario,
            &self.decisions,
            &self.hints,
            self.current,
        )
    }
}

static EMPTY: Localized = Localized {
    texts: crate::tree::Texts::new(),
    span: 0..0,
};
