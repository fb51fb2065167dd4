//! Opening an incident, applying confirmed writes, and moves that do not
//! start on the node screen (language); jumps are in `jump`.

use crate::store::event::{Event, EventKind};

use super::Effect;
use super::exercise::Exercise;
use super::{Incident, LoadedIncident, NodeView, Notice, Screen, State, WriteError, editors, sync};
use crate::text::lang::Lang;

pub fn open_incident(state: &mut State, loaded: LoadedIncident) -> Vec<Effect> {
    let walk = loaded.state;
    let unsettled = super::unsettled::unsettled(&walk.actions);
    let start = loaded.tree.start.value.clone();
    let fresh = walk.current_node.is_none();
    let stored_runs = walk.lookups.clone();
    let exercise = match loaded.scenario {
        Some(Ok(scenario)) => Some(Exercise::new(scenario, &walk)),
        Some(Err(why)) => {
            // The walk still works; only scoring and injects are missing.
            state.notice = Some(Notice::LoadFailed(why));
            None
        }
        None => None,
    };
    state.incident = Some(Incident {
        meta: loaded.meta,
        tree: loaded.tree,
        walk,
        exercise,
    });
    state.screen = Screen::Node(NodeView::default());
    if let Some(id) = state.incident.as_ref().map(|i| i.meta.id.clone()) {
        for event in &stored_runs {
            super::lookup_restore::restore(state, &id, event);
        }
    }
    // A live call left with an unknown outcome is shown first, with its
    // verifying read one key away.
    super::unsettled::offer(state, unsettled);
    if fresh {
        // A new incident begins at the tree's start, and the record says so.
        state
            .act(vec![EventKind::NodeEntered { node: start }])
            .map(|(_, e)| vec![e])
            .unwrap_or_default()
    } else {
        // An exercise resumes with whatever came due while it was closed.
        super::exercise::release_due(state)
    }
}

/// `kinds`, after the entry into the start node when the open
/// `incident` still owes it: opening it could not record that entry (a
/// full disk, a read-only store), so the first write that goes through
/// records it, before a step taken from there.
pub(super) fn with_start_entry(
    state: &State,
    incident: &str,
    mut kinds: Vec<EventKind>,
) -> Vec<EventKind> {
    let Some(inc) = state.incident.as_ref().filter(|i| i.meta.id == incident) else {
        return kinds;
    };
    let start = &inc.tree.start.value;
    let entering = |k: &EventKind| matches!(k, EventKind::NodeEntered { .. });
    // A closed incident takes its reopening first: the entry waits for
    // the next write.
    let owed = inc.walk.current_node.is_none()
        && inc.walk.closed.is_none()
        && !state
            .pending
            .values()
            .any(|p| p.incident == incident && p.kinds.iter().any(entering));
    let enters_start =
        matches!(kinds.first(), Some(EventKind::NodeEntered { node }) if node == start);
    if owed && !enters_start {
        kinds.insert(
            0,
            EventKind::NodeEntered {
                node: start.clone(),
            },
        );
    }
    kinds
}

pub fn recorded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Event>, WriteError>,
) -> Vec<Effect> {
    let Some(write) = state.pending.remove(&req) else {
        return Vec::new();
    };
    let open = state
        .incident
        .as_ref()
        .is_some_and(|i| i.meta.id == write.incident);
    match result {
        Ok(events) => {
            editors::write_confirmed(state, req);
            let mut effects = super::home_close::confirmed(state, req);
            if !open {
                return effects;
            }
            // Another writer's events may sit before these: catch up first.
            let behind = events
                .first()
                .zip(state.incident.as_ref())
                .is_some_and(|(e, inc)| e.seq > inc.walk.last_seq + 1);
            if behind {
                effects.extend(sync::refresh(state));
            } else {
                for event in &events {
                    effects.extend(sync::committed(state, event));
                }
                super::home_close::offer_at_outcome(state, &events);
            }
            effects
        }
        Err(WriteError::Stale { actor, at }) if open => {
            sync::refused_as_stale(state, req, actor, at)
        }
        Err(e) => {
            editors::write_failed(state, req);
            state.notice = Some(Notice::WriteFailed(e.to_string()));
            Vec::new()
        }
    }
}

/// Switches language: recorded inside an incident, immediate outside.
pub fn switch_language(state: &mut State) -> Vec<Effect> {
    let in_incident = !matches!(state.screen, Screen::Home(_) | Screen::NewIncident(_));
    match &state.incident {
        Some(inc) if in_incident => {
            let langs = &inc.tree.languages;
            let next = next_language(langs, inc.language());
            state
                .record(EventKind::LanguageChanged { language: next })
                .map(|(_, e)| vec![e])
                .unwrap_or_default()
        }
        _ => {
            let all: Vec<String> = Lang::all().map(|l| l.code().to_string()).collect();
            state.lang = next_language(&all, &state.lang);
            Vec::new()
        }
    }
}

fn next_language(langs: &[String], current: &str) -> String {
    let i = langs.iter().position(|l| l == current).map_or(0, |i| i + 1);
    langs
        .get(i % langs.len().max(1))
        .cloned()
        .unwrap_or_else(|| "en".to_string())
}
