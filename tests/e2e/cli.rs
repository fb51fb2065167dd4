//! The binary's plain command-line output in a pty.

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv};

#[test]
fn help_in_a_pty_sends_only_cairns_sequences() {
    let env = TestEnv::new();
    let mut s = Session::spawn(env.cairn(&["--help"]), 80, 60);
    let status = s.wait_exit(Duration::from_secs(10)).expect("exit");
    assert!(status.success(), "{status:?}");
    assert!(
        s.screen_text().contains("Usage: cairn"),
        "{}",
        s.screen_text()
    );
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

#[test]
fn check_in_a_pty_summarises_the_shipped_tree_with_only_cairns_sequences() {
    let env = TestEnv::new();
    let mut s = Session::spawn(env.cairn(&["check"]), 80, 24);
    let status = s.wait_exit(Duration::from_secs(20)).expect("exit");
    assert!(status.success(), "{status:?}: {}", s.screen_text());
    assert!(
        s.screen_text().contains("token-theft"),
        "{}",
        s.screen_text()
    );
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}
