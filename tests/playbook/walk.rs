//! Walks through the tree graph: the outcomes the playbook promises are
//! reachable, the decisions branch where the playbook branches, and the
//! "repeat until nothing new" loop really loops.

use std::collections::{HashMap, VecDeque};

use cairn::tree::{Node, NodeKind, OutcomeStatus, Phase, Tree};

use super::common::tree;

/// Shortest path of node ids from the start to the first node satisfying
/// `goal`, following every choice.
fn path_to(tree: &Tree, goal: impl Fn(&Node) -> bool) -> Option<Vec<String>> {
    let start = tree.start.value.clone();
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut queue = VecDeque::from([start.clone()]);
    parent.insert(start.clone(), String::new());
    while let Some(id) = queue.pop_front() {
        let node = tree.node(&id)?;
        if goal(node) {
            let mut path = vec![id.clone()];
            let mut at = id;
            while let Some(p) = parent.get(&at).filter(|p| !p.is_empty()) {
                path.push(p.clone());
                at = p.clone();
            }
            path.reverse();
            return Some(path);
        }
        for next in node.successors() {
            if !parent.contains_key(next) {
                parent.insert(next.to_string(), id.clone());
                queue.push_back(next.to_string());
            }
        }
    }
    None
}

fn outcome(status: OutcomeStatus) -> impl Fn(&Node) -> bool {
    move |n| matches!(n.kind, NodeKind::Outcome { status: s } if s == status)
}

fn choices(node: &Node) -> &[cairn::tree::Choice] {
    match &node.kind {
        NodeKind::Decision { choices } => choices,
        other => panic!("'{}' is a {}, not a decision", node.id.value, other.name()),
    }
}

#[test]
fn a_walk_reaches_no_compromise_through_the_user_confirmation() {
    let tree = tree();
    let path =
        path_to(&tree, outcome(OutcomeStatus::NoCompromise)).expect("no-compromise is reachable");
    assert!(
        path.iter().any(|id| id == "user-confirmation"),
        "path {path:?}"
    );
    let confirmation = tree
        .node("user-confirmation")
        .expect("user-confirmation node");
    let legit = choices(confirmation)
        .iter()
        .find(|c| c.label.get("en").contains("legitimate"))
        .expect("a 'confirmed legitimate' choice");
    assert!(outcome(OutcomeStatus::NoCompromise)(
        tree.node(&legit.next).expect("target")
    ));
    assert!(
        choices(confirmation).iter().any(|c| tree
            .node(&c.next)
            .is_some_and(|n| n.phase == Phase::Contain)),
        "not confirmed must lead into containment"
    );
}

#[test]
fn a_walk_reaches_contained_and_recovered_through_containment_and_recovery() {
    let tree = tree();
    let path = path_to(&tree, outcome(OutcomeStatus::ContainedAndRecovered)).expect("reachable");
    let phases: Vec<Phase> = path
        .iter()
        .map(|id| tree.node(id).expect("node").phase)
        .collect();
    for phase in [
        Phase::Triage,
        Phase::Investigate,
        Phase::Contain,
        Phase::Recover,
        Phase::RootCause,
    ] {
        assert!(
            phases.contains(&phase),
            "path {path:?} skips {}",
            phase.name()
        );
    }
    assert!(path_to(&tree, outcome(OutcomeStatus::Escalated)).is_some());
    assert!(path_to(&tree, outcome(OutcomeStatus::Contained)).is_some());
}

#[test]
fn containment_lists_the_nine_tasks() {
    let tree = tree();
    let tasks = tree.node("containment-tasks").expect("containment tasks");
    assert_eq!(tasks.checklist.len(), 9);
    for (i, item) in tasks.checklist.iter().enumerate() {
        assert!(
            item.text.get("en").starts_with(&format!("{}. ", i + 1)),
            "item {}",
            item.id.value
        );
    }
    assert!(tasks.checklist.iter().filter(|i| i.mandatory).count() >= 4);
}

#[test]
fn new_affected_users_or_devices_loop_back_and_nothing_new_moves_on() {
    let tree = tree();
    let decision = tree
        .node("other-affected")
        .expect("other-affected decision");
    let loops_back = |from: &str| {
        // Does `from` lead back to the decision without passing an outcome?
        let mut seen = vec![from.to_string()];
        let mut stack = vec![from.to_string()];
        while let Some(id) = stack.pop() {
            if id == "other-affected" {
                return true;
            }
            for next in tree.node(&id).expect("node").successors() {
                if !seen.iter().any(|s| s == next) {
                    seen.push(next.to_string());
                    stack.push(next.to_string());
                }
            }
        }
        false
    };
    let looping: Vec<_> = choices(decision)
        .iter()
        .filter(|c| loops_back(&c.next))
        .collect();
    assert!(
        looping.len() >= 2,
        "new users and new devices both go round again"
    );
    assert!(
        choices(decision).iter().any(|c| tree
            .node(&c.next)
            .is_some_and(|n| n.phase == Phase::Contain)),
        "nothing new must lead to containment"
    );
}

#[test]
fn every_trigger_of_the_playbook_is_a_choice_of_the_triage_decision() {
    let tree = tree();
    let trigger = tree.node("trigger").expect("trigger decision");
    let labels: Vec<&str> = choices(trigger).iter().map(|c| c.label.get("en")).collect();
    for needle in [
        "Anomalous token",
        "Unfamiliar sign-in properties",
        "non-interactive",
        "Primary Refresh Token",
        "Defender XDR",
        "AiTM",
        "Other suspicious behaviour",
    ] {
        assert!(
            labels.iter().any(|l| l.contains(needle)),
            "no trigger choice for {needle}"
        );
    }
    let other = tree
        .node("trigger-other-behaviour")
        .expect("other behaviour node");
    assert_eq!(other.checklist.len(), 4, "the four signs");
}
