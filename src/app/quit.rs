//! Quitting: asked when something would be lost or left unknown, and on
//! every way out (a confirmed quit, a signal, a hang-up) what is in flight
//! is recorded before the process ends: a lookup as cancelled, an action
//! whose call went out as `unknown` (a verifying read can settle it later),
//! an action whose intent is still being written as abandoned.

use super::actions::ActionPhase;
use super::editors::ConfirmDialog;
use super::{Effect, Screen, State};
use crate::store::event::{ActionStatus, EventKind};

/// What quitting now would drop or interrupt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AtStake {
    /// Typed text not saved yet (a note, a reason, a value, a form).
    pub draft: bool,
    pub lookups: usize,
    pub actions: usize,
}

impl AtStake {
    pub fn any(self) -> bool {
        self.draft || self.lookups > 0 || self.actions > 0
    }
}

pub fn at_stake(state: &State) -> AtStake {
    AtStake {
        draft: draft(state),
        lookups: state
            .lookups
            .runs
            .values()
            .filter(|r| r.is_running())
            .count(),
        actions: state
            .lookups
            .actions
            .values()
            .filter(|a| in_flight(&a.phase))
            .count(),
    }
}

fn in_flight(phase: &ActionPhase) -> bool {
    matches!(
        phase,
        ActionPhase::Recording { .. } | ActionPhase::Sending { .. } | ActionPhase::Verifying { .. }
    )
}

/// Typed text that quitting would throw away.
fn draft(state: &State) -> bool {
    match &state.screen {
        Screen::NoteEditor(e) => e.is_dirty(),
        Screen::Reason(e) => !e.text().is_empty(),
        Screen::Variables(v) => v.editing.as_ref().is_some_and(|input| {
            let saved = state.incident.as_ref().and_then(|inc| {
                let var = inc.tree.variables.get(v.cursor)?;
                inc.walk.variables.get(var.name.as_str())
            });
            input.text() != saved.map_or("", String::as_str)
        }),
        Screen::NewIncident(f) => {
            !f.title.text().trim().is_empty() || f.vars.iter().any(|(_, i)| !i.text().is_empty())
        }
        Screen::RunForm(f) => f.missing.iter().any(|(_, i)| !i.text().is_empty()),
        Screen::Action(v) => !v.input.text().is_empty(),
        _ => false,
    }
}

/// The quit key: quits at once when nothing is at stake, asks otherwise.
/// Pressed again while it asks, it quits.
pub fn quit(state: &mut State) -> Vec<Effect> {
    if matches!(state.dialog, Some(ConfirmDialog::Quit(_))) {
        return finish(state, "the responder quit");
    }
    let stake = at_stake(state);
    if stake.any() {
        state.dialog = Some(ConfirmDialog::Quit(stake));
        return Vec::new();
    }
    finish(state, "the responder quit")
}

/// Ends the session: records what is in flight (`why` says what ended it,
/// for the record) and asks the runtime to stop.
pub fn finish(state: &mut State, why: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let running: Vec<u64> = state
        .lookups
        .runs
        .values()
        .filter(|r| r.is_running())
        .map(|r| r.id)
        .collect();
    for run in running {
        effects.extend(super::lookup_runs::cancel_with(
            state,
            run,
            format!("cancelled: {why} while it ran"),
        ));
    }
    let ids: Vec<u64> = state.lookups.actions.keys().copied().collect();
    for id in ids {
        let Some(run) = state.lookups.actions.get_mut(&id) else {
            continue;
        };
        let (intent, detail) = match &run.phase {
            // Nothing was sent: once the intent commits, the existing
            // path records it as abandoned.
            ActionPhase::Recording { req } => {
                run.phase = ActionPhase::Abandoning { req: *req };
                continue;
            }
            ActionPhase::Sending { intent } => (
                *intent,
                format!(
                    "{why} while the call was in flight: whether it took effect is \
                     unknown until a verifying read settles it"
                ),
            ),
            ActionPhase::Verifying { intent, .. } => (
                *intent,
                format!("{why} while the verifying read ran: the outcome is still unknown"),
            ),
            _ => continue,
        };
        let incident = run.incident.clone();
        let kind = EventKind::ActionOutcome {
            intent,
            status: ActionStatus::Unknown,
            http_status: None,
            detail: Some(detail),
        };
        effects.push(state.record_to(incident, kind).1);
    }
    state.dialog = None;
    state.quitting = true;
    effects.push(Effect::Quit);
    effects
}
