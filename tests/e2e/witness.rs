//! A head log that cannot be written does not fail silently on the screen:
//! the move is saved and the status line says the head log was not written.

use std::time::Duration;

use crate::harness::{Session, TestEnv};

const T: Duration = Duration::from_secs(10);

#[test]
fn the_screen_says_when_the_head_log_cannot_be_written() {
    let env = TestEnv::new();
    let out = env.cairn_output(&["new", "--tree", "token-theft", "--title", "Unwitnessed"]);
    let id = out.trim().to_string();
    // A directory where the head log goes: no write to it succeeds, as root
    // or not.
    let heads = env.path("data").join("cairn.heads");
    std::fs::remove_file(&heads).unwrap();
    std::fs::create_dir(&heads).unwrap();

    let mut s = Session::spawn(env.cairn(&["open", &id]), 100, 30);
    s.wait_for("Ready: go to triage", T).unwrap();
    // Opening a new incident records its entry at the first node.
    s.wait_for("WARNING: the head log", T).unwrap();
    s.settle(Duration::from_millis(200), T);
    s.press("1", "What triggered this investigation?", T);
    // The choice's commit was not witnessed either, and says so.
    s.wait_for("WARNING: the head log", T).unwrap();
    s.send("Q");
    let _ = s.wait_exit(T);
    std::fs::remove_dir(&heads).unwrap();
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert!(json.contains("\"choice_made\""), "the move is saved");
}
