//! The sync outbox fills in the same transaction as the events it mirrors:
//! only for incidents attached to Sentinel, never for practice ones, and
//! attaching late gives every earlier event its rows, in order.

use cairn::store::event::{EventKind, Mode, ValueSource};
use cairn::store::outbox::{Field, Item, comment_id};
use cairn::store::{IncidentId, Store, StoreError};

use crate::support::{new_incident, temp_store};

fn attached() -> EventKind {
    EventKind::attached_stand_in("inc-1")
}

fn note(text: &str) -> EventKind {
    EventKind::NoteAdded {
        node: None,
        text: text.into(),
    }
}

fn rows(store: &Store, id: &IncidentId) -> Vec<(u64, Item)> {
    store
        .outbox_pending(id, 1000)
        .unwrap()
        .into_iter()
        .map(|p| (p.event.seq, p.item))
        .collect()
}

#[test]
fn an_attached_incident_gets_one_row_per_pushed_event_in_order() {
    let (_tmp, mut store) = temp_store();
    let id = store
        .create_incident_with(new_incident("live"), vec![attached()])
        .unwrap();
    assert_eq!(
        store.outbox_state(&id).unwrap().target.as_deref(),
        Some("inc-1")
    );
    // The creation is local bookkeeping; the link asks to claim the incident.
    assert_eq!(rows(&store, &id), vec![(2, Item::Field(Field::Claim))]);
    store
        .append_batch(
            &id,
            None,
            vec![
                EventKind::ChoiceMade {
                    node: "start".into(),
                    choice: "yes".into(),
                    next: "next".into(),
                    reason: Some("seen".into()),
                },
                EventKind::NodeEntered {
                    node: "next".into(),
                },
            ],
        )
        .unwrap();
    store.append(&id, note("one")).unwrap();
    store
        .append(
            &id,
            EventKind::LanguageChanged {
                language: "ja".into(),
            },
        )
        .unwrap();
    assert_eq!(
        rows(&store, &id),
        vec![
            (2, Item::Field(Field::Claim)),
            (3, Item::Comment),
            (3, Item::Task),
            (3, Item::Field(Field::Activate)),
            (4, Item::Task),
            (5, Item::Comment)
        ]
    );
    let pending = store.outbox_pending(&id, 10).unwrap();
    let hash = &store.events(&id).unwrap()[4].hash;
    assert_eq!(pending[5].event.hash, *hash);
    store
        .outbox_mark_sent(&[pending[1].row, pending[4].row])
        .unwrap();
    assert_eq!(
        rows(&store, &id),
        vec![
            (2, Item::Field(Field::Claim)),
            (3, Item::Task),
            (3, Item::Field(Field::Activate)),
            (5, Item::Comment)
        ]
    );
    let state = store.outbox_state(&id).unwrap();
    assert_eq!((state.pending, state.sent), (4, 2));
    assert!(state.last_sent.is_some());
    store
        .outbox_note_failure(pending[0].row, "throttled")
        .unwrap();
    assert_eq!(
        store.outbox_state(&id).unwrap().last_error.as_deref(),
        Some("throttled")
    );
    assert_eq!(store.outbox_pending(&id, 1).unwrap()[0].attempts, 1);
    // The id a comment gets depends on its event alone.
    assert_ne!(comment_id(hash), comment_id(&pending[0].event.hash));
}

#[test]
fn unattached_and_practice_incidents_never_fill_the_outbox() {
    let (_tmp, mut store) = temp_store();
    let local = store.create_incident(new_incident("local")).unwrap();
    store.append(&local, note("stays here")).unwrap();
    assert!(rows(&store, &local).is_empty());
    assert_eq!(store.outbox_state(&local).unwrap().target, None);

    let mut practice = new_incident("practice");
    practice.mode = Mode::Practice;
    let practice = store
        .create_incident_with(practice, vec![attached()])
        .unwrap();
    store.append(&practice, note("practice")).unwrap();
    assert!(rows(&store, &practice).is_empty());
    assert_eq!(store.outbox_state(&practice).unwrap().target, None);
}

#[test]
fn attaching_late_queues_every_earlier_event_first() {
    let (_tmp, mut store) = temp_store();
    let id = store.create_incident(new_incident("late")).unwrap();
    store.append(&id, note("before")).unwrap();
    store
        .append(
            &id,
            EventKind::VariableSet {
                name: "upn".into(),
                value: "kim@contoso.com".into(),
                source: ValueSource::Typed,
            },
        )
        .unwrap();
    store.append(&id, attached()).unwrap();
    store.append(&id, note("after")).unwrap();
    assert_eq!(
        rows(&store, &id),
        vec![
            (2, Item::Comment),
            (3, Item::Comment),
            (4, Item::Field(Field::Claim)),
            (5, Item::Comment)
        ]
    );
    // Nothing is missing, so reconciling adds nothing.
    assert_eq!(store.outbox_reconcile(&id).unwrap(), 0);
}

#[test]
fn a_refused_batch_leaves_no_outbox_rows() {
    let (_tmp, mut store) = temp_store();
    let id = store
        .create_incident_with(new_incident("live"), vec![attached()])
        .unwrap();
    // The second part is invalid: the whole batch, rows included, is not saved.
    let err = store
        .append_batch(&id, None, vec![note("first"), note("  ")])
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidEvent(_)), "{err}");
    let claim_only = vec![(2, Item::Field(Field::Claim))];
    assert_eq!(rows(&store, &id), claim_only);
    let err = store
        .append_batch(&id, Some(1), vec![note("stale")])
        .unwrap_err();
    assert!(matches!(err, StoreError::Stale { .. }), "{err}");
    assert_eq!(rows(&store, &id), claim_only);
}

fn choice(node: &str) -> EventKind {
    EventKind::ChoiceMade {
        node: node.into(),
        choice: "yes".into(),
        next: "next".into(),
        reason: None,
    }
}

#[test]
fn the_incident_is_activated_once_and_each_confirmed_close_is_its_own_row() {
    let (_tmp, mut store) = temp_store();
    let id = store
        .create_incident_with(new_incident("live"), vec![attached()])
        .unwrap();
    store.append(&id, choice("a")).unwrap();
    store.append(&id, choice("b")).unwrap();
    let close = || EventKind::SentinelCloseConfirmed {
        classification: "TruePositive".into(),
        reason: Some("SuspiciousActivity".into()),
        comment: "contained".into(),
        outcome: Some("contained".into()),
        confirmation: "42".into(),
    };
    store
        .append_batch(
            &id,
            None,
            vec![EventKind::IncidentClosed { summary: None }, close()],
        )
        .unwrap();
    store.reopen_incident(&id, None).unwrap();
    store
        .append_batch(
            &id,
            None,
            vec![EventKind::IncidentClosed { summary: None }, close()],
        )
        .unwrap();
    let fields: Vec<(u64, Item)> = rows(&store, &id)
        .into_iter()
        .filter(|(_, item)| matches!(item, Item::Field(_)))
        .collect();
    assert_eq!(
        fields,
        vec![
            (2, Item::Field(Field::Claim)),
            (3, Item::Field(Field::Activate)),
            (6, Item::Field(Field::Close)),
            (9, Item::Field(Field::Close)),
        ]
    );
}
