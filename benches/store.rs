//! Store benchmarks: append latency with `synchronous=FULL` (target p99 <=
//! 20 ms) and opening + projecting a 10,000-event incident (target p50 <=
//! 30 ms): open the store, read the events, fold them into the projection.
//!
//! Criterion reports means; the percentile loops below print p50/p99/max,
//! which is what the targets are about. The store lives in a temp dir on
//! the same filesystem as `$TMPDIR` (set it to the disk you care about).
//! Run: `cargo bench --bench store`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use cairn::store::event::{EventKind, LookupStatus, Mode, ValueSource};
use cairn::store::{IncidentId, IncidentState, NewIncident, Store};
use criterion::{Criterion, criterion_group, criterion_main};

fn new_incident() -> NewIncident {
    NewIncident {
        title: "benchmark".into(),
        tree_id: "token-theft".into(),
        tree_version: "1.0.0".into(),
        tree_source: "x".repeat(40_000),
        language: "en".into(),
        mode: Mode::Live,
    }
}

/// A realistic mix: mostly small events, one lookup with a 4 KB result in 20.
fn event(i: u64) -> EventKind {
    match i % 20 {
        0 => {
            let now = chrono::Utc::now();
            EventKind::LookupRun {
                node: "triage".into(),
                lookup: "recent-signins".into(),
                provider: "loganalytics".into(),
                query: "SigninLogs | where UserPrincipalName =~ 'kim@contoso.com' | take 100"
                    .into(),
                variables: BTreeMap::from([("upn".into(), "kim@contoso.com".into())]),
                timespan: Some("7d".into()),
                started_at: now,
                finished_at: now,
                status: LookupStatus::Succeeded,
                row_count: Some(40),
                result_sha256: Some("ab".repeat(32)),
                result: Some(format!(
                    "[{}]",
                    "{\"IPAddress\":\"198.51.100.9\"},".repeat(140)
                )),
                result_bytes: 4200,
                result_cap: 262_144,
                result_truncated: false,
                message: None,
            }
        }
        1..=5 => EventKind::NoteAdded {
            node: Some("triage".into()),
            text: format!("note {i}: checked with the user"),
        },
        6..=10 => EventKind::ChecklistToggled {
            node: "triage".into(),
            item: format!("item-{}", i % 7),
            checked: i.is_multiple_of(2),
        },
        11..=14 => EventKind::VariableSet {
            name: "upn".into(),
            value: format!("user{i}@contoso.com"),
            source: ValueSource::Typed,
        },
        _ => EventKind::NodeEntered {
            node: format!("node-{}", i % 11),
        },
    }
}

fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at =
        |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1];
    println!(
        "{label}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3
    );
}

/// CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn filled_store(dir: &Path, events: u64) -> IncidentId {
    let mut store = Store::open(dir).unwrap();
    let id = store.create_incident(new_incident()).unwrap();
    for i in 1..events {
        store.append(&id, event(i)).unwrap();
    }
    id
}

fn open_and_project(dir: &Path, id: &IncidentId) -> IncidentState {
    let store = Store::open(dir).unwrap();
    IncidentState::from_events(&store.events(id).unwrap())
}

fn benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();

    // Append latency, synchronous=FULL: each sample is one durable commit.
    let append_dir = tmp.path().join("append");
    let mut store = Store::open(&append_dir).unwrap();
    let id = store.create_incident(new_incident()).unwrap();
    let mut i = 0u64;
    let samples: Vec<Duration> = (0..2000)
        .map(|_| {
            i += 1;
            let kind = event(i);
            let start = Instant::now();
            black_box(store.append(&id, kind).unwrap());
            start.elapsed()
        })
        .collect();
    percentiles("append (synchronous=FULL)", samples);
    c.bench_function("append_synchronous_full", |b| {
        b.iter(|| {
            i += 1;
            black_box(store.append(&id, event(i)).unwrap())
        })
    });
    drop(store);

    // Open + project a 10,000-event incident (a cold start of `cairn show`,
    // or of the screen's `cairn open ID`).
    let replay_dir = tmp.path().join("replay");
    let id = filled_store(&replay_dir, 10_000);
    let state = open_and_project(&replay_dir, &id);
    assert_eq!(state.event_count, 10_000);
    let mut cpu = Vec::new();
    let samples: Vec<Duration> = (0..50)
        .map(|_| {
            let (start, cpu_start) = (Instant::now(), thread_cpu());
            black_box(open_and_project(&replay_dir, &id));
            cpu.push(thread_cpu().saturating_sub(cpu_start));
            start.elapsed()
        })
        .collect();
    percentiles("open + project 10,000 events", samples);
    // On a loaded machine wall time counts the waits for a core; the
    // thread's CPU time is what the work itself costs.
    percentiles("open + project 10,000 events, thread CPU time", cpu);
    c.bench_function("open_and_project_10k_events", |b| {
        b.iter(|| black_box(open_and_project(&replay_dir, &id)))
    });
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(store);
