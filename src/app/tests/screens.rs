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
