//! Shared helpers: fixture trees, a store in a temp dir, running the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cairn::store::event::{Actor, EventKind, Mode};
use cairn::store::{IncidentId, NewIncident, Store};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/store")
        .join(name)
}

pub fn token_theft_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("trees/token-theft.toml")
}

pub fn mini_source() -> String {
    std::fs::read_to_string(fixture("mini.toml")).unwrap()
}

pub fn kim() -> Actor {
    Actor {
        user: "kim".into(),
        host: "jump1".into(),
        ssh_client: Some("203.0.113.7".into()),
    }
}

pub fn new_incident(title: &str) -> NewIncident {
    NewIncident {
        title: title.into(),
        tree_id: "mini".into(),
        tree_version: "1.0.0".into(),
        tree_source: mini_source(),
        language: "en".into(),
        mode: Mode::Live,
    }
}

/// A store in a fresh temp dir, recording as kim.
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("data")).unwrap();
    store.set_actor(kim());
    (tmp, store)
}

pub const BIN: &str = env!("CARGO_BIN_EXE_cairn");

/// `cairn --data-dir DIR args...` with a clean, predictable environment.
pub fn cairn(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("CAIRN_DATA_DIR")
        .env("USER", "kim")
        .env_remove("SSH_CONNECTION");
    // User trees come from a folder next to the data dir, never the real one.
    cmd.env("CAIRN_CONFIG_DIR", dir.with_file_name("config"));
    cmd.stdin(Stdio::null());
    cmd
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Creates an incident through the hidden test command (no tree parsing).
pub fn create_via_cli(dir: &Path) -> IncidentId {
    let mut cmd = cairn(
        dir,
        &[
            "debug-store",
            "create",
            "--tree-id",
            "mini",
            "--title",
            "fault test",
            "--source",
        ],
    );
    cmd.arg(fixture("mini.toml"));
    let out = run(cmd);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    IncidentId::parse(out.stdout.trim()).unwrap()
}

/// The texts of the incident's notes, in event order.
pub fn note_texts(store: &Store, id: &IncidentId) -> Vec<String> {
    store
        .events(id)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.kind {
            cairn::store::EventKind::NoteAdded { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// The walk entering `node`.
pub fn enter(node: &str) -> EventKind {
    EventKind::NodeEntered { node: node.into() }
}
