//! The screen's background sync loop itself (`runtime::push`), against the
//! mock: events committed while an attached incident is open drain without
//! `cairn sync`, and a fault (server errors, throttling, a dropped link)
//! beyond the client's own retries shows in the badge, then clears when
//! Sentinel answers again, with nothing lost or written twice. Also the
//! runtime's other Sentinel thread: attaching from the home screen.

use std::time::{Duration, Instant};

use cairn::app::Msg;
use cairn::app::push::Badge;
use cairn::runtime::push::PushWorker;
use cairn::store::event::EventKind;
use cairn::store::{IncidentId, Store};
use tokio::sync::mpsc::UnboundedReceiver;

use super::sentinel_mock::{Fault, SentinelMock};
use super::sentinel_sync::{api, attached_incident, expect_comments, record_walk};

/// Badges reported until `done` holds for the latest one and the store
/// has nothing pending; every badge seen, in order.
async fn until(
    rx: &mut UnboundedReceiver<Msg>,
    store: &Store,
    id: &IncidentId,
    done: impl Fn(&Badge) -> bool,
) -> Vec<Badge> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_millis(200), rx.recv()).await {
            Ok(Some(Msg::Pushed { incident, badge })) => {
                assert_eq!(incident, id.as_str());
                seen.push(badge);
            }
            Ok(Some(_)) => {}
            Ok(None) => panic!("the sync thread hung up: {seen:?}"),
            Err(_) => {}
        }
        if seen.last().is_some_and(&done) {
            return seen;
        }
    }
    panic!(
        "no such badge: {seen:?}, {} pending",
        store.outbox_state(id).unwrap().pending
    );
}

fn synced(b: &Badge) -> bool {
    *b == Badge::Synced
}

fn note(text: &str) -> EventKind {
    EventKind::NoteAdded {
        node: None,
        text: text.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_loop_drains_new_events_and_shows_faults_until_they_clear() {
    let mock = SentinelMock::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = PushWorker::with_client(
        tmp.path().to_path_buf(),
        tx,
        api(&mock),
        SentinelMock::workspace(),
    );
    worker.follow(Some(id.as_str()));
    until(&mut rx, &store, &id, synced).await;

    // Recorded while the screen is open (here by another connection, as
    // the screen's store worker would): pushed with no `cairn sync`.
    record_walk(&mut store, &id, 4);
    let seen = until(&mut rx, &store, &id, |b| {
        synced(b) && store.outbox_state(&id).unwrap().pending == 0
    })
    .await;
    assert!(
        seen.iter()
            .any(|b| matches!(b, Badge::Pending(n) if *n > 0)),
        "the backlog was shown while it drained: {seen:?}"
    );
    expect_comments(&store, &id, &mock);

    // Each fault outlasts the client's own retries (three), so the loop
    // sees it, says why, waits, and drains once Sentinel answers again.
    for (fault, why) in [
        (Fault::Server(503), "503"),
        (
            Fault::Throttle {
                retry_after_secs: 1,
            },
            "429",
        ),
        (Fault::Drop, "network"),
    ] {
        for _ in 0..4 {
            mock.inject(fault);
        }
        store.append(&id, note(&format!("during {why}"))).unwrap();
        let seen = until(
            &mut rx,
            &store,
            &id,
            |b| matches!(b, Badge::Failing { pending, .. } if *pending > 0),
        )
        .await;
        let Some(Badge::Failing { why: said, .. }) = seen.last() else {
            unreachable!()
        };
        assert!(
            said.to_lowercase().contains(why),
            "{why}: the badge says {said}"
        );
        until(&mut rx, &store, &id, |b| {
            synced(b) && store.outbox_state(&id).unwrap().pending == 0
        })
        .await;
        expect_comments(&store, &id, &mock);
    }
    // Leaving the incident stops the loop: nothing more is pushed.
    worker.follow(None);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let writes = mock.writes();
    store.append(&id, note("after leaving")).unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(mock.writes(), writes);
    assert_eq!(store.outbox_state(&id).unwrap().pending, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_reports_a_teammates_choice_read_from_the_incident() {
    use super::sentinel_mock::{Comment, INCIDENT};
    let mock = SentinelMock::start().await;
    mock.state
        .lock()
        .unwrap()
        .incidents
        .get_mut(INCIDENT)
        .unwrap()
        .comments
        .push((
            "0f0f0f0f-0000-4000-8000-000000000001".into(),
            Comment {
                message: "**\\[cairn\\]** chose\n\n`cairn:choice user-confirmation legitimate`\n"
                    .into(),
                etag: "\"e\"".into(),
                author: "mika@contoso.com".into(),
                created: "2026-12-03T10:42:00Z".into(),
            },
        ));
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = PushWorker::with_client(
        tmp.path().to_path_buf(),
        tx,
        api(&mock),
        SentinelMock::workspace(),
    );
    worker.follow(Some(id.as_str()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let choices = loop {
        assert!(Instant::now() < deadline, "no teammates reported");
        if let Ok(Some(Msg::Teammates { incident, choices })) =
            tokio::time::timeout(Duration::from_millis(200), rx.recv()).await
        {
            assert_eq!(incident, id.as_str());
            break choices;
        }
    };
    let mika = &choices["user-confirmation"];
    assert_eq!(
        (mika.choice.as_str(), mika.author.as_str()),
        ("legitimate", "mika@contoso.com")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_screens_attach_reads_the_incident_and_links_it_or_says_why_not() {
    use cairn::runtime::attach::Attacher;
    use cairn::store::NewIncident;
    use cairn::store::event::Mode;
    let mock = SentinelMock::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = store
        .create_incident(NewIncident {
            title: "from home".into(),
            tree_id: "token-theft".into(),
            tree_version: "1".into(),
            tree_source: super::sentinel_sync::tree_source(),
            language: "en".into(),
            mode: Mode::Live,
        })
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let attacher = Attacher {
        dir: Some(tmp.path().to_path_buf()),
        tx,
        client: Some((Box::new(api(&mock)), SentinelMock::workspace())),
    };
    let mut answer = async |reference: &str| {
        attacher.spawn(id.to_string(), reference.into());
        loop {
            match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
                Ok(Some(Msg::SentinelLinked { incident, result })) => {
                    assert_eq!(incident, id.as_str());
                    return result;
                }
                Ok(Some(_)) => {}
                other => panic!("no answer: {other:?}"),
            }
        }
    };
    let why = answer("4242").await.unwrap_err();
    assert!(why.contains("not found"), "{why}");
    assert_eq!(store.outbox_state(&id).unwrap().target, None);
    let name = answer("42").await.unwrap();
    assert_eq!(name, super::sentinel_mock::INCIDENT);
    assert_eq!(
        store.outbox_state(&id).unwrap().target.as_deref(),
        Some(super::sentinel_mock::INCIDENT)
    );
    let upn = store.events(&id).unwrap().iter().any(|e| {
        matches!(&e.kind, EventKind::VariableSet { name, value, .. }
            if name == "upn" && value == "alex.doe@contoso.com")
    });
    assert!(upn, "the entity values were recorded");
}
