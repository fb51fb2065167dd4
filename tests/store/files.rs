//! Files that are not a healthy Cairn store are refused before SQLite opens
//! them, and never changed; an unwritable data directory is a clear error.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cairn::store::event::EventKind;
use cairn::store::{Store, StoreError};

use crate::support::{BIN, cairn, new_incident, run, temp_store};

/// Puts `bytes` at `dir/cairn.db`, tries to open the store, and checks the
/// file is byte-for-byte unchanged and no SQLite side file appeared.
fn refused_with(bytes: &[u8]) -> (StoreError, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("cairn.db");
    std::fs::write(&db, bytes).unwrap();
    let err = Store::open(&dir)
        .err()
        .expect("a damaged file must be refused");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the file was modified");
    for side in ["cairn.db-wal", "cairn.db-shm", "cairn.db-journal"] {
        assert!(!dir.join(side).exists(), "{side} was created");
    }
    let message = err.to_string();
    assert!(
        message.contains(db.to_str().unwrap()),
        "error does not name the file: {message}"
    );
    std::mem::forget(tmp); // keep the path valid for the caller's messages
    (err, db)
}

/// The bytes of a real, closed store holding one incident with `notes` notes.
fn real_store_bytes(notes: usize) -> Vec<u8> {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("real")).unwrap();
    for i in 0..notes {
        store
            .append(
                &id,
                EventKind::NoteAdded {
                    node: None,
                    text: format!("{i} {}", "n".repeat(900)),
                },
            )
            .unwrap();
    }
    let path = store.path().to_path_buf();
    drop(store); // the last connection checkpoints and removes the -wal
    assert!(!tmp.path().join("data/cairn.db-wal").exists());
    std::fs::read(path).unwrap()
}

#[test]
fn a_zero_byte_file_is_refused_untouched() {
    let (err, _) = refused_with(b"");
    assert!(matches!(err, StoreError::EmptyFile { .. }), "{err}");
    assert!(err.to_string().contains("empty (0 bytes)"));
}

#[test]
fn a_garbage_file_is_refused_untouched() {
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let (err, _) = refused_with(&garbage);
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert!(err.to_string().contains("not an SQLite database"));
}

#[test]
fn truncated_files_are_refused_untouched() {
    let bytes = real_store_bytes(200);
    assert!(bytes.len() > 3 * 4096, "{} bytes", bytes.len());
    let (err, _) = refused_with(&bytes[..60]);
    assert!(matches!(err, StoreError::Truncated { .. }), "{err}");
    let (err, _) = refused_with(&bytes[..2 * 4096]);
    assert!(matches!(err, StoreError::Truncated { .. }), "{err}");
    assert!(err.to_string().contains("header says"), "{err}");
    let (err, _) = refused_with(&bytes[..bytes.len() - 100]);
    assert!(matches!(err, StoreError::Truncated { .. }), "{err}");
}

#[test]
fn a_foreign_sqlite_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('kim');")
        .unwrap();
    drop(conn);
    let (err, _) = refused_with(&std::fs::read(&other).unwrap());
    assert!(matches!(err, StoreError::Foreign { found: 0, .. }), "{err}");
    assert!(err.to_string().contains("not a Cairn incident store"));
}

#[test]
fn a_store_from_a_newer_cairn_is_refused_untouched() {
    let (tmp, store) = temp_store();
    let path = store.path().to_path_buf();
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    drop(raw);
    let (err, _) = refused_with(&std::fs::read(&path).unwrap());
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 99,
                supported: cairn::store::SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("newer Cairn"), "{err}");
    drop(tmp);
}

#[test]
fn the_cli_names_the_damaged_file_and_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("cairn.db"), b"").unwrap();
    let out = run(cairn(&dir, &["list"]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains(&format!(
            "{}: the database file is empty",
            dir.join("cairn.db").display()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(dir.join("cairn.db")).unwrap(), b"");
}

#[test]
fn the_store_is_created_private_whatever_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/data");
    let script = format!(
        "umask 000; exec '{BIN}' --data-dir '{}' debug-store create --tree-id mini --title t --source '{}'",
        dir.display(),
        crate::support::fixture("mini.toml").display()
    );
    let status = Command::new("sh").arg("-c").arg(script).status().unwrap();
    assert!(status.success());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("cairn.db")), 0o600);
    assert_eq!(mode(&dir.join("cairn.heads")), 0o600, "the head log too");
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// Runs the binary as the unprivileged user `nobody` (root ignores file
/// permissions). `None` when this machine offers no way to drop privileges.
fn as_nobody(bin: &Path, args: &[&str]) -> Option<Command> {
    let is_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    if !is_root {
        let mut cmd = Command::new(bin);
        cmd.args(args);
        return Some(cmd);
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let mut cmd = Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin)
        .args(args);
    Some(cmd)
}

#[test]
fn an_unwritable_data_directory_is_a_clear_error_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A copy of the binary the unprivileged user can surely reach.
    let bin = root.join("cairn");
    std::fs::copy(BIN, &bin).unwrap();
    let locked = root.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();

    let Some(probe) = as_nobody(&bin, &["--version"]) else {
        println!("SKIPPED: running as root and no setpriv to drop privileges");
        return;
    };
    let probe = run(probe);
    if probe.code != Some(0) {
        println!("SKIPPED: cannot run as nobody here: {}", probe.stderr);
        return;
    }

    // The directory cannot be created.
    let missing = locked.join("data");
    // A write: reading commands never create anything.
    fn args(dir: &Path) -> [&str; 5] {
        [
            "--data-dir",
            dir.to_str().unwrap(),
            "note",
            "TT-20260101-1",
            "x",
        ]
    }
    let out = run(as_nobody(&bin, &args(&missing)).unwrap());
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr
            .contains(&format!("cannot use data directory {}", missing.display())),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("Permission denied").count(),
        1,
        "said once: {}",
        out.stderr
    );

    // The directory exists but the database cannot be created in it.
    let out = run(as_nobody(&bin, &args(&locked)).unwrap());
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr
            .contains(&format!("cannot use data directory {}", locked.display())),
        "{}",
        out.stderr
    );
    assert!(!locked.join("cairn.db").exists());

    // A store nobody owns, whose directory then turns read-only: the new
    // note is reported not saved and what was recorded is intact.
    let own = root.join("own");
    std::fs::create_dir(&own).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&own, Some(65534), Some(65534)).unwrap();
    }
    let data = own.join("data");
    let data_arg = data.to_str().unwrap();
    let src = root.join("tree.toml");
    std::fs::copy(crate::support::fixture("mini.toml"), &src).unwrap();
    std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(as_nobody(
        &bin,
        &[
            "--data-dir",
            data_arg,
            "debug-store",
            "create",
            "--tree-id",
            "mini",
            "--title",
            "t",
            "--source",
            src.to_str().unwrap(),
        ],
    )
    .unwrap());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let id = out.stdout.trim().to_string();
    let out = run(as_nobody(&bin, &["--data-dir", data_arg, "note", &id, "first note"]).unwrap());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o500)).unwrap();
    let out = run(as_nobody(&bin, &["--data-dir", data_arg, "note", &id, "second note"]).unwrap());
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(out.stderr.contains(data_arg), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("note NOT saved to {id}")),
        "{}",
        out.stderr
    );
    let store = Store::open(&data).unwrap();
    let id = cairn::store::IncidentId::parse(&id).unwrap();
    assert_eq!(crate::support::note_texts(&store, &id), ["first note"]);
    assert_eq!(store.verify(&id).unwrap().broken, None);
}
