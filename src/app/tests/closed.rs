//! A closed incident opens read-only: it can be read and left, nothing is
//! sent to the store, and `R` reopens it once confirmed, as a recorded event.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, key};
use crate::app::*;

#[test]
fn a_closed_incident_records_nothing_and_says_why() {
    let mut h = Harness::opened_closed();
    assert!(h.recorded.is_empty(), "opening it records nothing");
    assert!(h.state.incident.as_ref().unwrap().walk.closed.is_some());
    // Tick, note, choose, choose with a reason, go back, change language.
    for k in [key(' '), key('n'), key('1'), key('r'), key('b'), key('L')] {
        let effects = h.send(k);
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(h.state.notice, Some(Notice::ReadOnly));
        assert!(
            matches!(h.state.screen, Screen::Node(_)),
            "{:?}",
            h.state.screen
        );
    }
    assert!(h.recorded.is_empty(), "{:?}", h.recorded);
    assert!(h.state.pending.is_empty());
    // Reading still works: the cursor moves, the map opens.
    h.send(key('j'));
    assert_eq!(h.state.notice, None);
    assert!(matches!(
        h.state.screen,
        Screen::Node(NodeView { cursor: 1, .. })
    ));
    h.send(key('m'));
    assert!(matches!(h.state.screen, Screen::Map(_)));
    // A jump from the map would be a record: refused, and said.
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    assert!(h.recorded.is_empty(), "{:?}", h.recorded);
    assert_eq!(h.state.notice, Some(Notice::ReadOnly));
    assert_eq!(h.current(), "triage");
}

#[test]
fn reopening_asks_then_records_and_unlocks_the_screen() {
    let mut h = Harness::opened_closed();
    h.send(key('R'));
    assert_eq!(h.state.dialog, Some(ConfirmDialog::Reopen));
    h.send(key('n'));
    assert!(h.recorded.is_empty());
    assert!(h.state.incident.as_ref().unwrap().walk.closed.is_some());

    h.send(key('R'));
    h.send(key('y'));
    assert_eq!(h.recorded, [EventKind::IncidentReopened { reason: None }]);
    assert!(h.state.incident.as_ref().unwrap().walk.closed.is_none());
    h.send(key(' '));
    assert!(
        matches!(
            h.recorded.last(),
            Some(EventKind::ChecklistToggled { checked: true, .. })
        ),
        "{:?}",
        h.recorded
    );
}

#[test]
fn reopen_does_nothing_on_an_open_incident() {
    let mut h = Harness::opened();
    let before = h.recorded.len();
    h.send(key('R'));
    assert_eq!(h.state.dialog, None);
    assert_eq!(h.recorded.len(), before);
}

#[test]
fn a_never_walked_incident_reopens_first_then_enters_its_start() {
    let mut h = Harness::reopened(vec![EventKind::IncidentClosed { summary: None }]);
    h.seq = 1;
    h.recorded.clear();
    h.send(key('R'));
    h.send(key('y'));
    assert_eq!(h.recorded, [EventKind::IncidentReopened { reason: None }]);
    h.send(key(' '));
    assert_eq!(
        h.recorded[1],
        EventKind::NodeEntered {
            node: "triage".into()
        },
        "{:?}",
        h.recorded
    );
    assert!(matches!(
        h.recorded[2..],
        [EventKind::ChecklistToggled { checked: true, .. }]
    ));
}
