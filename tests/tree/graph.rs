//! Golden diagrams of a small fixture, and the `cairn graph` command.
//! To accept a deliberate change, regenerate the expected files with
//! `cargo run -- graph tests/fixtures/trees/graph.toml [--format dot] [--lang ja]`.

use std::process::Command;

use cairn::tree::graph;
use cairn::tree::load::parse;

use super::common::{fixture, fixture_path};

fn demo() -> cairn::tree::Tree {
    parse("graph.toml", &fixture("graph.toml")).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn mermaid_matches_the_golden_file() {
    assert_eq!(graph::mermaid(&demo(), "en"), fixture("graph.mermaid"));
}

#[test]
fn mermaid_in_japanese_matches_the_golden_file() {
    assert_eq!(graph::mermaid(&demo(), "ja"), fixture("graph.ja.mermaid"));
}

#[test]
fn dot_matches_the_golden_file() {
    assert_eq!(graph::dot(&demo(), "en"), fixture("graph.dot"));
}

#[test]
fn markdown_wraps_the_mermaid_diagram_in_a_fence() {
    let page = graph::markdown(&demo(), "en");
    let fenced = format!("```mermaid\n{}```\n", fixture("graph.mermaid"));
    assert!(page.ends_with(&fenced), "{page}");
    assert!(page.contains("cargo run -- graph graph-demo --format markdown"));
}

fn cairn(args: &[&str], config: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .env("CAIRN_CONFIG_DIR", config)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn graph_command_finds_trees_by_id_and_prints_the_format_asked_for() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir(config.path().join("trees")).unwrap();
    std::fs::write(config.path().join("trees/demo.toml"), fixture("graph.toml")).unwrap();
    let (code, stdout, _) = cairn(&["graph", "graph-demo", "--format", "dot"], config.path());
    assert_eq!((code, stdout), (0, fixture("graph.dot")));
    let (code, stdout, _) = cairn(&["graph", "graph-demo", "--lang", "ja"], config.path());
    assert_eq!((code, stdout), (0, fixture("graph.ja.mermaid")));
}

#[test]
fn graph_command_refuses_undeclared_languages_and_invalid_trees() {
    let config = tempfile::tempdir().unwrap();
    let path = fixture_path("graph.toml");
    let (code, stdout, stderr) = cairn(
        &["graph", path.to_str().unwrap(), "--lang", "fr"],
        config.path(),
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("has no 'fr' texts; it provides: en ja"),
        "{stderr}"
    );

    let broken = fixture_path("invalid/dangling-next.toml");
    let (code, stdout, stderr) = cairn(&["graph", broken.to_str().unwrap()], config.path());
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains(":48:9: next of node 'contain' points to unknown node"),
        "{stderr}"
    );
}

#[test]
fn the_committed_token_theft_diagram_is_current() {
    let source = cairn::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin == "shipped:token-theft.toml")
        .expect("the token-theft tree is shipped");
    let tree = parse(&source.origin, &source.text).unwrap_or_else(|d| panic!("{d}"));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/token-theft.md"))
            .unwrap();
    assert!(
        committed == graph::markdown(&tree, "en"),
        "docs/token-theft.md is stale; regenerate it with \
         `cargo run -- graph token-theft --format markdown --lang en > docs/token-theft.md`"
    );
}
