//! One action, one transaction: a batch is committed whole or not at all,
//! and a batch decided on a stale view of the incident is refused.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use cairn::store::event::Actor;
use cairn::store::{EventKind, Store, StoreError};

use crate::support::{cairn, create_via_cli, note_texts};

const PARTS: u64 = 3;

#[test]
fn kill_9_mid_batch_leaves_each_batch_whole_or_absent_over_50_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let mut killed_after = Vec::new();
    for run in 0..50u64 {
        let mut child = cairn(
            &dir,
            &[
                "debug-store",
                "append",
                id.as_str(),
                "--tag",
                &format!("run{run}"),
                "--count",
                "1000000",
                "--batch",
                &PARTS.to_string(),
                // Large parts make each transaction long enough to be cut.
                "--note-bytes",
                "20000",
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut n = 0;
            for _ in BufReader::new(stdout).lines().map_while(Result::ok) {
                if n == 0 {
                    let _ = first_tx.send(());
                }
                n += 1;
            }
            n
        });
        let _ = first_rx.recv_timeout(Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(run % 7 * 3));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        killed_after.push(reader.join().unwrap());
    }
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.verify(&id).unwrap().broken, None);
    // Each batch `runR I` must have all its parts or none.
    let mut parts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for text in note_texts(&store, &id) {
        let head = text.split(' ').take(2).collect::<Vec<_>>().join(" ");
        let (batch, part) = head.rsplit_once('.').unwrap();
        parts
            .entry(batch.to_string())
            .or_default()
            .push(part.parse().unwrap());
    }
    assert!(
        parts.len() >= 50,
        "the children committed too few batches: {killed_after:?}"
    );
    for (batch, got) in &parts {
        assert_eq!(got, &(1..=PARTS).collect::<Vec<_>>(), "batch {batch}");
    }
}

#[test]
fn a_batch_based_on_a_moved_head_is_refused_naming_who_moved_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = Store::open(tmp.path()).unwrap();
    let mut b = Store::open(tmp.path()).unwrap();
    a.set_actor(Actor {
        user: "alice".into(),
        host: "jump".into(),
        ssh_client: None,
    });
    b.set_actor(Actor {
        user: "bob".into(),
        host: "jump".into(),
        ssh_client: None,
    });
    let id = a
        .create_incident(crate::support::new_incident("t"))
        .unwrap();
    let seen = b.events(&id).unwrap().last().unwrap().seq;
    let choice = |next: &str| {
        vec![
            EventKind::ChoiceMade {
                node: "trigger".into(),
                choice: next.into(),
                next: next.into(),
                reason: None,
            },
            EventKind::NodeEntered { node: next.into() },
        ]
    };
    let made = a.append_batch(&id, Some(seen), choice("contain")).unwrap();
    assert_eq!(made.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
    let refused = b.append_batch(&id, Some(seen), choice("monitor"));
    match refused {
        Err(StoreError::Stale {
            actor,
            head,
            based_on,
            at,
            ..
        }) => {
            assert_eq!(actor, "alice@jump");
            assert_eq!((head, based_on), (3, 1));
            assert_eq!(at, made[1].at);
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
    assert_eq!(
        b.events(&id).unwrap().len(),
        3,
        "nothing of b's was written"
    );
    // Based on what it now sees, b's decision is recorded.
    b.append_batch(&id, Some(3), choice("monitor")).unwrap();
    assert_eq!(b.events_after(&id, 3).unwrap().len(), 2);
}

#[test]
fn another_connection_s_commit_changes_data_version_and_own_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = Store::open(tmp.path()).unwrap();
    let mut b = Store::open(tmp.path()).unwrap();
    let id = a
        .create_incident(crate::support::new_incident("t"))
        .unwrap();
    let before = a.data_version().unwrap();
    let note = |t: &str| EventKind::NoteAdded {
        node: None,
        text: t.into(),
    };
    a.append(&id, note("own")).unwrap();
    assert_eq!(a.data_version().unwrap(), before);
    b.append(&id, note("other")).unwrap();
    assert_ne!(a.data_version().unwrap(), before);
}
