//! Terminal behaviour of the real binary: pastes, bursts of input, Ctrl+C
//! and Ctrl+Z, signals and hang-ups.

use std::time::Duration;

use crate::harness::{Session, TestEnv, keys};
use crate::walk::{events, incident_id, of_type};

const T: Duration = Duration::from_secs(10);
const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

/// A practice incident on its first node.
fn practice(env: &TestEnv) -> Session {
    let mut s = Session::spawn(env.cairn(&[]), 80, 24);
    s.wait_for("Practice incident", T).unwrap();
    s.press("p", "Ready to investigate?", T);
    s
}

fn note_texts(env: &TestEnv, id: &str) -> Vec<String> {
    of_type(&events(env, id), "note_added")
        .iter()
        .filter_map(|e| e.get("text").or_else(|| e.pointer("/data/text")))
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

#[test]
fn bracketed_paste_is_enabled_and_a_paste_on_the_node_screen_is_not_keys() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    s.wait_for_bytes(b"\x1b[?2004h", T).unwrap();
    let id = incident_id(&s);
    // `1` would choose "Yes", `n` open the note editor.
    s.send(&format!("{PASTE_START}see https://x/1 n{PASTE_END}"));
    s.wait_for("Paste ignored", T).unwrap();
    let screen = s.screen_text();
    assert!(screen.contains("Ready to investigate?"), "{screen}");
    drop(s);
    assert!(of_type(&events(&env, &id), "choice_made").is_empty());
}

/// 2,000 characters at once, as a terminal without bracketed paste sends
/// them: every one arrives without another key being pressed.
#[test]
fn a_burst_of_two_thousand_characters_arrives_whole() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.press("n", "Note on", T);
    let text: String = (0..2000).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    s.send(&text);
    // The last characters typed are on screen without another key.
    s.wait_for(&text[1990..], T).unwrap();
    s.press(keys::CTRL_S, "Path:", T);
    drop(s);
    assert_eq!(note_texts(&env, &id), vec![text]);
}

#[test]
fn a_bracketed_paste_into_a_note_is_inserted_whole() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.press("n", "Note on", T);
    let line: String = (0..999).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    s.send(&format!("{PASTE_START}{line}\r{line}{PASTE_END}"));
    s.wait_for(&line[990..], T).unwrap();
    s.press(keys::CTRL_S, "Path:", T);
    drop(s);
    assert_eq!(note_texts(&env, &id), vec![format!("{line}\n{line}")]);
}
