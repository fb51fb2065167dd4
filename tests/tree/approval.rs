//! The approval policy in the tree format: per tree and per action, named
//! values only, an action may raise the tree's policy and never lower it,
//! and the organisation's floor from `config.toml` only raises it.

use cairn::lookup::config::parse as parse_config;
use cairn::tree::ApprovalPolicy;
use cairn::tree::load::parse;

use super::common::fixture;

/// base.toml with `tree_line` added to [tree] and `action_line` to its action.
fn tree_with(tree_line: &str, action_line: &str) -> String {
    fixture("base.toml")
        .replacen(
            "start = \"triage\"\n",
            &format!("start = \"triage\"\n{tree_line}\n"),
            1,
        )
        .replacen(
            "confirm = \"upn\"\n",
            &format!("confirm = \"upn\"\n{action_line}\n"),
            1,
        )
}

fn diagnostics(source: &str) -> Vec<String> {
    match parse("t.toml", source) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
    }
}

#[test]
fn the_tree_and_each_action_name_a_policy_and_the_strictest_wins() {
    let tree = parse(
        "t.toml",
        &tree_with("approval = \"same-host\"", "approval = \"second-person\""),
    )
    .unwrap();
    assert_eq!(tree.approval, ApprovalPolicy::SameHost);
    let contain = tree.node("contain").unwrap();
    let action = &contain.actions[0];
    assert_eq!(
        action.approval.as_ref().map(|a| a.value),
        Some(ApprovalPolicy::SecondPerson)
    );
    assert_eq!(
        tree.approval_for(action, ApprovalPolicy::None),
        ApprovalPolicy::SecondPerson
    );
    // Without either, nothing is required unless the organisation says so.
    let plain = parse("t.toml", &fixture("base.toml")).unwrap();
    let action = &plain.node("contain").unwrap().actions[0];
    assert_eq!(plain.approval, ApprovalPolicy::None);
    assert!(!plain.approval_for(action, ApprovalPolicy::None).required());
    assert_eq!(
        plain.approval_for(action, ApprovalPolicy::SecondPerson),
        ApprovalPolicy::SecondPerson
    );
}

#[test]
fn an_unknown_policy_is_located_with_a_suggestion() {
    let got = diagnostics(&tree_with("approval = \"second-persn\"", ""));
    assert_eq!(
        got,
        vec![
            "7:13: [tree] has unknown approval policy 'second-persn' (did you mean 'second-person'?)"
        ]
    );
    let got = diagnostics(&tree_with("", "approval = 2"));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("key 'approval' of action 'revoke' of node 'contain' must be a string"),
        "{got:?}"
    );
}

#[test]
fn an_action_cannot_lower_the_trees_policy() {
    let got = diagnostics(&tree_with(
        "approval = \"second-person\"",
        "approval = \"none\"",
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].ends_with(
            "action 'revoke' of node 'contain' has approval 'none', lower than the tree's 'second-person': an action can only raise the tree's approval policy"
        ),
        "{got:?}"
    );
    assert!(got[0].starts_with("60:12: "), "{got:?}");
}

const CONFIG: &str = "tenant = \"contoso.onmicrosoft.com\"\n\
    workspace = \"aaaaaaaa-1111-2222-3333-444444444444\"\n\
    [auth]\nmethod = \"azure-cli\"\n";

#[test]
fn the_organisation_floor_is_read_from_the_configuration_and_only_raises() {
    let cfg = parse_config(CONFIG, "c.toml").unwrap();
    assert_eq!(cfg.approval_floor, ApprovalPolicy::None);
    let cfg = parse_config(
        &format!("{CONFIG}[approvals]\nminimum = \"second-person\"\n"),
        "c.toml",
    )
    .unwrap();
    assert_eq!(cfg.approval_floor, ApprovalPolicy::SecondPerson);
    // A tree asking for less still gets the floor; one asking for more keeps it.
    let tree = parse("t.toml", &tree_with("approval = \"same-host\"", "")).unwrap();
    let action = &tree.node("contain").unwrap().actions[0];
    assert_eq!(
        tree.approval_for(action, cfg.approval_floor),
        ApprovalPolicy::SecondPerson
    );
    let err = parse_config(
        &format!("{CONFIG}[approvals]\nminimum = \"nobody\"\n"),
        "c.toml",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "c.toml:6:11: unknown approvals.minimum 'nobody' (expected none, second-person or same-host)"
    );
}
