//! The witness: a head log kept next to the database.
//!
//! A hash chain shows any edit *inside* it, but not its newest events being
//! deleted (or the tail rewritten and re-hashed): what remains is still a
//! valid chain. So after every commit the incident's new head (seq and
//! hash) is appended to `cairn.heads`, one JSON line per commit, fsynced,
//! mode 0600. `verify` then checks that every head the log saw is still in
//! the chain, with the same hash. Someone who can rewrite the database can
//! rewrite this file too; a head copied elsewhere (every export prints it,
//! `cairn verify --head SEQ:HASH` checks it) is the witness they cannot
//! reach.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};

use super::chain::{self, Broken, RawEvent};
use super::error::{Result, StoreError};
use super::incident::IncidentId;

/// The head log's name, in the database's directory.
pub const WITNESS_FILE: &str = "cairn.heads";

/// An incident's newest event: what a witness records and what a copy of
/// an export carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
}

impl Head {
    /// Parses `SEQ:HASH` as printed by exports and `verify`. The hash may be
    /// shortened to a prefix of at least 12 hex digits.
    pub fn parse(text: &str) -> std::result::Result<Head, String> {
        let bad = || format!("'{text}' is not a head: expected SEQ:HASH, e.g. 12:3fa4c0de91b2...");
        let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let seq: u64 = seq.parse().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if seq == 0
            || !(12..=64).contains(&hash.len())
            || !hash.chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(bad());
        }
        Ok(Head { seq, hash })
    }
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// One line of the head log.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    at: String,
    incident: String,
    seq: u64,
    hash: String,
}

pub(crate) fn path_next_to(db: &Path) -> PathBuf {
    db.with_file_name(WITNESS_FILE)
}

/// Why the last commit to each database (by path) could not be witnessed,
/// until someone takes it: keyed by database so two stores in one process
/// (tests, a second data directory) never report each other's failures.
static FAILURES: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());

fn failures() -> std::sync::MutexGuard<'static, BTreeMap<PathBuf, String>> {
    FAILURES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Why the last commit could not be witnessed, once (for the one store a
/// command opens). The event itself was saved; `verify` will list it as
/// not witnessed.
pub fn take_failure() -> Option<String> {
    failures().pop_first().map(|(_, message)| message)
}

/// Like [`take_failure`], for the database at `db` only.
pub(crate) fn take_failure_of(db: &Path) -> Option<String> {
    failures().remove(db)
}

/// Commits a write transaction and then witnesses the head it leaves.
///
/// Every write of the store commits through here (one incident creation,
/// one append), so the log gets exactly one line per commit, after the
/// commit. A batch (several events in one transaction) must commit through
/// here too, once, with its last event as the head. A failure to witness does not
/// turn the commit into an error (the events *are* saved, and a retry would
/// record them twice); it is kept for [`take_failure`] and shows in
/// `verify` as unwitnessed events.
pub(crate) fn commit(tx: Transaction, db: &Path, id: &IncidentId, head: &Head) -> Result<()> {
    tx.commit().map_err(|e| StoreError::sqlite(db, e))?;
    if let Err(e) = append(&path_next_to(db), id, head) {
        // The reason first: a status line keeps the start of it.
        let message = format!(
            "the head log {} could not be written ({e}); event {} of {id} is saved",
            path_next_to(db).display(),
            head.seq,
        );
        failures().insert(db.to_path_buf(), message);
    }
    Ok(())
}

fn append(path: &Path, id: &IncidentId, head: &Head) -> std::io::Result<()> {
    let line = Line {
        at: chain::format_at(chain::now()),
        incident: id.to_string(),
        seq: head.seq,
        hash: head.hash.clone(),
    };
    let mut text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
    text.push('\n');
    let created = !path.exists();
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    if created {
        // The mode above is filtered by the umask; say exactly what we mean,
        // and make the new name itself durable.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        if let Some(dir) = path.parent() {
            File::open(dir)?.sync_all()?;
        }
    }
    // A line cut by a crash would swallow this one: start on a fresh line.
    let len = file.metadata()?.len();
    let mut last = [0u8; 1];
    if len > 0 && file.read_at(&mut last, len - 1)? == 1 && last[0] != b'\n' {
        text.insert(0, '\n');
    }
    // One write of one line: appends from several processes never interleave.
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// What the head log holds, read without writing anything.
#[derive(Debug, Default)]
pub(crate) struct Log {
    pub exists: bool,
    /// Witnessed heads per incident, by seq (the last hash seen for a seq).
    pub heads: BTreeMap<String, BTreeMap<u64, String>>,
    /// Lines that do not parse (a line cut by a crash while it was written).
    pub unreadable: usize,
}

pub(crate) fn read(db: &Path) -> Result<Log> {
    let path = path_next_to(db);
    let text = match fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Log::default()),
        Err(e) => return Err(StoreError::io(&path, e)),
    };
    let mut log = Log {
        exists: true,
        ..Log::default()
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // The log is a file anyone with the account can edit: a line that
        // is not a real head (seq 0, a short hash) counts as unreadable.
        let head = serde_json::from_str::<Line>(line).ok().filter(|l| {
            l.seq > 0 && l.hash.len() == 64 && l.hash.bytes().all(|b| b.is_ascii_hexdigit())
        });
        match head {
            Some(l) => {
                log.heads
                    .entry(l.incident)
                    .or_default()
                    .insert(l.seq, l.hash.to_ascii_lowercase());
            }
            None => log.unreadable += 1,
        }
    }
    Ok(log)
}

impl Log {
    /// Incidents the log has seen, for finding ones deleted from the database.
    pub fn incidents(&self) -> BTreeSet<&str> {
        self.heads.keys().map(String::as_str).collect()
    }
}

/// Checks a chain (already verified link by link) against heads seen
/// elsewhere: each must still be in it with the same hash. `source` names
/// where the heads come from, for the message.
pub(crate) fn check_heads<'a>(
    rows: &[RawEvent],
    heads: impl IntoIterator<Item = (u64, &'a str)>,
    source: &str,
) -> Option<Broken> {
    for (seq, hash) in heads {
        let last = rows.last().map_or(0, |r| r.seq);
        let index = seq.checked_sub(1).and_then(|i| usize::try_from(i).ok());
        let Some(row) = index.and_then(|i| rows.get(i)) else {
            return Some(Broken {
                seq,
                reason: format!(
                    "{source} saw event {seq} ({}), but the chain ends at event {last}: \
                     events were deleted or a write-ahead log was lost",
                    short(hash)
                ),
            });
        };
        if !row.hash.starts_with(hash) {
            return Some(Broken {
                seq,
                reason: format!(
                    "event {seq} is not the one {source} saw ({} there, {} now): \
                     the chain was rewritten from here on",
                    short(hash),
                    short(&row.hash)
                ),
            });
        }
    }
    None
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_from_what_exports_print() {
        let hash = "ab".repeat(32);
        assert_eq!(
            Head::parse(&format!("7:{hash}")).unwrap(),
            Head {
                seq: 7,
                hash: hash.clone()
            }
        );
        assert_eq!(Head::parse("7:ABCDEF012345").unwrap().hash, "abcdef012345");
        for bad in [
            "",
            "7",
            "x:abcdef012345",
            "0:abcdef012345",
            "7:abc",
            "7:zzzzzzzzzzzz",
        ] {
            assert!(Head::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_torn_last_line_is_counted_not_fatal() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("cairn.db");
        let id = IncidentId::parse("TT-20261126-1").unwrap();
        append(
            &path_next_to(&db),
            &id,
            &Head {
                seq: 1,
                hash: "a".repeat(64),
            },
        )
        .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(path_next_to(&db))
            .unwrap();
        f.write_all(b"{\"at\":\"2026").unwrap();
        // Not heads: seq 0, an empty hash.
        f.write_all(b"\n{\"at\":\"x\",\"incident\":\"TT-20261126-1\",\"seq\":0,\"hash\":\"\"}")
            .unwrap();
        f.write_all(b"\n{\"at\":\"x\",\"incident\":\"TT-20261126-1\",\"seq\":9,\"hash\":\"\"}")
            .unwrap();
        append(
            &path_next_to(&db),
            &id,
            &Head {
                seq: 2,
                hash: "b".repeat(64),
            },
        )
        .unwrap();
        let log = read(&db).unwrap();
        assert_eq!(log.unreadable, 3);
        assert_eq!(log.heads["TT-20261126-1"].len(), 2);
        assert_eq!(log.heads["TT-20261126-1"][&1], "a".repeat(64));
        assert_eq!(
            log.heads["TT-20261126-1"][&2],
            "b".repeat(64),
            "the next line survives"
        );
        let mode = fs::metadata(path_next_to(&db))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
