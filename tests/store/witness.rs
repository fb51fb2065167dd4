//! What a hash chain alone cannot see: its newest events deleted, its tail
//! rewritten and re-hashed, a whole incident deleted, the status column
//! flipped. The head log and heads kept elsewhere (`--head`) catch them.

use std::path::Path;

use cairn::store::chain::event_hash;
use cairn::store::{EventKind, Head, IncidentId, Store, StoreError};

use crate::support::{cairn, create_via_cli, new_incident, run, temp_store};

/// An incident with `notes` notes, its store closed; returns the data dir.
fn incident_with_notes(notes: usize) -> (tempfile::TempDir, IncidentId) {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("witness")).unwrap();
    for i in 1..=notes {
        let text = format!("note {i}");
        store
            .append(&id, EventKind::NoteAdded { node: None, text })
            .unwrap();
    }
    (tmp, id)
}

/// A raw connection with the schema's append-only guards removed, as a
/// tamperer would have to.
fn tamper(dir: &Path) -> rusqlite::Connection {
    let raw = rusqlite::Connection::open(dir.join("cairn.db")).unwrap();
    raw.execute_batch(
        "DROP TRIGGER IF EXISTS events_no_update;
         DROP TRIGGER IF EXISTS events_no_delete;
         DROP TRIGGER IF EXISTS incidents_no_delete;",
    )
    .unwrap();
    raw
}

fn data(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("data")
}

#[test]
fn an_intact_incident_agrees_with_its_head_log() {
    let (tmp, id) = incident_with_notes(3);
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let v = store.verify(&id).unwrap();
    assert_eq!(v.broken, None);
    assert_eq!((v.events, v.head_seq, v.witnessed), (4, 4, Some(4)));
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    let log = std::fs::read_to_string(data(&tmp).join("cairn.heads")).unwrap();
    assert_eq!(log.lines().count(), 4, "one line per commit: {log}");
}

#[test]
fn deleting_the_newest_event_is_reported() {
    let (tmp, id) = incident_with_notes(5);
    tamper(&data(&tmp))
        .execute("DELETE FROM events WHERE seq = 6", [])
        .unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let broken = store.verify(&id).unwrap().broken.expect("must be reported");
    assert_eq!(broken.seq, 6);
    assert!(
        broken.reason.contains("chain ends at event 5"),
        "{}",
        broken.reason
    );
}

#[test]
fn rewriting_and_rehashing_the_tail_is_reported() {
    let (tmp, id) = incident_with_notes(5);
    let raw = tamper(&data(&tmp));
    raw.execute("DELETE FROM events WHERE seq >= 5", [])
        .unwrap();
    // A new, self-consistent event 5 on top of event 4.
    let (at, actor, prev): (String, String, String) = raw
        .query_row(
            "SELECT at, actor, hash FROM events WHERE seq = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let kind = r#"{"text":"nothing to see","type":"note_added"}"#;
    let hash = event_hash(&prev, id.as_str(), 5, &at, &actor, kind);
    raw.execute(
        "INSERT INTO events VALUES (?1, 5, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![id.as_str(), at, actor, kind, prev, hash],
    )
    .unwrap();
    drop(raw);
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let v = store.verify(&id).unwrap();
    let broken = v.broken.expect("must be reported");
    assert_eq!(broken.seq, 5);
    assert!(broken.reason.contains("rewritten"), "{}", broken.reason);
}

#[test]
fn flipping_the_status_either_way_is_reported() {
    let (tmp, id) = incident_with_notes(1);
    let mut store = Store::open(&data(&tmp)).unwrap();
    let closed = store.close_incident(&id, None).unwrap();
    drop(store);
    let raw = tamper(&data(&tmp));
    raw.execute("UPDATE incidents SET status = 'open'", [])
        .unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let broken = store.verify(&id).unwrap().broken.expect("must be reported");
    assert_eq!(broken.seq, closed.seq);
    assert!(
        broken
            .reason
            .contains("marked open but its events say it is closed"),
        "{}",
        broken.reason
    );

    let (tmp, id) = incident_with_notes(1);
    tamper(&data(&tmp))
        .execute("UPDATE incidents SET status = 'closed'", [])
        .unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let broken = store.verify(&id).unwrap().broken.expect("must be reported");
    assert!(broken.reason.contains("marked closed"), "{}", broken.reason);
}

#[test]
fn deleting_the_closing_event_is_reported_as_a_deletion() {
    let (tmp, id) = incident_with_notes(1);
    let mut store = Store::open(&data(&tmp)).unwrap();
    let closed = store.close_incident(&id, None).unwrap();
    drop(store);
    tamper(&data(&tmp))
        .execute("DELETE FROM events WHERE seq = ?1", [closed.seq as i64])
        .unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let broken = store.verify(&id).unwrap().broken.expect("must be reported");
    assert_eq!(broken.seq, closed.seq);
    assert!(
        broken.reason.contains("events were deleted"),
        "{}",
        broken.reason
    );
}

#[test]
fn a_changed_creation_time_is_reported() {
    let (tmp, id) = incident_with_notes(1);
    tamper(&data(&tmp))
        .execute(
            "UPDATE incidents SET created_at = '2020-01-01T00:00:00.000000Z'",
            [],
        )
        .unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let broken = store.verify(&id).unwrap().broken.expect("must be reported");
    assert_eq!(broken.seq, 1);
    assert!(broken.reason.contains("creation time"), "{}", broken.reason);
}

#[test]
fn deleting_a_whole_incident_is_reported_by_verify_and_list() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let raw = tamper(&dir);
    raw.execute("DELETE FROM events", []).unwrap();
    raw.execute("DELETE FROM incidents", []).unwrap();
    drop(raw);
    let out = run(cairn(&dir, &["verify", id.as_str()]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.contains("BROKEN"), "{}", out.stdout);
    assert!(out.stdout.contains("it was deleted"), "{}", out.stdout);
    let out = run(cairn(&dir, &["list", "--all"]));
    assert!(
        out.stderr
            .contains(&format!("{id} is in the head log but missing")),
        "{}",
        out.stderr
    );
}

#[test]
fn a_head_from_an_export_catches_what_the_head_log_no_longer_can() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    for text in ["one", "two"] {
        assert_eq!(run(cairn(&dir, &["note", id.as_str(), text])).code, Some(0));
    }
    let report = run(cairn(&dir, &["export", id.as_str(), "--format", "md"])).stdout;
    let line = report
        .lines()
        .find(|l| l.starts_with("Head `"))
        .expect("the report prints its head");
    let head = line.split('`').nth(1).unwrap().to_string();
    assert!(head.starts_with("3:"), "{head}");
    let json = run(cairn(&dir, &["export", id.as_str(), "--format", "json"])).stdout;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        format!(
            "{}:{}",
            json["verification"]["head_seq"],
            json["verification"]["head"].as_str().unwrap()
        ),
        head
    );
    let aar = run(cairn(&dir, &["export", id.as_str(), "--format", "aar"]));
    assert!(
        aar.stdout.contains(&format!("`{head}`")),
        "{}{}",
        aar.stdout,
        aar.stderr
    );

    let out = run(cairn(&dir, &["verify", id.as_str(), "--head", &head]));
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let short = &head[..2 + 12];
    assert_eq!(
        run(cairn(&dir, &["verify", id.as_str(), "--head", short])).code,
        Some(0)
    );

    // The tamperer deletes the newest event and the head log with it.
    tamper(&dir)
        .execute("DELETE FROM events WHERE seq = 3", [])
        .unwrap();
    std::fs::remove_file(dir.join("cairn.heads")).unwrap();
    let out = run(cairn(&dir, &["verify", id.as_str()]));
    assert_eq!(out.code, Some(0), "the chain alone looks intact");
    assert!(out.stderr.contains("no head log"), "{}", out.stderr);
    let out = run(cairn(&dir, &["verify", id.as_str(), "--head", &head]));
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(out.stdout.contains("BROKEN at event 3"), "{}", out.stdout);
    assert!(out.stdout.contains("--head"), "{}", out.stdout);

    let out = run(cairn(&dir, &["verify", id.as_str(), "--head", "3:xyz"]));
    assert_eq!(out.code, Some(2), "a malformed head is a usage error");
}

#[test]
fn events_saved_but_not_witnessed_are_a_warning_not_a_break() {
    let (tmp, id) = incident_with_notes(3);
    let log = data(&tmp).join("cairn.heads");
    let text = std::fs::read_to_string(&log).unwrap();
    let kept: Vec<&str> = text.lines().take(2).collect();
    std::fs::write(&log, kept.join("\n") + "\n").unwrap();
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let v = store.verify(&id).unwrap();
    assert_eq!(v.broken, None);
    assert_eq!(v.witnessed, Some(2));
    assert!(
        v.warnings
            .iter()
            .any(|w| w.contains("events 3..4 are not in the head log")),
        "{:?}",
        v.warnings
    );
}

#[test]
fn closing_and_reopening_are_events_and_a_closed_incident_takes_nothing_else() {
    let (tmp, id) = incident_with_notes(0);
    let mut store = Store::open(&data(&tmp)).unwrap();
    let note = || EventKind::NoteAdded {
        node: None,
        text: "late".into(),
    };
    assert!(matches!(
        store.reopen_incident(&id, None),
        Err(StoreError::InvalidEvent(_))
    ));
    store.close_incident(&id, Some("done".into())).unwrap();
    assert!(matches!(
        store.append(&id, note()),
        Err(StoreError::Closed(_))
    ));
    assert_eq!(
        store.state(&id).unwrap().status(),
        cairn::store::Status::Closed
    );
    let reopened = store
        .reopen_incident(&id, Some("new sign-ins".into()))
        .unwrap();
    assert_eq!(reopened.seq, 3);
    assert_eq!(
        store.incident(&id).unwrap().status,
        cairn::store::Status::Open
    );
    assert_eq!(
        store.state(&id).unwrap().status(),
        cairn::store::Status::Open
    );
    store.append(&id, note()).unwrap();
    let v = store.verify(&id).unwrap();
    assert_eq!(v.broken, None);
    assert_eq!(v.witnessed, Some(4));
}

#[test]
fn cairn_reopen_records_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let out = run(cairn(&dir, &["reopen", id.as_str()]));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("is not closed"), "{}", out.stderr);
    assert_eq!(run(cairn(&dir, &["close", id.as_str()])).code, Some(0));
    let out = run(cairn(
        &dir,
        &["reopen", id.as_str(), "--reason", "more sign-ins"],
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, format!("{id}: reopened (event 3)\n"));
    let json = run(cairn(&dir, &["export", id.as_str(), "--format", "json"])).stdout;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["events"][2]["type"], "incident_reopened");
    assert_eq!(json["events"][2]["reason"], "more sign-ins");
    assert_eq!(json["incident"]["status"], "open");
    let out = run(cairn(&dir, &["note", id.as_str(), "recorded again"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(run(cairn(&dir, &["verify", id.as_str()])).code, Some(0));
}

#[test]
fn heads_printed_by_verify_parse_back() {
    let (tmp, id) = incident_with_notes(2);
    let store = Store::open_read_only(&data(&tmp)).unwrap();
    let v = store.verify(&id).unwrap();
    let head = Head::parse(&v.head_text()).unwrap();
    assert_eq!((head.seq, head.hash.as_str()), (3, v.head.as_str()));
    assert_eq!(store.verify_heads(&id, &[head]).unwrap().broken, None);
}

/// A head log that cannot be written (here a directory stands where the
/// file goes, which fails for root too) never loses the event: the commit
/// succeeds, the store says once why it was not witnessed, and `verify`
/// lists the event as not witnessed.
#[test]
fn a_head_log_that_cannot_be_written_is_reported_once_and_the_event_is_kept() {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("witness")).unwrap();
    assert_eq!(store.take_unwitnessed(), None);
    let heads = data(&tmp).join("cairn.heads");
    let witnessed = std::fs::read(&heads).unwrap();
    std::fs::remove_file(&heads).unwrap();
    std::fs::create_dir(&heads).unwrap();

    let text = "kept".to_string();
    let event = store
        .append(&id, EventKind::NoteAdded { node: None, text })
        .unwrap();
    let problem = store.take_unwitnessed().expect("the failure is reported");
    assert!(
        problem.contains(&format!("event {} of {id} is saved", event.seq))
            && problem.contains("cairn.heads could not be written"),
        "{problem}"
    );
    assert_eq!(store.take_unwitnessed(), None, "reported once");
    assert_eq!(store.events(&id).unwrap().len(), 2);
    // The log back as it was: it saw the creation, not the note.
    std::fs::remove_dir(&heads).unwrap();
    std::fs::write(&heads, witnessed).unwrap();
    let v = store.verify(&id).unwrap();
    assert_eq!((v.broken, v.witnessed), (None, Some(1)));
    assert!(!v.warnings.is_empty(), "the unwitnessed event is listed");
}
