//! A closed incident on the screen: everything can be read, nothing can be
//! recorded until it is reopened, and reopening is itself recorded.

use super::editors::ConfirmDialog;
use super::node::NodeItem;
use super::{Action, Effect, Notice, State};
use crate::store::event::EventKind;

/// Whether the open incident is closed (as its confirmed events say).
pub fn is_closed(state: &State) -> bool {
    state
        .incident
        .as_ref()
        .is_some_and(|inc| inc.walk.closed.is_some())
}

/// The node screen's keys while the incident is closed: `None` lets the key
/// through (it only reads), `Some` is what happens instead.
pub fn node_key(
    state: &mut State,
    action: Option<Action>,
    selected: Option<NodeItem>,
) -> Option<Vec<Effect>> {
    if action == Some(Action::Reopen) {
        if is_closed(state) {
            state.dialog = Some(ConfirmDialog::Reopen);
        }
        return Some(Vec::new());
    }
    if !is_closed(state) {
        return None;
    }
    let reads = match action {
        None => true,
        Some(Action::Select) => matches!(selected, Some(NodeItem::Lookup(_) | NodeItem::Action(_))),
        Some(a) => matches!(
            a,
            Action::Up
                | Action::Down
                | Action::First
                | Action::Last
                | Action::PageUp
                | Action::PageDown
                | Action::Copy
                | Action::Map
                | Action::Search
                | Action::Help
                | Action::Home
                | Action::Results
                | Action::Timeline
        ),
    };
    if reads {
        return None;
    }
    state.notice = Some(Notice::ReadOnly);
    Some(Vec::new())
}

/// The responder confirmed reopening.
pub fn reopen(state: &mut State) -> Vec<Effect> {
    state
        .record(EventKind::IncidentReopened { reason: None })
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}
