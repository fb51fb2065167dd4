//! The responder's screen on the built binary in a real pty: a practice
//! walk from an empty data directory, quit, relaunch and resume; a hangup
//! in the middle of a session loses nothing.

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv};

const T: Duration = Duration::from_secs(15);
const PAGE_DOWN: &str = "\x1b[6~";
const CTRL_S: &str = "\x13";

fn start(env: &TestEnv) -> Session {
    let s = Session::spawn(env.cairn(&[]), 80, 24);
    s.wait_for("Practice incident", T).unwrap();
    s
}

/// Sends keys one at a time, letting each take effect (a key pressed while
/// a move is being saved is refused, as a responder would see).
fn keys(s: &mut Session, keys: &str) {
    for c in keys.chars() {
        s.send(&c.to_string());
        s.settle(Duration::from_millis(60), T);
    }
}

/// The incident id shown in the header (`TT-YYYYMMDD-N`).
fn incident_id(s: &Session) -> String {
    let screen = s.screen_text();
    screen
        .split_whitespace()
        .find(|w| w.starts_with("TT-"))
        .unwrap_or_else(|| panic!("no incident id on\n{screen}"))
        .to_string()
}

#[test]
fn practice_walk_quit_relaunch_resumes_with_path_and_note() {
    let env = TestEnv::new();
    let mut s = start(&env);
    keys(&mut s, "p");
    s.wait_for("Ready to investigate?", T).unwrap();
    let id = incident_id(&s);
    // Three decisions, with the mandatory ticks in between, and a note.
    keys(&mut s, "1");
    s.wait_for("What triggered this investigation?", T).unwrap();
    keys(&mut s, "8");
    s.wait_for("Investigation checklist", T).unwrap();
    keys(&mut s, "xjxjx");
    keys(&mut s, "n");
    s.wait_for("Note on Investigation checklist", T).unwrap();
    s.send("called the user at 03:10");
    s.settle(Duration::from_millis(100), T);
    keys(&mut s, CTRL_S);
    s.wait_for("Path: Ready to investigate?", T).unwrap();
    for _ in 0..3 {
        s.send(PAGE_DOWN);
        s.settle(Duration::from_millis(60), T);
    }
    keys(&mut s, "\r");
    s.wait_for("Does the user confirm the activity as theirs?", T)
        .unwrap();
    keys(&mut s, "xjx2");
    s.wait_for("User investigation checklist", T).unwrap();
    keys(&mut s, "q");
    let status = s.wait_exit(T).expect("exit after q");
    assert!(status.success(), "{status:?}");
    assert_eq!(s.alternate_and_hidden(), (false, false));
    assert_eq!(escapes::foreign(&s.raw()), vec![]);

    // Relaunch: the incident is listed; Enter resumes it where it was.
    let mut again = start(&env);
    again.wait_for(&id, T).unwrap();
    keys(&mut again, "\r");
    again.wait_for("User investigation checklist", T).unwrap();
    again
        .wait_for("Path: ...", T)
        .unwrap_or_else(|e| panic!("breadcrumb: {e}"));
    keys(&mut again, "q");
    assert!(again.wait_exit(T).expect("exit").success());
    assert_eq!(escapes::foreign(&again.raw()), vec![]);

    let show = env.cairn_output(&["show", &id]);
    for needle in [
        "readiness",
        "trigger",
        "investigation-checklist",
        "user-confirmation",
        "user-investigation",
        "called the user at 03:10",
    ] {
        assert!(show.contains(needle), "{needle:?} missing from\n{show}");
    }
}

#[test]
fn a_hangup_mid_session_restores_the_terminal_and_keeps_the_record() {
    let env = TestEnv::new();
    let mut s = start(&env);
    keys(&mut s, "p");
    s.wait_for("Ready to investigate?", T).unwrap();
    let id = incident_id(&s);
    keys(&mut s, "1");
    s.wait_for("What triggered this investigation?", T).unwrap();
    keys(&mut s, "n");
    s.wait_for("Note on", T).unwrap();
    s.send("half typed");
    s.settle(Duration::from_millis(100), T);
    s.send_signal("HUP");
    let status = s.wait_exit(T).expect("exit after SIGHUP");
    assert_eq!(status.exit_code(), 129, "{status:?}");
    let raw = s.raw();
    assert!(
        raw.windows(8).any(|w| w == b"\x1b[?1049l"),
        "restore sequence missing"
    );
    assert_eq!(s.alternate_and_hidden(), (false, false));
    assert_eq!(escapes::foreign(&raw), vec![]);
    // Everything confirmed before the hangup is in the store.
    let show = env.cairn_output(&["show", &id]);
    assert!(show.contains("trigger"), "{show}");
    assert!(show.contains("chose ready at readiness"), "{show}");
}
