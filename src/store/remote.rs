//! Comments others wrote in the attached Sentinel incident (teammates'
//! Cairn, the portal), as Sentinel last gave them. Never part of the hash
//! chain: the local record stays this responder's own. Each keeps the
//! SHA-256 of its text, so a later fetch that finds it changed is visible.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::chain;
use super::error::{Result, StoreError};
use super::incident::IncidentId;
use super::read;

/// One comment from the team's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteComment {
    /// Its id in Sentinel.
    pub id: String,
    pub author: String,
    /// When Sentinel says it was written (as given, RFC 3339).
    pub created: String,
    pub message: String,
}

/// A stored remote comment, with when it was fetched and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRemote {
    pub comment: RemoteComment,
    pub sha256: String,
    pub fetched_at: Option<DateTime<Utc>>,
}

/// Keeps `comments` (new ones added, changed ones replaced); returns how
/// many were new or changed.
pub(crate) fn keep(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
    comments: &[RemoteComment],
) -> Result<u64> {
    upsert_each(
        conn,
        path,
        "INSERT INTO remote_comments
           (incident_id, comment_id, author, created, message, sha256, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (incident_id, comment_id) DO UPDATE SET
           author = excluded.author, created = excluded.created,
           message = excluded.message, sha256 = excluded.sha256,
           fetched_at = excluded.fetched_at
         WHERE sha256 != excluded.sha256",
        comments,
        |stmt, c, at| {
            let hash = chain::sha256_hex(c.message.as_bytes());
            stmt.execute(params![
                id.as_str(),
                c.id,
                c.author,
                c.created,
                c.message,
                hash,
                at
            ])
        },
    )
}

/// Runs the upsert `sql` once per item in one immediate transaction, each
/// stamped with the same fetch time; returns how many rows it changed (an
/// unchanged row's `WHERE` makes its upsert count 0).
fn upsert_each<T>(
    conn: &Connection,
    path: &Path,
    sql: &str,
    items: &[T],
    row: impl Fn(&mut rusqlite::CachedStatement<'_>, &T, &str) -> rusqlite::Result<usize>,
) -> Result<u64> {
    let sql_error = |e| StoreError::sqlite(path, e);
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
        .map_err(sql_error)?;
    let at = chain::format_at(chain::now());
    let mut changed = 0;
    {
        let mut stmt = tx.prepare_cached(sql).map_err(sql_error)?;
        for item in items {
            changed += row(&mut stmt, item, &at).map_err(sql_error)? as u64;
        }
    }
    tx.commit().map_err(sql_error)?;
    Ok(changed)
}

/// The incident's remote comments, oldest first.
pub(crate) fn list(conn: &Connection, path: &Path, id: &IncidentId) -> Result<Vec<StoredRemote>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT comment_id, author, created, message, sha256, fetched_at
             FROM remote_comments WHERE incident_id = ?1 ORDER BY created, comment_id",
        )
        .map_err(sql)?;
    stmt.query_map([id.as_str()], |r| {
        Ok(StoredRemote {
            comment: RemoteComment {
                id: r.get(0)?,
                author: r.get(1)?,
                created: r.get(2)?,
                message: r.get(3)?,
            },
            sha256: r.get(4)?,
            fetched_at: read::parse_at(&r.get::<_, String>(5)?),
        })
    })
    .map_err(sql)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(sql)
}

/// The comment ids this incident's own events were pushed under.
pub(crate) fn own_ids(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
) -> Result<std::collections::BTreeSet<String>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn
        .prepare_cached("SELECT item_id FROM outbox WHERE incident_id = ?1 AND item = 'comment'")
        .map_err(sql)?;
    stmt.query_map([id.as_str()], |r| r.get::<_, String>(0))
        .map_err(sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql)
}

/// A `[cairn]` task of the Sentinel incident as Sentinel last showed it:
/// whoever changed it last (a teammate completing or reopening it, or a
/// Cairn pushing the walk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTask {
    /// Its id in Sentinel.
    pub id: String,
    pub title: String,
    /// `New` or `Completed`, as given.
    pub status: String,
    /// Who changed it last and when, as Sentinel says (untrusted text).
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
}

/// Keeps the incident's `[cairn]` tasks as fetched (replacing what an
/// earlier fetch kept); returns how many were new or changed.
pub(crate) fn keep_tasks(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
    tasks: &[RemoteTask],
) -> Result<u64> {
    upsert_each(
        conn,
        path,
        "INSERT INTO remote_tasks
           (incident_id, task_id, title, status, changed_by, changed_at, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (incident_id, task_id) DO UPDATE SET
           title = excluded.title, status = excluded.status,
           changed_by = excluded.changed_by, changed_at = excluded.changed_at,
           fetched_at = excluded.fetched_at
         WHERE (title, status, changed_by, changed_at)
           IS NOT (excluded.title, excluded.status, excluded.changed_by, excluded.changed_at)",
        tasks,
        |stmt, t, at| {
            stmt.execute(params![
                id.as_str(),
                t.id,
                t.title,
                t.status,
                t.changed_by,
                t.changed_at,
                at
            ])
        },
    )
}

/// The incident's kept `[cairn]` tasks, by id.
pub(crate) fn list_tasks(
    conn: &Connection,
    path: &Path,
    id: &IncidentId,
) -> Result<Vec<RemoteTask>> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT task_id, title, status, changed_by, changed_at
             FROM remote_tasks WHERE incident_id = ?1 ORDER BY task_id",
        )
        .map_err(sql)?;
    stmt.query_map([id.as_str()], |r| {
        Ok(RemoteTask {
            id: r.get(0)?,
            title: r.get(1)?,
            status: r.get(2)?,
            changed_by: r.get(3)?,
            changed_at: r.get(4)?,
        })
    })
    .map_err(sql)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(sql)
}

impl super::Store {
    /// Keeps the attached incident's `[cairn]` tasks as Sentinel shows
    /// them (never in the chain); returns how many were new or changed.
    pub fn keep_remote_tasks(&mut self, id: &IncidentId, tasks: &[RemoteTask]) -> Result<u64> {
        keep_tasks(&self.conn, &self.path, id, tasks)
    }

    /// The `[cairn]` tasks kept for the incident.
    pub fn remote_tasks(&self, id: &IncidentId) -> Result<Vec<RemoteTask>> {
        list_tasks(&self.conn, &self.path, id)
    }
}
