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

/// `export -o` writes 0600 through a temporary file and a rename: an
/// existing file's looser mode is not kept, a symlink is refused.
#[test]
fn export_to_a_file_is_owner_only_and_refuses_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "export modes"])
        .trim()
        .to_string();
    let out = env.path("home").join("report.md");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = out.to_str().unwrap();
    env.cairn_output(&["export", &id, "--format", "md", "-o", path]);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("export modes")
    );

    let target = env.path("home").join("elsewhere");
    std::fs::write(&target, "keep").unwrap();
    let link = env.path("home").join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = env.cairn_run(&[
        "export",
        &id,
        "--format",
        "md",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
}

/// A data directory and store left readable by others are tightened to
/// 0700 and 0600 on the next command, which says so.
#[test]
fn looser_modes_of_the_store_are_tightened_with_a_notice() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.cairn_output(&["new", "--tree", "token-theft", "--title", "modes"]);
    let dir = env.path("data");
    let db = dir.join("cairn.db");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = env.cairn_run(&["list"]);
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("readable by others"), "{err}");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(&dir), mode(&db)), (0o700, 0o600));
    // Once tight, nothing more is said.
    let again = env.cairn_run(&["list"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
}

/// Past the file-size limit (`ulimit -f`, a child with RLIMIT_FSIZE) a
/// write fails with a message instead of a silent kill, and once the limit
/// is gone the store opens and holds every note that was acknowledged.
#[test]
fn the_file_size_limit_fails_writes_clearly_and_loses_nothing_acknowledged() {
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "fsize"])
        .trim()
        .to_string();
    let size = std::fs::metadata(env.path("data").join("cairn.db"))
        .unwrap()
        .len();
    // A limit a little above the store as it is, in the middle of a 4 KiB
    // page: the notes below cross it, and a checkpoint may stop mid-page.
    let blocks = size / 1024 + 26;
    let exe = env!("CARGO_BIN_EXE_cairn");
    let mut saved = Vec::new();
    let mut refused = None;
    for i in 0..40 {
        let text = format!("note {i} {}", "x".repeat(6000));
        let script = format!("ulimit -f {blocks}; exec \"$0\" note \"$1\" \"$2\"");
        let out = std::process::Command::new("bash")
            .args(["-c", &script, exe, &id, &text])
            .env("CAIRN_DATA_DIR", env.path("data"))
            .env("XDG_STATE_HOME", env.path("state"))
            .env("HOME", env.path("home"))
            .output()
            .unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), None, "killed by a signal");
        if out.status.success() {
            saved.push(format!("note {i} "));
        } else {
            refused = Some(String::from_utf8_lossy(&out.stderr).to_string());
            break;
        }
    }
    let refused = refused.expect("the limit was never reached");
    assert!(refused.contains("file size limit"), "{refused}");
    // Without the limit: reads and writes work, nothing acknowledged is lost.
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    for note in &saved {
        assert!(json.contains(note), "{note} lost");
    }
    env.cairn_output(&["note", &id, "after the limit"]);
    env.cairn_output(&["verify", &id]);
}

/// `cairn new --set` refuses, before anything is created, a value that
/// could not stay one URL path segment where the tree puts the variable
/// into a Graph path (here the inbox rule a DELETE names), and says which
/// call; the same text for a variable used only in KQL is taken.
#[test]
fn new_refuses_a_path_unsafe_value_for_a_variable_used_in_a_url_path() {
    let env = TestEnv::new();
    for hostile in ["..", ".", "%2e%2e", "a/b", "a%2Fb"] {
        let set = format!("inbox_rule_id={hostile}");
        let run = env.cairn_run(&[
            "new",
            "--tree",
            "token-theft",
            "--title",
            "refused-title",
            "--set",
            &set,
        ]);
        assert!(!run.status.success(), "{hostile} accepted");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains("--set inbox_rule_id") && err.contains("cannot stand in a URL path"),
            "{hostile}: {err}"
        );
        assert!(err.contains("action 'delete-inbox-rule'"), "{err}");
    }
    assert!(!env.cairn_output(&["list"]).contains("refused-title"));
    env.cairn_output(&[
        "new",
        "--tree",
        "token-theft",
        "--title",
        "honest",
        "--set",
        "inbox_rule_id=AQAAAJ5dZqA=",
        "--set",
        "phish_sender=..",
    ]);
}
