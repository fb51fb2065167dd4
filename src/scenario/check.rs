//! Checks that need the whole scenario: duplicates, and that every decision
//! a trainee can meet has an expectation.

use std::collections::{BTreeSet, HashMap};

use super::fields::Problems;
use super::model::{Scenario, WalkPath};
use crate::tree::{NodeKind, Tree};

pub(crate) fn cross_check(s: &Scenario, tree: &Tree, p: &mut Problems) {
    let mut seen = HashMap::new();
    for e in &s.expectations {
        if seen.insert(e.node.value.as_str(), ()).is_some() {
            p.add(
                e.node.span.clone(),
                format!("node '{}' already has an expectation", e.node.value),
            );
        }
    }
    let mut ids = HashMap::new();
    for i in &s.injects {
        if ids.insert(i.id.value.as_str(), ()).is_some() {
            p.add(
                i.id.span.clone(),
                format!("duplicate inject id '{}'", i.id.value),
            );
        }
    }
    for node in decisions_to_cover(s, tree, p) {
        p.add(
            s.tree.span.clone(),
            format!(
                "decision node '{node}' of tree '{}' can be reached in this scenario but has no [[expect]] entry",
                tree.id.value
            ),
        );
    }
}

/// Decision nodes the walk can reach without an expectation.
///
/// On the playbook's path, only the nodes along the expected choices can be
/// reached; when the walk follows the trainee's choice, every decision can.
fn decisions_to_cover<'t>(s: &Scenario, tree: &'t Tree, p: &mut Problems) -> BTreeSet<&'t str> {
    let mut missing = BTreeSet::new();
    match s.scoring.walk {
        WalkPath::Chosen => {
            for n in &tree.nodes {
                if matches!(n.kind, NodeKind::Decision { .. }) && s.expectation(&n.id).is_none() {
                    missing.insert(n.id.as_str());
                }
            }
        }
        WalkPath::Playbook => {
            let mut visited = BTreeSet::new();
            let mut at = tree.start.as_str();
            loop {
                if !visited.insert(at) {
                    p.add(
                        s.tree.span.clone(),
                        format!("the expected path loops back to node '{at}' and never reaches an outcome"),
                    );
                    break;
                }
                let Some(node) = tree.node(at) else { break };
                at = match &node.kind {
                    NodeKind::Outcome { .. } => break,
                    NodeKind::Step { next } => next.as_str(),
                    NodeKind::Decision { choices } => {
                        let Some(e) = s.expectation(at) else {
                            missing.insert(node.id.as_str());
                            break;
                        };
                        match choices.iter().find(|c| c.id.value == e.choice.value) {
                            Some(c) => c.next.as_str(),
                            // Already reported as an unknown choice.
                            None => break,
                        }
                    }
                };
            }
        }
    }
    missing
}

/// The node ids along the scenario's expected path, start to outcome.
pub fn expected_path<'t>(s: &Scenario, tree: &'t Tree) -> Vec<&'t str> {
    let mut path = Vec::new();
    let mut at = tree.start.as_str();
    while let Some(node) = tree.node(at) {
        if path.contains(&at) {
            break;
        }
        path.push(node.id.as_str());
        at = match &node.kind {
            NodeKind::Outcome { .. } => break,
            NodeKind::Step { next } => next.as_str(),
            NodeKind::Decision { choices } => {
                let Some(next) = s
                    .expectation(at)
                    .and_then(|e| choices.iter().find(|c| c.id.value == e.choice.value))
                else {
                    break;
                };
                next.next.as_str()
            }
        };
    }
    path
}
