//! One incident, several responders: every write of a user action carries
//! the head its view was based on, a refused (stale) write keeps what was
//! typed and brings the projection up to date, and commits by other
//! processes are applied as they are noticed.

use chrono::{DateTime, Utc};

use super::{Effect, Notice, State, editors, node};
use crate::store::event::Event;

/// Why a write was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// Someone else changed the incident after the view the action was
    /// decided on; nothing was written.
    #[error("changed by {actor} at {at}")]
    Stale { actor: String, at: DateTime<Utc> },
    #[error("{0}")]
    Failed(String),
}

impl From<String> for WriteError {
    fn from(e: String) -> Self {
        WriteError::Failed(e)
    }
}

/// A write sent to the store and not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingWrite {
    pub incident: String,
    pub kinds: Vec<crate::store::event::EventKind>,
}

/// The head a new action of the open incident is based on: the projection's
/// head plus this session's writes still on their way (the store worker
/// commits them in order before this one).
pub fn based_on(state: &State) -> Option<u64> {
    let inc = state.incident.as_ref()?;
    let in_flight: usize = state
        .pending
        .values()
        .filter(|p| p.incident == inc.meta.id)
        .map(|p| p.kinds.len())
        .sum();
    Some(inc.walk.last_seq + in_flight as u64)
}

/// An incident is on screen: other processes' commits are watched for.
pub fn watching(state: &State) -> bool {
    state.incident.is_some()
        && !matches!(
            state.screen,
            super::Screen::Home(_) | super::Screen::NewIncident(_)
        )
}

/// The runtime's periodic question to the store (see `Effect::CheckChanges`).
pub fn check_changes(state: &State) -> Option<Effect> {
    let inc = state.incident.as_ref()?;
    Some(Effect::CheckChanges {
        incident: inc.meta.id.clone(),
        after: inc.walk.last_seq,
    })
}

/// A committed event of the open incident, this session's or another's:
/// folded into the projection, then whatever follows from it. An event the
/// projection already holds (learned by a refresh first) changes nothing.
pub fn committed(state: &mut State, event: &Event) -> Vec<Effect> {
    match &mut state.incident {
        Some(inc) if inc.walk.event_count > 0 && event.seq <= inc.walk.last_seq => {
            return Vec::new();
        }
        Some(inc) => inc.walk.apply(event),
        None => return Vec::new(),
    }
    // Another responder's run (this session's own is already known).
    if let Some(id) = state.incident.as_ref().map(|i| i.meta.id.clone()) {
        super::lookup_restore::restore(state, &id, event);
    }
    node::clamp_cursor(state);
    super::exercise::confirmed(state, event)
}

/// A write was refused because the incident moved on: say who moved it,
/// keep the editor and its text, and catch up with the store.
pub fn refused_as_stale(
    state: &mut State,
    req: u64,
    actor: String,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    editors::write_failed(state, req);
    state.notice = Some(Notice::Refused { actor, at });
    refresh(state)
}

/// Asks the store for the open incident's events after the projection's head.
pub fn refresh(state: &State) -> Vec<Effect> {
    match &state.incident {
        Some(inc) => vec![Effect::Refresh {
            incident: inc.meta.id.clone(),
            after: inc.walk.last_seq,
        }],
        None => Vec::new(),
    }
}

/// Events the store holds beyond the projection (another responder's, or
/// ones this session learned of late), applied in order.
pub fn refreshed(
    state: &mut State,
    incident: &str,
    result: Result<Vec<Event>, String>,
) -> Vec<Effect> {
    let open = state
        .incident
        .as_ref()
        .is_some_and(|i| i.meta.id == incident);
    if !open {
        return Vec::new();
    }
    match result {
        Ok(events) => {
            // Say who changed it, unless a refusal already says so.
            if let Some(last) = events.last()
                && !matches!(state.notice, Some(Notice::Refused { .. }))
            {
                state.notice = Some(Notice::Changed {
                    actor: last.actor.label(),
                    at: last.at,
                });
            }
            events.iter().flat_map(|e| committed(state, e)).collect()
        }
        Err(e) => {
            state.notice = Some(Notice::LoadFailed(e));
            Vec::new()
        }
    }
}
