//! Edits made behind Cairn's back are refused by the schema or caught by
//! `verify`.

use cairn::store::EventKind;

use crate::support::{enter, new_incident, temp_store};

#[test]
fn verify_finds_edits_deletions_and_a_swapped_tree() {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("tamper")).unwrap();
    for i in 0..5 {
        store
            .append(
                &id,
                EventKind::NoteAdded {
                    node: None,
                    text: format!("note {i}"),
                },
            )
            .unwrap();
    }
    let path = store.path().to_path_buf();
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    // The schema refuses edits; a tamperer has to remove the guard first.
    let refused = raw.execute("UPDATE events SET kind = '{}' WHERE seq = 3", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(raw.execute("DELETE FROM events WHERE seq = 3", []).is_err());
    raw.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    raw.execute(
        "UPDATE events SET kind = replace(kind, 'note 2', 'note two') WHERE seq = 4",
        [],
    )
    .unwrap();
    drop(raw);

    let store = cairn::store::Store::open(&tmp.path().join("data")).unwrap();
    let broken = store.verify(&id).unwrap().broken.unwrap();
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("changed"), "{}", broken.reason);

    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE events SET kind = replace(kind, 'note two', 'note 2') WHERE seq = 4",
        [],
    )
    .unwrap();
    raw.execute("DELETE FROM events WHERE seq = 5", []).unwrap();
    drop(raw);
    assert_eq!(store.verify(&id).unwrap().broken.unwrap().seq, 6);
}

#[test]
fn a_swapped_tree_copy_is_detected() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("tree swap")).unwrap();
    let path = store.path().to_path_buf();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE incidents SET tree_source = replace(tree_source, 'Revoke', 'Ignore')",
        [],
    )
    .unwrap();
    drop(raw);
    let broken = store.verify(&id).unwrap().broken.unwrap();
    assert_eq!(broken.seq, 1);
    assert!(broken.reason.contains("tree source"), "{}", broken.reason);
    store.append(&id, enter("triage")).unwrap();
}

#[test]
fn an_unreadable_event_is_an_error_naming_it_not_a_panic() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("unreadable")).unwrap();
    store.append(&id, enter("triage")).unwrap();
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    raw.execute_batch("DROP TRIGGER events_no_update").unwrap();
    raw.execute(
        "UPDATE events SET kind = '{\"type\":\"wiped\"}' WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(raw);
    let err = store.events(&id).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, cairn::store::StoreError::Corrupt { seq: 2, .. }),
        "{message}"
    );
    assert!(
        message.contains(&format!("event 2 of incident {id} is unreadable")),
        "{message}"
    );
    assert!(message.contains(&format!("run `cairn verify {id}`")));
    assert_eq!(store.verify(&id).unwrap().broken.unwrap().seq, 2);
}
