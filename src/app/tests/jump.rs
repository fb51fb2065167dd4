//! Jumping from search and the map: previewed, given a reason, recorded as
//! a jump, and an outcome confirmed before it is reached.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, key};
use crate::app::*;
use crate::store::projection::Via;

/// Opens the jump preview for `query`'s first search match.
fn search_jump(h: &mut Harness, query: &str) {
    h.send(key('/'));
    h.type_text(query);
    h.send(code(KeyCode::Enter));
    assert!(
        matches!(h.state.screen, Screen::Jump(_)),
        "{:?}",
        h.state.screen
    );
}

#[test]
fn a_jump_to_an_outcome_needs_a_reason_and_a_confirmation() {
    let mut h = Harness::opened();
    let before = h.recorded.len();
    search_jump(&mut h, "Contained");
    // No reason: said, nothing recorded, still on the preview.
    h.send(code(KeyCode::Enter));
    assert_eq!(h.state.notice, Some(Notice::JumpNeedsReason));
    assert_eq!(h.recorded.len(), before);
    h.type_text("tabletop shortcut");
    h.send(code(KeyCode::Enter));
    assert_eq!(h.state.dialog, Some(ConfirmDialog::JumpToOutcome));
    // Declining keeps the preview and the reason.
    h.send(key('n'));
    assert_eq!(h.state.dialog, None);
    let Screen::Jump(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(view.reason.text(), "tabletop shortcut");
    assert_eq!(h.recorded.len(), before);
    assert_eq!(h.current(), "triage");
    h.send(code(KeyCode::Enter));
    h.send(key('y'));
    assert_eq!(h.current(), "contained");
    assert_eq!(
        h.recorded[before..],
        [EventKind::Jumped {
            from: "triage".into(),
            to: "contained".into(),
            reason: "tabletop shortcut".into()
        }]
    );
    let walk = &h.state.incident.as_ref().unwrap().walk;
    assert_eq!(
        walk.path.last().map(|s| &s.via),
        Some(&Via::Jump {
            from: "triage".into(),
            reason: "tabletop shortcut".into()
        })
    );
    assert!(matches!(h.state.screen, Screen::Node(_)));
}

#[test]
fn a_jump_to_a_step_is_recorded_without_a_question() {
    let mut h = Harness::opened();
    h.send(key('m'));
    // Map order: triage, contain, ...
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    let Screen::Jump(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(view.target, "contain");
    h.type_text("sessions seen from TOR");
    h.send(code(KeyCode::Enter));
    assert_eq!(h.state.dialog, None);
    assert_eq!(h.current(), "contain");
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::Jumped { to, reason, .. }) if to == "contain" && reason == "sessions seen from TOR"
    ));
    // Back to the start is on the breadcrumb: a plain backtrack, no reason.
    h.send(key('m'));
    h.send(key('k'));
    h.send(code(KeyCode::Enter));
    assert_eq!(h.current(), "triage");
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::Backtrack { to, .. }) if to == "triage"
    ));
}

#[test]
fn escape_from_the_preview_returns_to_the_search_and_records_nothing() {
    let mut h = Harness::opened();
    let before = h.recorded.len();
    search_jump(&mut h, "Contained");
    h.type_text("oops");
    h.send(code(KeyCode::Esc));
    let Screen::Search(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(view.query.text(), "Contained");
    assert_eq!(h.recorded.len(), before);
    assert_eq!(h.current(), "triage");
}

#[test]
fn the_current_node_from_the_map_is_no_move() {
    let mut h = Harness::opened();
    let before = h.recorded.len();
    h.send(key('m'));
    h.send(code(KeyCode::Enter));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert_eq!(h.recorded.len(), before);
}
