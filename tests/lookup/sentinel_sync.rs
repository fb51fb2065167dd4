//! The outbox drained into the Sentinel mock: one comment per pushed event
//! and one task per walked node, under ids derived from the events, through
//! every fault the service answers with; never more than four writes in
//! flight; and `cairn sync` killed at random points fifty times loses and
//! duplicates nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cairn::lookup::http::ApiClient;
use cairn::lookup::sentinel::{Sentinel, TaskStatus};
use cairn::store::event::{EventKind, Mode, ValueSource};
use cairn::store::outbox::{comment_id, is_pushed};
use cairn::store::{IncidentId, NewIncident, Store};
use cairn::sync::comment::comment;
use cairn::sync::drain::{Progress, drain};

use super::sentinel_mock::{Fault, INCIDENT, SentinelMock};
use super::support::{client_with, settings, token};

pub fn tree_source() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/trees/token-theft.toml"
    ))
    .unwrap()
}

pub fn attached_kind() -> EventKind {
    EventKind::attached_stand_in(INCIDENT)
}

/// A live incident on the token-theft tree, attached to the mock's incident.
pub fn attached_incident(store: &mut Store) -> IncidentId {
    store
        .create_incident_with(
            NewIncident {
                title: "sync".into(),
                tree_id: "token-theft".into(),
                tree_version: "1".into(),
                tree_source: tree_source(),
                language: "en".into(),
                mode: Mode::Live,
            },
            vec![attached_kind()],
        )
        .unwrap()
}

/// `n` rounds of what a walk records: entering a node, a tick, a note, a
/// variable; some rounds leave the node by a decision.
pub fn record_walk(store: &mut Store, id: &IncidentId, rounds: usize) {
    for i in 0..rounds {
        let node = format!("node-{i}");
        store
            .append(id, EventKind::NodeEntered { node: node.clone() })
            .unwrap();
        store
            .append(
                id,
                EventKind::NoteAdded {
                    node: Some(node.clone()),
                    text: format!("note {i} with *markdown* <b>and</b> \u{1b}[31m"),
                },
            )
            .unwrap();
        store
            .append(
                id,
                EventKind::VariableSet {
                    name: "upn".into(),
                    value: format!("user{i}@contoso.com"),
                    source: ValueSource::Typed,
                },
            )
            .unwrap();
        if i % 2 == 0 {
            store
                .append(
                    id,
                    EventKind::ChoiceMade {
                        node,
                        choice: "yes".into(),
                        next: format!("node-{}", i + 1),
                        reason: Some("seen in the sign-in logs".into()),
                    },
                )
                .unwrap();
        }
    }
}

pub fn api(mock: &SentinelMock) -> ApiClient {
    let mut s = settings();
    s.read_timeout = Duration::from_millis(300);
    let (api, _) = client_with(
        &mock.server.base(),
        s,
        Arc::new(cairn::lookup::auth::StaticToken(token("sentinel-token"))),
    );
    api
}

/// The comments the mock must hold for `id`: one per pushed event, in
/// order, under the id its hash gives, with the text the builder makes.
pub fn expect_comments(store: &Store, id: &IncidentId, mock: &SentinelMock) {
    let events = store.events(id).unwrap();
    let expected: Vec<(String, String)> = events
        .iter()
        .filter(|e| is_pushed(&e.kind))
        .map(|e| {
            let text = comment(e, &events[0].hash);
            (comment_id(&e.hash).hyphenated().to_string(), text)
        })
        .collect();
    let mut got: Vec<(String, String)> = mock
        .comments()
        .into_iter()
        .map(|(id, c)| (id, c.message))
        .collect();
    assert_eq!(got.len(), expected.len(), "one comment per pushed event");
    // Up to four writes fly at once, so creation order may swap within a window.
    got.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(got, sorted);
}

/// Drains until done, retrying transient failures at once (the test's
/// clock does not wait); returns the failures seen.
async fn drain_all(store: &mut Store, sentinel: &Sentinel<'_>, id: &IncidentId) -> Vec<String> {
    let mut failures = Vec::new();
    for _ in 0..20 {
        match drain(store, sentinel, id, &mut |_| {}).await {
            Ok(_) => return failures,
            Err(e) if e.is_transient() => failures.push(e.to_string()),
            Err(e) => panic!("{e}"),
        }
    }
    panic!("never drained: {failures:?}");
}

/// The mock (answering after `latency`), a store in a temp dir with an
/// attached incident of `rounds` walk rounds, and a client for the mock.
async fn backlog(
    rounds: usize,
    latency: Duration,
) -> (
    SentinelMock,
    tempfile::TempDir,
    Store,
    IncidentId,
    ApiClient,
) {
    let mock = SentinelMock::start().await;
    mock.set_latency(latency);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    record_walk(&mut store, &id, rounds);
    let api = api(&mock);
    (mock, tmp, store, id, api)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_in_one_comment_per_event_and_one_task_per_walked_node() {
    let (mock, _tmp, mut store, id, api) = backlog(6, Duration::ZERO).await;
    let sentinel = Sentinel::new(&api, &SentinelMock::workspace());
    // A 409 twice (the client's own one retry is spent), throttling beyond
    // the retries, a server fault beyond them, and a write applied whose
    // answer never comes.
    for fault in [
        Fault::Conflict,
        Fault::Conflict,
        Fault::Throttle {
            retry_after_secs: 2,
        },
        Fault::Throttle {
            retry_after_secs: 2,
        },
        Fault::Throttle {
            retry_after_secs: 2,
        },
        Fault::Throttle {
            retry_after_secs: 2,
        },
        Fault::Server(503),
        Fault::Server(503),
        Fault::Server(503),
        Fault::Server(503),
        Fault::LoseAnswer,
    ] {
        mock.inject(fault);
    }
    let failures = drain_all(&mut store, &sentinel, &id).await;
    // Which request meets which fault depends on timing (four fly at once);
    // every fault was served, some surfaced past the client's own retries,
    // and the lost answer was written twice under one id.
    assert!(mock.state.lock().unwrap().faults.is_empty());
    assert!(!failures.is_empty());
    assert!(
        failures
            .iter()
            .all(|f| ["409", "429", "503", "read timeout"]
                .iter()
                .any(|k| f.contains(k))),
        "{failures:?}"
    );
    expect_comments(&store, &id, &mock);
    // Six nodes entered: six tasks, the three left by a decision Completed.
    // Counted until each answer starts: a stalled answer no longer counts.
    assert!(
        mock.server.max_in_flight() <= 4,
        "{}",
        mock.server.max_in_flight()
    );
    let tasks = mock.tasks();
    assert_eq!(tasks.len(), 6, "{tasks:?}");
    let completed: Vec<&str> = tasks
        .iter()
        .filter(|(_, t)| t.status == TaskStatus::Completed.as_str())
        .map(|(_, t)| t.title.as_str())
        .collect();
    assert_eq!(
        completed,
        vec!["[cairn] node-0", "[cairn] node-2", "[cairn] node-4"]
    );
    let state = store.outbox_state(&id).unwrap();
    assert_eq!(state.pending, 0);

    // Draining again sends nothing; a new event sends exactly its comment.
    let before = mock.writes();
    assert_eq!(
        drain(&mut store, &sentinel, &id, &mut |_| {})
            .await
            .unwrap(),
        Progress {
            sent: 0,
            pending: 0
        }
    );
    assert_eq!(mock.writes(), before);
    store
        .append(
            &id,
            EventKind::NoteAdded {
                node: None,
                text: "later".into(),
            },
        )
        .unwrap();
    drain(&mut store, &sentinel, &id, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(mock.writes(), before + 1);
    expect_comments(&store, &id, &mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_drains_with_at_most_four_writes_in_flight() {
    let (mock, _tmp, mut store, id, api) = backlog(12, Duration::from_millis(20)).await;
    let sentinel = Sentinel::new(&api, &SentinelMock::workspace());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let done = drain(&mut store, &sentinel, &id, &mut |p| {
        log.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    assert_eq!(done.pending, 0);
    assert_eq!(
        mock.server.max_in_flight(),
        4,
        "windows of four are sent at once"
    );
    let seen = seen.lock().unwrap();
    assert!(
        seen.windows(2).all(|w| w[0].pending > w[1].pending),
        "{seen:?}"
    );
    expect_comments(&store, &id, &mock);
}

/// The comment ids of pushed events whose rows are still pending.
fn pending_comment_ids(store: &Store, id: &IncidentId) -> std::collections::BTreeSet<String> {
    store
        .outbox_pending(id, 100_000)
        .unwrap()
        .into_iter()
        .filter(|p| p.item == cairn::store::outbox::Item::Comment)
        .map(|p| comment_id(&p.event.hash).hyphenated().to_string())
        .collect()
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_cairn_sync_50_times_loses_and_duplicates_nothing() {
    use super::sentinel_attach::{cairn, command, env, text};
    let mock = SentinelMock::start().await;
    mock.set_latency(Duration::from_millis(4));
    let env = env(&mock);
    let mut store = Store::open(&env.data).unwrap();
    let id = attached_incident(&mut store);
    record_walk(&mut store, &id, 180);
    let pushed: std::collections::BTreeSet<String> = store
        .events(&id)
        .unwrap()
        .iter()
        .filter(|e| is_pushed(&e.kind))
        .map(|e| comment_id(&e.hash).hyphenated().to_string())
        .collect();
    // A fixed xorshift: the kill points vary but the test repeats itself.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut progressed = 0;
    for run in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let before = store.outbox_state(&id).unwrap().pending;
        let mut child = command(&env, &["sync", id.as_str()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed after a random number of writes reached the mock, so the
        // kill lands mid-drain (between a write and its mark, or mid-window).
        let target = mock.writes() + 1 + seed % 24;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while mock.writes() < target
            && std::time::Instant::now() < deadline
            && child.try_wait().unwrap().is_none()
        {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // SIGKILL: nothing of the child's runs after this.
        child.kill().unwrap();
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        let after = store.outbox_state(&id).unwrap().pending;
        if after < before {
            progressed += 1;
        }
        // Nothing marked sent that Sentinel does not hold.
        let held: std::collections::BTreeSet<String> =
            mock.comments().into_iter().map(|(id, _)| id).collect();
        let pending = pending_comment_ids(&store, &id);
        let sent: Vec<&String> = pushed.difference(&pending).collect();
        assert!(
            sent.iter().all(|c| held.contains(*c)),
            "run {run} ({status:?}): a row was marked sent but its comment is missing"
        );
        assert!(
            held.is_subset(&pushed),
            "run {run}: a comment nobody recorded"
        );
    }
    assert!(
        progressed >= 40,
        "the kills should land mid-drain: {progressed}"
    );
    assert!(
        store.outbox_state(&id).unwrap().pending > 0,
        "the backlog outlasts the kills"
    );
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("synced"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(store.outbox_state(&id).unwrap().pending, 0);
    expect_comments(&store, &id, &mock);
    assert_eq!(mock.tasks().len(), 180, "one task per walked node");
}

fn current(s: &super::screen::Session) -> String {
    let inc = s.state.incident.as_ref().unwrap();
    inc.current_node_id().to_string()
}

/// Through the screen's keys: tick each node's mandatory items, take the
/// first choice of a decision or a step's Continue, until an outcome.
fn walk_to_an_outcome(s: &mut super::screen::Session) -> Vec<String> {
    use cairn::tree::model::NodeKind;
    use ratatui::crossterm::event::KeyCode;
    let tree = s.trees[0].clone();
    let mut walked = Vec::new();
    for _ in 0..200 {
        let here = current(s);
        walked.push(here.clone());
        let node = tree.node(&here).unwrap();
        for (i, item) in node.checklist.iter().enumerate() {
            if i > 0 {
                s.keys("j");
            }
            let walk = &s.state.incident.as_ref().unwrap().walk;
            let ticked = walk
                .checklist
                .get(&(here.clone(), item.id.value.clone()))
                .is_some_and(|c| c.checked);
            if item.mandatory && !ticked {
                s.keys("x");
            }
        }
        match &node.kind {
            // A new node where there is one (the tree has loops back).
            NodeKind::Decision { choices } => {
                let pick = choices
                    .iter()
                    .position(|c| !walked.contains(&c.next.value))
                    .unwrap_or(0);
                s.keys(&(pick + 1).to_string());
            }
            NodeKind::Step { .. } => {
                for _ in 0..20 {
                    s.key(KeyCode::PageDown);
                }
                s.key(KeyCode::Enter);
            }
            NodeKind::Outcome { .. } => return walked,
        }
        let next = current(s);
        assert_ne!(
            next, here,
            "the walk moved on from {here}: {:?} {:?} {:?}",
            s.state.screen, s.state.dialog, s.state.notice
        );
    }
    panic!("no outcome reached: {walked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_walk_of_the_token_theft_tree_leaves_one_comment_per_event_and_completed_tasks() {
    let mock = SentinelMock::start().await;
    let api = api(&mock);
    let mut s = super::screen::Session::typed(
        cairn::runtime::lookups::Live {
            client: Arc::new(api.clone()),
            auth: cairn::lookup::error::AuthKind::Unknown,
            credentials: None,
        },
        vec![("upn".into(), "aiko.tanaka@contoso.example".into())],
    );
    let id = IncidentId::parse(&s.state.incident.as_ref().unwrap().meta.id).unwrap();
    // Attached as `cairn attach` does, from another process; the screen
    // catches up, and every earlier event is queued.
    let mut store = Store::open(s.dir.path()).unwrap();
    store.append(&id, attached_kind()).unwrap();
    let after = s.state.incident.as_ref().unwrap().walk.last_seq;
    s.run(vec![cairn::app::Effect::Refresh {
        incident: id.to_string(),
        after,
    }]);
    let walked = walk_to_an_outcome(&mut s);
    assert!(walked.len() >= 5, "{walked:?}");
    store.close_incident(&id, Some("contained".into())).unwrap();

    let sentinel = Sentinel::new(&api, &SentinelMock::workspace());
    drain(&mut store, &sentinel, &id, &mut |_| {})
        .await
        .unwrap();
    expect_comments(&store, &id, &mock);
    let events = store.events(&id).unwrap();
    let choices = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ChoiceMade { .. }))
        .count();
    assert!(choices >= 2, "decisions were pushed: {choices}");
    // The first decision set the incident Active; closing here (without
    // `--sentinel` and its number) left it open there.
    assert_eq!(mock.incident()["status"], "Active");
    assert_eq!(mock.incident_writes(), 1);
    let tree = &s.trees[0];
    let tasks = mock.tasks();
    let titles: Vec<String> = tasks.iter().map(|(_, t)| t.title.clone()).collect();
    let expected: Vec<String> = walked
        .iter()
        .map(|n| format!("[cairn] {}", tree.node(n).unwrap().title.get("en")))
        .collect();
    assert_eq!(titles, expected, "one task per walked node, in walk order");
    assert!(
        tasks
            .iter()
            .all(|(_, t)| t.status == TaskStatus::Completed.as_str()),
        "{tasks:?}"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_incident_see_each_others_decisions_and_notes() {
    use super::sentinel_attach::{cairn, env, env_as, text};
    let mock = SentinelMock::start().await;
    let kim = env(&mock);
    let mika = env_as(&mock, "sentinel-token-mika");
    let mut ids = Vec::new();
    for (who, env) in [("kim", &kim), ("mika", &mika)] {
        let out = cairn(env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
        let note = format!("{who}: called the user");
        let out = cairn(env, &["note", id.as_str(), &note]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        // A decision as the screen records it.
        let mut store = Store::open(&env.data).unwrap();
        store
            .append(
                &id,
                EventKind::ChoiceMade {
                    node: "user-confirmation".into(),
                    choice: format!("{who}-choice"),
                    next: "containment-impact".into(),
                    reason: Some(format!("{who} saw the sign-in")),
                },
            )
            .unwrap();
        ids.push(id);
    }
    // Each pushes its own and reads the other's; kim reads again for mika's.
    for (env, id) in [(&kim, &ids[0]), (&mika, &ids[1]), (&kim, &ids[0])] {
        let out = cairn(env, &["sync", id.as_str()]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let out = cairn(&kim, &["show", ids[0].as_str()]).await;
    let kim_sees = text(&out.stdout);
    let out = cairn(&mika, &["show", ids[1].as_str()]).await;
    let mika_sees = text(&out.stdout);
    let remote = |shown: &str| -> Vec<String> {
        shown
            .lines()
            .filter(|l| l.trim_start().starts_with("remote "))
            .map(str::to_string)
            .collect()
    };
    let (kim_remote, mika_remote) = (remote(&kim_sees), remote(&mika_sees));
    let sees = |lines: &[String], author: &str, text: &str| {
        lines.iter().any(|l| l.contains(author) && l.contains(text))
    };
    for (lines, shown, other) in [
        (&kim_remote, &kim_sees, "mika"),
        (&mika_remote, &mika_sees, "kim"),
    ] {
        let author = format!("{other}@contoso.com");
        assert!(
            sees(lines, &author, &format!("{other}: called the user")),
            "{shown}"
        );
        assert!(
            sees(lines, &author, &format!("{other} saw the sign-in")),
            "{shown}"
        );
    }
    // One's own comments are never "remote", and nothing entered a chain.
    assert!(
        !kim_remote.iter().any(|l| l.contains("kim@contoso.com")),
        "{kim_sees}"
    );
    assert!(
        !mika_remote.iter().any(|l| l.contains("mika@contoso.com")),
        "{mika_sees}"
    );
    let kim_events = Store::open(&kim.data).unwrap().events(&ids[0]).unwrap();
    assert!(!kim_events.iter().any(|e| {
        let kind = format!("{:?}", e.kind);
        kind.contains("mika: called") || kind.contains("mika saw")
    }));
    assert!(kim_sees.contains("hash chain intact"), "{kim_sees}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_remote_catches_a_deleted_local_tail_the_head_log_no_longer_shows() {
    use super::sentinel_attach::{cairn, env, text};
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
    for note in ["first", "second", "third"] {
        let out = cairn(&env, &["note", id.as_str(), note]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cairn(&env, &["verify", id.as_str(), "--remote"]).await;
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("heads carried by comments"),
        "{}",
        text(&out.stderr)
    );

    // Someone with the account deletes the last two events, and the head
    // log's lines for them, so the local checks alone see nothing.
    let last = Store::open(&env.data).unwrap().events(&id).unwrap().len() as i64;
    {
        let raw = rusqlite::Connection::open(env.data.join("cairn.db")).unwrap();
        raw.execute_batch(&format!(
            "DROP TRIGGER events_no_delete;
             DELETE FROM outbox WHERE incident_id = '{id}' AND seq > {keep};
             DELETE FROM events WHERE incident_id = '{id}' AND seq > {keep};",
            keep = last - 2
        ))
        .unwrap();
    }
    let heads = env.data.join("cairn.heads");
    let kept: String = std::fs::read_to_string(&heads)
        .unwrap()
        .lines()
        .filter(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["seq"].as_i64().unwrap() <= last - 2
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&heads, kept).unwrap();
    let out = cairn(&env, &["verify", id.as_str()]).await;
    assert!(
        out.status.success(),
        "the local checks are fooled: {}",
        text(&out.stdout)
    );
    let out = cairn(&env, &["verify", id.as_str(), "--remote"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let said = text(&out.stdout);
    assert!(
        said.contains("BROKEN") && said.contains("deleted"),
        "{said}"
    );
}
