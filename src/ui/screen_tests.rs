//! Every screen drawn from a state built by keys, at many sizes: nothing
//! panics, nothing runs past the edge. (The reviewed 80x24 snapshots of the
//! real tree live in tests/ui.rs.)

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::app::State;
use crate::app::fixture::{Harness, code, key};

pub fn render(state: &State, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::draw(f, state)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            // A wide character covers the next cell too.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = super::wrap::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// Key sequences that reach each screen from an open incident.
fn screens() -> Vec<(&'static str, Vec<crate::app::Msg>)> {
    vec![
        ("node", vec![]),
        ("node-checked", vec![key('x'), key('j')]),
        ("leave-dialog", vec![key('2')]),
        ("map", vec![key('m')]),
        ("search", vec![key('/'), key('s'), key('i')]),
        ("help", vec![key('?')]),
        ("detail", vec![key('j'), key('j'), code(KeyCode::Enter)]),
        ("note", vec![key('n'), key('a'), key('b')]),
        ("reason", vec![key('r'), key('z')]),
        ("variables", vec![key('v'), code(KeyCode::Enter), key('x')]),
        ("step", vec![key('x'), key('2')]),
        ("outcome", vec![key('x'), key('1')]),
    ]
}

fn state_for(lang: &str, keys: Vec<crate::app::Msg>) -> State {
    let mut h = Harness::opened();
    if lang == "ja" {
        h.send(key('L'));
    }
    for k in keys {
        h.send(k);
    }
    h.state
}

#[test]
fn every_screen_draws_at_every_size_without_panicking() {
    for lang in ["en", "ja"] {
        for (name, keys) in screens() {
            let state = state_for(lang, keys);
            for (w, h) in [
                (0, 0),
                (1, 1),
                (59, 15),
                (60, 16),
                (80, 24),
                (200, 60),
                (80, 5),
            ] {
                let text = render(&state, w, h);
                assert_eq!(text.lines().count(), h as usize, "{name} {lang} {w}x{h}");
            }
        }
    }
}

#[test]
fn too_small_is_said_not_drawn() {
    let state = state_for("en", vec![]);
    let text = render(&state, 59, 20);
    assert!(text.contains("Terminal too small"), "{text}");
    assert!(!text.contains("Checklist"));
}

#[test]
fn node_screen_shows_what_the_responder_needs() {
    let state = state_for("en", vec![]);
    let text = render(&state, 80, 24);
    for needle in [
        "INC-1",
        "[PRACTICE]",
        "Did the user sign in?",
        "[ ] User contacted out of band (required)",
        "SigninLogs | where UserPrincipalName =~ '{{upn}}'",
        "1. Yes, legitimate",
        "2. No or unsure",
        "Path: Did the user sign in?",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let ja = render(&state_for("ja", vec![]), 80, 24);
    assert!(ja.contains("(必須)"), "{ja}");
    assert!(ja.contains("[PRACTICE 練習]"), "{ja}");
}

#[test]
#[ignore = "prints every screen for review"]
fn print_screens() {
    for lang in ["en", "ja"] {
        for (name, keys) in screens() {
            println!(
                "=== {name} {lang}\n{}",
                render(&state_for(lang, keys), 80, 24)
            );
        }
    }
}
