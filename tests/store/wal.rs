//! The write-ahead log holds committed events until a checkpoint moves them
//! into the database file: reading commands must leave it alone, a log
//! without its database must not be replayed into a new one, and a log that
//! lost its end must show in `verify`.

use std::path::{Path, PathBuf};

use cairn::store::{EventKind, IncidentId, Store, StoreError};

use crate::support::{cairn, new_incident, run, temp_store};

/// A store directory whose newest events are only in `cairn.db-wal`, as a
/// running Cairn leaves it (copied while the writer is open, so no
/// checkpoint has moved them into `cairn.db`).
fn store_with_live_wal(notes: usize) -> (tempfile::TempDir, PathBuf, IncidentId) {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("wal")).unwrap();
    for i in 1..=notes {
        let text = format!("note {i}");
        store
            .append(&id, EventKind::NoteAdded { node: None, text })
            .unwrap();
    }
    let copy = tmp.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for name in ["cairn.db", "cairn.db-wal", "cairn.heads"] {
        std::fs::copy(tmp.path().join("data").join(name), copy.join(name)).unwrap();
    }
    drop(store);
    (tmp, copy, id)
}

fn wal(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("cairn.db-wal")).expect("the -wal is still there")
}

#[test]
fn reading_commands_leave_the_wal_byte_identical() {
    let (_tmp, dir, id) = store_with_live_wal(3);
    let before = wal(&dir);
    assert!(!before.is_empty());
    let id = id.as_str();
    for args in [
        vec!["verify", id],
        vec!["show", id],
        vec!["list"],
        vec!["list", "--all"],
        vec!["export", id, "--format", "md"],
        vec!["export", id, "--format", "json"],
        vec!["export", id, "--format", "aar"],
    ] {
        let out = run(cairn(&dir, &args));
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert_eq!(wal(&dir), before, "{args:?} changed the -wal");
    }
    // They read the events that are only in the -wal.
    let show = run(cairn(&dir, &["show", id])).stdout;
    assert!(show.contains("note 3"), "{show}");
    // A writing command, by contrast, checkpoints on close: the events move
    // into cairn.db and nothing is lost.
    assert_eq!(run(cairn(&dir, &["note", id, "note 4"])).code, Some(0));
    assert!(!dir.join("cairn.db-wal").exists());
    assert_eq!(run(cairn(&dir, &["verify", id])).code, Some(0));
}

#[test]
fn a_wal_left_behind_by_a_moved_database_is_refused_not_replayed() {
    let (tmp, dir, _id) = store_with_live_wal(2);
    std::fs::rename(dir.join("cairn.db"), tmp.path().join("moved.db")).unwrap();
    let before = wal(&dir);
    let err = Store::open(&dir).err().expect("must be refused");
    assert!(matches!(err, StoreError::OrphanedLog { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("cairn.db-wal"), "{message}");
    assert!(message.contains("Move cairn.db-wal back"), "{message}");
    assert!(
        !dir.join("cairn.db").exists(),
        "no new database was created"
    );
    assert_eq!(wal(&dir), before);
    for args in [vec!["note", "TT-20260101-1", "x"], vec!["list"]] {
        let out = run(cairn(&dir, &args));
        assert_eq!(out.code, Some(1), "{args:?}");
        assert!(out.stderr.contains("but no cairn.db"), "{}", out.stderr);
    }
    assert!(!dir.join("cairn.db").exists());
    assert_eq!(wal(&dir), before);

    // Moved back, everything is there.
    std::fs::rename(tmp.path().join("moved.db"), dir.join("cairn.db")).unwrap();
    let out = run(cairn(&dir, &["list"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn a_head_log_left_behind_by_a_deleted_database_is_refused() {
    let (tmp, store) = temp_store();
    drop(store);
    let dir = tmp.path().join("data");
    let id = crate::support::create_via_cli(&dir);
    std::fs::remove_file(dir.join("cairn.db")).unwrap();
    let before = std::fs::read(dir.join("cairn.heads")).unwrap();
    let err = Store::open(&dir).err().expect("must be refused");
    assert!(matches!(err, StoreError::OrphanedHeadLog { .. }), "{err}");
    assert!(
        !dir.join("cairn.db").exists(),
        "no new database was created"
    );
    let out = run(cairn(&dir, &["verify", id.as_str()]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("cairn.heads: the head log"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(dir.join("cairn.heads")).unwrap(), before);
    // Moved aside, a new store starts.
    std::fs::rename(dir.join("cairn.heads"), tmp.path().join("old.heads")).unwrap();
    Store::open(&dir).unwrap();
}

#[test]
fn a_cut_or_corrupted_wal_is_reported_by_verify() {
    for damage in ["cut", "corrupt"] {
        let (_tmp, dir, id) = store_with_live_wal(4);
        let mut bytes = wal(&dir);
        match damage {
            // The last frame (the last commit) loses its end.
            "cut" => bytes.truncate(bytes.len() - 100),
            // A flipped byte in the last frame fails its checksum.
            _ => {
                let at = bytes.len() - 50;
                bytes[at] ^= 0xff;
            }
        }
        std::fs::write(dir.join("cairn.db-wal"), &bytes).unwrap();
        let out = run(cairn(&dir, &["verify", id.as_str()]));
        assert_eq!(out.code, Some(1), "{damage}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("BROKEN at event 5"),
            "{damage}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("write-ahead log was lost"),
            "{damage}: {}",
            out.stdout
        );
    }
}

/// Names of the temporary files of a store creation.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with(".cairn.db."))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn creation_killed_at_any_moment_leaves_nothing_after_the_next_open() {
    let tmp = tempfile::tempdir().unwrap();
    let mut left_behind = 0;
    for run in 0..30u64 {
        let dir = tmp.path().join(format!("data{run}"));
        let mut cmd = crate::support::cairn(
            &dir,
            &["debug-store", "create", "--tree-id", "mini", "--title", "k"],
        );
        cmd.arg("--source")
            .arg(crate::support::fixture("mini.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        // Spread the kill over start-up, creation and the first incident.
        std::thread::sleep(std::time::Duration::from_millis(run * 7 % 40));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if !temporaries(&dir).is_empty() {
            left_behind += 1;
        }
        let mut store = Store::open(&dir).expect("the next open works");
        assert_eq!(temporaries(&dir), Vec::<String>::new(), "run {run}");
        store.create_incident(new_incident("after")).unwrap();
    }
    println!("{left_behind} of 30 kills left temporary files for the next open");
}

#[test]
fn an_interrupted_creation_leaves_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    // Above any Linux pid_max: a creator that no longer runs.
    let dead = ".cairn.db.4194999.123456.new";
    for suffix in ["", "-wal", "-shm"] {
        std::fs::write(dir.join(format!("{dead}{suffix}")), b"half").unwrap();
    }
    // A creator that is still running keeps its file.
    let mut live = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let running = format!(".cairn.db.{}.1.new", live.id());
    std::fs::write(dir.join(&running), b"in progress").unwrap();
    std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();

    let mut store = Store::open(&dir).unwrap();
    store.create_incident(new_incident("after")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.') || n.ends_with(".txt"))
        .collect();
    names.sort();
    live.kill().unwrap();
    live.wait().unwrap();
    assert_eq!(names, [running, "notes.txt".to_string()]);
}
