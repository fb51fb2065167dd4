//! Pasted text: whole into the focused field, never keys elsewhere.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key};
use crate::app::*;

fn paste(text: &str) -> Msg {
    Msg::Paste(text.to_string())
}

#[test]
fn a_paste_on_the_node_screen_chooses_and_runs_nothing() {
    let mut h = Harness::opened();
    let before = h.recorded.len();
    // Digits choose, `g` runs, `n` opens the note editor, `q` quits.
    let effects = h.send(paste("see https://x/1 then 2, g n q"));
    assert_eq!(effects, vec![]);
    assert_eq!(h.current(), "triage");
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert_eq!(h.recorded.len(), before, "{:?}", h.recorded);
    assert_eq!(h.state.notice, Some(Notice::PasteIgnored));
    assert!(!h.state.quitting);
}

#[test]
fn a_long_paste_into_a_note_is_inserted_whole_and_saved_once() {
    let mut h = Harness::opened();
    h.send(key('n'));
    let line = "0123456789 abcdefghij klmnopqrstuvwxyz ".repeat(25);
    let text = format!("{line}\r\n{line}");
    assert!(text.chars().count() > 1900);
    h.send(paste(&text));
    h.send(ctrl('s'));
    let saved: Vec<_> = h
        .recorded
        .iter()
        .filter_map(|k| match k {
            EventKind::NoteAdded { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        saved,
        vec![format!("{line}\n{line}").trim_end().to_string()]
    );
}

#[test]
fn a_paste_into_a_one_line_field_is_one_line_and_no_command() {
    let mut h = Harness::opened();
    h.send(key('/'));
    // `Enter` would select in search; pasted, the break is only a space.
    h.send(paste("contain\n"));
    let Screen::Search(view) = &h.state.screen else {
        panic!("left search: {:?}", h.state.screen)
    };
    assert_eq!(view.query.text(), "contain");
    assert!(!view.results.is_empty());
    h.send(code(KeyCode::Esc));
    assert_eq!(h.current(), "triage");
}

#[test]
fn a_paste_while_a_dialog_asks_is_dropped() {
    let mut h = Harness::opened();
    h.send(key('n'));
    h.send(key('x'));
    h.send(code(KeyCode::Esc));
    assert!(h.state.dialog.is_some());
    // `y` would discard the note.
    h.send(paste("y"));
    assert!(h.state.dialog.is_some());
    assert!(matches!(h.state.screen, Screen::NoteEditor(_)));
}
