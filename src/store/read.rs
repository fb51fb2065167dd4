//! Reading incidents and their events back.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::chain::RawEvent;
use super::error::{Result, StoreError};
use super::event::{Actor, Event, EventKind, Mode};
use super::incident::{Incident, IncidentId, Status};

pub(crate) fn incident(conn: &Connection, path: &Path, id: &IncidentId) -> Result<Incident> {
    let row = conn
        .query_row(
            "SELECT title, tree_id, tree_version, tree_sha256, tree_source, language, mode,
                    created_at, status
             FROM incidents WHERE id = ?1",
            [id.as_str()],
            |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ),
                    (
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ),
                    (
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ),
                ))
            },
        )
        .optional()
        .map_err(|e| StoreError::sqlite(path, e))?;
    let Some((
        (title, tree_id, tree_version),
        (tree_sha256, tree_source, language),
        (mode, created_at, status),
    )) = row
    else {
        return Err(unknown(path, id));
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        id: id.to_string(),
        seq: 0,
        detail,
    };
    let mode: Mode = serde_json::from_value(serde_json::Value::String(mode.clone()))
        .map_err(|_| corrupt(format!("unknown mode '{mode}'")))?;
    Ok(Incident {
        id: id.clone(),
        title,
        tree_id,
        tree_version,
        tree_sha256,
        tree_source,
        language,
        mode,
        created_at: parse_at(&created_at)
            .ok_or_else(|| corrupt(format!("bad creation time '{created_at}'")))?,
        status: Status::parse(&status).ok_or_else(|| corrupt(format!("bad status '{status}'")))?,
    })
}

pub(crate) fn unknown(path: &Path, id: &IncidentId) -> StoreError {
    StoreError::UnknownIncident {
        id: id.to_string(),
        path: path.to_path_buf(),
    }
}

/// The ids of incidents, newest first.
pub(crate) fn incident_ids(
    conn: &Connection,
    path: &Path,
    status: Option<Status>,
) -> Result<Vec<IncidentId>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn
        .prepare(
            "SELECT id FROM incidents WHERE ?1 IS NULL OR status = ?1
             ORDER BY created_at DESC, number DESC",
        )
        .map_err(sql)?;
    let ids = stmt
        .query_map([status.map(Status::name)], |r| r.get::<_, String>(0))
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)?;
    // Ids were validated when allocated; a row that no longer parses was
    // edited outside Cairn and is still listed under its raw text.
    Ok(ids
        .into_iter()
        .map(|raw| IncidentId::parse(&raw).unwrap_or_else(|_| IncidentId::from_raw(raw)))
        .collect())
}

/// An incident's events in order, as both readers (raw for verification,
/// parsed for replay) select them.
const EVENTS_OF_INCIDENT: &str = "SELECT seq, at, actor, kind, prev_hash, hash FROM events
     WHERE incident_id = ?1 AND seq > ?2 ORDER BY seq";

pub(crate) fn raw_events(conn: &Connection, path: &Path, id: &IncidentId) -> Result<Vec<RawEvent>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn.prepare_cached(EVENTS_OF_INCIDENT).map_err(sql)?;
    stmt.query_map(rusqlite::params![id.as_str(), 0], |r| {
        Ok(RawEvent {
            seq: r.get::<_, i64>(0)? as u64,
            at: r.get(1)?,
            actor: r.get(2)?,
            kind: r.get(3)?,
            prev_hash: r.get(4)?,
            hash: r.get(5)?,
        })
    })
    .map_err(sql)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(sql)
}

pub(crate) fn events(conn: &Connection, path: &Path, id: &IncidentId) -> Result<Vec<Event>> {
    events_after(conn, path, id, 0)
}

/// The events with a seq above `after`, in order.
pub(crate) fn events_after(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
    after: u64,
) -> Result<Vec<Event>> {
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM incidents WHERE id = ?1)",
            [id.as_str()],
            |r| r.get(0),
        )
        .map_err(|e| StoreError::sqlite(path, e))?;
    if !exists {
        return Err(unknown(path, id));
    }
    // Parses straight from SQLite's buffers (no copy of each row's text),
    // and each distinct actor once: replaying a long incident is mostly this.
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn.prepare_cached(EVENTS_OF_INCIDENT).map_err(sql)?;
    let mut rows = stmt
        .query(rusqlite::params![id.as_str(), after as i64])
        .map_err(sql)?;
    let mut events = Vec::new();
    let mut last_actor: Option<(String, Actor)> = None;
    while let Some(row) = rows.next().map_err(sql)? {
        let seq = row.get::<_, i64>(0).map_err(sql)? as u64;
        let text = |i: usize| -> Result<&str> {
            row.get_ref(i)
                .and_then(|v| v.as_str().map_err(Into::into))
                .map_err(sql)
        };
        let bad = |detail: String| corrupt(path, id, (seq, detail));
        let at_text = text(1)?;
        let at = parse_at(at_text).ok_or_else(|| bad(format!("bad time '{at_text}'")))?;
        let actor_text = text(2)?;
        let actor = match &last_actor {
            Some((cached, actor)) if cached == actor_text => actor.clone(),
            _ => {
                let actor: Actor =
                    serde_json::from_str(actor_text).map_err(|e| bad(format!("actor: {e}")))?;
                last_actor = Some((actor_text.to_string(), actor.clone()));
                actor
            }
        };
        let kind: EventKind =
            serde_json::from_str(text(3)?).map_err(|e| bad(format!("event: {e}")))?;
        events.push(Event {
            seq,
            at,
            actor,
            kind,
            prev_hash: text(4)?.to_string(),
            hash: text(5)?.to_string(),
        });
    }
    Ok(events)
}

fn corrupt(path: &Path, id: &IncidentId, (seq, detail): (u64, String)) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        id: id.to_string(),
        seq,
        detail,
    }
}

pub(crate) fn parse_event(raw: RawEvent) -> std::result::Result<Event, (u64, String)> {
    let seq = raw.seq;
    let at = parse_at(&raw.at).ok_or_else(|| (seq, format!("bad time '{}'", raw.at)))?;
    let actor: Actor =
        serde_json::from_str(&raw.actor).map_err(|e| (seq, format!("actor: {e}")))?;
    let kind: EventKind =
        serde_json::from_str(&raw.kind).map_err(|e| (seq, format!("event: {e}")))?;
    Ok(Event {
        seq,
        at,
        actor,
        kind,
        prev_hash: raw.prev_hash,
        hash: raw.hash,
    })
}

pub(crate) fn parse_at(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}
