//! The sync outbox: what the team's Sentinel incident has still to be told.
//!
//! For an incident attached to Sentinel (never a practice one), every event
//! that matters to the team gets its outbox rows in the same transaction as
//! the event itself, so a crash can lose neither: a `comment` row for each
//! pushed event, a `task` row for each event that moves the walk's tasks.
//! The rows are bookkeeping beside the hash chain, not part of it; the sync
//! marks them sent once Sentinel has the object. Attaching an incident that
//! already has events fills the rows for all of them, in order.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::chain;
use super::error::{Result, StoreError};
use super::event::{Event, EventKind};
use super::incident::IncidentId;
use super::read;

pub use super::outbox_items::{Field, Item};

/// Cairn's own UUIDv5 namespace: fixed forever, since changing it would
/// make every comment already pushed look new to a re-sync.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6361_6972_6e2d_4e53_8000_5e47_1c51_0001);

/// The Sentinel comment that mirrors the event with hash `event_hash`: the
/// same event always names the same comment, so a retry, a crash, another
/// Cairn or a re-sync replaces it rather than adding a second one.
pub fn comment_id(event_hash: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("comment\0{event_hash}").as_bytes())
}

/// The Sentinel task of the `visit`-th entry (from 1) into `node` of the
/// incident whose first event has hash `genesis`: unique per local
/// incident (ids like TT-20261203-1 repeat across machines, chains do not).
pub fn task_id(genesis: &str, node: &str, visit: u32) -> Uuid {
    Uuid::new_v5(
        &NAMESPACE,
        format!("task\0{genesis}\0{node}\0{visit}").as_bytes(),
    )
}

/// True for the events the team sees as comments: decisions and jumps
/// (each with its reason), notes, checklist ticks, variables, lookup
/// summaries, actions, closing and reopening.
pub fn is_pushed(kind: &EventKind) -> bool {
    team_view(kind).comment
}

/// True for the events that can open or complete a walked node's task.
pub fn moves_tasks(kind: &EventKind) -> bool {
    team_view(kind).task
}

/// The incident field update an event asks for, if any.
pub fn field_update(kind: &EventKind) -> Option<Field> {
    team_view(kind).field
}

/// True for the events that become a bookmark related to the incident.
pub fn is_bookmarked(kind: &EventKind) -> bool {
    team_view(kind).bookmark
}

/// The bookmark (and the incident relation naming it) that mirrors the
/// evidence mark with hash `event_hash`: one per mark, whatever retries.
pub fn bookmark_id(event_hash: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("bookmark\0{event_hash}").as_bytes())
}

/// What the team's incident gets from one event.
struct TeamView {
    comment: bool,
    task: bool,
    field: Option<Field>,
    bookmark: bool,
}

/// Exhaustive on purpose: a new event kind must be placed here by a
/// person. Walk moves become tasks; bookkeeping stays local.
fn team_view(kind: &EventKind) -> TeamView {
    let field = match kind {
        EventKind::SentinelAttached { .. } => Some(Field::Claim),
        EventKind::ChoiceMade { .. } => Some(Field::Activate),
        EventKind::SentinelCloseConfirmed { .. } => Some(Field::Close),
        _ => None,
    };
    let (comment, task) = match kind {
        EventKind::ChoiceMade { .. }
        | EventKind::Jumped { .. }
        | EventKind::ChecklistToggled { .. }
        | EventKind::IncidentClosed { .. } => (true, true),
        EventKind::NoteAdded { .. }
        | EventKind::NoteAmended { .. }
        | EventKind::VariableSet { .. }
        | EventKind::SubjectOpened { .. }
        | EventKind::LookupRun { .. }
        | EventKind::ActionIntended { .. }
        | EventKind::ActionOutcome { .. }
        | EventKind::ApprovalProposed { .. }
        | EventKind::ApprovalDecided { .. }
        | EventKind::IncidentReopened { .. }
        | EventKind::SentinelCloseConfirmed { .. }
        | EventKind::EvidenceMarked { .. } => (true, false),
        EventKind::NodeEntered { .. } | EventKind::Backtrack { .. } => (false, true),
        EventKind::IncidentCreated { .. }
        | EventKind::LanguageChanged { .. }
        | EventKind::SentinelAttached { .. }
        | EventKind::ScenarioStarted { .. }
        | EventKind::HintShown { .. }
        | EventKind::DecisionScored { .. }
        | EventKind::InjectReleased { .. }
        | EventKind::ExerciseClock { .. }
        | EventKind::TabletopNote { .. } => (false, false),
    };
    TeamView {
        comment,
        task,
        field,
        bookmark: matches!(kind, EventKind::EvidenceMarked { .. }),
    }
}

/// One row still to be sent, with the event it mirrors.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The row's place in the drain order.
    pub row: i64,
    pub item: Item,
    pub event: Event,
    /// Times a send of this row has failed so far.
    pub attempts: u32,
}

/// How far an incident's outbox is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxState {
    /// The Sentinel incident (ARM name) it is attached to, if any.
    pub target: Option<String>,
    pub pending: u64,
    pub sent: u64,
    /// Why the last send failed, while rows are still pending.
    pub last_error: Option<String>,
    pub last_sent: Option<DateTime<Utc>>,
}

/// Fills the outbox rows of `events` (just inserted in `tx`). An incident
/// not attached yet gets none, unless `events` attach it: then the link is
/// kept and every event so far gets its rows, oldest first.
pub(crate) fn enqueue(
    tx: &Transaction,
    path: &Path,
    id: &IncidentId,
    events: &[Event],
) -> Result<()> {
    let sql = |e| StoreError::sqlite(path, e);
    let target: Option<String> = tx
        .prepare_cached("SELECT sentinel FROM sync_targets WHERE incident_id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], |r| r.get(0)).optional())
        .map_err(sql)?;
    if target.is_some() {
        return insert_rows(tx, path, id, events);
    }
    let Some(name) = events.iter().find_map(|e| match &e.kind {
        EventKind::SentinelAttached { name, .. } => Some(name.clone()),
        _ => None,
    }) else {
        return Ok(());
    };
    let mode: String = tx
        .query_row(
            "SELECT mode FROM incidents WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .map_err(sql)?;
    // Practice never leaves this machine, whatever its events say.
    if mode == "practice" {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO sync_targets (incident_id, sentinel) VALUES (?1, ?2)",
        params![id.as_str(), name],
    )
    .map_err(sql)?;
    insert_rows(tx, path, id, &read::events(tx, path, id)?)
}

/// Fills the rows of every event of an attached incident that has none
/// (a store attached before the outbox existed); returns how many were added.
pub(crate) fn reconcile(tx: &Transaction, path: &Path, id: &IncidentId) -> Result<u64> {
    if target(tx, path, id)?.is_none() {
        return Ok(0);
    }
    let before = total(tx, path, id)?;
    insert_rows(tx, path, id, &read::events(tx, path, id)?)?;
    Ok(total(tx, path, id)? - before)
}

fn total(conn: &Connection, path: &Path, id: &IncidentId) -> Result<u64> {
    conn.query_row(
        "SELECT COUNT(*) FROM outbox WHERE incident_id = ?1",
        [id.as_str()],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
    .map_err(|e| StoreError::sqlite(path, e))
}

fn insert_rows(tx: &Transaction, path: &Path, id: &IncidentId, events: &[Event]) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO outbox (incident_id, seq, item, item_id) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(|e| StoreError::sqlite(path, e))?;
    for event in events {
        if is_pushed(&event.kind) {
            let comment = comment_id(&event.hash).hyphenated().to_string();
            stmt.execute(params![
                id.as_str(),
                event.seq as i64,
                Item::Comment.name(),
                comment
            ])
            .map_err(|e| StoreError::sqlite(path, e))?;
        }
        if moves_tasks(&event.kind) {
            stmt.execute(params![
                id.as_str(),
                event.seq as i64,
                Item::Task.name(),
                Option::<String>::None
            ])
            .map_err(|e| StoreError::sqlite(path, e))?;
        }
        if is_bookmarked(&event.kind) {
            let bookmark = bookmark_id(&event.hash).hyphenated().to_string();
            stmt.execute(params![
                id.as_str(),
                event.seq as i64,
                Item::Bookmark.name(),
                bookmark
            ])
            .map_err(|e| StoreError::sqlite(path, e))?;
        }
        if let Some(field) = field_update(&event.kind) {
            stmt.execute(params![
                id.as_str(),
                event.seq as i64,
                Item::Field(field).name(),
                field.item_id(event.seq)
            ])
            .map_err(|e| StoreError::sqlite(path, e))?;
        }
    }
    Ok(())
}

pub(crate) fn target(conn: &Connection, path: &Path, id: &IncidentId) -> Result<Option<String>> {
    conn.query_row(
        "SELECT sentinel FROM sync_targets WHERE incident_id = ?1",
        [id.as_str()],
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| StoreError::sqlite(path, e))
}

/// The incident's oldest `limit` unsent rows, in drain order.
pub(crate) fn pending(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
    limit: usize,
) -> Result<Vec<Pending>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT o.id, o.item, o.item_id, o.attempts, e.seq, e.at, e.actor, e.kind, e.prev_hash, e.hash
             FROM outbox o JOIN events e ON e.incident_id = o.incident_id AND e.seq = o.seq
             WHERE o.incident_id = ?1 AND o.sent_at IS NULL ORDER BY o.id LIMIT ?2",
        )
        .map_err(sql)?;
    let rows = stmt
        .query_map(params![id.as_str(), limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Item::parse(
                    &r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?.as_deref(),
                ),
                r.get::<_, i64>(3)?,
                chain::RawEvent {
                    seq: r.get::<_, i64>(4)? as u64,
                    at: r.get(5)?,
                    actor: r.get(6)?,
                    kind: r.get(7)?,
                    prev_hash: r.get(8)?,
                    hash: r.get(9)?,
                },
            ))
        })
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)?;
    rows.into_iter()
        .map(|(row, item, attempts, raw)| {
            let event = read::parse_event(raw).map_err(|(seq, detail)| StoreError::Corrupt {
                path: path.to_path_buf(),
                id: id.to_string(),
                seq,
                detail,
            })?;
            Ok(Pending {
                row,
                item,
                event,
                attempts: attempts.clamp(0, i64::from(u32::MAX)) as u32,
            })
        })
        .collect()
}

/// Marks rows as held by Sentinel.
pub(crate) fn mark_sent(conn: &Connection, path: &Path, rows: &[i64]) -> Result<()> {
    let at = chain::format_at(chain::now());
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| StoreError::sqlite(path, e))?;
    {
        let mut stmt = tx
            .prepare_cached(
                "UPDATE outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1 AND sent_at IS NULL",
            )
            .map_err(|e| StoreError::sqlite(path, e))?;
        for row in rows {
            stmt.execute(params![row, at])
                .map_err(|e| StoreError::sqlite(path, e))?;
        }
    }
    tx.commit().map_err(|e| StoreError::sqlite(path, e))
}

/// Records why a send of `row` failed (shown until it succeeds).
pub(crate) fn note_failure(conn: &Connection, path: &Path, row: i64, why: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![row, why],
    )
    .map(|_| ())
    .map_err(|e| StoreError::sqlite(path, e))
}

pub(crate) fn state(conn: &Connection, path: &Path, id: &IncidentId) -> Result<OutboxState> {
    let sql = |e| StoreError::sqlite(path, e);
    let target = target(conn, path, id)?;
    let (pending, sent, last_sent): (i64, i64, Option<String>) = conn
        .query_row(
            "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL),
                    COUNT(*) FILTER (WHERE sent_at IS NOT NULL),
                    MAX(sent_at)
             FROM outbox WHERE incident_id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(sql)?;
    let last_error: Option<String> = conn
        .query_row(
            "SELECT last_error FROM outbox WHERE incident_id = ?1 AND sent_at IS NULL
             ORDER BY id LIMIT 1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql)?
        .flatten();
    Ok(OutboxState {
        target,
        pending: pending as u64,
        sent: sent as u64,
        last_error,
        last_sent: last_sent.as_deref().and_then(read::parse_at),
    })
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
