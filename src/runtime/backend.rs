//! The seam between the runtime and persistence: what the screen needs from
//! a store, so the loop can run on the real store or on memory in tests
//! (`super::memory_backend`).

use crate::app::{IncidentMeta, IncidentSummary, NewIncident};
use crate::store::event::{Event, EventKind};

/// An incident as read back from a backend.
#[derive(Debug, Clone)]
pub struct Opened {
    pub meta: IncidentMeta,
    /// The tree source stored with the incident, when the backend keeps it:
    /// an incident resumes against the tree it started with.
    pub tree_source: Option<String>,
    pub events: Vec<Event>,
}

/// Store operations the screen uses. Every call commits before it returns;
/// errors are messages for the responder.
pub trait Backend: Send + 'static {
    fn list(&mut self) -> Result<Vec<IncidentSummary>, String>;
    /// Creates an incident with its initial variables recorded.
    fn create(&mut self, new: &NewIncident) -> Result<Opened, String>;
    fn load(&mut self, id: &str) -> Result<Opened, String>;
    fn append(&mut self, id: &str, kind: EventKind) -> Result<Event, String>;
}
