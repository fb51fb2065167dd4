//! The current state of an incident, derived only by replaying its events.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use super::event::{ActionStatus, Actor, Event, EventKind, Mode, ValueSource};
use super::incident::Status;

/// When, by whom, and as which event something happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
}

impl Stamp {
    fn of(event: &Event) -> Self {
        Stamp {
            seq: event.seq,
            at: event.at,
            actor: event.actor.clone(),
        }
    }
}

/// How the walk arrived at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Entered directly (the start node, or a step's `next`).
    Entered,
    Choice {
        from: String,
        choice: String,
        reason: Option<String>,
    },
    Backtrack {
        from: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    pub node: String,
    pub via: Via,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistState {
    pub checked: bool,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableValue {
    pub value: String,
    pub source: ValueSource,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableState {
    pub current: VariableValue,
    /// Earlier values, oldest first.
    pub history: Vec<VariableValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVersion {
    pub text: String,
    pub stamp: Stamp,
}

/// A note with its amendments applied; every version is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub node: Option<String>,
    /// The original first, the text in force last.
    pub versions: Vec<NoteVersion>,
}

impl Note {
    pub fn text(&self) -> &str {
        self.versions.last().map(|v| v.text.as_str()).unwrap_or("")
    }

    pub fn added(&self) -> &Stamp {
        &self.versions[0].stamp
    }

    pub fn is_amended(&self) -> bool {
        self.versions.len() > 1
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcomeRecord {
    pub status: ActionStatus,
    pub http_status: Option<u16>,
    pub detail: Option<String>,
    pub stamp: Stamp,
}

/// An intended action paired with its outcome; `outcome` is `None` when no
/// outcome was recorded (the process died, or the link dropped mid-call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub node: String,
    pub action: String,
    pub method: String,
    pub path: String,
    pub body: Option<String>,
    pub confirmation: String,
    pub simulated: bool,
    pub intent: Stamp,
    pub outcome: Option<ActionOutcomeRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub title: String,
    pub tree_id: String,
    pub tree_version: String,
    pub tree_sha256: String,
    pub mode: Mode,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub summary: Option<String>,
    pub stamp: Stamp,
}

/// Everything the screen and the reports show about an incident.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentState {
    pub created: Option<Created>,
    pub language: Option<String>,
    pub current_node: Option<String>,
    /// Every move of the walk in order, backtracks included.
    pub path: Vec<PathStep>,
    pub visited: BTreeSet<String>,
    /// Keyed by (node, item).
    pub checklist: BTreeMap<(String, String), ChecklistState>,
    pub variables: BTreeMap<String, VariableState>,
    pub notes: Vec<Note>,
    /// The `lookup_run` events, in order.
    pub lookups: Vec<Event>,
    pub actions: Vec<ActionRecord>,
    pub closed: Option<Closed>,
    pub last_activity: Option<DateTime<Utc>>,
    pub event_count: u64,
    /// Events that do not fit the ones before them (references to unknown
    /// events). The store refuses to write these; they only come from a
    /// database edited outside Cairn.
    pub anomalies: Vec<String>,
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
        let mut note_of_seq: HashMap<u64, usize> = HashMap::new();
        let mut action_of_seq: HashMap<u64, usize> = HashMap::new();
        for event in events {
            state.apply(event, &mut note_of_seq, &mut action_of_seq);
        }
        state
    }

    fn apply(
        &mut self,
        event: &Event,
        note_of_seq: &mut HashMap<u64, usize>,
        action_of_seq: &mut HashMap<u64, usize>,
    ) {
        let stamp = Stamp::of(event);
        self.event_count += 1;
        self.last_activity = Some(event.at);
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
                self.step(next, via, stamp);
            }
            EventKind::Backtrack { from, to } => {
                self.step(to, Via::Backtrack { from: from.clone() }, stamp);
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
            EventKind::NoteAdded { node, text } => {
                note_of_seq.insert(event.seq, self.notes.len());
                self.notes.push(Note {
                    node: node.clone(),
                    versions: vec![NoteVersion {
                        text: text.clone(),
                        stamp,
                    }],
                });
            }
            EventKind::NoteAmended { amends, text } => match note_of_seq.get(amends).copied() {
                Some(index) => {
                    note_of_seq.insert(event.seq, index);
                    self.notes[index].versions.push(NoteVersion {
                        text: text.clone(),
                        stamp,
                    });
                }
                None => self.anomalies.push(format!(
                    "event {} amends event {amends}, which is not a note",
                    event.seq
                )),
            },
            EventKind::LookupRun { .. } => self.lookups.push(event.clone()),
            EventKind::ActionIntended {
                node,
                action,
                method,
                path,
                body,
                confirmation,
                simulated,
            } => {
                action_of_seq.insert(event.seq, self.actions.len());
                self.actions.push(ActionRecord {
                    node: node.clone(),
                    action: action.clone(),
                    method: method.clone(),
                    path: path.clone(),
                    body: body.clone(),
                    confirmation: confirmation.clone(),
                    simulated: *simulated,
                    intent: stamp,
                    outcome: None,
                });
            }
            EventKind::ActionOutcome {
                intent,
                status,
                http_status,
                detail,
            } => match action_of_seq.get(intent).copied() {
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
            // Scenario bookkeeping: read by scenario::{TrainingRun, Tabletop,
            // aar}, not part of the incident's walk state.
            EventKind::ScenarioStarted { .. }
            | EventKind::HintShown { .. }
            | EventKind::DecisionScored { .. }
            | EventKind::InjectReleased { .. }
            | EventKind::TabletopNote { .. } => {}
            // The link itself; sync reads it from the events.
            EventKind::SentinelAttached { .. } => {}
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
