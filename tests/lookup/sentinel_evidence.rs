//! Evidence a responder marks (a lookup run's result) becomes one Sentinel
//! bookmark, with the run's query and the SHA-256 of its result, and one
//! relation from the incident to it: exactly once, through lost answers.

use std::collections::BTreeMap;

use cairn::store::event::{EventKind, LookupStatus};
use cairn::store::outbox::bookmark_id;
use cairn::store::{IncidentId, Store};
use cairn::sync::drain::drain;

use super::sentinel_mock::{Fault, SentinelMock};
use super::sentinel_sync::{api, attached_incident, expect_comments};

const SHA: &str = "5f0c0d8a3b1e4f2a9c7d6e5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f";

fn run() -> EventKind {
    let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    EventKind::LookupRun {
        node: "user-confirmation".into(),
        lookup: "signins".into(),
        provider: "loganalytics".into(),
        query: "SigninLogs | where UserPrincipalName =~ 'alex.doe@contoso.com'".into(),
        variables: BTreeMap::new(),
        timespan: Some("P7D".into()),
        started_at: at,
        finished_at: at,
        status: LookupStatus::Succeeded,
        row_count: Some(2),
        result_sha256: Some(SHA.into()),
        result: Some(r#"{"rows":[["203.0.113.7"],["198.51.100.2"]]}"#.into()),
        result_bytes: 44,
        result_cap: 1_000_000,
        result_truncated: false,
        message: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marked_result_becomes_one_bookmark_and_one_relation_through_a_lost_answer() {
    let mock = SentinelMock::start().await;
    let api = api(&mock);
    let sentinel = cairn::lookup::sentinel::Sentinel::new(&api, &SentinelMock::workspace());
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    let run = store.append(&id, run()).unwrap();
    // Only a lookup run can be marked.
    let err = store
        .append(
            &id,
            EventKind::EvidenceMarked {
                lookup_seq: 2,
                note: None,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not a lookup run"), "{err}");
    let mark = store
        .append(
            &id,
            EventKind::EvidenceMarked {
                lookup_seq: run.seq,
                note: Some("the attacker's IPs".into()),
            },
        )
        .unwrap();
    mock.inject(Fault::LoseAnswer);
    let mut failures = 0;
    while let Err(e) = drain(&mut store, &sentinel, &id, &mut |_| {}).await {
        assert!(e.is_transient(), "{e}");
        failures += 1;
        assert!(failures < 5, "{e}");
    }
    assert_eq!(failures, 1, "the lost answer surfaced once");
    let bookmarks = mock.bookmarks();
    let want = bookmark_id(&mark.hash).hyphenated().to_string();
    assert_eq!(bookmarks.keys().collect::<Vec<_>>(), vec![&want]);
    let b = &bookmarks[&want];
    assert_eq!(
        b["query"],
        "SigninLogs | where UserPrincipalName =~ 'alex.doe@contoso.com'"
    );
    assert!(b["queryResult"].as_str().unwrap().contains("203.0.113.7"));
    let notes = b["notes"].as_str().unwrap();
    assert!(
        notes.contains(SHA) && notes.contains("the attacker's IPs"),
        "{notes}"
    );
    assert_eq!(b["displayName"], "[cairn] signins at user-confirmation");
    let relations = mock.relations();
    assert_eq!(relations.len(), 1, "{relations:?}");
    assert_eq!(relations[0].0, want);
    assert!(relations[0].1.ends_with(&format!("/bookmarks/{want}")));
    expect_comments(&store, &id, &mock);
    assert_eq!(store.outbox_state(&id).unwrap().pending, 0);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cairn_mark_records_the_mark_and_sync_pushes_its_bookmark() {
    use super::sentinel_attach::{cairn, env, text};
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
    let seq = Store::open(&env.data)
        .unwrap()
        .append(&id, run())
        .unwrap()
        .seq
        .to_string();
    let out = cairn(&env, &["mark", id.as_str(), "1"]).await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("NOT marked"),
        "{}",
        text(&out.stderr)
    );
    let out = cairn(&env, &["mark", id.as_str(), &seq, "--note", "seen twice"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("bookmark"),
        "{}",
        text(&out.stdout)
    );
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bookmarks = mock.bookmarks();
    assert_eq!(bookmarks.len(), 1);
    let b = bookmarks.values().next().unwrap();
    assert!(b["notes"].as_str().unwrap().contains("seen twice"));
    assert_eq!(mock.relations().len(), 1);
}
