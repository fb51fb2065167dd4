//! Teammates' decisions on the screen: the background sync reads them from
//! the attached Sentinel incident's comments (`sync::teammates`, validated
//! against the tree there) and reports them; the node screen and the map
//! show them, and a local choice that differs from a teammate's at the
//! same node is asked about before it is recorded.

use std::collections::BTreeMap;

use super::editors::ConfirmDialog;
use super::node::{Move, leave_checked};
use super::{Effect, State};
use crate::sync::teammates::TeammateChoice;
use crate::tree::model::{Node, NodeKind};

/// The latest teammate choice at each node.
pub type Choices = BTreeMap<String, TeammateChoice>;

/// A report from the background sync; one about an incident no longer
/// followed is dropped.
pub fn reported(state: &mut State, incident: &str, choices: Choices) {
    if super::push::followed(state) == Some(incident) {
        state.teammates = Some((incident.to_string(), choices));
    }
}

/// A teammate's choice at `node` of the open incident, if one was read.
pub fn at<'s>(state: &'s State, node: &str) -> Option<&'s TeammateChoice> {
    let followed = super::push::followed(state)?;
    match &state.teammates {
        Some((incident, choices)) if incident == followed => choices.get(node),
        _ => None,
    }
}

/// The question to ask when `mv` picks another choice at `node` than a
/// teammate recorded there.
pub fn conflict(state: &State, node: &Node, mv: &Move) -> Option<ConfirmDialog> {
    let Move::Choice { index, .. } = mv else {
        return None;
    };
    let NodeKind::Decision { choices } = &node.kind else {
        return None;
    };
    let mine = choices.get(*index)?;
    let theirs = at(state, &node.id.value)?;
    if mine.id.value == theirs.choice {
        return None;
    }
    let lang = state.incident.as_ref()?.meta.language.clone();
    let label = choices
        .iter()
        .find(|c| c.id.value == theirs.choice)
        .map_or(theirs.choice.clone(), |c| c.label.get(&lang).to_string());
    Some(ConfirmDialog::TeammateChose {
        author: theirs.author.clone(),
        choice: label,
        at: theirs.at,
        then: mv.clone(),
    })
}

/// The responder chose to record their own choice anyway.
pub fn confirmed(state: &mut State, mv: Move) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    match tree.node(inc.current_node_id()) {
        Some(node) => leave_checked(state, node, mv),
        None => Vec::new(),
    }
}
