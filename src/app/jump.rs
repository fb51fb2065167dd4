//! Jumping from the map or search: the target is previewed, the responder
//! says why, and the move is recorded as a jump (not as a decision). An
//! outcome reached this way is confirmed first. Returning to a node on the
//! breadcrumb stays a plain backtrack.

use ratatui::crossterm::event::KeyEvent;

use super::editors::ConfirmDialog;
use super::input::LineInput;
use super::{Action, Effect, NodeView, Notice, Screen, State};
use crate::store::event::EventKind;
use crate::tree::{NodeKind, Tree};

#[derive(Debug, Clone)]
pub struct JumpView {
    /// The node jumped to.
    pub target: String,
    pub reason: LineInput,
    /// The map or search the jump was started from (Esc returns there).
    pub back: Box<Screen>,
}

impl JumpView {
    /// The target is an outcome: reaching it ends the walk.
    pub fn to_outcome(&self, tree: &Tree) -> bool {
        tree.node(&self.target)
            .is_some_and(|n| matches!(n.kind, NodeKind::Outcome { .. }))
    }
}

/// Moves to `target` from the map or search: nothing for the current node,
/// a backtrack to a node on the breadcrumb, the jump preview otherwise.
pub fn jump_to(state: &mut State, target: &str) -> Vec<Effect> {
    if super::exercise::forbids_moving_back(state) {
        state.screen = Screen::Node(state.node_view.clone());
        return Vec::new();
    }
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let current = inc.current_node_id().to_string();
    if target == current {
        state.screen = Screen::Node(state.node_view.clone());
        return Vec::new();
    }
    if super::closed::is_closed(state) {
        // Nothing can be recorded: say so before anything is typed.
        state.notice = Some(Notice::ReadOnly);
        return Vec::new();
    }
    if !inc.walk.trail.iter().any(|n| n == target) {
        let back = Box::new(state.screen.clone());
        state.screen = Screen::Jump(JumpView {
            target: target.to_string(),
            reason: LineInput::default(),
            back,
        });
        return Vec::new();
    }
    let kind = EventKind::Backtrack {
        from: current,
        to: target.to_string(),
    };
    record(state, kind)
}

pub fn jump_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(tree) = state.incident.as_ref().map(|i| i.tree.clone()) else {
        return Vec::new();
    };
    let Screen::Jump(view) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Save) => {
            if view.reason.text().trim().is_empty() {
                state.notice = Some(Notice::JumpNeedsReason);
            } else if view.to_outcome(&tree) {
                state.dialog = Some(ConfirmDialog::JumpToOutcome);
            } else {
                return commit(state);
            }
        }
        Some(Action::Cancel) => {
            let back =
                std::mem::replace(&mut view.back, Box::new(Screen::Node(NodeView::default())));
            state.screen = *back;
        }
        _ => {
            view.reason.handle(&key);
        }
    }
    Vec::new()
}

/// Records the jump on the jump screen (its reason typed, an outcome
/// confirmed).
pub fn commit(state: &mut State) -> Vec<Effect> {
    let Screen::Jump(view) = &state.screen else {
        return Vec::new();
    };
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let kind = EventKind::Jumped {
        from: inc.current_node_id().to_string(),
        to: view.target.clone(),
        reason: view.reason.text().trim().to_string(),
    };
    record(state, kind)
}

fn record(state: &mut State, kind: EventKind) -> Vec<Effect> {
    if state.move_pending() {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    state.node_view = NodeView::default();
    state.screen = Screen::Node(NodeView::default());
    state
        .act(vec![kind])
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}
