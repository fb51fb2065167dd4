//! The user's keymap file: overrides apply, conflicts stop the start with
//! the file and line, and the help screen lists what is bound.

use cairn::cli::open::load_keymap;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::driver::{Driver, render};

#[test]
fn a_conflicting_user_keymap_is_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.toml");
    std::fs::write(&file, "# mine\n[node]\nnote = [\"m\"]\n").unwrap();
    let err = load_keymap(Some(dir.path())).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:3:", file.display())), "{err}");
    assert!(err.contains("'m'") && err.contains("map"), "{err}");
}

#[test]
fn a_user_keymap_rebinds_and_help_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[node]\nnote = [\"N\", \"ctrl+n\"]\n",
    )
    .unwrap();
    let keymap = load_keymap(Some(dir.path())).unwrap();
    let mut d = Driver::practice("en");
    d.state.keymap = keymap;
    d.keys("n");
    assert!(matches!(d.state.screen, cairn::app::Screen::Node(_)));
    d.send(cairn::app::Msg::Key(KeyEvent::new(
        KeyCode::Char('n'),
        KeyModifiers::CONTROL,
    )));
    assert!(matches!(d.state.screen, cairn::app::Screen::NoteEditor(_)));
    d.key(KeyCode::Esc);
    d.keys("?");
    let help = render(&d.state, 80, 40);
    assert!(help.contains("N Ctrl+n"), "{help}");
    // No user file: the shipped keymap.
    assert!(load_keymap(Some(tempfile::tempdir().unwrap().path())).is_ok());
}
