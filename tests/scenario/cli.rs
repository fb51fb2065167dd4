//! `cairn train` and `cairn tabletop` on the built binary without a
//! terminal: they run only on the full screen, so piped input or output is
//! refused with a message saying so, and nothing is recorded. The runs
//! themselves are tested through the screen (tests/ui/exercise*.rs) and in
//! a pty (tests/e2e/exercise.rs).

use std::process::{Command, Stdio};

use cairn::store::Store;

#[test]
fn train_and_tabletop_without_a_terminal_refuse_and_record_nothing() {
    for command in ["train", "tabletop"] {
        let data = tempfile::tempdir().unwrap();
        let config = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_cairn"))
            .arg("--data-dir")
            .arg(data.path())
            .args([command, "benign-travel"])
            .env("CAIRN_CONFIG_DIR", config.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("cairn {command} needs a terminal")),
            "{command}: {err}"
        );
        assert!(out.stdout.is_empty(), "{command}");
        let store = Store::open(data.path()).unwrap();
        assert!(store.list(true).unwrap().is_empty(), "{command}");
    }
}
