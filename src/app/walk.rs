//! What the home screen lists of an incident, and the fixed facts of an
//! open one. The walk's state is the store's projection ([`crate::store::IncidentState`]).

use chrono::{DateTime, Utc};

use crate::store::event::Mode;

/// An incident as listed on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub created_at: DateTime<Utc>,
    /// Title of the node the walk is at, when known.
    pub current_node: Option<String>,
    pub closed: bool,
    /// Proposals waiting for a second person's approval (the home badge).
    pub pending_approvals: usize,
}

/// The fixed facts of an open incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentMeta {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub language: String,
    pub created_at: DateTime<Utc>,
}
