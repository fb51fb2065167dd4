//! Walking the tree: entering nodes, checklists, choices with and without
//! reasons, backtracking and switching language, each applied only once the
//! store confirms it.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key};
use crate::app::*;

#[test]
fn a_fresh_incident_records_entering_the_start_node() {
    let h = Harness::opened();
    assert_eq!(
        h.recorded,
        vec![EventKind::NodeEntered {
            node: "triage".into()
        }]
    );
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(h.state.pending.is_empty());
}

#[test]
fn nothing_shows_as_done_before_the_store_confirms() {
    let mut h = Harness::opened();
    let effects = update(&mut h.state, code(KeyCode::Char(' ')));
    assert!(matches!(effects.as_slice(), [Effect::Record { .. }]));
    let inc = h.state.incident.as_ref().unwrap();
    assert!(!inc.walk.is_checked("triage", "asked-user"));
    assert!(h.state.busy());
}

#[test]
fn leaving_with_open_mandatory_items_asks_first() {
    let mut h = Harness::opened();
    h.send(key('2'));
    assert!(matches!(
        h.state.dialog,
        Some(ConfirmDialog::LeaveWithOpenItems { open: 1, .. })
    ));
    assert_eq!(h.recorded.len(), 1);
    h.send(key('n'));
    assert_eq!(h.current(), "triage");
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
    assert_eq!(h.recorded[1..], not_legit_from_triage());
}

#[test]
fn ticking_the_mandatory_item_lets_the_choice_through() {
    let mut h = Harness::opened();
    h.send(key('x'));
    assert!(
        h.state
            .incident
            .as_ref()
            .unwrap()
            .walk
            .is_checked("triage", "asked-user")
    );
    h.send(key('1'));
    // No question about open items: the only one is the offer to close
    // the incident at its outcome.
    assert_eq!(h.state.dialog, Some(ConfirmDialog::CloseAtOutcome));
    assert_eq!(h.current(), "closed");
}

#[test]
fn a_choice_with_a_reason_records_the_reason() {
    let mut h = Harness::opened();
    h.send(key('x'));
    // Cursor to the second choice: two checklist items, one lookup, then choices.
    for _ in 0..4 {
        h.send(key('j'));
    }
    h.send(key('r'));
    assert!(matches!(
        h.state.screen,
        Screen::Reason(ReasonEditor { choice: 1, .. })
    ));
    for c in "odd IP".chars() {
        h.send(key(c));
    }
    h.send(ctrl('s'));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(h.recorded.contains(&EventKind::ChoiceMade {
        node: "triage".into(),
        choice: "not-legit".into(),
        next: "contain".into(),
        reason: Some("odd IP".into()),
    }));
}

#[test]
fn backtrack_is_recorded_and_visited_nodes_stay_reachable() {
    let mut h = Harness::opened();
    h.send(key('x'));
    h.send(key('2'));
    h.send(key('b'));
    assert_eq!(h.current(), "triage");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::Backtrack {
            from: "contain".into(),
            to: "triage".into()
        })
    );
    let walk = &h.state.incident.as_ref().unwrap().walk;
    assert!(walk.visited.contains("contain"));
    // The abandoned node is still on the map, but off the breadcrumb:
    // going there again is a jump, with a reason.
    h.send(key('m'));
    let Screen::Map(map) = &h.state.screen else {
        panic!()
    };
    assert_eq!(map.cursor, 0);
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    assert!(matches!(h.state.screen, Screen::Jump(_)));
    h.type_text("user confirmed theft");
    h.send(code(KeyCode::Enter));
    assert_eq!(h.current(), "contain");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::Jumped {
            from: "triage".into(),
            to: "contain".into(),
            reason: "user confirmed theft".into()
        })
    );
}

#[test]
fn language_switch_is_recorded_and_applied_when_confirmed() {
    let mut h = Harness::opened();
    h.send(key('L'));
    assert_eq!(h.state.language(), "ja");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::LanguageChanged {
            language: "ja".into()
        })
    );
}

#[test]
fn entering_the_start_node_refused_at_opening_is_recorded_by_the_next_write() {
    let mut h = Harness::opened_while_writes_fail();
    assert!(h.recorded.is_empty());
    assert!(matches!(h.state.notice, Some(Notice::WriteFailed(_))));
    // Space returns: the first write records the entry before itself.
    h.fail_writes = false;
    h.send(key(' '));
    let enter = EventKind::NodeEntered {
        node: "triage".into(),
    };
    assert_eq!(h.recorded.len(), 2, "{:?}", h.recorded);
    assert_eq!(h.recorded[0], enter);
    assert!(!matches!(h.recorded[1], EventKind::NodeEntered { .. }));
    assert_eq!(
        h.state
            .incident
            .as_ref()
            .unwrap()
            .walk
            .current_node
            .as_deref(),
        Some("triage")
    );
    // Owed once: the next write is only itself.
    h.send(key(' '));
    assert_eq!(h.recorded.len(), 3);
    assert!(!h.recorded[2..].contains(&enter));
}

#[test]
fn a_choice_as_the_first_write_after_the_start_entry_failed_enters_the_start_first() {
    let mut h = Harness::opened_while_writes_fail();
    h.fail_writes = false;
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
    assert_eq!(
        h.recorded[0],
        EventKind::NodeEntered {
            node: "triage".into()
        }
    );
    assert_eq!(h.recorded[1..], not_legit_from_triage());
    let walk = &h.state.incident.as_ref().unwrap().walk;
    assert_eq!(walk.trail, ["triage", "contain"]);
}

/// Choosing "not legit" on the mini tree's triage node, as recorded.
fn not_legit_from_triage() -> [EventKind; 2] {
    [
        EventKind::ChoiceMade {
            node: "triage".into(),
            choice: "not-legit".into(),
            next: "contain".into(),
            reason: None,
        },
        EventKind::NodeEntered {
            node: "contain".into(),
        },
    ]
}
