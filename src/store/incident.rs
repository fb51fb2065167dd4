//! Incidents: their human ids and the facts fixed when they are created.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::event::Mode;

/// An id a responder can read out on a call: `TT-20261126-3`
/// (tree initials, UTC creation day, running number for that day).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncidentId(String);

impl IncidentId {
    /// Accepts any letter case (ids are spoken and retyped) and returns the
    /// canonical upper-case form.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let canonical = text.trim().to_ascii_uppercase();
        let bad = || StoreError::BadIncidentId(text.to_string());
        let mut parts = canonical.split('-');
        let (Some(prefix), Some(day), Some(n), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let prefix_ok = (1..=8).contains(&prefix.len())
            && prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let day_ok = day.len() == 8 && day.chars().all(|c| c.is_ascii_digit());
        let n_ok = (1..=9).contains(&n.len())
            && n.chars().all(|c| c.is_ascii_digit())
            && !n.starts_with('0');
        if prefix_ok && day_ok && n_ok {
            Ok(Self(canonical))
        } else {
            Err(bad())
        }
    }

    pub(crate) fn from_parts(prefix: &str, day: &str, n: u64) -> Self {
        Self(format!("{prefix}-{day}-{n}"))
    }

    /// An id read back from the database that no longer parses (edited
    /// outside Cairn): kept verbatim so it can still be listed and looked up.
    pub(crate) fn from_raw(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for IncidentId {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        Self::parse(s)
    }
}

/// The initials of a tree id's words, upper-cased: `token-theft` -> `TT`.
pub fn id_prefix(tree_id: &str) -> String {
    let initials: String = tree_id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|word| word.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .take(8)
        .collect();
    if initials.is_empty() {
        "X".to_string()
    } else {
        initials
    }
}

/// What the caller knows when an incident starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub title: String,
    pub tree_id: String,
    pub tree_version: String,
    /// The tree file's text; stored so the incident resumes against the tree
    /// it started with even after the file changes.
    pub tree_source: String,
    pub language: String,
    pub mode: Mode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: IncidentId,
    pub title: String,
    pub tree_id: String,
    pub tree_version: String,
    /// SHA-256 (hex) of `tree_source`.
    pub tree_sha256: String,
    pub tree_source: String,
    pub language: String,
    pub mode: Mode,
    pub created_at: DateTime<Utc>,
    pub status: Status,
}

/// One line of `cairn list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub status: Status,
    pub current_node: Option<String>,
    pub last_activity: DateTime<Utc>,
    /// Proposals waiting for a second person's approval now.
    pub pending_approvals: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_tree_initials() {
        assert_eq!(id_prefix("token-theft"), "TT");
        assert_eq!(id_prefix("mini"), "M");
        assert_eq!(id_prefix("bec-2-mailbox"), "B2M");
        assert_eq!(id_prefix("--"), "X");
    }

    #[test]
    fn ids_parse_in_any_case_and_reject_junk() {
        assert_eq!(
            IncidentId::parse("tt-20261126-3").unwrap().as_str(),
            "TT-20261126-3"
        );
        for bad in [
            "",
            "TT",
            "TT-2026-1",
            "TT-20261126-0",
            "TT-20261126-x",
            "T T-20261126-1",
            "TT-20261126-1-2",
        ] {
            assert!(IncidentId::parse(bad).is_err(), "{bad}");
        }
    }
}
