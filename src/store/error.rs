//! Everything that can go wrong in the store, worded for the responder who
//! has to act on it at 3 a.m.

use std::path::PathBuf;

use thiserror::Error;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot use data directory {path}: {error}")]
    DataDir {
        path: PathBuf,
        // Not `source`: the message already includes it, and the CLI prints
        // error chains, which would repeat it.
        error: std::io::Error,
    },
    #[error("no data directory: set --data-dir or CAIRN_DATA_DIR (no home directory found)")]
    NoDataDir,
    #[error(
        "{path}: the database file is empty (0 bytes); Cairn will not touch it. Move it aside to start a new store"
    )]
    EmptyFile { path: PathBuf },
    #[error(
        "{path}: the database file is truncated ({detail}); Cairn will not touch it. Restore it from a backup or move it aside"
    )]
    Truncated { path: PathBuf, detail: String },
    #[error("{path}: not an SQLite database; Cairn will not touch it")]
    NotSqlite { path: PathBuf },
    #[error(
        "{path}: an SQLite database, but not a Cairn incident store (application id {found:#010x}); Cairn will not touch it"
    )]
    Foreign { path: PathBuf, found: u32 },
    #[error(
        "{path}: written by a newer Cairn (schema version {found}; this Cairn knows up to {supported}). Upgrade Cairn to open it"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("no incident store at {path} yet (`cairn new` creates one)")]
    NoStore { path: PathBuf },
    #[error(
        "{dir}: found {found} but no cairn.db: the database was moved or deleted but its write-ahead log stayed, and it may hold saved events. Move {found} back next to their cairn.db, or move them aside (into another folder) to start a new store"
    )]
    OrphanedLog { dir: PathBuf, found: String },
    #[error(
        "{path}: the head log of a store whose cairn.db is gone (moved or deleted); it witnesses what that store held. Move it back next to its cairn.db, or aside (into another folder) to start a new store"
    )]
    OrphanedHeadLog { path: PathBuf },
    #[error(
        "{path}: schema version {found}; run a command that writes (e.g. `cairn note`) once to upgrade it"
    )]
    NeedsUpgrade { path: PathBuf, found: u32 },
    #[error("{path}: cannot write: the disk is full or a file size limit was reached ({detail})")]
    DiskFull { path: PathBuf, detail: String },
    #[error(
        "{path}: cannot write: the data directory or the database is read-only ({detail}); incidents can still be shown and exported"
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "{path}: the write-ahead log holds saved events, and reading it needs room for its index file, which cannot be created ({detail}): free disk space or make the directory writable, then try again"
    )]
    LogUnreadable { path: PathBuf, detail: String },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        // Not `source`: the message already includes it, and the CLI prints
        // error chains, which would repeat it.
        error: std::io::Error,
    },
    #[error("{path}: {error}")]
    Sqlite {
        path: PathBuf,
        error: rusqlite::Error,
    },
    #[error("'{0}' is not an incident id (expected something like TT-20261126-3)")]
    BadIncidentId(String),
    #[error("no incident {id} in {path}")]
    UnknownIncident { id: String, path: PathBuf },
    #[error("incident {0} is closed; nothing more can be recorded in it")]
    Closed(String),
    #[error(
        "incident {id} was changed by {actor} at {at} (event {head}) after the view this was decided on (event {based_on}); nothing was recorded: look again and decide"
    )]
    Stale {
        id: String,
        based_on: u64,
        head: u64,
        /// Who wrote the newest event, as `user@host`.
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    },
    #[error("event rejected: {0}")]
    InvalidEvent(String),
    #[error(
        "{path}: event {seq} of incident {id} is unreadable: {detail} (run `cairn verify {id}`)"
    )]
    Corrupt {
        path: PathBuf,
        id: String,
        seq: u64,
        detail: String,
    },
}

/// Why a store that can be read cannot be written to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyWhy {
    /// The disk (or a file-size limit) has no room.
    DiskFull,
    /// The data directory or the database file is not writable.
    NotWritable,
}

impl std::fmt::Display for ReadOnlyWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReadOnlyWhy::DiskFull => "the disk is full",
            ReadOnlyWhy::NotWritable => "the data directory or the database is read-only",
        })
    }
}

impl StoreError {
    /// Wraps an SQLite error, singling out a full disk (or a file-size
    /// limit, which SQLite reports the same way; or the WAL index that
    /// cannot grow, or cannot even take its first bytes, as under
    /// `ulimit -f 0`) and a read-only file or directory, so callers can say so.
    pub(crate) fn sqlite(path: &std::path::Path, err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(e, msg) = &err {
            let detail = || msg.clone().unwrap_or_else(|| e.to_string());
            if e.code == ErrorCode::DiskFull
                || e.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE
                || e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
                || e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMOPEN
            {
                return StoreError::DiskFull {
                    path: path.to_path_buf(),
                    detail: detail(),
                };
            }
            if e.code == ErrorCode::ReadOnly {
                return StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    detail: detail(),
                };
            }
        }
        StoreError::Sqlite {
            path: path.to_path_buf(),
            error: err,
        }
    }

    /// When this error means the store may be read but not written now.
    pub fn read_only_why(&self) -> Option<ReadOnlyWhy> {
        use std::io::ErrorKind;
        let io_why = |e: &std::io::Error| match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                Some(ReadOnlyWhy::DiskFull)
            }
            ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied => {
                Some(ReadOnlyWhy::NotWritable)
            }
            _ => None,
        };
        match self {
            StoreError::DiskFull { .. } => Some(ReadOnlyWhy::DiskFull),
            StoreError::ReadOnly { .. } => Some(ReadOnlyWhy::NotWritable),
            StoreError::DataDir { error, .. } | StoreError::Io { error, .. } => io_why(error),
            _ => None,
        }
    }

    pub(crate) fn io(path: &std::path::Path, error: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}
