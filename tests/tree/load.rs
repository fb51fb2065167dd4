//! Loading valid trees and the documented example.

use cairn::tree::load::parse;
use cairn::tree::{NodeKind, OutcomeStatus, Phase, Provider};

use super::common::fixture;

#[test]
fn the_doc_example_loads_with_everything_it_declares() {
    let tree = parse("mini.toml", &fixture("mini.toml")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(tree.id.value, "mini");
    assert_eq!(tree.version, "1.0.0");
    assert_eq!(tree.languages, ["en", "ja"]);
    assert_eq!(tree.start.value, "triage");
    assert_eq!(tree.title.get("ja"), "ミニ プレイブック");
    assert_eq!(tree.sources.len(), 1);
    let names: Vec<&str> = tree.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["upn", "attacker_ip"]);
    assert!(tree.variables[0].required);
    assert!(!tree.variables[1].required);

    let triage = tree.node("triage").unwrap();
    assert_eq!(triage.phase, Phase::Triage);
    assert_eq!(triage.attack, ["T1550.001"]);
    assert!(triage.checklist[0].mandatory);
    let NodeKind::Decision { choices } = &triage.kind else {
        panic!("triage is a decision");
    };
    assert_eq!(choices.len(), 2);
    assert_eq!(choices[1].next.value, "contain");
    let lookup = &triage.lookups[0];
    assert_eq!(lookup.provider, Provider::LogAnalytics);
    assert_eq!(lookup.window.as_ref().unwrap().value, "7d");
    assert_eq!(lookup.bind[0].variable.value, "attacker_ip");

    let action = &tree.node("contain").unwrap().actions[0];
    assert!(action.destructive);
    assert_eq!(action.confirm.as_ref().unwrap().value, "upn");
    assert_eq!(
        tree.node("closed").unwrap().kind,
        NodeKind::Outcome {
            status: OutcomeStatus::NoCompromise
        }
    );
}

#[test]
fn the_doc_example_fixture_matches_the_doc() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tree-format.md"))
        .unwrap();
    let start = doc
        .find("## A small complete example\n\n```toml\n")
        .expect("the doc has its example section")
        + "## A small complete example\n\n```toml\n".len();
    let end = start
        + doc[start..]
            .find("```")
            .expect("the example block is closed");
    assert_eq!(
        &doc[start..end],
        fixture("mini.toml"),
        "docs/tree-format.md and tests/fixtures/trees/mini.toml differ"
    );
}

#[test]
fn spans_point_at_the_text_between_quotes() {
    let source = fixture("mini.toml");
    let tree = parse("mini.toml", &source).unwrap();
    let start = &tree.start;
    assert_eq!(&source[start.span.clone()], "triage");
    let query = &tree.node("triage").unwrap().lookups[0].query;
    assert_eq!(&source[query.span.clone()], query.value);
}
