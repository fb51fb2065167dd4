//! Closing and reopening an incident from the home screen, with a reason:
//! recorded as the same events `cairn close` and `cairn reopen` write, so
//! the status stays part of the incident's hash chain. And the offer to
//! close an incident whose walk reached an outcome.

use ratatui::crossterm::event::KeyEvent;

use super::editors::ConfirmDialog;
use super::input::LineInput;
use super::{Action, Effect, IncidentSummary, Screen, State};
use crate::store::event::{EventKind, Mode};
use crate::tree::NodeKind;

/// The reason being typed for closing (or reopening) one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseForm {
    pub incident: String,
    pub title: String,
    /// Reopening a closed incident rather than closing an open one.
    pub reopen: bool,
    pub reason: LineInput,
    /// The write in flight; the form closes when it is confirmed.
    pub saving: Option<u64>,
}

impl CloseForm {
    /// The form for `incident`, when it is in the state the action changes
    /// (only an open incident closes, only a closed one reopens).
    pub fn new(incident: &IncidentSummary, reopen: bool) -> Option<CloseForm> {
        (incident.closed == reopen).then(|| CloseForm {
            incident: incident.id.clone(),
            title: incident.title.clone(),
            reopen,
            reason: LineInput::default(),
            saving: None,
        })
    }

    /// The event recorded: the reason, when one was typed, goes with it.
    pub fn event(&self) -> EventKind {
        let reason = Some(self.reason.text().trim().to_string()).filter(|r| !r.is_empty());
        if self.reopen {
            EventKind::IncidentReopened { reason }
        } else {
            EventKind::IncidentClosed { summary: reason }
        }
    }
}

/// The form's keys: Enter records, Esc goes back to the list, the rest
/// types the reason.
pub fn key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    let Some(form) = &mut home.closing else {
        return Vec::new();
    };
    if form.saving.is_some() {
        state.notice = Some(super::Notice::SavingInProgress);
        return Vec::new();
    }
    match action {
        Some(Action::Save) => {
            let (incident, kind) = (form.incident.clone(), form.event());
            let (req, effect) = state.record_to(incident, kind);
            if let Screen::Home(home) = &mut state.screen
                && let Some(form) = &mut home.closing
            {
                form.saving = Some(req);
            }
            vec![effect]
        }
        Some(Action::Cancel) => {
            home.closing = None;
            Vec::new()
        }
        _ => {
            form.reason.handle(&key);
            Vec::new()
        }
    }
}

/// The store confirmed write `req`: when it was the form's, the list shows
/// the incident's new status at once (and a reload brings it up to date).
pub fn confirmed(state: &mut State, req: u64) -> Vec<Effect> {
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    let Some(form) = home.closing.take_if(|f| f.saving == Some(req)) else {
        return Vec::new();
    };
    for incident in state.incidents.iter_mut() {
        if incident.id == form.incident {
            incident.closed = !form.reopen;
        }
    }
    state.loading = true;
    vec![Effect::LoadIncidents]
}

/// Write `req` failed: the form stays, with its reason, to try again.
pub fn failed(state: &mut State, req: u64) {
    if let Screen::Home(home) = &mut state.screen
        && let Some(form) = &mut home.closing
        && form.saving == Some(req)
    {
        form.saving = None;
    }
}

/// This session's move brought the open incident to an outcome: in a live
/// or practice incident, ask whether to close it (never closed unasked).
/// Exercises end their own way (the scorecard, the facilitator's end).
pub fn offer_at_outcome(state: &mut State, events: &[crate::store::event::Event]) {
    let Some(inc) = &state.incident else {
        return;
    };
    let moved = events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::NodeEntered { .. } | EventKind::Jumped { .. }
        )
    });
    let at_outcome = inc
        .tree
        .node(inc.current_node_id())
        .is_some_and(|n| matches!(n.kind, NodeKind::Outcome { .. }));
    let mode = inc.meta.mode;
    if moved
        && at_outcome
        && inc.walk.closed.is_none()
        && matches!(mode, Mode::Live | Mode::Practice)
        && state.dialog.is_none()
    {
        state.dialog = Some(ConfirmDialog::CloseAtOutcome);
    }
}

/// The responder agreed to close the incident at its outcome.
pub fn close_at_outcome(state: &mut State) -> Vec<Effect> {
    state
        .record(EventKind::IncidentClosed { summary: None })
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}
