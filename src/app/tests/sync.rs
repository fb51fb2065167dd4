//! Several responders on one incident: a decision based on a view another
//! writer has since changed is refused, the typed text is kept, and the
//! screen catches up with the store.

use chrono::DateTime;

use crate::app::fixture::{Harness, ctrl, key};
use crate::app::*;
use crate::store::event::{Actor, Event};

/// Another process's event, as the store would hand it back.
fn foreign(seq: u64, kind: EventKind) -> Event {
    Event {
        seq,
        at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        actor: Actor {
            user: "alice".into(),
            host: "jump".into(),
            ssh_client: None,
        },
        kind,
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// The reason editor open on the second choice of `triage`, with `text` typed.
fn reason_typed(h: &mut Harness, text: &str) {
    h.send(key('x'));
    for _ in 0..4 {
        h.send(key('j'));
    }
    h.send(key('r'));
    for c in text.chars() {
        h.send(key(c));
    }
}

fn reason_text(h: &Harness) -> String {
    match &h.state.screen {
        Screen::Reason(editor) => editor.text(),
        other => panic!("not the reason editor: {other:?}"),
    }
}

#[test]
fn a_stale_choice_is_refused_keeps_the_reason_and_catches_up() {
    let mut h = Harness::opened();
    reason_typed(&mut h, "odd IP");
    let before = h.recorded.len();
    // Someone else ticks an item after this screen last heard from the store.
    h.seq += 1;
    let effects = h.send(ctrl('s'));
    assert_eq!(
        h.recorded.len(),
        before,
        "nothing of the stale choice is written"
    );
    assert_eq!(reason_text(&h), "odd IP");
    assert!(matches!(
        &h.state.notice,
        Some(Notice::Refused { actor, .. }) if actor == "other@host"
    ));
    let [Effect::Refresh { incident, after }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // The walk had seen its start and the tick of `x`.
    assert_eq!((incident.as_str(), *after), ("INC-1", 2));
    // The store's answer: the other responder's tick.
    let tick = foreign(
        3,
        EventKind::ChecklistToggled {
            node: "triage".into(),
            item: "ticket".into(),
            checked: true,
        },
    );
    h.send(Msg::Refreshed {
        incident: "INC-1".into(),
        result: Ok(vec![tick]),
    });
    let inc = h.state.incident.as_ref().unwrap();
    assert!(inc.walk.is_checked("triage", "ticket"));
    assert_eq!(reason_text(&h), "odd IP", "catching up keeps the editor");
    // Decided again on the current view, the choice is recorded whole.
    h.send(ctrl('s'));
    assert_eq!(h.current(), "contain");
    assert_eq!(
        h.recorded[before..],
        [
            EventKind::ChoiceMade {
                node: "triage".into(),
                choice: "not-legit".into(),
                next: "contain".into(),
                reason: Some("odd IP".into()),
            },
            EventKind::NodeEntered {
                node: "contain".into()
            },
        ]
    );
}

#[test]
fn a_choice_for_a_node_another_responder_left_is_never_recorded() {
    let mut h = Harness::opened();
    reason_typed(&mut h, "odd IP");
    let before = h.recorded.len();
    // Alice chose at triage meanwhile; this screen learns it from the watch.
    h.seq += 2;
    h.send(Msg::Refreshed {
        incident: "INC-1".into(),
        result: Ok(vec![
            foreign(
                3,
                EventKind::ChoiceMade {
                    node: "triage".into(),
                    choice: "legit".into(),
                    next: "closed".into(),
                    reason: None,
                },
            ),
            foreign(
                4,
                EventKind::NodeEntered {
                    node: "closed".into(),
                },
            ),
        ]),
    });
    assert_eq!(h.current(), "closed");
    assert!(matches!(
        &h.state.notice,
        Some(Notice::Changed { actor, .. }) if actor == "alice@jump"
    ));
    h.send(ctrl('s'));
    assert_eq!(h.recorded.len(), before);
    assert!(matches!(
        &h.state.notice,
        Some(Notice::Refused { actor, .. }) if actor == "alice@jump"
    ));
    assert_eq!(reason_text(&h), "odd IP");
}

#[test]
fn a_choice_is_one_write_with_the_node_it_enters() {
    let mut h = Harness::opened();
    h.send(key('x'));
    let effects = h.hold(key('2'));
    let [
        Effect::Record {
            based_on, kinds, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    // Based on the start and the tick: everything this screen has seen.
    assert_eq!(*based_on, Some(2));
    assert!(matches!(
        kinds.as_slice(),
        [EventKind::ChoiceMade { .. }, EventKind::NodeEntered { .. }]
    ));
}

#[test]
fn events_already_applied_are_not_applied_twice() {
    let mut h = Harness::opened();
    let entered = foreign(
        1,
        EventKind::NodeEntered {
            node: "triage".into(),
        },
    );
    let before = h.state.incident.as_ref().unwrap().walk.clone();
    h.send(Msg::Refreshed {
        incident: "INC-1".into(),
        result: Ok(vec![entered]),
    });
    assert_eq!(h.state.incident.as_ref().unwrap().walk, before);
}

/// A commit whose head the head log missed is saved; the status line says
/// the head log was not written (drawn in `ui::screen_tests`).
#[test]
fn a_head_log_that_was_not_written_is_said_on_the_status_line() {
    let mut h = Harness::opened();
    h.send(key('x'));
    let saved = h.recorded.len();
    let problem = "the head log /data/cairn.heads could not be written (Is a directory); \
                   event 3 of INC-1 is saved";
    let effects = h.send(Msg::Unwitnessed(problem.into()));
    assert!(effects.is_empty(), "nothing is written again: {effects:?}");
    assert_eq!(h.recorded.len(), saved);
    assert!(matches!(&h.state.notice, Some(Notice::Unwitnessed(p)) if p == problem));
}
