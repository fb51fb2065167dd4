//! Writing: every write is one `BEGIN IMMEDIATE` transaction that takes the
//! write lock before it reads what it builds on (the last hash, the next id
//! number), so concurrent writers queue instead of failing with SQLITE_BUSY.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::chain::{self, GENESIS};
use super::error::{Result, StoreError};
use super::event::{Actor, Event, EventKind};
use super::incident::{IncidentId, NewIncident, id_prefix};
use super::outbox;
use super::witness::{self, Head};

/// Largest lookup result kept in an event; the full result's size and hash
/// are recorded either way.
pub const RESULT_CAP: u64 = 256 * 1024;

/// Creates the incident, its `incident_created` event and then `initial`
/// events, all in one transaction: either all are saved or none.
pub(crate) fn create_incident(
    conn: &Connection,
    path: &Path,
    actor: &Actor,
    new: NewIncident,
    initial: Vec<EventKind>,
) -> Result<IncidentId> {
    if new.title.trim().is_empty() {
        return Err(StoreError::InvalidEvent("an incident needs a title".into()));
    }
    if new.tree_id.trim().is_empty() {
        return Err(StoreError::InvalidEvent(
            "an incident needs a tree id".into(),
        ));
    }
    let sql = |e| StoreError::sqlite(path, e);
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(sql)?;
    let at = chain::now();
    let day = at.format("%Y%m%d").to_string();
    let prefix = id_prefix(&new.tree_id);
    let number: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM incidents WHERE prefix = ?1 AND day = ?2",
            params![prefix, day],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let id = IncidentId::from_parts(&prefix, &day, number as u64);
    let tree_sha256 = chain::sha256_hex(new.tree_source.as_bytes());
    let mode = serde_json::to_value(new.mode)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    tx.execute(
        "INSERT INTO incidents (id, prefix, day, number, title, tree_id, tree_version, tree_sha256,
                                tree_source, language, mode, created_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'open')",
        params![
            id.as_str(),
            prefix,
            day,
            number,
            new.title,
            new.tree_id,
            new.tree_version,
            tree_sha256,
            new.tree_source,
            new.language,
            mode,
            chain::format_at(at),
        ],
    )
    .map_err(sql)?;
    let created = EventKind::IncidentCreated {
        title: new.title,
        tree_id: new.tree_id,
        tree_version: new.tree_version,
        tree_sha256,
        language: new.language,
        mode: new.mode,
    };
    let mut prev = insert_event(&tx, path, &id, 1, GENESIS, at, actor, created)?;
    let mut events = vec![prev.clone()];
    for kind in initial {
        let kind = cap_lookup_result(kind);
        validate(&tx, path, &id, &kind)?;
        if matches!(
            kind,
            EventKind::IncidentClosed { .. } | EventKind::IncidentReopened { .. }
        ) {
            return Err(StoreError::InvalidEvent(
                "a new incident cannot start closed or reopened".into(),
            ));
        }
        prev = insert_event(
            &tx,
            path,
            &id,
            prev.seq + 1,
            &prev.hash,
            chain::now(),
            actor,
            kind,
        )?;
        events.push(prev.clone());
    }
    // The outbox rows commit with their events or not at all.
    outbox::enqueue(&tx, path, &id, &events)?;
    let head = Head {
        seq: prev.seq,
        hash: prev.hash,
    };
    witness::commit(tx, path, &id, &head)?;
    Ok(id)
}

/// Appends a batch of events, the parts of one user action, in one
/// transaction: either all are committed (durably: `synchronous=FULL`) or
/// none. With `based_on`, the batch is the decision of someone who saw the
/// incident up to that seq: when another writer moved the head since, the
/// batch is refused inside the same transaction, naming who changed it.
pub(crate) fn append_batch(
    conn: &Connection,
    path: &Path,
    actor: &Actor,
    id: &IncidentId,
    based_on: Option<u64>,
    kinds: Vec<EventKind>,
) -> Result<Vec<Event>> {
    if kinds.is_empty() {
        return Err(StoreError::InvalidEvent(
            "an empty batch records nothing".into(),
        ));
    }
    let sql = |e| StoreError::sqlite(path, e);
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(sql)?;
    let status: Option<String> = tx
        .query_row(
            "SELECT status FROM incidents WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql)?;
    // Only a batch that opens with a reopening may be written to a closed
    // incident, or one that only confirms closing its Sentinel incident
    // too (closing there may come after closing here).
    let reopens = matches!(kinds[0], EventKind::IncidentReopened { .. });
    let only_sentinel_close = kinds
        .iter()
        .all(|k| matches!(k, EventKind::SentinelCloseConfirmed { .. }));
    match (status.as_deref(), reopens || only_sentinel_close) {
        (Some(_), _) if only_sentinel_close => {}
        (None, _) => {
            return Err(StoreError::UnknownIncident {
                id: id.to_string(),
                path: path.to_path_buf(),
            });
        }
        (Some("closed"), false) => return Err(StoreError::Closed(id.to_string())),
        (Some("open"), true) => {
            return Err(StoreError::InvalidEvent(format!(
                "incident {id} is not closed, so it cannot be reopened"
            )));
        }
        _ => {}
    }
    let (last_seq, last_hash, last_at, last_actor): (i64, String, String, String) = tx
        .query_row(
            "SELECT seq, hash, at, actor FROM events WHERE incident_id = ?1
             ORDER BY seq DESC LIMIT 1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .map_err(sql)?
        .unwrap_or((0, GENESIS.to_string(), String::new(), String::new()));
    if let Some(seen) = based_on
        && seen != last_seq as u64
    {
        return Err(StoreError::Stale {
            id: id.to_string(),
            based_on: seen,
            head: last_seq as u64,
            actor: serde_json::from_str::<Actor>(&last_actor)
                .map(|a| a.label())
                .unwrap_or(last_actor),
            at: super::read::parse_at(&last_at).unwrap_or_default(),
        });
    }
    // The status column only caches what the chain says (verify compares):
    // the last close or reopen of the batch decides it.
    let mut status = None;
    let mut events = Vec::with_capacity(kinds.len());
    let (mut seq, mut prev) = (last_seq as u64, last_hash);
    for kind in kinds {
        let kind = cap_lookup_result(kind);
        validate(&tx, path, id, &kind)?;
        match kind {
            EventKind::IncidentClosed { .. } => status = Some("closed"),
            EventKind::IncidentReopened { .. } => status = Some("open"),
            _ => {}
        }
        seq += 1;
        let event = insert_event(&tx, path, id, seq, &prev, chain::now(), actor, kind)?;
        prev = event.hash.clone();
        events.push(event);
    }
    if let Some(status) = status {
        tx.execute(
            "UPDATE incidents SET status = ?2 WHERE id = ?1",
            params![id.as_str(), status],
        )
        .map_err(sql)?;
    }
    outbox::enqueue(&tx, path, id, &events)?;
    witness::commit(tx, path, id, &Head { seq, hash: prev })?;
    Ok(events)
}

/// Rules the event log keeps: creation happens once, and references point
/// at events of the right kind in the same incident.
fn validate(tx: &Transaction, path: &Path, id: &IncidentId, kind: &EventKind) -> Result<()> {
    let kind_of = |seq: u64| -> Result<Option<String>> {
        tx.query_row(
            "SELECT json_extract(kind, '$.type') FROM events WHERE incident_id = ?1 AND seq = ?2",
            params![id.as_str(), seq as i64],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| StoreError::sqlite(path, e))
    };
    let invalid = |msg: String| Err(StoreError::InvalidEvent(msg));
    match kind {
        EventKind::IncidentCreated { .. } => {
            invalid("incident_created is written only when an incident is created".into())
        }
        EventKind::NoteAdded { text, .. } | EventKind::NoteAmended { text, .. }
            if text.trim().is_empty() =>
        {
            invalid("a note cannot be empty".into())
        }
        EventKind::NoteAmended { amends, .. } => match kind_of(*amends)?.as_deref() {
            Some("note_added" | "note_amended") => Ok(()),
            _ => invalid(format!(
                "event {amends} of {id} is not a note, so it cannot be amended"
            )),
        },
        EventKind::EvidenceMarked { lookup_seq, .. } => match kind_of(*lookup_seq)?.as_deref() {
            Some("lookup_run") => Ok(()),
            _ => invalid(format!(
                "event {lookup_seq} of {id} is not a lookup run, so it cannot be marked as evidence"
            )),
        },
        EventKind::ActionOutcome { intent, .. } => match kind_of(*intent)?.as_deref() {
            Some("action_intended") => Ok(()),
            _ => invalid(format!("event {intent} of {id} is not an action intent")),
        },
        _ => Ok(()),
    }
}

/// Keeps at most `RESULT_CAP` bytes (and never more than the caller's cap)
/// of a lookup result, cut on a character boundary, and records the cut.
fn cap_lookup_result(mut kind: EventKind) -> EventKind {
    if let EventKind::LookupRun {
        result: Some(result),
        result_cap,
        result_truncated,
        ..
    } = &mut kind
    {
        *result_cap = (*result_cap).min(RESULT_CAP);
        if result.len() as u64 > *result_cap {
            let mut cut = *result_cap as usize;
            while !result.is_char_boundary(cut) {
                cut -= 1;
            }
            result.truncate(cut);
            *result_truncated = true;
        }
    }
    kind
}

#[allow(clippy::too_many_arguments)]
fn insert_event(
    tx: &Transaction,
    path: &Path,
    id: &IncidentId,
    seq: u64,
    prev_hash: &str,
    at: DateTime<Utc>,
    actor: &Actor,
    kind: EventKind,
) -> Result<Event> {
    let to_json = |v: serde_json::Result<serde_json::Value>| {
        v.map(|v| chain::canonical_json(&v))
            .map_err(|e| StoreError::InvalidEvent(e.to_string()))
    };
    let actor_json = to_json(serde_json::to_value(actor))?;
    let kind_json = to_json(serde_json::to_value(&kind))?;
    let at_text = chain::format_at(at);
    let hash = chain::event_hash(
        prev_hash,
        id.as_str(),
        seq,
        &at_text,
        &actor_json,
        &kind_json,
    );
    tx.prepare_cached(
        "INSERT INTO events (incident_id, seq, at, actor, kind, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            id.as_str(),
            seq as i64,
            at_text,
            actor_json,
            kind_json,
            prev_hash,
            hash
        ])
    })
    .map_err(|e| StoreError::sqlite(path, e))?;
    Ok(Event {
        seq,
        at,
        actor: actor.clone(),
        kind,
        prev_hash: prev_hash.to_string(),
        hash,
    })
}
