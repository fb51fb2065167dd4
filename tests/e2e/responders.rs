//! Two responders on one incident, each in their own `cairn open ID` on the
//! same data directory: each sees the other's moves, and a decision made on
//! a view the other has since changed is refused with their name, keeping
//! what was typed. Keys: `1` choose, `r` choose with a reason, `Ctrl+s` save.

use std::time::Duration;

use crate::harness::{Session, TestEnv, keys};

const T: Duration = Duration::from_secs(10);

fn open_as(env: &mut TestEnv, user: &str, id: &str) -> Session {
    env.set("USER", user);
    let s = Session::spawn(env.cairn(&["open", id]), 100, 30);
    s.wait_for("Ready to investigate?", T).unwrap();
    s
}

#[test]
fn two_responders_see_each_other_and_a_stale_choice_is_refused() {
    let mut env = TestEnv::new();
    let out = env.cairn_output(&["new", "--tree", "token-theft", "--title", "Shared"]);
    let id = out
        .split_whitespace()
        .find(|w| w.starts_with("TT-"))
        .unwrap_or_else(|| panic!("no id in {out}"))
        .to_string();
    let mut a = open_as(&mut env, "alice", &id);
    let mut b = open_as(&mut env, "bob", &id);

    // A chooses; B's screen follows without a key being pressed.
    a.press("1", "What triggered this investigation?", T);
    let shown_a = std::time::Instant::now();
    let shown_b = b
        .wait_for_at("What triggered this investigation?", T)
        .unwrap();
    b.wait_for("Changed by alice@", T).unwrap();
    println!(
        "B showed A's choice {:?} after A's screen did",
        shown_b.saturating_duration_since(shown_a)
    );

    // B starts a reasoned choice at the trigger; A decides there first.
    b.press("r", "Reason for", T);
    b.send("bob thinks token theft");
    b.wait_for("bob thinks token theft", T).unwrap();
    a.press("1", "Anomalous token", T);
    b.send(keys::CTRL_S);
    b.wait_for("NOT SAVED (text kept) - changed by alice@", T)
        .unwrap();
    assert!(
        b.screen_text().contains("bob thinks token theft"),
        "{}",
        b.screen_text()
    );
    for s in [&mut a, &mut b] {
        s.send("Q");
    }
    for s in [&mut a, &mut b] {
        let _ = s.wait_exit(T);
    }

    // Only A's decisions are recorded; none of B's.
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = doc["events"].as_array().unwrap();
    let choices: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["type"] == "choice_made")
        .collect();
    assert_eq!(choices.len(), 2, "{choices:#?}");
    assert!(
        choices.iter().all(|c| c["actor"]["user"] == "alice"),
        "{choices:#?}"
    );
    assert!(!json.contains("bob thinks token theft"));
    env.cairn_output(&["verify", &id]);
}
