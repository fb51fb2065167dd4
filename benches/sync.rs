//! Sync benchmarks. The outbox's cost on a local commit (target: <= 1 ms
//! added at p99): the same events appended, interleaved, to an incident
//! attached to Sentinel (each commit also writes its outbox rows) and to
//! one that is not; both durable (`synchronous=FULL`) in the same temp dir.
//!
//! Draining a backlog (target: 1,000 pending events in <= 30 s with at most
//! four requests in flight): 1,000 notes of an attached incident pushed to
//! the loopback Sentinel mock of the tests, without added latency and with
//! 50 ms per answer (an ARM round trip), counting requests in flight at
//! the mock.
//! Run: `cargo bench --bench sync`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cairn::store::event::{EventKind, Mode};
use cairn::store::{IncidentId, NewIncident, Store};

#[path = "support/percentiles.rs"]
mod percentiles;
// The tests' loopback mocks, as they are.
#[allow(dead_code)]
#[path = "../tests/lookup/mock.rs"]
mod mock;
#[allow(dead_code)]
#[path = "../tests/lookup/sentinel_mock.rs"]
mod sentinel_mock;
#[allow(dead_code)]
#[path = "../tests/lookup/sentinel_mock_incident.rs"]
mod sentinel_mock_incident;
#[allow(dead_code)]
#[path = "../tests/lookup/support.rs"]
mod support;
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
        .create_incident_with(
            incident("attached"),
            vec![EventKind::attached_stand_in("inc-1")],
        )
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
    // Both p99s are the disk's fsync jitter; their difference is only
    // meaningful on an otherwise idle machine (say so rather than fail).
    println!(
        "outbox cost at p99: {:.3} ms (target <= 1 ms{})",
        added.as_secs_f64() * 1e3,
        if added <= Duration::from_millis(1) {
            ""
        } else {
            "; OVER: rerun on an idle machine"
        }
    );
}

fn drain_backlog(latency: Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mock = sentinel_mock::SentinelMock::start().await;
        mock.set_latency(latency);
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        let attach = EventKind::attached_stand_in(sentinel_mock::INCIDENT);
        let id = store
            .create_incident_with(incident("backlog"), vec![attach])
            .unwrap();
        for i in 0..1000 {
            store
                .append(
                    &id,
                    EventKind::NoteAdded {
                        node: None,
                        text: format!("note {i}: checked the sign-in logs"),
                    },
                )
                .unwrap();
        }
        // One comment row per note, and the attachment's claim of the
        // incident (the stand-in token names no user: it sends nothing).
        assert_eq!(store.outbox_state(&id).unwrap().pending, 1001);
        let (api, _) = support::client_with(
            &mock.server.base(),
            support::settings(),
            std::sync::Arc::new(cairn::lookup::auth::StaticToken(support::token(
                "sentinel-token",
            ))),
        );
        let sentinel =
            cairn::lookup::sentinel::Sentinel::new(&api, &sentinel_mock::SentinelMock::workspace());
        let start = Instant::now();
        let done = cairn::sync::drain::drain(&mut store, &sentinel, &id, &mut |_| {})
            .await
            .unwrap();
        let took = start.elapsed();
        assert_eq!((done.sent, done.pending), (1001, 0));
        assert_eq!(mock.comments().len(), 1000);
        println!(
            "drain 1,000 events, {} ms per answer: {:.2} s, at most {} in flight (target <= 30 s, <= 4)",
            latency.as_millis(),
            took.as_secs_f64(),
            mock.server.max_in_flight()
        );
        assert!(took <= Duration::from_secs(30) && mock.server.max_in_flight() <= 4);
    });
}

fn main() {
    commit_overhead();
    drain_backlog(Duration::ZERO);
    drain_backlog(Duration::from_millis(50));
}
