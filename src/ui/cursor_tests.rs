//! The terminal cursor sits at a text field's insertion point (so an input
//! method composes there) and is hidden where nothing is typed.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Position;

use crate::app::fixture::{Harness, code, key};

/// The cursor after drawing, when shown, and the screen's rows.
fn drawn(h: &Harness) -> (Option<Position>, Vec<String>) {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| super::draw(f, &h.state, &Default::default()))
        .unwrap();
    let rows = crate::test_app::render(&h.state, 80, 24)
        .lines()
        .map(str::to_string)
        .collect();
    let backend = terminal.backend();
    let at = backend.cursor_visible().then(|| backend.cursor_position());
    (at, rows)
}

/// Where typing goes on the row starting with `label`: just after `typed`.
fn insertion_point(rows: &[String], label: &str, typed: &str) -> Position {
    let y = rows.iter().position(|r| r.starts_with(label)).unwrap();
    let x = super::wrap::width(label) + super::wrap::width(typed);
    Position::new(x as u16, y as u16)
}

#[test]
fn the_cursor_follows_japanese_typing_in_search() {
    let mut h = Harness::opened();
    h.send(key('/'));
    h.type_text("封じ");
    let (at, rows) = drawn(&h);
    assert_eq!(
        at,
        Some(insertion_point(&rows, "Search: ", "封じ")),
        "{rows:#?}"
    );
    // Left moves the insertion point back over one wide character.
    h.send(code(KeyCode::Left));
    let (at, rows) = drawn(&h);
    assert_eq!(at, Some(insertion_point(&rows, "Search: ", "封")));
}

#[test]
fn the_cursor_is_hidden_where_nothing_is_typed() {
    let h = Harness::opened();
    assert_eq!(drawn(&h).0, None);
}

#[test]
fn the_note_editor_shows_the_cursor_inside_its_box() {
    let mut h = Harness::opened();
    h.send(key('n'));
    h.type_text("メモ");
    let (at, rows) = drawn(&h);
    let at = at.expect("the editor shows a cursor");
    let row = &rows[at.y as usize];
    // After the box's left border and the two wide characters typed.
    let start = row.find("メモ").unwrap();
    assert_eq!(
        usize::from(at.x),
        super::wrap::width(&row[..start]) + 4,
        "{row}"
    );
}
