//! The node screen: checklist, lookups, actions, choices and moving on.

use super::editors::{ConfirmDialog, ReasonEditor};
use super::views::{DetailView, MapView, SearchView};
use super::{Action, Effect, Notice, Screen, State, VariablesView};
use crate::lookup::substitute::preview_lookup;
use crate::store::event::EventKind;
use crate::tree::{Node, NodeKind};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeView {
    /// Index into `node_items`.
    pub cursor: usize,
    /// Lines scrolled past the last item, into what follows it (notes,
    /// references, an outcome's text); the screen stops at the end.
    pub past_end: u16,
}

/// What the cursor can rest on, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeItem {
    Check(usize),
    Lookup(usize),
    Action(usize),
    Choice(usize),
    /// A step's single way on.
    Next,
}

pub fn node_items(node: &Node) -> Vec<NodeItem> {
    let mut items: Vec<NodeItem> = (0..node.checklist.len()).map(NodeItem::Check).collect();
    items.extend((0..node.lookups.len()).map(NodeItem::Lookup));
    items.extend((0..node.actions.len()).map(NodeItem::Action));
    match &node.kind {
        NodeKind::Decision { choices } => items.extend((0..choices.len()).map(NodeItem::Choice)),
        NodeKind::Step { .. } => items.push(NodeItem::Next),
        NodeKind::Outcome { .. } => {}
    }
    items
}

/// A forward move, held while the responder confirms leaving open items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    Choice {
        index: usize,
        reason: Option<String>,
    },
    Next,
}

pub fn clamp_cursor(state: &mut State) {
    let Some(inc) = &state.incident else { return };
    let Some(node) = inc.tree.node(inc.current_node_id()) else {
        return;
    };
    let n = node_items(node).len();
    if let Screen::Node(view) = &mut state.screen {
        view.cursor = view.cursor.min(n.saturating_sub(1));
    }
}

pub fn node_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let Some(node) = tree.node(inc.current_node_id()) else {
        return Vec::new();
    };
    let items = node_items(node);
    let selected = items.get(state.node_view.cursor).copied();
    if let Some(effects) = super::closed::node_key(state, action, selected) {
        return effects;
    }
    let Screen::Node(view) = &mut state.screen else {
        return Vec::new();
    };
    let selected = items.get(view.cursor).copied();
    let last = items.len().saturating_sub(1);
    let at_last = view.cursor >= last;
    match action {
        // Past the last item the screen scrolls on to the end; going back
        // up returns to the item first.
        Some(Action::Up | Action::PageUp) if view.past_end > 0 => view.past_end = 0,
        Some(Action::Down) if at_last => view.past_end = view.past_end.saturating_add(1),
        Some(Action::PageDown) if at_last => view.past_end = view.past_end.saturating_add(10),
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::Down) => view.cursor = (view.cursor + 1).min(last),
        Some(Action::PageUp) => view.cursor = view.cursor.saturating_sub(5),
        Some(Action::PageDown) => view.cursor = (view.cursor + 5).min(last),
        Some(Action::First) => *view = NodeView::default(),
        Some(Action::Last) => {
            view.cursor = last;
            view.past_end = u16::MAX;
        }
        Some(Action::Select) => match selected {
            // Enter moves a responder on everywhere else; on a checklist it
            // would tick or untick by reflex. Only the tick keys toggle.
            Some(NodeItem::Check(_)) => state.notice = Some(Notice::TickKeys),
            Some(NodeItem::Lookup(_) | NodeItem::Action(_)) => {
                let text = item_text(state, node, selected);
                state.screen = Screen::Detail(DetailView::new(selected, text));
            }
            Some(NodeItem::Choice(i)) => return choose(state, node, i),
            Some(NodeItem::Next) => return try_move(state, node, Move::Next),
            None => {}
        },
        Some(Action::Toggle) => {
            if let Some(NodeItem::Check(i)) = selected {
                return toggle(state, node, i);
            }
        }
        // On a lookup that has run, the same key runs it again (a retry);
        // on anything else it chooses with a reason.
        Some(Action::ChooseWithReason)
            if matches!(selected, Some(NodeItem::Lookup(_)))
                && latest_run(state, node, selected).is_some() =>
        {
            let run = latest_run(state, node, selected).unwrap_or_default();
            return super::lookup_runs::retry(state, run)
                .map(|(_, e)| e)
                .unwrap_or_default();
        }
        Some(Action::ChooseWithReason) => {
            let index = match selected {
                Some(NodeItem::Choice(i)) => Some(i),
                _ => items.iter().find_map(|i| match i {
                    NodeItem::Choice(c) => Some(*c),
                    _ => None,
                }),
            };
            if let Some(index) = index {
                state.screen = Screen::Reason(ReasonEditor::new(&node.id.value, index));
            }
        }
        Some(Action::Backtrack) => {
            if super::exercise::forbids_moving_back(state) {
                return Vec::new();
            }
            return backtrack(state);
        }
        Some(Action::Hint) => return super::exercise::hint(state),
        Some(Action::Exercise) => return super::exercise_keys::open_panel(state),
        Some(Action::ReleaseInject) => return super::exercise::release_next(state),
        Some(Action::Pause) => return super::exercise_clock::toggle_pause(state),
        Some(Action::Copy) => {
            let text = item_text(state, node, selected);
            return copy(state, text);
        }
        Some(Action::Map) => {
            let cursor = tree.node_index(node.id.as_str()).unwrap_or(0);
            state.screen = Screen::Map(MapView::new(&tree, cursor));
        }
        Some(Action::Search) => state.screen = Screen::Search(SearchView::default()),
        Some(Action::Timeline) => return super::timeline::open(state),
        Some(Action::Note) => return super::exercise_keys::open_note(state),
        Some(Action::Variables) => state.screen = Screen::Variables(VariablesView::default()),
        Some(Action::Language) => return super::switch_language(state),
        Some(Action::Home) => {
            state.screen = Screen::Home(super::HomeView::default());
            state.loading = true;
            return vec![Effect::LoadIncidents];
        }
        Some(Action::Help) => super::views::open_help(state),
        Some(Action::Run) => match selected {
            Some(NodeItem::Lookup(i)) => return super::lookups::open_form(state, node, i),
            Some(NodeItem::Action(i)) => return super::actions::open(state, node, i),
            // Nothing runs by surprise: running them all is its own key.
            _ => {}
        },
        Some(Action::RunAll) => return super::lookups::run_all(state, node),
        Some(Action::Results) => {
            let lookup = match selected {
                Some(NodeItem::Lookup(i)) => node.lookups.get(i),
                _ => node.lookups.first(),
            };
            if let Some(l) = lookup {
                return super::results::open_latest(state, &node.id.value, &l.id.value);
            }
        }
        Some(Action::SignIn) => return super::actions::start_sign_in(state),
        Some(a) => {
            if let Some(index) = a.choice_index()
                && matches!(&node.kind, NodeKind::Decision { choices } if index < choices.len())
            {
                return choose(state, node, index);
            }
        }
        None => {}
    }
    Vec::new()
}

/// The id of the newest run of the selected lookup, if it ran.
fn latest_run(state: &State, node: &Node, selected: Option<NodeItem>) -> Option<u64> {
    let Some(NodeItem::Lookup(i)) = selected else {
        return None;
    };
    let inc = state.incident.as_ref()?;
    let lookup = node.lookups.get(i)?;
    state
        .lookups
        .latest(&inc.meta.id, &node.id.value, &lookup.id.value)
        .map(|r| r.id)
}

/// A choice by key. In a tabletop the team's reason is asked for first
/// (it may stay empty): the report sets decisions beside their reasons.
fn choose(state: &mut State, node: &Node, index: usize) -> Vec<Effect> {
    if super::exercise::is_tabletop(state) {
        state.screen = Screen::Reason(ReasonEditor::new(&node.id.value, index));
        return Vec::new();
    }
    try_move(
        state,
        node,
        Move::Choice {
            index,
            reason: None,
        },
    )
}

pub fn copy(state: &mut State, text: Option<String>) -> Vec<Effect> {
    match text {
        Some(t) if !t.is_empty() => {
            state.notice = Some(Notice::Copied);
            vec![Effect::Copy(t)]
        }
        _ => {
            state.notice = Some(Notice::NothingToCopy);
            Vec::new()
        }
    }
}

/// The text a copy takes: a lookup's rendered query, an action's rendered
/// path, otherwise the item's label.
pub fn item_text(state: &State, node: &Node, item: Option<NodeItem>) -> Option<String> {
    let inc = state.incident.as_ref()?;
    let lang = inc.language();
    let vars = &inc.walk.values;
    Some(match item? {
        NodeItem::Check(i) => node.checklist.get(i)?.text.get(lang).to_string(),
        NodeItem::Lookup(i) => preview_lookup(node.lookups.get(i)?, &inc.tree.variables, vars),
        NodeItem::Action(i) => super::actions::preview(&inc.tree, node.actions.get(i)?, vars).0,
        NodeItem::Choice(i) => match &node.kind {
            NodeKind::Decision { choices } => choices.get(i)?.label.get(lang).to_string(),
            _ => return None,
        },
        NodeItem::Next => return None,
    })
}

fn toggle(state: &mut State, node: &Node, index: usize) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Some(item) = node.checklist.get(index) else {
        return Vec::new();
    };
    let node_id = node.id.value.clone();
    // Two quick presses before the first is confirmed stay one toggle each
    // way only once the store has answered.
    let in_flight = state.pending_kinds().any(|k| {
        matches!(k, EventKind::ChecklistToggled { node: n, item: i, .. } if *n == node_id && *i == item.id.value)
    });
    if in_flight {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    let checked = !inc.walk.is_checked(&node_id, &item.id);
    let kind = EventKind::ChecklistToggled {
        node: node_id,
        item: item.id.value.clone(),
        checked,
    };
    state
        .act(vec![kind])
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}

/// Mandatory checklist items of `node` still open.
pub fn open_mandatory(state: &State, node: &Node) -> usize {
    let Some(inc) = &state.incident else { return 0 };
    node.checklist
        .iter()
        .filter(|c| c.mandatory && !inc.walk.is_checked(&node.id, &c.id))
        .count()
}

pub fn try_move(state: &mut State, node: &Node, mv: Move) -> Vec<Effect> {
    if state.move_pending() {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    // A teammate recorded another choice here: ask before recording this one.
    if let Some(dialog) = super::teammates::conflict(state, node, &mv) {
        state.dialog = Some(dialog);
        return Vec::new();
    }
    leave_checked(state, node, mv)
}

/// The move, once open mandatory items are confirmed too.
pub fn leave_checked(state: &mut State, node: &Node, mv: Move) -> Vec<Effect> {
    let open = open_mandatory(state, node);
    if open > 0 {
        state.dialog = Some(ConfirmDialog::LeaveWithOpenItems { open, then: mv });
        return Vec::new();
    }
    do_move(state, mv)
}

pub fn do_move(state: &mut State, mv: Move) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let Some(node) = tree.node(inc.current_node_id()) else {
        return Vec::new();
    };
    let mut kinds = Vec::new();
    let next = match (&node.kind, mv) {
        (NodeKind::Decision { .. }, Move::Choice { index, reason })
            if super::exercise::is_training(state) =>
        {
            return super::exercise::choose_in_training(state, index, reason);
        }
        (NodeKind::Decision { choices }, Move::Choice { index, reason }) => {
            let Some(choice) = choices.get(index) else {
                return Vec::new();
            };
            let kind = EventKind::ChoiceMade {
                node: node.id.value.clone(),
                choice: choice.id.value.clone(),
                next: choice.next.value.clone(),
                reason,
            };
            kinds.push(kind);
            kinds.extend(crate::store::subjects::opened_by(&tree, choice));
            choice.next.value.clone()
        }
        (NodeKind::Step { next }, Move::Next) => next.value.clone(),
        _ => return Vec::new(),
    };
    // The choice and the node it enters are one action: one transaction.
    kinds.push(EventKind::NodeEntered { node: next });
    let effects: Vec<Effect> = state.act(kinds).map(|(_, e)| e).into_iter().collect();
    state.node_view = NodeView::default();
    match &mut state.screen {
        Screen::Node(view) => view.cursor = 0,
        // The reason editor stays (with its text) until the store confirms.
        Screen::Reason(_) => {}
        _ => state.screen = Screen::Node(NodeView::default()),
    }
    effects
}

/// Goes back one node on the path; the record keeps what came after.
fn backtrack(state: &mut State) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let path = &inc.walk.trail;
    if path.len() < 2 {
        state.notice = Some(Notice::NoPreviousNode);
        return Vec::new();
    }
    if state.move_pending() {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    let kind = EventKind::Backtrack {
        from: path[path.len() - 1].clone(),
        to: path[path.len() - 2].clone(),
    };
    if let Screen::Node(view) = &mut state.screen {
        view.cursor = 0;
    }
    state
        .act(vec![kind])
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}
