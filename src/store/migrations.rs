//! The schema and its forward migrations, tracked in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::db::APPLICATION_ID;
use super::error::{Result, StoreError};

/// `MIGRATIONS[i]` takes a store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The schema version this Cairn writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Incidents and their append-only, hash-chained events. `incidents.status`
/// is a cache for listing; the events are the record.
const V1: &str = "
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    prefix TEXT NOT NULL,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    tree_id TEXT NOT NULL,
    tree_version TEXT NOT NULL,
    tree_sha256 TEXT NOT NULL,
    tree_source TEXT NOT NULL,
    language TEXT NOT NULL,
    mode TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    UNIQUE (prefix, day, number)
) STRICT;

CREATE TABLE events (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are never deleted'); END;
";

/// The sync outbox (`outbox.rs`): which incidents are attached to a
/// Sentinel incident, and per event the comment or task push still owed to
/// it; and the comments others wrote there (`remote.rs`), kept apart from
/// the chain. Bookkeeping beside the chain: rows are marked sent, never part of
/// an event's hash. Incidents attached before this version get their link
/// here and their rows on their first sync (`reconcile`).
const V2: &str = "
CREATE TABLE sync_targets (
    incident_id TEXT PRIMARY KEY NOT NULL REFERENCES incidents (id),
    sentinel TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    seq INTEGER NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('comment', 'task')),
    item_id TEXT,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (incident_id, seq, item),
    FOREIGN KEY (incident_id, seq) REFERENCES events (incident_id, seq)
) STRICT;

CREATE INDEX outbox_pending ON outbox (incident_id, id) WHERE sent_at IS NULL;

CREATE TABLE remote_comments (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    comment_id TEXT NOT NULL,
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    message TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, comment_id)
) STRICT;

INSERT OR IGNORE INTO sync_targets (incident_id, sentinel)
SELECT e.incident_id, json_extract(e.kind, '$.name')
FROM events e JOIN incidents i ON i.id = e.incident_id
WHERE json_extract(e.kind, '$.type') = 'sentinel_attached' AND i.mode != 'practice'
ORDER BY e.seq;
";

/// Outbox rows for the Sentinel incident's own fields (`item = 'incident'`:
/// claim, activate, close) and for bookmarks of marked evidence
/// (`item = 'bookmark'`), and teammates' task changes pulled back. SQLite
/// cannot widen a CHECK in place, so the outbox is copied into a new table.
/// Claiming and activating happen once per incident: a unique index keeps
/// the first such row and drops later ones (`INSERT OR IGNORE`).
const V3: &str = "
CREATE TABLE outbox_v3 (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    seq INTEGER NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('comment', 'task', 'incident', 'bookmark')),
    item_id TEXT,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (incident_id, seq, item),
    FOREIGN KEY (incident_id, seq) REFERENCES events (incident_id, seq)
) STRICT;

INSERT INTO outbox_v3 (id, incident_id, seq, item, item_id, sent_at, attempts, last_error)
SELECT id, incident_id, seq, item, item_id, sent_at, attempts, last_error FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;

CREATE INDEX outbox_pending ON outbox (incident_id, id) WHERE sent_at IS NULL;
CREATE UNIQUE INDEX outbox_once ON outbox (incident_id, item_id)
    WHERE item = 'incident' AND item_id IN ('claim', 'activate');

CREATE TABLE remote_tasks (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    task_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    changed_by TEXT,
    changed_at TEXT,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, task_id)
) STRICT;
";

/// Gives a brand-new (empty) database file the current schema.
pub(crate) fn initialise(conn: &Connection, path: &Path) -> Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID as i32)
        .map_err(|e| StoreError::sqlite(path, e))?;
    check_and_migrate(conn, path)
}

/// Refuses foreign or newer stores and brings older ones up to date, in one
/// write transaction so two processes never migrate at once.
pub(crate) fn check_and_migrate(conn: &Connection, path: &Path) -> Result<()> {
    let sql = |e| StoreError::sqlite(path, e);
    let version = check(conn, path)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx =
        rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(sql)?;
    // Re-read under the lock: another process may have migrated meanwhile.
    let version = check(&tx, path)?;
    for (from, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(migration).map_err(sql)?;
        tx.pragma_update(None, "user_version", from as u32 + 1)
            .map_err(sql)?;
    }
    tx.commit().map_err(sql)
}

fn check(conn: &Connection, path: &Path) -> Result<u32> {
    let sql = |e| StoreError::sqlite(path, e);
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(sql)?;
    if app_id as u32 != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            found: app_id as u32,
        });
    }
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v2_outbox_keeps_its_rows_and_takes_incident_field_rows_once() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID as i32)
            .unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO incidents VALUES ('A', 'TT', '20261203', 1, 't', 'tt', '1', 'h', 's',
                 'en', 'live', '2026-12-03T10:00:00Z', 'open');
             WITH RECURSIVE n(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM n WHERE seq < 7)
             INSERT INTO events SELECT 'A', seq, 'at', 'actor', '{}', 'p', 'h' FROM n;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO outbox (incident_id, seq, item, item_id, sent_at, attempts)
             VALUES ('A', 3, 'comment', 'c1', '2026-12-03T10:00:00Z', 2)",
            [],
        )
        .unwrap();
        check_and_migrate(&conn, Path::new(":memory:")).unwrap();
        let row: (i64, String, String, Option<String>, i64) = conn
            .query_row(
                "SELECT id, item, item_id, sent_at, attempts FROM outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                1,
                "comment".into(),
                "c1".into(),
                Some("2026-12-03T10:00:00Z".into()),
                2
            )
        );
        let insert = |seq: i64, item_id: &str| {
            conn.execute(
                "INSERT OR IGNORE INTO outbox (incident_id, seq, item, item_id)
                 VALUES ('A', ?1, 'incident', ?2)",
                rusqlite::params![seq, item_id],
            )
            .unwrap()
        };
        assert_eq!(insert(4, "activate"), 1);
        assert_eq!(insert(5, "activate"), 0, "activated once per incident");
        assert_eq!(insert(6, "close-6"), 1);
        assert_eq!(insert(7, "close-7"), 1, "each confirmed close is a row");
    }
}
