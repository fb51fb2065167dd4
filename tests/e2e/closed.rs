//! A closed incident on the real binary: `cairn open` shows it read-only
//! with a marker, refuses to record (without "NOT SAVED"), and `R` then `y`
//! reopens it, recorded, after which recording works again. Keys from
//! `assets/keymap.toml`: node `R` reopen, confirm `y`, `n` note (`Ctrl+s`
//! save), `q` quit.

use std::time::{Duration, Instant};

use crate::harness::{Session, TestEnv, keys};

const T: Duration = Duration::from_secs(10);

fn event_types(env: &TestEnv, id: &str) -> Vec<String> {
    let json = env.cairn_output(&["export", id, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("export is JSON");
    doc["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_closed_incident_opens_read_only_and_reopens_on_r() {
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "closed e2e"])
        .trim()
        .to_string();
    env.cairn_output(&["close", &id]);
    let before = event_types(&env, &id);

    let mut s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    s.wait_for("[CLOSED read-only]", T).unwrap();
    s.press("n", "Closed: nothing can be recorded", T);
    assert!(
        !s.screen_text().contains("NOT SAVED"),
        "{}",
        s.screen_text()
    );
    assert_eq!(event_types(&env, &id), before, "nothing was recorded");

    s.press("R", "Reopen this closed incident?", T);
    s.send("y");
    let deadline = Instant::now() + T;
    while s.screen_text().contains("[CLOSED") {
        assert!(Instant::now() < deadline, "{}", s.screen_text());
        s.settle(Duration::from_millis(100), T);
    }
    s.press("n", "Note on", T);
    s.send("after reopening");
    s.wait_for("after reopening", T).unwrap();
    s.send(keys::CTRL_S);
    s.wait_for("Path", T).unwrap();
    s.settle(Duration::from_millis(300), T);
    s.send("Q");
    s.wait_exit(T).expect("exit");

    let after = event_types(&env, &id);
    let new: Vec<&str> = after[before.len()..].iter().map(String::as_str).collect();
    assert_eq!(new.first(), Some(&"incident_reopened"), "{after:?}");
    assert!(new.contains(&"note_added"), "{after:?}");
    let verify = env.cairn_output(&["verify", &id]);
    assert!(verify.contains("hash chain intact"), "{verify}");
}
