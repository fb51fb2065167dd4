//! What the after-action report needs, read from the incident's projection
//! (`store::projection`) as offsets from its first event. The projection is
//! the one reading of the event log; this only arranges what it holds.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::store::IncidentState;
use crate::store::event::{ActionStatus, InjectCause, NoteTag};
use crate::store::projection::{Stamp, Via, running_between};

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
    pub fn of(state: &IncidentState) -> Self {
        let origin = state.first_activity.unwrap_or_default();
        // Paused time counts for nothing: every offset is running time.
        let at = |t| running_between(origin, t, &state.pauses);
        let mut actors: Vec<String> = Vec::new();
        for a in &state.actors {
            let actor = format!("{}@{}", a.user, a.host);
            if !actors.contains(&actor) {
                actors.push(actor);
            }
        }
        let mut f = Facts {
            started: state.first_activity,
            duration: state.last_activity.map_or(Duration::ZERO, at),
            actors,
            visits: Vec::new(),
            decisions: Vec::new(),
            backtracks: Vec::new(),
            injects: Vec::new(),
            actions: Vec::new(),
            checked: BTreeMap::new(),
            notes: Vec::new(),
            score: None,
        };
        for step in &state.path {
            let when = at(step.stamp.at);
            match &step.via {
                Via::Entered => {}
                Via::Choice {
                    from,
                    choice,
                    reason,
                } => f.decisions.push(Decision {
                    seq: step.stamp.seq,
                    node: from.clone(),
                    choice: choice.clone(),
                    reason: reason.clone(),
                    at: when,
                }),
                Via::Backtrack { from } => {
                    f.backtracks
                        .push((step.stamp.seq, from.clone(), step.node.clone(), when))
                }
            }
            f.visits.push(Visit {
                node: step.node.clone(),
                at: when,
            });
        }
        f.injects = state
            .injects
            .iter()
            .map(|i| InjectShown {
                seq: i.stamp.seq,
                inject: i.inject.clone(),
                cause: i.cause,
                at: at(i.stamp.at),
            })
            .collect();
        f.actions = state
            .actions
            .iter()
            .map(|a| ActionTaken {
                seq: a.intent.seq,
                action: a.action.clone(),
                method: a.method.clone(),
                path: a.path.clone(),
                simulated: a.simulated,
                outcome: a.outcome.as_ref().map(|o| o.status),
                at: at(a.intent.at),
            })
            .collect();
        f.checked = state
            .checklist
            .iter()
            .map(|(key, c)| (key.clone(), c.checked))
            .collect();
        // Notes (in the text they have now) and tabletop notes, in the
        // order they were first written.
        let note = |stamp: &Stamp, tag, text: &str| Note {
            seq: stamp.seq,
            tag,
            text: text.to_string(),
            at: at(stamp.at),
        };
        f.notes = state
            .notes
            .iter()
            .map(|n| note(n.added(), NoteTag::Note, n.text()))
            .chain(
                state
                    .tabletop_notes
                    .iter()
                    .map(|n| note(&n.stamp, n.tag, &n.text)),
            )
            .collect();
        f.notes.sort_by_key(|n| n.seq);
        if !state.scores.is_empty() || !state.hints.is_empty() {
            f.score = Some((
                state.scores.iter().map(|s| s.points).sum(),
                state.hints.iter().map(|h| h.cost).sum(),
                state.scores.len() as u32,
            ));
        }
        f
    }

    /// Time from the start to the first entry into a node of `phase`.
    pub fn first_entry(&self, is_phase: impl Fn(&str) -> bool) -> Option<&Visit> {
        self.visits.iter().find(|v| is_phase(&v.node))
    }
}
