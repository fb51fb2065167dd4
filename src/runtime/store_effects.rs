//! Carrying out store effects on the store worker's blocking thread: list,
//! create, open, append. Opening an incident also finds the tree it walks
//! and, for an exercise, its scenario (falling back on the one the command
//! line loaded for this session). Apart from the loop
//! because none of this touches the terminal and all of it is testable
//! without one.

use crate::store::IncidentState;
use std::sync::{Arc, Mutex};

use super::backend::{Backend, Opened};
use crate::app::{Effect, LoadedIncident, LoadedIncidentMsg, Msg};
use crate::scenario::Scenario;
use crate::tree::Tree;

/// The backend as the store worker shares it.
pub type Shared = Arc<Mutex<Box<dyn Backend>>>;

/// Carries out one store effect and returns the message with its result.
/// Runs on a blocking thread; never touches the terminal.
pub fn run_store_effect(backend: &Shared, trees: &[Arc<Tree>], effect: Effect) -> Option<Msg> {
    run_store_effect_with(backend, trees, None, effect)
}

/// [`run_store_effect`] in a session started from `known` (`cairn train` or
/// `cairn tabletop` on a scenario the catalog may not find again by id, such
/// as a file given by path).
pub fn run_store_effect_with(
    backend: &Shared,
    trees: &[Arc<Tree>],
    known: Option<&Arc<Scenario>>,
    effect: Effect,
) -> Option<Msg> {
    let mut store = match backend.lock() {
        Ok(guard) => guard,
        // A panic inside a store call must not take the session down with it.
        Err(poisoned) => poisoned.into_inner(),
    };
    let opened = |result: Result<Opened, String>| {
        let msg = result.and_then(|opened| {
            let tree = incident_tree(&opened, trees)?;
            let state = IncidentState::from_events(&opened.events);
            let scenario = incident_scenario(&state, &tree, known);
            Ok(Box::new(LoadedIncidentMsg(LoadedIncident {
                meta: opened.meta,
                tree,
                state,
                scenario,
            })))
        });
        Some(Msg::IncidentOpened(msg))
    };
    match effect {
        Effect::LoadIncidents => Some(Msg::IncidentsLoaded(store.list())),
        Effect::LoadScenarios => {
            drop(store);
            Some(Msg::ScenariosLoaded(available_scenarios(trees)))
        }
        Effect::CreateIncident(new) => opened(store.create(&new)),
        Effect::OpenIncident { id } => opened(store.load(&id)),
        Effect::Record {
            req,
            incident,
            based_on,
            kinds,
        } => Some(Msg::Recorded {
            req,
            result: store.append(&incident, based_on, kinds),
        }),
        Effect::Refresh { incident, after } => Some(Msg::Refreshed {
            result: store.events_after(&incident, after),
            incident,
        }),
        // Quiet unless another process committed something to this incident.
        Effect::CheckChanges { incident, after } => {
            if !store.changed() {
                return None;
            }
            match store.events_after(&incident, after) {
                Ok(events) if events.is_empty() => None,
                result => Some(Msg::Refreshed { incident, result }),
            }
        }
        Effect::Copy(_)
        | Effect::Quit
        | Effect::Suspend
        | Effect::Lookup(_)
        | Effect::AttachSentinel { .. } => None,
    }
}

/// The scenarios the home screen offers: the user's, then the shipped ones,
/// checked against the installed trees (read off the loop: they are files).
fn available_scenarios(trees: &[Arc<Tree>]) -> Vec<Arc<crate::scenario::Scenario>> {
    let refs: Vec<&Tree> = trees.iter().map(|t| t.as_ref()).collect();
    let config_dir = crate::tree::catalog::default_config_dir();
    crate::scenario::catalog::available(&refs, config_dir.as_deref())
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// The tree an incident walks: the copy stored with it when there is one
/// (so a changed tree file does not change a running incident), else the
/// installed tree with its id.
fn incident_tree(opened: &Opened, trees: &[Arc<Tree>]) -> Result<Arc<Tree>, String> {
    if let Some(source) = &opened.tree_source {
        let label = format!("tree of {}", opened.meta.id);
        return crate::tree::load::parse(&label, source)
            .map(Arc::new)
            .map_err(|e| format!("the tree stored with {} does not load: {e}", opened.meta.id));
    }
    trees
        .iter()
        .find(|t| t.id.value == opened.meta.tree_id)
        .cloned()
        .ok_or_else(|| {
            format!(
                "the tree '{}' of {} is not installed",
                opened.meta.tree_id, opened.meta.id
            )
        })
}

/// The scenario a training run or tabletop was started from (user
/// scenarios first, then the shipped ones), checked against the incident's
/// own tree; `None` for an incident that is not an exercise.
fn incident_scenario(
    state: &IncidentState,
    tree: &Tree,
    known: Option<&Arc<Scenario>>,
) -> Option<Result<Arc<Scenario>, String>> {
    let id = crate::scenario::aar::scenario_id(state)?;
    let config = crate::tree::catalog::default_config_dir();
    let found = crate::scenario::catalog::find(id, &[tree], config.as_deref()).map(Arc::new);
    Some(match (found, known) {
        (Ok(s), _) => Ok(s),
        (Err(_), Some(k)) if k.id.value == id => Ok(k.clone()),
        (Err(e), _) => Err(format!(
            "scenario '{id}' is not available ({e}); walking without it"
        )),
    })
}
