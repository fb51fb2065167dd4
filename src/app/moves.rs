//! Opening an incident, applying confirmed writes, and moves that do not
//! start on the node screen (map and search jumps, language).

use crate::store::event::{Event, EventKind};

use super::Effect;
use super::exercise::Exercise;
use super::{Incident, LoadedIncident, NodeView, Notice, Screen, State, Walk, editors, node};

pub fn open_incident(state: &mut State, loaded: LoadedIncident) -> Vec<Effect> {
    let walk = Walk::replay(&loaded.events);
    // Only intents and outcomes: enough to find an unsettled action.
    let actions: Vec<_> = loaded
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::ActionIntended { .. } | EventKind::ActionOutcome { .. }
            )
        })
        .cloned()
        .collect();
    let start = loaded.tree.start.value.clone();
    let fresh = walk.current.is_none();
    let exercise = match loaded.scenario {
        Some(Ok(scenario)) => Some(Exercise::new(scenario, loaded.events)),
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
    // A live call left with an unknown outcome is shown first, with its
    // verifying read one key away.
    super::unsettled::offer(state, &actions);
    if fresh {
        // A new incident begins at the tree's start, and the record says so.
        state
            .record(EventKind::NodeEntered { node: start })
            .map(|(_, e)| vec![e])
            .unwrap_or_default()
    } else {
        // An exercise resumes with whatever came due while it was closed.
        super::exercise::release_due(state)
    }
}

pub fn recorded(state: &mut State, req: u64, result: Result<Event, String>) -> Vec<Effect> {
    if state.pending.remove(&req).is_none() {
        return Vec::new();
    }
    match result {
        Ok(event) => {
            if let Some(inc) = &mut state.incident {
                inc.walk.apply(&event);
            }
            editors::write_confirmed(state, req);
            node::clamp_cursor(state);
            return super::exercise::confirmed(state, &event);
        }
        Err(e) => {
            editors::write_failed(state, req);
            state.notice = Some(Notice::WriteFailed(e));
        }
    }
    Vec::new()
}

/// Moves to `target` from the map or search: a backtrack when the node was
/// visited (the record keeps the old path), a plain entry otherwise.
pub fn jump_to(state: &mut State, target: &str) -> Vec<Effect> {
    if super::exercise::forbids_moving_back(state) {
        state.screen = Screen::Node(state.node_view.clone());
        return Vec::new();
    }
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let current = inc.current_node_id().to_string();
    let kind = if target == current {
        None
    } else if inc.walk.visited.contains(target) {
        Some(EventKind::Backtrack {
            from: current,
            to: target.to_string(),
        })
    } else {
        Some(EventKind::NodeEntered {
            node: target.to_string(),
        })
    };
    state.node_view = NodeView::default();
    state.screen = Screen::Node(NodeView::default());
    match kind {
        Some(kind) if !state.move_pending() => {
            state.record(kind).map(|(_, e)| vec![e]).unwrap_or_default()
        }
        Some(_) => {
            state.notice = Some(Notice::SavingInProgress);
            Vec::new()
        }
        None => Vec::new(),
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
            state.lang = next_language(&["en".to_string(), "ja".to_string()], &state.lang);
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
