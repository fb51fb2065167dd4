//! An incident as the application holds it, and what the runtime hands
//! over when one is opened or must be created. Separate from `State` because
//! these are the data passed between `update` and the runtime's store calls.

use std::sync::Arc;

use crate::store::event::{EventKind, Mode, ValueSource};
use crate::tree::Tree;

use super::{IncidentMeta, exercise};
use crate::store::IncidentState;

/// An incident being worked: its tree and what the store has confirmed.
#[derive(Debug, Clone)]
pub struct Incident {
    pub meta: IncidentMeta,
    pub tree: Arc<Tree>,
    /// The store's projection of the incident's events, kept current by
    /// applying each event as it commits (never replayed per frame).
    pub walk: IncidentState,
    /// Set when the incident is a training run or a tabletop.
    pub exercise: Option<exercise::Exercise>,
}

impl Incident {
    pub fn language(&self) -> &str {
        self.walk.language.as_deref().unwrap_or(&self.meta.language)
    }

    /// The node on screen: the recorded current node, or the start before
    /// the first `node_entered` is confirmed.
    pub fn current_node_id(&self) -> &str {
        self.walk.current_or(&self.tree.start)
    }
}

/// What the runtime hands back after opening or creating an incident.
#[derive(Debug, Clone)]
pub struct LoadedIncident {
    pub meta: IncidentMeta,
    pub tree: Arc<Tree>,
    /// The projection of its stored events, folded off the screen loop.
    pub state: IncidentState,
    /// The scenario of a training run or tabletop, or why it did not load.
    pub scenario: Option<Result<Arc<crate::scenario::Scenario>, String>>,
}

/// What the runtime must create for "new incident" and "practice".
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    pub tree_id: String,
    pub title: String,
    pub language: String,
    pub mode: Mode,
    /// Already validated and normalised.
    pub variables: Vec<(String, String)>,
    /// Where those values came from (typed in the form, or a scenario).
    pub variable_source: ValueSource,
    /// Recorded right after the variables, in the same transaction: a
    /// training run's or tabletop's opening (scenario, values, first node).
    pub opening: Vec<EventKind>,
}

impl NewIncident {
    /// The events a new incident starts with, after its creation: the
    /// given values, then an exercise's opening (one transaction).
    pub fn initial_events(&self) -> Vec<EventKind> {
        self.variables
            .iter()
            .map(|(name, value)| EventKind::VariableSet {
                name: name.clone(),
                value: value.clone(),
                source: self.variable_source.clone(),
            })
            .chain(self.opening.iter().cloned())
            .collect()
    }
}
