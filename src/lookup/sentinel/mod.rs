//! Microsoft Sentinel incidents over Azure Resource Manager: read an incident
//! with its entities and alerts, write comments and tasks under ids Cairn
//! chooses (so a repeated write replaces rather than duplicates).
//!
//! Wire formats: api-version 2025-09-01 of `Microsoft.SecurityInsights`.

pub mod approval_wire;
mod bookmarks;
mod client;
mod fields;
mod ids;
mod task_wire;
mod wire;

use std::time::Duration;

pub use bookmarks::Bookmark;
pub use client::{Sentinel, TaskStatus, Written};
pub use fields::{IncidentFields, Me};
pub use ids::{IncidentName, IncidentRef, resource_group, workspace_name};
pub use wire::{Alert, Entity, EntityKind, Incident, Owner};

use super::error::{ApiError, LookupError};

/// The ARM api-version every call carries.
pub const API_VERSION: &str = "2025-09-01";

/// Longest comment message Sentinel stores.
pub const MAX_COMMENT_CHARS: usize = 30_000;

/// Where the Sentinel workspace lives in ARM (`[sentinel]` in the
/// configuration). Every field is validated before it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentinelWorkspace {
    pub subscription: String,
    pub resource_group: String,
    pub workspace_name: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SentinelError {
    #[error(
        "no Sentinel workspace is configured: add a [sentinel] section (subscription, \
         resource_group, workspace_name) to the configuration"
    )]
    NotConfigured,
    #[error(
        "'{0}' is not a Sentinel incident: give its number (42), its id (a GUID) or its \
         ARM id (/subscriptions/.../providers/Microsoft.SecurityInsights/incidents/ID)"
    )]
    BadReference(String),
    #[error("incident {incident} belongs to workspace {found}, not the configured {configured}")]
    OtherWorkspace {
        incident: String,
        found: String,
        configured: String,
    },
    #[error("incident {0} was not found in the Sentinel workspace")]
    NotFound(String),
    #[error("the comment is {0} characters long; Sentinel keeps at most 30,000")]
    TooLong(usize),
    /// 409: a parallel or stale write; the caller retries later or asks.
    #[error("Sentinel refused the write as conflicting (HTTP 409): {0}")]
    Conflict(ApiError),
    /// 429 after the client's own retries: wait `retry_after`, then retry.
    #[error("throttled by Sentinel (HTTP 429){}", wait_text(.retry_after))]
    Throttled { retry_after: Option<Duration> },
    /// 5xx: the service failed; back off and retry.
    #[error("Sentinel is unavailable (HTTP {status}){}", wait_text(.retry_after))]
    Unavailable {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("{0}")]
    Api(ApiError),
    #[error("{0}")]
    Lookup(#[from] LookupError),
    #[error("Sentinel answered something unreadable: {0}")]
    Malformed(String),
    /// The incident changed again between Cairn's re-read and its retry:
    /// a person is working on it; Cairn stops and says so.
    #[error(
        "the Sentinel incident changed twice while Cairn updated its {0} (HTTP 409): \
         check it in the portal; `cairn sync` tries again"
    )]
    FieldConflict(&'static str),
}

fn wait_text(d: &Option<Duration>) -> String {
    d.map(|d| format!("; asked to wait {} s", d.as_secs_f64().ceil()))
        .unwrap_or_default()
}

impl SentinelError {
    /// True when the same call may succeed later unchanged: throttling,
    /// conflicts, server faults and network failures (including a write
    /// whose answer was lost). Everything else needs a human.
    pub fn is_transient(&self) -> bool {
        match self {
            SentinelError::Conflict(_)
            | SentinelError::Throttled { .. }
            | SentinelError::Unavailable { .. } => true,
            SentinelError::Lookup(e) => matches!(
                e,
                LookupError::Timeout(_) | LookupError::Network(_) | LookupError::Unreachable(_)
            ),
            _ => false,
        }
    }

    /// The wait the service asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SentinelError::Throttled { retry_after }
            | SentinelError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
