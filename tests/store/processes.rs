//! Faults across processes: concurrent writers, kill -9, a full disk. The
//! children run `cairn debug-store append`, which prints `committed SEQ`
//! after each commit returns.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cairn::store::{IncidentId, Store};

use crate::support::{BIN, cairn, create_via_cli, note_texts};

fn spawn_appender(dir: &std::path::Path, id: &IncidentId, count: u64, tag: &str) -> Child {
    let mut cmd = cairn(
        dir,
        &[
            "debug-store",
            "append",
            id.as_str(),
            "--tag",
            tag,
            "--count",
            &count.to_string(),
        ],
    );
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

fn committed(stdout: &str) -> Vec<u64> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("committed "))
        .map(|n| n.parse().unwrap())
        .collect()
}

fn integrity_ok(store_dir: &std::path::Path) {
    let raw = rusqlite::Connection::open(store_dir.join("cairn.db")).unwrap();
    let check: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn two_writers_append_500_events_each_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let a = spawn_appender(&dir, &id, 500, "A");
    let b = spawn_appender(&dir, &id, 500, "B");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            !stderr.to_lowercase().contains("busy") && !stderr.contains("locked"),
            "{stderr}"
        );
        assert_eq!(committed(&String::from_utf8_lossy(&out.stdout)).len(), 500);
    }
    let store = Store::open(&dir).unwrap();
    let texts = note_texts(&store, &id);
    assert_eq!(texts.len(), 1000);
    let unique: BTreeSet<&String> = texts.iter().collect();
    assert_eq!(unique.len(), 1000, "an event was recorded twice");
    for tag in ["A", "B"] {
        // Each writer's events keep their own order.
        let mine: Vec<u64> = texts
            .iter()
            .filter_map(|t| t.strip_prefix(&format!("{tag} ")))
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(mine, (1..=500).collect::<Vec<u64>>());
    }
    let v = store.verify(&id).unwrap();
    assert_eq!((v.events, v.broken), (1001, None));
    integrity_ok(&dir);
}

/// A small xorshift generator: random kill moments without a dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn kill_9_mid_append_loses_no_committed_event_over_50_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Rng(seed | 1);
    println!("kill -9 test seed {seed}");
    let mut reported = Vec::new();
    for run in 0..50 {
        let mut child = spawn_appender(&dir, &id, 1_000_000, &format!("run{run}"));
        let stdout = child.stdout.take().unwrap();
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.is_empty() {
                    let _ = first_tx.send(());
                }
                lines.push(line);
            }
            lines.join("\n")
        });
        // Kill mid-append, not mid-start-up: on a loaded machine the child may
        // need longer than the random delay just to open the store.
        let _ = first_rx.recv_timeout(Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reported.extend(committed(&reader.join().unwrap()));
    }
    assert!(
        reported.len() > 50,
        "the children committed almost nothing ({})",
        reported.len()
    );
    integrity_ok(&dir);
    let store = Store::open(&dir).unwrap();
    let v = store.verify(&id).unwrap();
    assert_eq!(v.broken, None);
    let present: BTreeSet<u64> = store.events(&id).unwrap().iter().map(|e| e.seq).collect();
    let missing: Vec<&u64> = reported.iter().filter(|s| !present.contains(s)).collect();
    assert!(
        missing.is_empty(),
        "reported committed but missing: {missing:?}"
    );
    let unique: BTreeSet<&u64> = reported.iter().collect();
    assert_eq!(unique.len(), reported.len(), "a seq was reported twice");
    // "committed" is printed after the head log line is written: the log
    // saw at least every event a child reported.
    let last = reported.iter().max().copied();
    assert!(
        v.witnessed >= last,
        "witnessed {:?}, reported up to {last:?}",
        v.witnessed
    );
}

#[test]
fn a_full_disk_reports_the_event_not_saved_and_keeps_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    // RLIMIT_FSIZE makes writes past ~1 MB fail (EFBIG) as on a full disk;
    // SIGXFSZ is ignored so the write returns an error instead of killing.
    let script = format!(
        "trap '' XFSZ; ulimit -f 2048; exec '{BIN}' --data-dir '{}' debug-store append {id} --count 100000 --note-bytes 20000",
        dir.display()
    );
    let started = Instant::now();
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let saved = committed(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(saved.len() >= 5, "the limit hit too early: {stderr}");
    let failed = saved.len() + 1;
    assert!(
        stderr.contains(&format!("note {failed} NOT saved")),
        "{stderr}"
    );
    assert!(
        stderr.contains("the disk is full or a file size limit was reached"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&dir.join("cairn.db").display().to_string()),
        "{stderr}"
    );

    integrity_ok(&dir);
    let mut store = Store::open(&dir).unwrap();
    let texts = note_texts(&store, &id);
    assert_eq!(
        texts.len(),
        saved.len(),
        "exactly the reported events are there"
    );
    assert!(
        texts
            .iter()
            .enumerate()
            .all(|(i, t)| t.starts_with(&format!("note {} ", i + 1)))
    );
    assert_eq!(store.verify(&id).unwrap().broken, None);
    // With space again, the incident carries on.
    store
        .append(
            &id,
            cairn::store::EventKind::NoteAdded {
                node: None,
                text: "after".into(),
            },
        )
        .unwrap();
    assert_eq!(store.verify(&id).unwrap().broken, None);
}

#[test]
fn processes_creating_the_store_and_incidents_at_once_all_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let children: Vec<Child> = (0..4)
        .map(|_| {
            let mut cmd = cairn(
                &dir,
                &[
                    "debug-store",
                    "create",
                    "--tree-id",
                    "mini",
                    "--title",
                    "race",
                    "--source",
                ],
            );
            cmd.arg(crate::support::fixture("mini.toml"));
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    let mut ids: Vec<String> = children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .collect();
    ids.sort();
    let day = chrono::Utc::now().format("%Y%m%d");
    let expected: Vec<String> = (1..=4).map(|n| format!("M-{day}-{n}")).collect();
    assert_eq!(ids, expected, "each incident got its own number");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    integrity_ok(&dir);
}
