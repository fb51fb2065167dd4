//! What the after-action report needs, read once from the event log.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::store::event::{ActionStatus, Event, EventKind, InjectCause, NoteTag};
use crate::store::projection::running_between;

pub(crate) struct Visit {
    pub node: String,
    pub at: Duration,
}

pub(crate) struct Decision {
    pub seq: u64,
    pub node: String,
    pub choice: String,
    pub reason: Option<String>,
    pub at: Duration,
}

pub(crate) struct InjectShown {
    pub seq: u64,
    pub inject: String,
    pub cause: InjectCause,
    pub at: Duration,
}

pub(crate) struct ActionTaken {
    pub seq: u64,
    pub action: String,
    pub method: String,
    pub path: String,
    pub simulated: bool,
    pub outcome: Option<ActionStatus>,
    pub at: Duration,
}

pub(crate) struct Note {
    pub seq: u64,
    pub tag: NoteTag,
    pub text: String,
    pub at: Duration,
}

pub(crate) struct Facts {
    pub started: Option<DateTime<Utc>>,
    pub duration: Duration,
    pub actors: Vec<String>,
    pub visits: Vec<Visit>,
    pub decisions: Vec<Decision>,
    /// (seq, from, to, at)
    pub backtracks: Vec<(u64, String, String, Duration)>,
    pub injects: Vec<InjectShown>,
    pub actions: Vec<ActionTaken>,
    /// Last state of each (node, item) checklist toggle.
    pub checked: BTreeMap<(String, String), bool>,
    pub notes: Vec<Note>,
    /// Training score from `decision_scored` / `hint_shown`: (earned, hint
    /// cost, scored decisions).
    pub score: Option<(u32, u32, u32)>,
}

impl Facts {
    pub fn read(events: &[Event]) -> Self {
        let started = events.first().map(|e| e.at);
        let origin = started.unwrap_or_default();
        // Paused time counts for nothing: every offset is running time.
        let pauses = crate::store::IncidentState::from_events(events).pauses;
        let between = |from, to| running_between(from, to, &pauses);
        let mut f = Facts {
            started,
            duration: events
                .last()
                .map_or(Duration::ZERO, |e| between(origin, e.at)),
            actors: Vec::new(),
            visits: Vec::new(),
            decisions: Vec::new(),
            backtracks: Vec::new(),
            injects: Vec::new(),
            actions: Vec::new(),
            checked: BTreeMap::new(),
            notes: Vec::new(),
            score: None,
        };
        for e in events {
            let at = between(origin, e.at);
            let actor = format!("{}@{}", e.actor.user, e.actor.host);
            if !f.actors.contains(&actor) {
                f.actors.push(actor);
            }
            match &e.kind {
                EventKind::NodeEntered { node }
                    if f.visits.last().is_none_or(|v| &v.node != node) =>
                {
                    f.visits.push(Visit {
                        node: node.clone(),
                        at,
                    });
                }
                EventKind::Backtrack { from, to } => {
                    f.backtracks.push((e.seq, from.clone(), to.clone(), at));
                    f.visits.push(Visit {
                        node: to.clone(),
                        at,
                    });
                }
                EventKind::ChoiceMade {
                    node,
                    choice,
                    reason,
                    ..
                } => f.decisions.push(Decision {
                    seq: e.seq,
                    node: node.clone(),
                    choice: choice.clone(),
                    reason: reason.clone(),
                    at,
                }),
                EventKind::InjectReleased { inject, cause } => f.injects.push(InjectShown {
                    seq: e.seq,
                    inject: inject.clone(),
                    cause: *cause,
                    at,
                }),
                EventKind::ActionIntended {
                    action,
                    method,
                    path,
                    simulated,
                    ..
                } => f.actions.push(ActionTaken {
                    seq: e.seq,
                    action: action.clone(),
                    method: method.clone(),
                    path: path.clone(),
                    simulated: *simulated,
                    outcome: None,
                    at,
                }),
                EventKind::ActionOutcome { intent, status, .. } => {
                    if let Some(a) = f.actions.iter_mut().find(|a| a.seq == *intent) {
                        a.outcome = Some(*status);
                    }
                }
                EventKind::ChecklistToggled {
                    node,
                    item,
                    checked,
                } => {
                    f.checked.insert((node.clone(), item.clone()), *checked);
                }
                EventKind::TabletopNote { tag, text, .. } => f.notes.push(Note {
                    seq: e.seq,
                    tag: *tag,
                    text: text.clone(),
                    at,
                }),
                EventKind::NoteAdded { text, .. } => f.notes.push(Note {
                    seq: e.seq,
                    tag: NoteTag::Note,
                    text: text.clone(),
                    at,
                }),
                EventKind::DecisionScored { points, .. } => {
                    let (earned, cost, n) = f.score.unwrap_or_default();
                    f.score = Some((earned + points, cost, n + 1));
                }
                EventKind::HintShown { cost, .. } => {
                    let (earned, spent, n) = f.score.unwrap_or_default();
                    f.score = Some((earned, spent + cost, n));
                }
                EventKind::NoteAmended { amends, text } => {
                    // An amendment replaces the note (or amendment) it names
                    // and can itself be amended later.
                    if let Some(n) = f.notes.iter_mut().find(|n| n.seq == *amends) {
                        n.text = text.clone();
                        n.seq = e.seq;
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// Time from the start to the first entry into a node of `phase`.
    pub fn first_entry(&self, is_phase: impl Fn(&str) -> bool) -> Option<&Visit> {
        self.visits.iter().find(|v| is_phase(&v.node))
    }
}
