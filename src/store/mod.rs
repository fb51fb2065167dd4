//! Incident persistence: an append-only, hash-chained event log per incident
//! in one SQLite file (WAL, `synchronous=FULL`).
//!
//! Every write is a `BEGIN IMMEDIATE` transaction; [`Store::append`] returns
//! only once the event is durably committed, so a caller may show "saved"
//! exactly when it returns `Ok`. A `Store` is `Send`: from async code, move
//! it into `spawn_blocking` (or keep it behind a mutex there).

mod actor;
mod append;
pub mod approval;
pub mod chain;
mod connect;
mod db;
pub(crate) mod error;
pub mod event;
pub mod export;
pub(crate) mod incident;
mod migrations;
pub mod outbox;
mod outbox_items;
pub mod projection;
mod read;
pub mod remote;
pub mod subjects;
mod verify;
pub(crate) mod witness;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use append::RESULT_CAP;
pub use chain::Broken;
pub use db::{DB_FILE, default_data_dir};
pub use error::{ReadOnlyWhy, Result, StoreError};
pub use event::{Actor, Event, EventKind};
pub use incident::{Incident, IncidentId, IncidentSummary, NewIncident, Status};
pub use migrations::SCHEMA_VERSION;
pub use projection::IncidentState;
pub use verify::Verification;
pub use witness::{Head, WITNESS_FILE};

pub struct Store {
    conn: Connection,
    // After `conn`: fields drop in order, the connection must close first.
    _open: db::OpenGuard,
    path: PathBuf,
    actor: Actor,
    /// Set when the store was opened read-only because it could not be
    /// written (full disk, read-only directory): each write first tries to
    /// open it for writing again.
    read_only: Option<ReadOnlyWhy>,
}

impl Store {
    /// Opens the store in `dir`, creating the directory (0700) and the
    /// database (0600) when they do not exist yet.
    pub fn open(dir: &Path) -> Result<Store> {
        let (conn, path, open) = db::open(dir)?;
        Ok(Store {
            conn,
            _open: open,
            path,
            actor: Actor::from_env(),
            read_only: None,
        })
    }

    /// Opens the store in `dir` for writing, or, when it cannot be written
    /// now (a full disk, a read-only directory or file), for reading, with
    /// [`Store::read_only`] saying why. Writes then try to open it for
    /// writing again, so they work as soon as space or access returns.
    pub fn open_or_read_only(dir: &Path) -> Result<Store> {
        let refused = match Store::open(dir) {
            Ok(store) => return Ok(store),
            Err(e) => e,
        };
        let Some(why) = refused.read_only_why() else {
            return Err(refused);
        };
        match Store::open_read_only(dir) {
            Ok(mut store) => {
                store.read_only = store.read_only.or(Some(why));
                Ok(store)
            }
            // Nothing to read either (no store yet): the write error says more.
            Err(StoreError::NoStore { .. }) => Err(refused),
            Err(e) => Err(e),
        }
    }

    /// Why the store is open for reading only, if it is.
    pub fn read_only(&self) -> Option<ReadOnlyWhy> {
        self.read_only
    }

    /// Before a write on a store opened read-only: opens it for writing
    /// again, or says why it still cannot be written.
    fn writable(&mut self) -> Result<()> {
        if self.read_only.is_none() {
            return Ok(());
        }
        let dir = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let (conn, path, open) = db::open(&dir)?;
        // The read-only connection closes before its registration ends.
        self.conn = conn;
        self._open = open;
        self.path = path;
        self.read_only = None;
        Ok(())
    }

    /// Opens the existing store in `dir` for reading only (`show`, `list`,
    /// `export`, `verify`): nothing is created, migrated, checkpointed or
    /// deleted, so a `-wal` file is left exactly as it was.
    pub fn open_read_only(dir: &Path) -> Result<Store> {
        let (conn, path, open, why) = db::open_read_only(dir)?;
        Ok(Store {
            conn,
            _open: open,
            path,
            actor: Actor::from_env(),
            read_only: why,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Why the last commit could not be added to the head log, once: the
    /// events are saved, but `verify` will list them as not witnessed, so
    /// the screen says so.
    pub fn take_unwitnessed(&self) -> Option<String> {
        witness::take_failure_of(&self.path)
    }

    /// Records later events as done by `actor` instead of this process's user.
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
    }

    /// Creates an incident and its first event (`incident_created`).
    pub fn create_incident(&mut self, new: NewIncident) -> Result<IncidentId> {
        self.writable()?;
        append::create_incident(&self.conn, &self.path, &self.actor, new, Vec::new())
    }

    /// Creates an incident together with its first events (e.g. the
    /// variables given on the command line), atomically.
    pub fn create_incident_with(
        &mut self,
        new: NewIncident,
        initial: Vec<EventKind>,
    ) -> Result<IncidentId> {
        self.writable()?;
        append::create_incident(&self.conn, &self.path, &self.actor, new, initial)
    }

    /// Appends an event; `Ok` means it is committed to disk, `Err` means it
    /// was not saved.
    pub fn append(&mut self, id: &IncidentId, kind: EventKind) -> Result<Event> {
        let mut events = self.append_batch(id, None, vec![kind])?;
        Ok(events.remove(0))
    }

    /// Appends the events of one action atomically (one transaction, one
    /// extension of the chain). With `based_on`, refuses with
    /// [`StoreError::Stale`] when the incident's head is no longer that seq.
    pub fn append_batch(
        &mut self,
        id: &IncidentId,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> Result<Vec<Event>> {
        self.writable()?;
        append::append_batch(&self.conn, &self.path, &self.actor, id, based_on, kinds)
    }

    /// The incident's events after `seq`, in order: what other writers
    /// added since a projection was last brought up to date.
    pub fn events_after(&self, id: &IncidentId, seq: u64) -> Result<Vec<Event>> {
        read::events_after(&self.conn, &self.path, id, seq)
    }

    /// SQLite's `data_version`: changes when another connection commits,
    /// never for this one's own writes. Cheap enough for a timer.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    pub fn close_incident(&mut self, id: &IncidentId, summary: Option<String>) -> Result<Event> {
        self.append(id, EventKind::IncidentClosed { summary })
    }

    /// Reopens a closed incident, recorded as an event.
    pub fn reopen_incident(&mut self, id: &IncidentId, reason: Option<String>) -> Result<Event> {
        self.append(id, EventKind::IncidentReopened { reason })
    }

    pub fn incident(&self, id: &IncidentId) -> Result<Incident> {
        read::incident(&self.conn, &self.path, id)
    }

    /// All events of the incident, in order.
    pub fn events(&self, id: &IncidentId) -> Result<Vec<Event>> {
        read::events(&self.conn, &self.path, id)
    }

    /// The incident's derived state.
    pub fn state(&self, id: &IncidentId) -> Result<IncidentState> {
        Ok(IncidentState::from_events(&self.events(id)?))
    }

    /// Open incidents (all with `all`), newest first.
    pub fn list(&self, all: bool) -> Result<Vec<IncidentSummary>> {
        self.list_with((!all).then_some(Status::Open))
    }

    /// Incidents whose status is `status` (every one for `None`), newest
    /// first. The status column is kept with every close and reopen, in
    /// the same transaction (and `verify` checks it against the chain).
    pub fn list_with(&self, status: Option<Status>) -> Result<Vec<IncidentSummary>> {
        read::incident_ids(&self.conn, &self.path, status)?
            .into_iter()
            .map(|id| {
                let incident = self.incident(&id)?;
                let state = self.state(&id)?;
                let now = chain::now();
                let pending_approvals = state
                    .proposals
                    .iter()
                    .filter(|p| {
                        matches!(
                            approval::standing(&state, p, now),
                            approval::Standing::Pending { .. }
                        )
                    })
                    .count();
                Ok(IncidentSummary {
                    pending_approvals,
                    title: incident.title,
                    tree_id: incident.tree_id,
                    mode: incident.mode,
                    status: incident.status,
                    current_node: state.current_node,
                    last_activity: state.last_activity.unwrap_or(incident.created_at),
                    id,
                })
            })
            .collect()
    }

    /// Checks the hash chain, that the incident row, stored tree source and
    /// status still match what the events recorded, and that every head the
    /// head log saw is still there.
    pub fn verify(&self, id: &IncidentId) -> Result<Verification> {
        verify::verify(&self.conn, &self.path, id, &[])
    }

    /// [`Store::verify`], and also that each of `heads` (kept elsewhere, e.g.
    /// from an export) is still in the chain.
    pub fn verify_heads(&self, id: &IncidentId, heads: &[Head]) -> Result<Verification> {
        verify::verify(&self.conn, &self.path, id, heads)
    }

    /// The outbox of an incident: attached to which Sentinel incident, how
    /// many rows are pending and sent, why the last send failed.
    pub fn outbox_state(&self, id: &IncidentId) -> Result<outbox::OutboxState> {
        outbox::state(&self.conn, &self.path, id)
    }

    /// The incident's oldest `limit` rows still to be sent, in drain order.
    pub fn outbox_pending(&self, id: &IncidentId, limit: usize) -> Result<Vec<outbox::Pending>> {
        outbox::pending(&self.conn, &self.path, id, limit)
    }

    /// Marks outbox rows as held by Sentinel (durably, in one transaction).
    pub fn outbox_mark_sent(&mut self, rows: &[i64]) -> Result<()> {
        outbox::mark_sent(&self.conn, &self.path, rows)
    }

    /// Records why sending outbox row `row` failed.
    pub fn outbox_note_failure(&mut self, row: i64, why: &str) -> Result<()> {
        outbox::note_failure(&self.conn, &self.path, row, why)
    }

    /// Gives every event of an attached incident the outbox rows it should
    /// have (for incidents attached before the outbox existed); returns how
    /// many rows were added.
    pub fn outbox_reconcile(&mut self, id: &IncidentId) -> Result<u64> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(|e| StoreError::sqlite(&self.path, e))?;
        let added = outbox::reconcile(&tx, &self.path, id)?;
        tx.commit().map_err(|e| StoreError::sqlite(&self.path, e))?;
        Ok(added)
    }

    /// Keeps comments others wrote in the attached Sentinel incident (never
    /// in the chain); the incident's own pushed comments are left out.
    /// Returns how many were new or changed.
    pub fn keep_remote(
        &mut self,
        id: &IncidentId,
        comments: &[remote::RemoteComment],
    ) -> Result<u64> {
        let own = remote::own_ids(&self.conn, &self.path, id)?;
        let others: Vec<remote::RemoteComment> = comments
            .iter()
            .filter(|c| !own.contains(&c.id.to_ascii_lowercase()))
            .cloned()
            .collect();
        remote::keep(&self.conn, &self.path, id, &others)
    }

    /// The hash of the incident's first event: names its chain.
    pub fn chain_genesis(&self, id: &IncidentId) -> Result<String> {
        self.conn
            .query_row(
                "SELECT hash FROM events WHERE incident_id = ?1 AND seq = 1",
                [id.as_str()],
                |r| r.get(0),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => read::unknown(&self.path, id),
                e => StoreError::sqlite(&self.path, e),
            })
    }

    /// The remote comments kept for the incident, oldest first.
    pub fn remote_comments(&self, id: &IncidentId) -> Result<Vec<remote::StoredRemote>> {
        remote::list(&self.conn, &self.path, id)
    }

    /// Incidents the head log saw that the database no longer holds.
    pub fn missing_incidents(&self) -> Result<Vec<String>> {
        verify::missing_incidents(&self.conn, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_incident() -> NewIncident {
        NewIncident {
            title: "t".into(),
            tree_id: "mini".into(),
            tree_version: "1".into(),
            tree_source: "[tree]".into(),
            language: "en".into(),
            mode: event::Mode::Practice,
        }
    }

    #[test]
    fn every_connection_is_durable_wal_with_a_busy_timeout() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let pragma = |name: &str| -> i64 {
            store
                .conn
                .pragma_query_value(None, name, |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("synchronous"), 2, "FULL");
        assert_eq!(pragma("busy_timeout"), db::BUSY_TIMEOUT.as_millis() as i64);
        assert_eq!(pragma("foreign_keys"), 1);
        assert_eq!(pragma("user_version"), i64::from(SCHEMA_VERSION));
        assert_eq!(pragma("application_id"), i64::from(db::APPLICATION_ID));
        let journal: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
    }

    #[test]
    fn a_store_can_move_to_a_blocking_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Store>();
    }

    #[test]
    fn two_stores_in_one_process_share_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = Store::open(tmp.path()).unwrap();
        let id = a.create_incident(new_incident()).unwrap();
        let mut b = Store::open(tmp.path()).unwrap();
        b.append(&id, EventKind::NodeEntered { node: "x".into() })
            .unwrap();
        drop(b);
        a.append(&id, EventKind::NodeEntered { node: "y".into() })
            .unwrap();
        let key = std::fs::canonicalize(a.path()).unwrap();
        assert_eq!(db::open_count(&key), 1, "b's registration ended with b");
        assert_eq!(a.events(&id).unwrap().len(), 3);
        drop(a);
        assert_eq!(db::open_count(&key), 0);
    }
}
