//! A jump on the real binary: search finds a node off the walk's path,
//! Enter previews it and asks why, the footer says Enter records the jump,
//! an outcome is confirmed, and the record says it was a jump with its
//! reason. Keys from `assets/keymap.toml`: node `/` search; search `Enter`;
//! jump `Enter` records, `Esc` cancels; confirm `y` / `n`; `Q` quit.

use std::time::Duration;

use crate::harness::{Session, TestEnv, keys};

const T: Duration = Duration::from_secs(10);

#[test]
fn search_previews_the_target_asks_a_reason_and_records_a_jump() {
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "jump e2e"])
        .trim()
        .to_string();
    let mut s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    s.wait_for("Path", T).unwrap();
    s.press("/", "Search", T);
    s.send("escalated");
    s.wait_for("Escalated", T).unwrap();
    s.press(keys::ENTER, "Why jump here", T);
    let preview = s.screen_text();
    assert!(preview.contains("Jump to:"), "{preview}");
    assert!(preview.contains("recorded as a jump"), "{preview}");
    assert!(preview.contains("Enter record the jump"), "{preview}");
    // Nothing is recorded without a reason.
    s.press(keys::ENTER, "Type why you jump here", T);
    s.send("handing over to tier 2");
    s.wait_for("handing over to tier 2", T).unwrap();
    // An outcome: confirmed first.
    s.press(keys::ENTER, "This is an outcome", T);
    s.send("y");
    // Reaching the outcome asks whether to close the incident: not now.
    s.wait_for("reached an outcome. Close the incident", T)
        .unwrap();
    s.send("n");
    s.wait_for("Outcome: Escalated", T).unwrap();
    s.send("Q");
    s.wait_exit(T).expect("exit");

    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert!(json.contains("\"jumped\""), "{json}");
    assert!(json.contains("handing over to tier 2"), "{json}");
    assert!(!json.contains("\"incident_closed\""), "not closed unasked");
}
