//! The seam between the runtime and persistence: what the screen needs from
//! a store, so the loop can run on the real store or on memory in tests
//! (`super::memory_backend`).

use crate::app::{IncidentMeta, IncidentSummary, NewIncident, WriteError};
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
    /// Appends one action's events atomically; with `based_on`, refuses
    /// (`WriteError::Stale`) when the incident's head is no longer that seq.
    fn append(
        &mut self,
        id: &str,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> Result<Vec<Event>, WriteError>;
    /// The incident's events after `seq`.
    fn events_after(&mut self, id: &str, seq: u64) -> Result<Vec<Event>, String>;
    /// Whether another process committed to the store since the last call.
    fn changed(&mut self) -> bool;
    /// Why the last commit's head could not be added to the head log, once
    /// (the events are saved); a backend without a head log has nothing.
    fn take_unwitnessed(&mut self) -> Option<String> {
        None
    }
    /// Why the store was opened for reading only (full disk, read-only
    /// directory), if it was; writes still try.
    fn read_only(&self) -> Option<crate::store::ReadOnlyWhy> {
        None
    }
}
