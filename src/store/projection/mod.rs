//! The one projection of an incident's event log: a single exhaustive fold
//! of [`EventKind`] into the state every reader needs. The screen keeps one
//! and applies each event as it commits; `show`, `list`, the exports (the
//! after-action report too), the training score and the tabletop are all
//! read from it. No other code interprets the log.

mod approvals;
mod records;
mod subjects;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use super::event::{Actor, Event, EventKind};
use super::incident::Status;

pub use approvals::{DecisionRecord, PROPOSAL_ID_LEN, ProposalRecord, proposal_id};
pub use records::*;

/// Everything the screen and the reports show about an incident.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentState {
    pub created: Option<Created>,
    pub language: Option<String>,
    pub current_node: Option<String>,
    /// Every move of the walk in order, backtracks included.
    pub path: Vec<PathStep>,
    /// The active path from the start to the current node (the breadcrumb):
    /// a backtrack cuts it back to the node returned to.
    pub trail: Vec<String>,
    pub visited: BTreeSet<String>,
    /// Keyed by (node, item).
    pub checklist: BTreeMap<(String, String), ChecklistState>,
    pub variables: BTreeMap<String, VariableState>,
    /// The affected users and devices the walk has finished with, in order;
    /// `variables` holds only the current subject's values.
    pub subjects: Vec<SubjectRecord>,
    /// Each variable's current value, as templates and placeholders read it.
    pub values: BTreeMap<String, String>,
    pub notes: Vec<Note>,
    /// The `lookup_run` events, in order.
    pub lookups: Vec<Event>,
    pub actions: Vec<ActionRecord>,
    /// Proposals for approval, and every approval decision recorded here
    /// (on this incident's proposals or, at an approver's Cairn, a
    /// teammate's).
    pub proposals: Vec<ProposalRecord>,
    pub decisions: Vec<DecisionRecord>,
    pub closed: Option<Closed>,
    /// The Sentinel incident (its ARM name) this incident is attached to.
    pub sentinel: Option<String>,
    /// When the first and the newest event were written.
    pub first_activity: Option<DateTime<Utc>>,
    pub last_activity: Option<DateTime<Utc>>,
    /// Everyone who wrote an event, in the order they first did.
    pub actors: Vec<Actor>,
    pub event_count: u64,
    /// Sequence number of the newest event applied (the head).
    pub last_seq: u64,
    /// Set when the incident is a training run or a tabletop.
    pub scenario: Option<ScenarioStart>,
    pub hints: Vec<HintRecord>,
    pub scores: Vec<ScoreRecord>,
    pub injects: Vec<InjectRecord>,
    pub tabletop_notes: Vec<TabletopNoteRecord>,
    /// The exercise clock's pauses: (paused at, resumed at).
    pub pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// Events that do not fit the ones before them (references to unknown
    /// events). The store refuses to write these; they only come from a
    /// database edited outside Cairn.
    pub anomalies: Vec<String>,
    /// Which note (index) and action (index) each event seq refers to, so
    /// amendments and outcomes find what they complete.
    note_of_seq: HashMap<u64, usize>,
    action_of_seq: HashMap<u64, usize>,
}

impl IncidentState {
    pub fn status(&self) -> Status {
        if self.closed.is_some() {
            Status::Closed
        } else {
            Status::Open
        }
    }

    pub fn is_checked(&self, node: &str, item: &str) -> bool {
        self.checklist
            .get(&(node.to_string(), item.to_string()))
            .is_some_and(|c| c.checked)
    }

    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut state = IncidentState::default();
        for event in events {
            state.apply(event);
        }
        state
    }

    /// The node the walk is at, or `start` before the first entry.
    pub fn current_or<'a>(&'a self, start: &'a str) -> &'a str {
        self.current_node.as_deref().unwrap_or(start)
    }

    /// When the exercise began: the scenario's start, else the first event.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.scenario
            .as_ref()
            .map(|s| s.stamp.at)
            .or(self.created.as_ref().map(|c| c.stamp.at))
            .or(self.path.first().map(|p| p.stamp.at))
    }

    /// The exercise clock is paused.
    pub fn paused(&self) -> bool {
        self.pauses.last().is_some_and(|(_, end)| end.is_none())
    }

    /// Running time from the exercise's start to `until`, pauses left out.
    pub fn running_time(&self, until: DateTime<Utc>) -> std::time::Duration {
        let start = self.started_at().unwrap_or(until);
        running_between(start, until, &self.pauses)
    }

    /// The walk has moved past the node it started at.
    pub fn has_moved(&self) -> bool {
        self.path.len() > 1
    }

    /// Folds one committed event into the state. Events must come in seq
    /// order; one the state already holds (seq at or below the head) is
    /// ignored, so re-reading the log after another writer is harmless.
    pub fn apply(&mut self, event: &Event) {
        if self.event_count > 0 && event.seq <= self.last_seq {
            return;
        }
        let stamp = Stamp::of(event);
        self.event_count += 1;
        self.last_seq = event.seq;
        self.first_activity.get_or_insert(event.at);
        self.last_activity = Some(event.at);
        if !self.actors.contains(&event.actor) {
            self.actors.push(event.actor.clone());
        }
        match &event.kind {
            EventKind::IncidentCreated {
                title,
                tree_id,
                tree_version,
                tree_sha256,
                language,
                mode,
            } => {
                self.language = Some(language.clone());
                self.created = Some(Created {
                    title: title.clone(),
                    tree_id: tree_id.clone(),
                    tree_version: tree_version.clone(),
                    tree_sha256: tree_sha256.clone(),
                    mode: *mode,
                    stamp,
                });
            }
            EventKind::NodeEntered { node } => {
                // A choice already moved the walk here; entering is its echo.
                if self.current_node.as_deref() != Some(node) {
                    self.trail_enter(node);
                    self.step(node, Via::Entered, stamp);
                }
            }
            EventKind::ChoiceMade {
                node,
                choice,
                next,
                reason,
            } => {
                let via = Via::Choice {
                    from: node.clone(),
                    choice: choice.clone(),
                    reason: reason.clone(),
                };
                self.trail_enter(next);
                self.step(next, via, stamp);
            }
            EventKind::Backtrack { from, to } => {
                self.trail_return(to);
                self.step(to, Via::Backtrack { from: from.clone() }, stamp);
            }
            EventKind::Jumped { from, to, reason } => {
                self.trail_return(to);
                let via = Via::Jump {
                    from: from.clone(),
                    reason: reason.clone(),
                };
                self.step(to, via, stamp);
            }
            EventKind::ChecklistToggled {
                node,
                item,
                checked,
            } => {
                self.checklist.insert(
                    (node.clone(), item.clone()),
                    ChecklistState {
                        checked: *checked,
                        stamp,
                    },
                );
            }
            EventKind::VariableSet {
                name,
                value,
                source,
            } => {
                self.values.insert(name.clone(), value.clone());
                let value = VariableValue {
                    value: value.clone(),
                    source: source.clone(),
                    stamp,
                };
                match self.variables.get_mut(name) {
                    Some(var) => var.history.push(std::mem::replace(&mut var.current, value)),
                    None => {
                        self.variables.insert(
                            name.clone(),
                            VariableState {
                                current: value,
                                history: Vec::new(),
                            },
                        );
                    }
                }
            }
            EventKind::SubjectOpened { scope, variables } => {
                self.open_subject(scope, variables, stamp)
            }
            EventKind::NoteAdded { node, text } => {
                self.note_of_seq.insert(event.seq, self.notes.len());
                self.notes.push(Note {
                    node: node.clone(),
                    versions: vec![NoteVersion {
                        text: text.clone(),
                        stamp,
                    }],
                });
            }
            EventKind::NoteAmended { amends, text } => {
                match self.note_of_seq.get(amends).copied() {
                    Some(index) => {
                        self.note_of_seq.insert(event.seq, index);
                        self.notes[index].versions.push(NoteVersion {
                            text: text.clone(),
                            stamp,
                        });
                    }
                    None => self.anomalies.push(format!(
                        "event {} amends event {amends}, which is not a note",
                        event.seq
                    )),
                }
            }
            EventKind::LookupRun { .. } => self.lookups.push(event.clone()),
            EventKind::ActionIntended {
                node,
                action,
                method,
                path,
                body,
                confirmation,
                simulated,
                approval,
            } => {
                if let Some(proposal) = approval {
                    self.use_approval(proposal, event.seq);
                }
                self.action_of_seq.insert(event.seq, self.actions.len());
                self.actions.push(ActionRecord {
                    node: node.clone(),
                    action: action.clone(),
                    method: method.clone(),
                    path: path.clone(),
                    body: body.clone(),
                    confirmation: confirmation.clone(),
                    simulated: *simulated,
                    approval: approval.clone(),
                    intent: stamp,
                    outcome: None,
                });
            }
            EventKind::ActionOutcome {
                intent,
                status,
                http_status,
                detail,
            } => match self.action_of_seq.get(intent).copied() {
                Some(index) => {
                    self.actions[index].outcome = Some(ActionOutcomeRecord {
                        status: *status,
                        http_status: *http_status,
                        detail: detail.clone(),
                        stamp,
                    });
                }
                None => self.anomalies.push(format!(
                    "event {} is the outcome of event {intent}, which is not an action intent",
                    event.seq
                )),
            },
            EventKind::LanguageChanged { language } => self.language = Some(language.clone()),
            EventKind::IncidentClosed { summary } => {
                self.closed = Some(Closed {
                    summary: summary.clone(),
                    stamp,
                });
            }
            EventKind::IncidentReopened { .. } => self.closed = None,
            EventKind::ScenarioStarted { scenario, tree } => {
                self.scenario = Some(ScenarioStart {
                    scenario: scenario.clone(),
                    tree: tree.clone(),
                    stamp,
                });
            }
            EventKind::HintShown { node, hint, cost } => self.hints.push(HintRecord {
                node: node.clone(),
                hint: *hint,
                cost: *cost,
                stamp,
            }),
            EventKind::DecisionScored {
                node,
                choice,
                expected,
                correct,
                points,
            } => self.scores.push(ScoreRecord {
                node: node.clone(),
                choice: choice.clone(),
                expected: expected.clone(),
                correct: *correct,
                points: *points,
                stamp,
            }),
            EventKind::InjectReleased { inject, cause } => self.injects.push(InjectRecord {
                inject: inject.clone(),
                cause: *cause,
                stamp,
            }),
            EventKind::SentinelAttached { name, .. } => self.sentinel = Some(name.clone()),
            // What Sentinel is told, not a change of the walk: the close is its own event.
            EventKind::SentinelCloseConfirmed { .. } => {}
            // The run it marks is already among `lookups`; the mark is for the team.
            EventKind::EvidenceMarked { .. } => {}
            EventKind::ExerciseClock { running: false } => {
                if !self.paused() {
                    self.pauses.push((event.at, None));
                }
            }
            EventKind::ExerciseClock { running: true } => {
                if let Some((_, end @ None)) = self.pauses.last_mut() {
                    *end = Some(event.at);
                }
            }
            // Folded in `approvals`, beside their records.
            EventKind::ApprovalProposed { .. } => self.apply_proposal(event),
            EventKind::ApprovalDecided { .. } => self.apply_decision(event, stamp),
            EventKind::TabletopNote { node, tag, text } => {
                self.tabletop_notes.push(TabletopNoteRecord {
                    node: node.clone(),
                    tag: *tag,
                    text: text.clone(),
                    stamp,
                })
            }
        }
    }

    /// The breadcrumb's rule: entering the node already current (a choice
    /// followed by its `node_entered`) changes nothing.
    fn trail_enter(&mut self, node: &str) {
        if self.current_node.as_deref() != Some(node) {
            self.trail.push(node.to_string());
        }
    }

    /// A backtrack or jump cuts the breadcrumb back to `node` when it is on
    /// it, and adds it otherwise.
    fn trail_return(&mut self, node: &str) {
        match self.trail.iter().rposition(|n| n == node) {
            Some(i) => self.trail.truncate(i + 1),
            None => self.trail.push(node.to_string()),
        }
    }

    fn step(&mut self, node: &str, via: Via, stamp: Stamp) {
        self.current_node = Some(node.to_string());
        self.visited.insert(node.to_string());
        self.path.push(PathStep {
            node: node.to_string(),
            via,
            stamp,
        });
    }
}

/// Time from `from` to `to` without the paused spans (a pause still open
/// lasts to `to`). The one rule for exercise time: the screen's clock, the
/// injects and the after-action report all use it.
pub fn running_between(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
) -> std::time::Duration {
    let span = |a: DateTime<Utc>, b: DateTime<Utc>| (b - a).to_std().unwrap_or_default();
    let paused: std::time::Duration = pauses
        .iter()
        .map(|(p, r)| {
            let a = (*p).clamp(from, to.max(from));
            let b = r.unwrap_or(to).clamp(from, to.max(from));
            span(a, b)
        })
        .sum();
    span(from, to).saturating_sub(paused)
}

#[cfg(test)]
mod tests;
