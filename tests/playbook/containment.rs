//! When to contain: the playbook's "assume breach" and "containment before
//! gathering information" as graph distances, and the "impact too high"
//! answer as its own path that never asks for the step it just declined.

use std::collections::{HashSet, VecDeque};

use cairn::tree::{Choice, Node, NodeKind, Phase, Tree};

use super::common::tree;

/// A node where the responder can contain the user: a contain-phase node
/// with an action that revokes the sessions or disables the account.
fn contains_user(node: &Node) -> bool {
    node.phase == Phase::Contain
        && node.actions.iter().any(|a| {
            a.path.value.contains("revokeSignInSessions")
                || a.body
                    .as_deref()
                    .is_some_and(|b| b.replace(' ', "").contains("\"accountEnabled\":false"))
        })
}

/// Moves from taking `choice` to the nearest node satisfying `goal`: its
/// target is one move away, the target's successors two, and so on.
fn moves(tree: &Tree, choice: &Choice, goal: impl Fn(&Node) -> bool) -> Option<usize> {
    let mut seen = HashSet::from([choice.next.value.clone()]);
    let mut queue = VecDeque::from([(choice.next.value.clone(), 1)]);
    while let Some((id, depth)) = queue.pop_front() {
        let node = tree.node(&id)?;
        if goal(node) {
            return Some(depth);
        }
        for next in node.successors() {
            if seen.insert(next.to_string()) {
                queue.push_back((next.to_string(), depth + 1));
            }
        }
    }
    None
}

fn choices(node: &Node) -> &[Choice] {
    match &node.kind {
        NodeKind::Decision { choices } => choices,
        other => panic!("'{}' is a {}, not a decision", node.id.value, other.name()),
    }
}

fn choice<'t>(tree: &'t Tree, node: &str, id: &str) -> &'t Choice {
    let node = tree.node(node).unwrap_or_else(|| panic!("node {node}"));
    choices(node)
        .iter()
        .find(|c| c.id.value == id)
        .unwrap_or_else(|| panic!("choice {id} of {}", node.id.value))
}

#[test]
fn not_confirmed_reaches_a_containment_action_within_two_moves() {
    let tree = tree();
    let not_confirmed = choice(&tree, "user-confirmation", "assume-compromise");
    let distance = moves(&tree, not_confirmed, contains_user).expect("containment reachable");
    assert!(distance <= 2, "{distance} moves from 'not confirmed'");
    // The first move is the impact decision the playbook puts before it.
    assert_eq!(not_confirmed.next.value, "containment-impact");
}

#[test]
fn every_trigger_with_confirmed_malicious_evidence_contains_within_two_moves() {
    let tree = tree();
    let trigger = tree.node("trigger").expect("trigger decision");
    let mut checked = 0;
    for c in choices(trigger) {
        let node = tree.node(&c.next).expect("trigger target");
        if node.phase != Phase::Triage {
            continue; // a user report joins the investigation checklist directly
        }
        let fastest = choices(node)
            .iter()
            .filter_map(|c| moves(&tree, c, contains_user))
            .min()
            .unwrap_or(usize::MAX);
        assert!(
            fastest <= 2,
            "'{}': {fastest} moves to containment",
            node.id.value
        );
        assert!(
            choices(node)
                .iter()
                .any(|c| c.next.value == "investigation-checklist"),
            "'{}' must still allow investigating first",
            node.id.value
        );
        checked += 1;
    }
    assert_eq!(checked, 7, "the seven detection triggers");
}

#[test]
fn investigation_continues_after_containment_and_new_users_are_contained_first() {
    let tree = tree();
    let tasks = tree.node("containment-tasks").expect("containment tasks");
    assert!(contains_user(tasks));
    assert_eq!(tasks.successors(), vec!["user-investigation"]);
    let new_user = choice(&tree, "other-affected", "new-users");
    assert!(moves(&tree, new_user, contains_user).is_some_and(|d| d <= 2));
    let nothing_new = choice(&tree, "other-affected", "none-new");
    assert_eq!(nothing_new.next.value, "containment-iterate");
}

/// Whether a checklist text or action asks to disable the account or reset
/// its password.
fn disables_or_resets(text: &str) -> bool {
    let text = text.to_lowercase();
    [
        "disable the",
        "disable user",
        "reset",
        "change the password",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[test]
fn impact_too_high_has_its_own_path_with_no_mandatory_disable_or_reset() {
    let tree = tree();
    let too_high = choice(&tree, "containment-impact", "impact-too-high");
    // Everything reachable before the walk returns to the impact decision.
    let mut seen = HashSet::from([too_high.next.value.clone()]);
    let mut stack = vec![too_high.next.value.clone()];
    let mut path = Vec::new();
    while let Some(id) = stack.pop() {
        let node = tree.node(&id).expect("node");
        path.push(node);
        for next in node.successors() {
            if next != "containment-impact" && seen.insert(next.to_string()) {
                stack.push(next.to_string());
            }
        }
    }
    for node in &path {
        for item in node.checklist.iter().filter(|i| i.mandatory) {
            assert!(
                !disables_or_resets(item.text.get("en")),
                "'{}' item '{}' is mandatory",
                node.id.value,
                item.id.value
            );
        }
        for action in &node.actions {
            let body = action.body.as_deref().unwrap_or("").replace(' ', "");
            assert!(
                !body.contains("\"accountEnabled\":false")
                    && !action.path.contains("resetPassword"),
                "'{}' offers '{}'",
                node.id.value,
                action.id.value
            );
        }
    }
    // What remains possible: revoking without disabling, and an escalation
    // whose reason is recorded.
    assert!(path.iter().any(|n| contains_user(n)));
    assert!(path.iter().any(|n| matches!(
        n.kind,
        NodeKind::Outcome {
            status: cairn::tree::OutcomeStatus::Escalated
        }
    )));
    assert!(path.iter().any(|n| {
        n.checklist
            .iter()
            .any(|i| i.mandatory && i.text.get("en").contains("why"))
    }));
}
