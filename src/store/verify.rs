//! `verify`: the hash chain, what event 1 says the incident row should be,
//! the status the chain implies, and the heads witnessed outside the chain
//! (the head log, and heads given on the command line).

use std::path::Path;

use rusqlite::Connection;

use super::chain::{self, Broken, RawEvent};
use super::error::{Result, StoreError};
use super::event::EventKind;
use super::incident::{Incident, IncidentId, Status};
use super::read;
use super::witness::{self, Head, WITNESS_FILE};

/// The result of checking an incident's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub events: u64,
    /// The first thing that fails, if any.
    pub broken: Option<Broken>,
    /// Hash of the last event: a short fingerprint of the whole record.
    pub head: String,
    /// Sequence number of the last event (0 when there is none).
    pub head_seq: u64,
    /// The newest event the head log saw, if it saw this incident.
    pub witnessed: Option<u64>,
    /// What could not be checked, or looks odd without proving tampering.
    pub warnings: Vec<String>,
}

impl Verification {
    /// The head as `SEQ:HASH`, the form `cairn verify --head` takes.
    pub fn head_text(&self) -> String {
        Head {
            seq: self.head_seq,
            hash: self.head.clone(),
        }
        .to_string()
    }
}

pub(crate) fn verify(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
    claims: &[Head],
) -> Result<Verification> {
    let log = witness::read(path)?;
    let seen = log.heads.get(id.as_str());
    let mut warnings = Vec::new();
    if !log.exists {
        warnings.push(format!(
            "no head log ({WITNESS_FILE}) next to the database: the deletion of the newest \
             events cannot be detected from this store alone; check a head printed by an \
             export with --head"
        ));
    } else if seen.is_none() {
        warnings.push(format!(
            "the head log has no entry for {id} (created before the log existed, or its \
             entries were removed)"
        ));
    }
    if log.unreadable > 0 {
        warnings.push(format!(
            "{} line(s) of the head log cannot be read",
            log.unreadable
        ));
    }
    let incident = match read::incident(conn, path, id) {
        Ok(incident) => incident,
        Err(StoreError::UnknownIncident { .. }) if seen.is_some() || !claims.is_empty() => {
            let last = seen
                .and_then(|s| s.keys().next_back().copied())
                .into_iter()
                .chain(claims.iter().map(|c| c.seq))
                .max()
                .unwrap_or(1);
            return Ok(Verification {
                events: 0,
                broken: Some(Broken {
                    seq: last,
                    reason: format!(
                        "the incident is missing from the database, but it was witnessed up \
                         to event {last}: it was deleted"
                    ),
                }),
                head: String::new(),
                head_seq: 0,
                witnessed: seen.and_then(|s| s.keys().next_back().copied()),
                warnings,
            });
        }
        Err(e) => return Err(e),
    };
    let rows = read::raw_events(conn, path, id)?;
    let head_seq = rows.last().map_or(0, |r| r.seq);
    let witnessed = seen.and_then(|s| s.keys().next_back().copied());
    if let Some(w) = witnessed
        && w < head_seq
    {
        warnings.push(format!(
            "events {}..{head_seq} are not in the head log (Cairn stopped between saving and \
             witnessing them, or they were added outside Cairn)",
            w + 1
        ));
    }
    // Missing or rewritten events first: they explain a status that no
    // longer matches (a deleted `incident_closed`) better than the status.
    let broken = chain::verify_rows(id.as_str(), &rows)
        .or_else(|| {
            let heads = seen.into_iter().flatten().map(|(s, h)| (*s, h.as_str()));
            witness::check_heads(&rows, heads, "the head log")
        })
        .or_else(|| {
            let heads = claims.iter().map(|c| (c.seq, c.hash.as_str()));
            witness::check_heads(&rows, heads, "the head given with --head")
        })
        .or_else(|| check_parsed(&incident, &rows));
    Ok(Verification {
        events: rows.len() as u64,
        broken,
        head: rows.last().map(|r| r.hash.clone()).unwrap_or_default(),
        head_seq,
        witnessed,
        warnings,
    })
}

/// Ids the head log saw that the database no longer holds.
pub(crate) fn missing_incidents(conn: &Connection, path: &Path) -> Result<Vec<String>> {
    let log = witness::read(path)?;
    let mut missing = Vec::new();
    for id in log.incidents() {
        let exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM incidents WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::sqlite(path, e))?;
        if !exists {
            missing.push(id.to_string());
        }
    }
    Ok(missing)
}

/// Checks that need the events read: each parses, event 1 matches the
/// incident row, and the status column is what the chain implies.
fn check_parsed(incident: &Incident, rows: &[RawEvent]) -> Option<Broken> {
    let mut events = Vec::with_capacity(rows.len());
    for raw in rows {
        match read::parse_event(raw.clone()) {
            Ok(event) => events.push(event),
            Err((seq, detail)) => {
                return Some(Broken {
                    seq,
                    reason: format!("its hash matches but it cannot be read: {detail}"),
                });
            }
        }
    }
    if let Some(b) = check_creation(incident, events.first()) {
        return Some(b);
    }
    // The last close or reopen decides; none means open.
    let last = events.iter().rev().find_map(|e| match e.kind {
        EventKind::IncidentClosed { .. } => Some((e.seq, Status::Closed)),
        EventKind::IncidentReopened { .. } => Some((e.seq, Status::Open)),
        _ => None,
    });
    let head = rows.last().map_or(1, |r| r.seq);
    let (seq, chain_status) = last.unwrap_or((head, Status::Open));
    (chain_status != incident.status).then(|| Broken {
        seq,
        reason: format!(
            "the incident is marked {} but its events say it is {} (its status was changed \
             outside Cairn)",
            incident.status.name(),
            chain_status.name()
        ),
    })
}

/// The incident row is not chained itself; event 1 records what it was.
fn check_creation(incident: &Incident, first: Option<&super::Event>) -> Option<Broken> {
    let broken = |reason: &str| {
        Some(Broken {
            seq: 1,
            reason: reason.to_string(),
        })
    };
    let Some(first) = first else {
        return broken("the incident has no events (its creation event is missing)");
    };
    let EventKind::IncidentCreated {
        title,
        tree_id,
        tree_version,
        tree_sha256,
        language,
        mode,
    } = &first.kind
    else {
        return broken("the first event is not the incident's creation");
    };
    if (title, tree_id, tree_version, language, *mode)
        != (
            &incident.title,
            &incident.tree_id,
            &incident.tree_version,
            &incident.language,
            incident.mode,
        )
    {
        return broken(
            "the incident's title, tree, language or mode differ from what its creation recorded",
        );
    }
    if first.at != incident.created_at {
        return broken("the incident's creation time differs from the time of its first event");
    }
    if *tree_sha256 != incident.tree_sha256
        || chain::sha256_hex(incident.tree_source.as_bytes()) != *tree_sha256
    {
        return broken("the stored tree source differs from the one the incident was created with");
    }
    None
}
