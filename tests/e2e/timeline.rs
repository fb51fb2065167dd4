//! The timeline on the real binary: a note written on the node screen is
//! listed by `t`, the kind filter hides it, and back returns to the node.
//! Keys from `assets/keymap.toml`: node `n` note (`Ctrl+s` save), `t`
//! timeline; timeline `f` kind filter, `n` node filter, `q` back; `Q` quit.

use std::time::Duration;

use crate::harness::{Session, TestEnv, keys};

const T: Duration = Duration::from_secs(10);

#[test]
fn t_lists_the_incidents_notes_and_decisions_and_filters_by_kind() {
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "timeline e2e"])
        .trim()
        .to_string();
    let mut s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    s.wait_for("Path", T).unwrap();
    s.press("n", "Note on", T);
    s.send("called the user at 09:10");
    s.wait_for("called the user at 09:10", T).unwrap();
    s.send(keys::CTRL_S);
    s.wait_for("Path", T).unwrap();
    s.settle(Duration::from_millis(300), T);

    s.press("t", "Timeline - kind: all", T);
    let all = s.screen_text();
    assert!(all.contains("called the user at 09:10"), "{all}");
    assert!(all.contains("Entered"), "the start is listed:\n{all}");

    s.press("f", "kind: decisions", T);
    assert!(
        !s.screen_text().contains("called the user"),
        "{}",
        s.screen_text()
    );
    s.press("f", "kind: notes", T);
    assert!(s.screen_text().contains("called the user at 09:10"));
    s.press("n", "node: ", T);

    s.press("q", "Path", T);
    s.send("Q");
    s.wait_exit(T).expect("exit");
}
