//! Sync benchmarks. The outbox's cost on a local commit (target: <= 1 ms
//! added at p99): the same events appended, interleaved, to an incident
//! attached to Sentinel (each commit also writes its outbox rows) and to
//! one that is not; both durable (`synchronous=FULL`) in the same temp dir.
//! Run: `cargo bench --bench sync`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cairn::store::event::{EventKind, Mode};
use cairn::store::{IncidentId, NewIncident, Store};

#[path = "support/percentiles.rs"]
mod percentiles;
use percentiles::{at, percentiles};

fn incident(title: &str) -> NewIncident {
    NewIncident {
        title: title.into(),
        tree_id: "token-theft".into(),
        tree_version: "1.0.0".into(),
        tree_source: "x".repeat(40_000),
        language: "en".into(),
        mode: Mode::Live,
    }
}

fn attached() -> EventKind {
    EventKind::SentinelAttached {
        incident: "/subscriptions/x/incidents/inc-1".into(),
        name: "inc-1".into(),
        number: Some(42),
        title: "bench".into(),
        severity: "High".into(),
        status: "New".into(),
        owner: None,
        labels: vec![],
        alerts: vec![],
    }
}

/// What a walk records: decisions with the node they enter, ticks, notes.
fn walk_step(i: u64) -> Vec<EventKind> {
    match i % 4 {
        0 => vec![
            EventKind::ChoiceMade {
                node: format!("node-{i}"),
                choice: "yes".into(),
                next: format!("node-{}", i + 1),
                reason: Some("the sign-in came from an unfamiliar ASN".into()),
            },
            EventKind::NodeEntered {
                node: format!("node-{}", i + 1),
            },
        ],
        1 => vec![EventKind::ChecklistToggled {
            node: format!("node-{i}"),
            item: "revoke".into(),
            checked: true,
        }],
        _ => vec![EventKind::NoteAdded {
            node: Some(format!("node-{i}")),
            text: format!("note {i}: called the user, travelling"),
        }],
    }
}

fn commit_overhead() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let plain = store.create_incident(incident("local only")).unwrap();
    let synced: IncidentId = store
        .create_incident_with(incident("attached"), vec![attached()])
        .unwrap();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for i in 0..3000u64 {
        // Alternate which goes first so drift in the disk's speed is shared.
        let order = if i % 2 == 0 {
            [(&synced, true), (&plain, false)]
        } else {
            [(&plain, false), (&synced, true)]
        };
        for (id, is_synced) in order {
            let kinds = walk_step(i);
            let start = Instant::now();
            black_box(store.append_batch(id, None, kinds).unwrap());
            let took = start.elapsed();
            if is_synced {
                with.push(took);
            } else {
                without.push(took);
            }
        }
    }
    let pending = store.outbox_state(&synced).unwrap().pending;
    assert!(pending >= 3000, "the outbox filled: {pending}");
    assert_eq!(store.outbox_state(&plain).unwrap().pending, 0);
    with.sort();
    without.sort();
    let added = at(&with, 0.99).saturating_sub(at(&without, 0.99));
    percentiles("commit, attached (with outbox rows)", with);
    percentiles("commit, not attached", without);
    println!(
        "outbox cost at p99: {:.3} ms (target <= 1 ms)",
        added.as_secs_f64() * 1e3
    );
    assert!(added <= Duration::from_millis(1), "over target");
}

fn main() {
    commit_overhead();
}
