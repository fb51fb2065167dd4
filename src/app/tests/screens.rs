//! Moving between screens: search, help, quitting, and the node cursor
//! kept across visits.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, key};
use crate::app::*;

#[test]
fn search_matches_either_language_and_jumps() {
    let mut h = Harness::opened();
    h.send(key('/'));
    for c in "封じ込め".chars() {
        h.send(key(c));
    }
    let Screen::Search(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.results, vec![3]);
    h.send(code(KeyCode::Enter));
    assert_eq!(h.current(), "contained");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::NodeEntered {
            node: "contained".into()
        })
    );
}

#[test]
fn help_lists_the_keymap_and_returns() {
    let mut h = Harness::opened();
    h.send(key('?'));
    let Screen::Help(help) = &h.state.screen else {
        panic!()
    };
    assert_eq!(help.context, Context::Node);
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
}

#[test]
fn quit_needs_no_save_step() {
    let mut h = Harness::opened();
    assert_eq!(h.send(key('Q')), vec![Effect::Quit]);
    assert!(h.state.quitting);
}

#[test]
fn the_node_cursor_survives_a_visit_to_another_screen() {
    let mut h = Harness::opened();
    h.send(key('j'));
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    assert!(matches!(h.state.screen, Screen::Detail(_)));
    h.send(code(KeyCode::Esc));
    let Screen::Node(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.cursor, 2);
}

/// While "Terminal too small" is all the screen shows, keys do nothing but
/// quit; once it is large again they work.
#[test]
fn keys_are_ignored_while_the_terminal_is_too_small() {
    use crate::app::fixture::{Harness, key};
    let mut h = Harness::opened();
    h.send(Msg::Resize(59, 15));
    h.send(key(' '));
    h.send(key('2'));
    h.send(key('n'));
    assert_eq!(h.recorded.len(), 1, "{:?}", h.recorded);
    assert!(matches!(h.state.screen, Screen::Node(_)));
    let quit = h.send(key('Q'));
    assert_eq!(quit, vec![Effect::Quit]);
    h.state.quitting = false;
    h.send(Msg::Resize(80, 24));
    h.send(key(' '));
    assert_eq!(h.recorded.len(), 2, "{:?}", h.recorded);
}

/// Enter on a checklist item leaves it as it is and names the tick keys:
/// a reflex Enter never unticks anything.
#[test]
fn enter_on_a_checklist_item_does_not_toggle_it() {
    use crate::app::fixture::{Harness, code, key};
    use ratatui::crossterm::event::KeyCode;
    let mut h = Harness::opened();
    h.send(key('x'));
    assert_eq!(h.recorded.len(), 2);
    h.send(code(KeyCode::Enter));
    assert_eq!(h.recorded.len(), 2, "{:?}", h.recorded);
    assert_eq!(h.state.notice, Some(Notice::TickKeys));
    let inc = h.state.incident.as_ref().unwrap();
    assert!(inc.walk.is_checked("triage", "asked-user"));
}
