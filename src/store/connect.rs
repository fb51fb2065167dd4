//! Checking a database file before SQLite opens it (a complete Cairn
//! store this version reads), and connecting to it for writing, reading,
//! or reading immutably. Apart from `db`, which finds and creates the file.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::db::{APPLICATION_ID, BUSY_TIMEOUT};
use super::error::{Result, StoreError};
use super::migrations;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses, before SQLite ever opens it, any file that is not a complete
/// Cairn store this version can read. Nothing here writes.
pub(super) fn check_header(path: &Path) -> Result<()> {
    let mut file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let len = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    if len == 0 {
        return Err(StoreError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let mut header = Vec::with_capacity(100);
    file.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(|e| StoreError::io(path, e))?;
    if !header.starts_with(SQLITE_MAGIC) {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    let truncated = |detail: String| StoreError::Truncated {
        path: path.to_path_buf(),
        detail,
    };
    if header.len() < 100 {
        return Err(truncated(format!(
            "{len} bytes, shorter than an SQLite header"
        )));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    let wal = wal_path(path);
    let wal_has_frames = wal_has_frames(path);
    // A checkpoint cut short by a full disk or the file-size limit leaves
    // part of a page at the end; the -wal still holds every committed page
    // and the next checkpoint rewrites it, so that is not a truncated store.
    if len % page_size != 0 && !wal_has_frames {
        return Err(truncated(format!(
            "{len} bytes is not a whole number of {page_size}-byte pages"
        )));
    }
    // The page count in the header is only valid when its "valid-for"
    // counter matches the change counter; with a -wal file present the main
    // file may legitimately lag behind until the next checkpoint.
    let page_count = u64::from(be32(28));
    let count_valid = be32(92) == be32(24);
    if count_valid && !Path::new(&wal).exists() && len < page_count * page_size {
        return Err(truncated(format!(
            "{len} bytes, but the header says {page_count} pages of {page_size}"
        )));
    }
    let app_id = be32(68);
    if app_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            found: app_id,
        });
    }
    let version = be32(60);
    if version > migrations::SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::SCHEMA_VERSION,
        });
    }
    Ok(())
}

pub(super) fn wal_path(path: &Path) -> PathBuf {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    wal.into()
}

/// A `-wal` next to the database holds committed pages not yet in it.
pub(super) fn wal_has_frames(path: &Path) -> bool {
    fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 0)
}

/// The WAL index (-shm) could not be created or grown: a read-only
/// directory or file, or no room on the disk.
pub(super) fn needs_index_file(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    let rusqlite::Error::SqliteFailure(f, _) = e else {
        return false;
    };
    f.code == rusqlite::ErrorCode::ReadOnly
        || f.code == rusqlite::ErrorCode::CannotOpen
        || f.code == rusqlite::ErrorCode::DiskFull
        || [
            ffi::SQLITE_IOERR_SHMSIZE,
            ffi::SQLITE_IOERR_SHMOPEN,
            ffi::SQLITE_IOERR_SHMMAP,
        ]
        .contains(&f.extended_code)
}

/// Opens `path` read-only as an immutable file: no locks, no -wal, no
/// -shm. Only for a store with no -wal frames that cannot get an index.
pub(super) fn connect_immutable(path: &Path) -> Result<Connection> {
    // A URI, so every byte outside the unreserved set is percent-encoded.
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(*b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    let conn = open_existing(
        Path::new(&uri),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| StoreError::sqlite(path, e))?;
    Ok(conn)
}

/// Opens `path` (never creating it) with the busy timeout every
/// connection needs.
pub(super) fn open_existing(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let sql = |e| StoreError::sqlite(path, e);
    let conn =
        Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    Ok(conn)
}

pub(super) fn connect_read_only(path: &Path) -> Result<Connection> {
    // A read-only connection never checkpoints, so closing it leaves the
    // -wal alone even when it is the last one.
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| StoreError::sqlite(path, e))?;
    Ok(conn)
}

pub(super) fn connect(path: &Path) -> Result<Connection> {
    let sql = |e| StoreError::sqlite(path, e);
    // READ_WRITE without CREATE: SQLite must never create a file itself.
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(sql)?;
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .map_err(sql)?;
    if !mode.eq_ignore_ascii_case("wal") {
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::sqlite(
                path,
                rusqlite::Error::InvalidParameterName(format!(
                    "journal_mode stays {mode}, WAL needed"
                )),
            ));
        }
    }
    Ok(conn)
}
