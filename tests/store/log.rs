//! The event log through the library: ids, replay, chain, rules, caps.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use cairn::store::event::{ActionStatus, EventKind, LookupStatus, ValueSource};
use cairn::store::projection::Via;
use cairn::store::{IncidentId, RESULT_CAP, Status, StoreError};
use chrono::Utc;

use crate::support::{enter, kim, new_incident, temp_store};

fn lookup(result: Option<String>, cap: u64) -> EventKind {
    let now = Utc::now();
    EventKind::LookupRun {
        node: "triage".into(),
        lookup: "recent-signins".into(),
        provider: "loganalytics".into(),
        query: "SigninLogs | where UserPrincipalName =~ 'kim@contoso.com'".into(),
        variables: BTreeMap::from([("upn".to_string(), "kim@contoso.com".to_string())]),
        timespan: Some("7d".into()),
        started_at: now,
        finished_at: now,
        status: LookupStatus::Succeeded,
        row_count: Some(2),
        result_sha256: Some("ab".repeat(32)),
        result_bytes: result.as_ref().map(|r| r.len() as u64).unwrap_or(0),
        result,
        result_cap: cap,
        result_truncated: false,
        message: None,
    }
}

#[test]
fn ids_are_tree_initials_day_and_a_running_number() {
    let (_tmp, mut store) = temp_store();
    let day = Utc::now().format("%Y%m%d").to_string();
    let a = store.create_incident(new_incident("first")).unwrap();
    let b = store.create_incident(new_incident("second")).unwrap();
    let mut other = new_incident("other tree");
    other.tree_id = "token-theft".into();
    let c = store.create_incident(other).unwrap();
    assert_eq!(a.as_str(), format!("M-{day}-1"));
    assert_eq!(b.as_str(), format!("M-{day}-2"));
    assert_eq!(c.as_str(), format!("TT-{day}-1"));
    let listed: Vec<String> = store
        .list(false)
        .unwrap()
        .iter()
        .map(|s| s.title.clone())
        .collect();
    assert_eq!(listed, ["other tree", "second", "first"]);
}

#[test]
fn a_walk_replays_into_the_incident_state() {
    let (_tmp, mut store) = temp_store();
    let id = store
        .create_incident(new_incident("Unfamiliar sign-in for kim"))
        .unwrap();
    let steps = vec![
        EventKind::NodeEntered {
            node: "triage".into(),
        },
        EventKind::VariableSet {
            name: "upn".into(),
            value: "kim@contoso.com".into(),
            source: ValueSource::Typed,
        },
        EventKind::ChecklistToggled {
            node: "triage".into(),
            item: "asked-user".into(),
            checked: true,
        },
        EventKind::ChecklistToggled {
            node: "triage".into(),
            item: "asked-user".into(),
            checked: false,
        },
        lookup(
            Some(r#"{"columns":["IPAddress"],"rows":[["198.51.100.9"]]}"#.into()),
            RESULT_CAP,
        ),
        EventKind::VariableSet {
            name: "attacker_ip".into(),
            value: "198.51.100.9".into(),
            source: ValueSource::Lookup {
                lookup_seq: 6,
                row: 0,
                column: "IPAddress".into(),
            },
        },
        EventKind::NoteAdded {
            node: Some("triage".into()),
            text: "User denies the sign-in".into(),
        },
        EventKind::ChoiceMade {
            node: "triage".into(),
            choice: "legit".into(),
            next: "closed".into(),
            reason: None,
        },
        EventKind::Backtrack {
            from: "closed".into(),
            to: "triage".into(),
        },
        EventKind::ChoiceMade {
            node: "triage".into(),
            choice: "not-legit".into(),
            next: "contain".into(),
            reason: Some("sign-in from an unknown ASN".into()),
        },
        EventKind::NodeEntered {
            node: "contain".into(),
        },
        EventKind::NoteAmended {
            amends: 8,
            text: "User denies the sign-in; called at 03:10".into(),
        },
        EventKind::VariableSet {
            name: "upn".into(),
            value: "kim.lee@contoso.com".into(),
            source: ValueSource::Typed,
        },
        EventKind::ActionIntended {
            node: "contain".into(),
            action: "revoke-sessions".into(),
            method: "POST".into(),
            path: "/users/kim.lee%40contoso.com/revokeSignInSessions".into(),
            body: None,
            confirmation: "kim.lee@contoso.com".into(),
            simulated: false,
            approval: None,
        },
        EventKind::ActionIntended {
            node: "contain".into(),
            action: "revoke-sessions".into(),
            method: "POST".into(),
            path: "/users/kim.lee%40contoso.com/revokeSignInSessions".into(),
            body: None,
            confirmation: "kim.lee@contoso.com".into(),
            simulated: false,
            approval: None,
        },
        EventKind::ActionOutcome {
            intent: 16,
            status: ActionStatus::Succeeded,
            http_status: Some(200),
            detail: None,
        },
    ];
    for kind in steps {
        store.append(&id, kind).unwrap();
    }
    let state = store.state(&id).unwrap();
    assert_eq!(state.event_count, 17);
    assert_eq!(state.current_node.as_deref(), Some("contain"));
    let walked: Vec<&str> = state.path.iter().map(|s| s.node.as_str()).collect();
    assert_eq!(walked, ["triage", "closed", "triage", "contain"]);
    assert!(matches!(&state.path[2].via, Via::Backtrack { from } if from == "closed"));
    assert!(matches!(&state.path[3].via,
        Via::Choice { reason: Some(r), choice, .. } if r == "sign-in from an unknown ASN" && choice == "not-legit"));
    assert_eq!(state.visited.len(), 3);
    assert!(
        !state.is_checked("triage", "asked-user"),
        "toggled on, then off"
    );
    let upn = &state.variables["upn"];
    assert_eq!(upn.current.value, "kim.lee@contoso.com");
    assert_eq!(upn.history[0].value, "kim@contoso.com");
    assert!(matches!(
        &state.variables["attacker_ip"].current.source,
        ValueSource::Lookup { lookup_seq: 6, .. }
    ));
    assert_eq!(state.notes.len(), 1);
    assert_eq!(
        state.notes[0].text(),
        "User denies the sign-in; called at 03:10"
    );
    assert_eq!(state.notes[0].versions[0].text, "User denies the sign-in");
    assert_eq!(state.lookups.len(), 1);
    assert_eq!(state.actions.len(), 2);
    assert_eq!(
        state.actions[0].outcome, None,
        "first intent has no outcome"
    );
    assert_eq!(
        state.actions[1].outcome.as_ref().unwrap().http_status,
        Some(200)
    );
    assert_eq!(state.status(), Status::Open);
    assert_eq!(state.path[0].stamp.actor, kim());
    assert!(state.anomalies.is_empty());

    store
        .close_incident(&id, Some("Sessions revoked".into()))
        .unwrap();
    assert_eq!(store.incident(&id).unwrap().status, Status::Closed);
    assert!(matches!(
        store.append(
            &id,
            EventKind::NoteAdded {
                node: None,
                text: "late".into()
            }
        ),
        Err(StoreError::Closed(_))
    ));
    let v = store.verify(&id).unwrap();
    assert_eq!((v.events, v.broken), (18, None));
}

#[test]
fn append_returns_exactly_what_is_read_back() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("round trip")).unwrap();
    let appended = store.append(&id, lookup(Some("[]".into()), 1024)).unwrap();
    let events = store.events(&id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1], appended);
    assert_eq!(appended.prev_hash, events[0].hash);
    assert!(
        matches!(&events[0].kind, EventKind::IncidentCreated { title, tree_id, .. }
        if title == "round trip" && tree_id == "mini")
    );
}

#[test]
fn events_that_break_the_rules_are_refused_and_not_written() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("rules")).unwrap();
    store.append(&id, enter("triage")).unwrap();
    let refused = [
        EventKind::NoteAmended {
            amends: 2,
            text: "not a note".into(),
        },
        EventKind::NoteAmended {
            amends: 99,
            text: "no such event".into(),
        },
        EventKind::ActionOutcome {
            intent: 2,
            status: ActionStatus::Failed,
            http_status: None,
            detail: None,
        },
        EventKind::NoteAdded {
            node: None,
            text: "  \n".into(),
        },
        EventKind::IncidentCreated {
            title: "again".into(),
            tree_id: "mini".into(),
            tree_version: "1".into(),
            tree_sha256: String::new(),
            language: "en".into(),
            mode: cairn::store::event::Mode::Live,
        },
    ];
    for kind in refused {
        let err = store.append(&id, kind.clone()).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidEvent(_)),
            "{kind:?}: {err}"
        );
    }
    assert_eq!(store.events(&id).unwrap().len(), 2);
    let unknown = IncidentId::parse("M-20000101-9").unwrap();
    let err = store
        .append(&unknown, EventKind::NodeEntered { node: "x".into() })
        .unwrap_err();
    assert!(
        err.to_string().contains("no incident M-20000101-9"),
        "{err}"
    );
    assert!(matches!(
        store.events(&unknown),
        Err(StoreError::UnknownIncident { .. })
    ));
}

#[test]
fn lookup_results_are_kept_up_to_the_cap_and_the_cut_is_recorded() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("big result")).unwrap();
    let big = "é".repeat(RESULT_CAP as usize); // two bytes each: twice the cap
    let event = store
        .append(&id, lookup(Some(big.clone()), u64::MAX))
        .unwrap();
    let EventKind::LookupRun {
        result,
        result_bytes,
        result_cap,
        result_truncated,
        ..
    } = &event.kind
    else {
        panic!("not a lookup");
    };
    assert_eq!(*result_cap, RESULT_CAP);
    assert_eq!(
        *result_bytes,
        big.len() as u64,
        "the full size stays recorded"
    );
    assert!(*result_truncated);
    assert_eq!(result.as_ref().unwrap().len() as u64, RESULT_CAP);
    assert_eq!(store.events(&id).unwrap()[1], event);
    let small = store
        .append(&id, lookup(Some("[1,2]".into()), 1024))
        .unwrap();
    assert!(matches!(
        small.kind,
        EventKind::LookupRun {
            result_truncated: false,
            ..
        }
    ));
}

#[test]
fn the_store_is_private_to_its_owner() {
    let (tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("modes")).unwrap();
    store.append(&id, enter("triage")).unwrap();
    let mode = |p: std::path::PathBuf| std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    let dir = tmp.path().join("data");
    assert_eq!(mode(dir.clone()), 0o700);
    assert_eq!(mode(dir.join("cairn.db")), 0o600);
    // While the store is open, SQLite's side files exist and follow the db.
    assert_eq!(mode(dir.join("cairn.db-wal")), 0o600);
    assert_eq!(mode(dir.join("cairn.db-shm")), 0o600);
    let raw = rusqlite::Connection::open(dir.join("cairn.db")).unwrap();
    let journal: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
