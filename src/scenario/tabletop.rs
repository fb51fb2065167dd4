//! A facilitated tabletop: the team walks the tree its own way, injects
//! arrive on their timers, at their nodes or by hand, the clock and the
//! per-phase timers run, decisions carry the reasons given, quick notes are
//! tagged for the report, and actions are only ever simulated. The walk
//! and injects are here; the clock and phase timers are in `timers`,
//! simulated actions in `simulated`.

mod simulated;
mod timers;

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::clock::Clock;
use super::injects::InjectQueue;
use super::model::{Inject, Scenario};
use crate::store::IncidentState;
use crate::store::event::{EventKind, NoteTag, ValueSource};
use crate::store::projection::{Via, running_between};
use crate::tree::{Node, NodeKind, Tree};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TabletopError {
    #[error("node '{0}' is not a decision")]
    NotADecision(String),
    #[error("node '{node}' has no choice '{choice}'")]
    UnknownChoice { node: String, choice: String },
    #[error("node '{0}' is a decision; choose to move on")]
    DecisionPending(String),
    #[error("the exercise has reached outcome '{0}'")]
    Finished(String),
    #[error("the tree has no node '{0}'")]
    UnknownNode(String),
    #[error("node '{node}' has no action '{action}'")]
    UnknownAction { node: String, action: String },
    #[error("type '{expected}' to confirm this destructive action")]
    ConfirmationMismatch { expected: String },
    #[error("a note needs some text")]
    EmptyNote,
}

/// A decision the team made, with the reason they gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDecision {
    pub node: String,
    pub choice: String,
    pub reason: Option<String>,
    pub at: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickNote {
    pub node: Option<String>,
    pub tag: NoteTag,
    pub text: String,
    pub at: Duration,
}

/// What changed in one call: the events to record and injects to show.
#[derive(Debug, Clone, Default)]
pub struct Update<'a> {
    pub events: Vec<EventKind>,
    pub injects: Vec<&'a Inject>,
}

pub struct Tabletop<'a> {
    tree: &'a Tree,
    scenario: &'a Scenario,
    clock: &'a dyn Clock,
    started_at: DateTime<Utc>,
    current: &'a Node,
    /// Each node entry with its time since the start.
    visits: Vec<(&'a Node, Duration)>,
    queue: InjectQueue<'a>,
    decisions: Vec<TeamDecision>,
    notes: Vec<QuickNote>,
}

impl<'a> Tabletop<'a> {
    /// Opens the exercise at the tree's start.
    pub fn start(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
    ) -> Result<(Self, Update<'a>), TabletopError> {
        let mut t = Self::new(tree, scenario, clock, clock.now())?;
        let mut update = Update {
            events: vec![EventKind::ScenarioStarted {
                scenario: scenario.id.value.clone(),
                tree: tree.id.value.clone(),
            }],
            injects: Vec::new(),
        };
        update
            .events
            .extend(scenario.variables.iter().map(|v| EventKind::VariableSet {
                name: v.name.value.clone(),
                value: v.value.clone(),
                source: ValueSource::Scenario {
                    scenario: scenario.id.value.clone(),
                },
            }));
        update.events.push(EventKind::NodeEntered {
            node: t.current.id.value.clone(),
        });
        t.node_injects(&mut update);
        t.time_injects(&mut update);
        Ok((t, update))
    }

    fn new(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
        at: DateTime<Utc>,
    ) -> Result<Self, TabletopError> {
        let current = tree
            .node(&tree.start)
            .ok_or_else(|| TabletopError::UnknownNode(tree.start.value.clone()))?;
        Ok(Self {
            tree,
            scenario,
            clock,
            started_at: at,
            current,
            visits: vec![(current, Duration::ZERO)],
            queue: InjectQueue::new(scenario),
            decisions: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// The exercise as an incident's projection has it (after a restart,
    /// or on every screen that shows it): a pure function of the recorded
    /// moves, injects and notes and the scenario.
    pub fn from_projection(
        tree: &'a Tree,
        scenario: &'a Scenario,
        clock: &'a dyn Clock,
        state: &IncidentState,
    ) -> Result<Self, TabletopError> {
        let start = state.started_at().unwrap_or_else(|| clock.now());
        let mut t = Self::new(tree, scenario, clock, start)?;
        for step in &state.path {
            let at = running_between(start, step.stamp.at, &state.pauses);
            if let Via::Choice {
                from,
                choice,
                reason,
            } = &step.via
            {
                t.decisions.push(TeamDecision {
                    node: from.clone(),
                    choice: choice.clone(),
                    reason: reason.clone(),
                    at,
                });
            }
            if step.node != t.current.id.value {
                t.enter(&step.node, at)?;
            }
        }
        t.queue = InjectQueue::recorded(scenario, state);
        t.notes = state
            .tabletop_notes
            .iter()
            .map(|n| QuickNote {
                node: n.node.clone(),
                tag: n.tag,
                text: n.text.clone(),
                at: running_between(start, n.stamp.at, &state.pauses),
            })
            .collect();
        Ok(t)
    }

    pub fn current(&self) -> &'a Node {
        self.current
    }

    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub fn queue(&self) -> &InjectQueue<'a> {
        &self.queue
    }

    pub fn decisions(&self) -> &[TeamDecision] {
        &self.decisions
    }

    pub fn notes(&self) -> &[QuickNote] {
        &self.notes
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.current.kind, NodeKind::Outcome { .. })
    }

    fn enter(&mut self, node: &str, at: Duration) -> Result<(), TabletopError> {
        self.current = self
            .tree
            .node(node)
            .ok_or_else(|| TabletopError::UnknownNode(node.to_string()))?;
        self.visits.push((self.current, at));
        Ok(())
    }

    fn node_injects(&mut self, update: &mut Update<'a>) {
        let elapsed = self.elapsed();
        for (inject, event) in self.queue.release_on_node(&self.current.id, elapsed) {
            update.injects.push(inject);
            update.events.push(event);
        }
    }

    fn time_injects(&mut self, update: &mut Update<'a>) {
        for (inject, event) in self.queue.release_due(self.elapsed()) {
            update.injects.push(inject);
            update.events.push(event);
        }
    }

    /// Called on every clock tick: releases injects whose time has come.
    pub fn tick(&mut self) -> Update<'a> {
        let mut update = Update::default();
        self.time_injects(&mut update);
        update
    }

    /// The facilitator releases the next inject in the queue by hand.
    pub fn release_next(&mut self) -> Update<'a> {
        let mut update = Update::default();
        if let Some((inject, event)) = self.queue.release_next(self.elapsed()) {
            update.injects.push(inject);
            update.events.push(event);
        }
        update
    }

    /// The team's decision at the current node, with the reason they gave.
    pub fn choose(
        &mut self,
        choice: &str,
        reason: Option<&str>,
    ) -> Result<Update<'a>, TabletopError> {
        let node = self.current;
        let NodeKind::Decision { choices } = &node.kind else {
            return Err(TabletopError::NotADecision(node.id.value.clone()));
        };
        let chosen = choices
            .iter()
            .find(|c| c.id.value == choice)
            .ok_or_else(|| TabletopError::UnknownChoice {
                node: node.id.value.clone(),
                choice: choice.to_string(),
            })?;
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let at = self.elapsed();
        self.decisions.push(TeamDecision {
            node: node.id.value.clone(),
            choice: choice.to_string(),
            reason: reason.clone(),
            at,
        });
        let mut events = vec![EventKind::ChoiceMade {
            node: node.id.value.clone(),
            choice: choice.to_string(),
            next: chosen.next.value.clone(),
            reason,
        }];
        events.extend(crate::store::subjects::opened_by(self.tree, chosen));
        events.push(EventKind::NodeEntered {
            node: chosen.next.value.clone(),
        });
        let mut update = Update {
            events,
            injects: Vec::new(),
        };
        self.enter(&chosen.next, at)?;
        self.node_injects(&mut update);
        self.time_injects(&mut update);
        Ok(update)
    }

    /// Moves on from a step node.
    pub fn advance(&mut self) -> Result<Update<'a>, TabletopError> {
        let next = match &self.current.kind {
            NodeKind::Step { next } => next.value.clone(),
            NodeKind::Decision { .. } => {
                return Err(TabletopError::DecisionPending(
                    self.current.id.value.clone(),
                ));
            }
            NodeKind::Outcome { .. } => {
                return Err(TabletopError::Finished(self.current.id.value.clone()));
            }
        };
        self.enter(&next, self.elapsed())?;
        let mut update = Update {
            events: vec![EventKind::NodeEntered { node: next }],
            injects: Vec::new(),
        };
        self.node_injects(&mut update);
        self.time_injects(&mut update);
        Ok(update)
    }

    /// A quick note for the discussion, filed under `tag` in the report.
    pub fn note(&mut self, tag: NoteTag, text: &str) -> Result<EventKind, TabletopError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TabletopError::EmptyNote);
        }
        let node = Some(self.current.id.value.clone());
        self.notes.push(QuickNote {
            node: node.clone(),
            tag,
            text: text.to_string(),
            at: self.elapsed(),
        });
        Ok(EventKind::TabletopNote {
            node,
            tag,
            text: text.to_string(),
        })
    }
}
