//! Finding, creating and opening the database file without ever damaging a
//! file that is not a healthy Cairn store.

use std::collections::BTreeMap;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::Connection;

use super::connect::{
    check_header, connect, connect_immutable, connect_read_only, needs_index_file, wal_has_frames,
};
use super::error::{ReadOnlyWhy, Result, StoreError};
use super::migrations;

pub const DB_FILE: &str = "cairn.db";
/// `PRAGMA application_id`: "Cair". Marks the file as a Cairn store.
pub const APPLICATION_ID: u32 = 0x4361_6972;
/// How long a write waits for another Cairn process holding the write lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// The user's data directory for Cairn (XDG_DATA_HOME on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cairn").map(|d| d.data_dir().to_path_buf())
}

/// Database files this process has open, with how many stores use each.
///
/// Closing *any* descriptor of a file drops every POSIX lock the process
/// holds on it, SQLite's included. So the raw header check (which opens and
/// closes the file) runs only while no store of this process has it open.
static OPEN_FILES: Mutex<BTreeMap<PathBuf, usize>> = Mutex::new(BTreeMap::new());

/// Keeps a database file registered as open in this process; declared after
/// the connection in `Store`, so it is dropped after the connection closes.
pub(crate) struct OpenGuard(PathBuf);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        let mut open = OPEN_FILES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.0) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.0);
            }
        }
    }
}

#[cfg(test)]
pub(crate) fn open_count(path: &Path) -> usize {
    let open = OPEN_FILES.lock().unwrap_or_else(|e| e.into_inner());
    open.get(path).copied().unwrap_or(0)
}

/// Opens (creating if needed) the store database in `dir`.
pub(crate) fn open(dir: &Path) -> Result<(Connection, PathBuf, OpenGuard)> {
    ensure_dir(dir)?;
    clean_interrupted_creations(dir);
    let path = dir.join(DB_FILE);
    if !exists(&path)? {
        refuse_orphaned_log(dir, &path)?;
        create_fresh(dir, &path)?;
    }
    let (conn, guard) = register_and_connect(&path, connect)?;
    migrations::check_and_migrate(&conn, &path)?;
    Ok((conn, path, guard))
}

/// Opens the store in `dir` for reading only: nothing is created, migrated,
/// checkpointed or deleted, so a `-wal` file (committed events not yet in
/// the database file) stays exactly as it is.
/// The last item says why, when the store could only be read as an
/// immutable file (it cannot be written now either).
pub(crate) fn open_read_only(
    dir: &Path,
) -> Result<(Connection, PathBuf, OpenGuard, Option<ReadOnlyWhy>)> {
    let path = dir.join(DB_FILE);
    if !exists(&path)? {
        refuse_orphaned_log(dir, &path)?;
        return Err(StoreError::NoStore { path });
    }
    let (mut conn, guard) = register_and_connect(&path, connect_read_only)?;
    let mut why = None;
    let version = |conn: &Connection| -> rusqlite::Result<u32> {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
    };
    let version: u32 = match version(&conn) {
        Ok(v) => v,
        // Reading a WAL store needs its index file (-shm), which a full
        // disk or a read-only directory cannot create. Without a -wal
        // holding frames, the database file is the whole store and is read
        // as immutable; with one, its events cannot be read without the
        // index, and the error says what to free.
        Err(e) if needs_index_file(&e) => {
            if wal_has_frames(&path) {
                return Err(StoreError::LogUnreadable {
                    path,
                    detail: e.to_string(),
                });
            }
            why = StoreError::sqlite(&path, e)
                .read_only_why()
                .or(Some(ReadOnlyWhy::NotWritable));
            drop(conn);
            conn = connect_immutable(&path)?;
            version(&conn).map_err(|e| StoreError::sqlite(&path, e))?
        }
        Err(e) => return Err(StoreError::sqlite(&path, e)),
    };
    if version != migrations::SCHEMA_VERSION {
        return Err(StoreError::NeedsUpgrade {
            path,
            found: version,
        });
    }
    Ok((conn, path, guard, why))
}

fn exists(path: &Path) -> Result<bool> {
    match fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

fn register_and_connect(
    path: &Path,
    connect: fn(&Path) -> Result<Connection>,
) -> Result<(Connection, OpenGuard)> {
    let key = fs::canonicalize(path).map_err(|e| StoreError::io(path, e))?;
    let mut open = OPEN_FILES.lock().unwrap_or_else(|e| e.into_inner());
    if !open.contains_key(&key) {
        check_header(path)?;
    }
    let conn = connect(path)?;
    *open.entry(key.clone()).or_insert(0) += 1;
    Ok((conn, OpenGuard(key)))
}

/// A `-wal` (or `-shm`) without its database means the database was moved
/// or deleted while its log stayed: the log may hold committed events, and
/// SQLite would replay it into a new, unrelated database. Refuse instead;
/// likewise for a head log left without its database.
fn refuse_orphaned_log(dir: &Path, path: &Path) -> Result<()> {
    let found: Vec<String> = ["-wal", "-shm"]
        .iter()
        .map(|suffix| format!("{DB_FILE}{suffix}"))
        .filter(|name| dir.join(name).exists())
        .collect();
    let heads = super::witness::path_next_to(path);
    // Another process may have just created the database (and its log).
    if (found.is_empty() && !heads.exists()) || exists(path)? {
        return Ok(());
    }
    if found.is_empty() {
        // The head log of a database that is gone: a new store would reuse
        // its incident ids and be judged against heads it never had.
        return Err(StoreError::OrphanedHeadLog { path: heads });
    }
    Err(StoreError::OrphanedLog {
        dir: dir.to_path_buf(),
        found: found.join(" and "),
    })
}

/// Removes the temporary files of a creation that was interrupted (killed
/// between building the new database and linking it into place). Only
/// files of processes that no longer run: a live creator keeps its own.
fn clean_interrupted_creations(dir: &Path) {
    // Liveness is read from /proc; without it, nothing is removed.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(&format!(".{DB_FILE}.")) else {
            continue;
        };
        let mut parts = rest.splitn(3, '.');
        let (Some(pid), Some(_nanos), Some(suffix)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let ours = ["new", "new-wal", "new-shm", "new-journal"].contains(&suffix);
        let numeric = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        if ours && numeric && pid != own && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn ensure_dir(dir: &Path) -> Result<()> {
    let dir_err = |error| StoreError::DataDir {
        path: dir.to_path_buf(),
        error,
    };
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(dir_err(std::io::Error::other(
            "exists and is not a directory",
        ))),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(dir_err)?;
            // The mode above is filtered by the umask; say exactly what we mean.
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(dir_err)
        }
        Err(e) => Err(dir_err(e)),
    }
}

/// Builds a complete, empty store under a temporary name and links it into
/// place, so `cairn.db` is never seen half-initialised and a concurrent
/// creator's file is never overwritten (link fails if the name exists).
fn create_fresh(dir: &Path, path: &Path) -> Result<()> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(".{DB_FILE}.{}.{nanos}.new", std::process::id()));
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|error| StoreError::DataDir {
                path: dir.to_path_buf(),
                error,
            })?;
        // Pre-created 0600 whatever the umask, so -wal and -shm inherit it.
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| StoreError::io(&tmp, e))?;
        drop(file);
        let conn = connect(&tmp)?;
        migrations::initialise(&conn, &tmp)?;
        conn.close().map_err(|(_, e)| StoreError::sqlite(&tmp, e))?;
        match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    })();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = tmp.clone().into_os_string();
        name.push(suffix);
        let _ = fs::remove_file(name);
    }
    result
}
