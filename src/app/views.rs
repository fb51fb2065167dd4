//! Read-mostly screens: the map, search, help and the lookup/action detail.

use ratatui::crossterm::event::KeyEvent;

use super::input::LineInput;
use super::node::{NodeItem, item_text};
use super::{Action, Context, Effect, NodeView, Screen, State};
use crate::tree::{Phase, Tree};

/// Node indices in outline order: grouped by phase, file order within one.
pub fn map_order(tree: &Tree) -> Vec<usize> {
    Phase::ALL
        .iter()
        .flat_map(|p| {
            tree.nodes
                .iter()
                .enumerate()
                .filter(move |(_, n)| n.phase == *p)
                .map(|(i, _)| i)
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapView {
    /// Position in `map_order`.
    pub cursor: usize,
}

impl MapView {
    pub fn new(tree: &Tree, node_index: usize) -> Self {
        let cursor = map_order(tree)
            .iter()
            .position(|i| *i == node_index)
            .unwrap_or(0);
        Self { cursor }
    }
}

pub fn map_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let order = map_order(&tree);
    let Screen::Map(view) = &mut state.screen else {
        return Vec::new();
    };
    let last = order.len().saturating_sub(1);
    match action {
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::Down) => view.cursor = (view.cursor + 1).min(last),
        Some(Action::PageUp) => view.cursor = view.cursor.saturating_sub(10),
        Some(Action::PageDown) => view.cursor = (view.cursor + 10).min(last),
        Some(Action::Select) => {
            if let Some(i) = order.get(view.cursor) {
                let id = tree.nodes[*i].id.value.clone();
                return super::jump_to(state, &id);
            }
        }
        Some(Action::Back) => state.screen = state.node_screen(),
        Some(Action::Language) => return super::switch_language(state),
        Some(Action::Help) => open_help(state),
        _ => {}
    }
    Vec::new()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchView {
    pub query: LineInput,
    /// Matching node indices, in file order.
    pub results: Vec<usize>,
    pub cursor: usize,
}

/// Nodes whose title or body contains `query` in any language, ignoring case.
pub fn search(tree: &Tree, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    tree.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.title
                .texts
                .values()
                .chain(n.body.texts.values())
                .any(|t| t.to_lowercase().contains(&q))
        })
        .map(|(i, _)| i)
        .collect()
}

pub fn search_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let Screen::Search(view) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::Down) => {
            view.cursor = (view.cursor + 1).min(view.results.len().saturating_sub(1))
        }
        Some(Action::Select) => {
            if let Some(i) = view.results.get(view.cursor) {
                let id = tree.nodes[*i].id.value.clone();
                return super::jump_to(state, &id);
            }
        }
        Some(Action::Back) => state.screen = state.node_screen(),
        _ => {
            if view.query.handle(&key) {
                view.results = search(&tree, view.query.text());
                view.cursor = 0;
            }
        }
    }
    Vec::new()
}

#[derive(Debug, Clone)]
pub struct HelpView {
    /// The context whose keys are listed first.
    pub context: Context,
    pub scroll: u16,
    pub back: Box<Screen>,
}

pub fn open_help(state: &mut State) {
    let context = state.screen.context();
    let back = Box::new(state.screen.clone());
    state.screen = Screen::Help(HelpView {
        context,
        scroll: 0,
        back,
    });
}

/// How far help and detail texts scroll: past any text they hold.
const TEXT_SCROLL_LIMIT: u16 = 500;

/// The offset of a scrolling view after a movement key (a line, or ten for
/// a page, never past `last`); `None` for any other action.
pub fn scrolled(offset: usize, action: Option<Action>, last: usize) -> Option<usize> {
    Some(match action? {
        Action::Up => offset.saturating_sub(1),
        Action::Down => offset.saturating_add(1).min(last),
        Action::PageUp => offset.saturating_sub(10),
        Action::PageDown => offset.saturating_add(10).min(last),
        _ => return None,
    })
}

/// `scrolled` for the u16 offsets of the help and detail views.
fn scrolled_text(offset: &mut u16, action: Option<Action>) -> bool {
    let last = usize::from(TEXT_SCROLL_LIMIT);
    match scrolled(usize::from(*offset), action, last) {
        Some(s) => {
            *offset = u16::try_from(s).unwrap_or(TEXT_SCROLL_LIMIT);
            true
        }
        None => false,
    }
}

pub fn help_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Help(view) = &mut state.screen else {
        return Vec::new();
    };
    if scrolled_text(&mut view.scroll, action) {
        return Vec::new();
    }
    if action == Some(Action::Back) {
        let back = std::mem::replace(&mut view.back, Box::new(Screen::Node(NodeView::default())));
        state.screen = *back;
    }
    Vec::new()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailView {
    pub item: Option<NodeItem>,
    pub scroll: u16,
}

impl DetailView {
    pub fn new(item: Option<NodeItem>, _text: Option<String>) -> Self {
        Self { item, scroll: 0 }
    }
}

pub fn detail_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Detail(view) = &mut state.screen else {
        return Vec::new();
    };
    if scrolled_text(&mut view.scroll, action) {
        return Vec::new();
    }
    match action {
        Some(Action::Copy) => {
            let item = view.item;
            let Some(inc) = &state.incident else {
                return Vec::new();
            };
            let tree = inc.tree.clone();
            let text = tree
                .node(inc.current_node_id())
                .and_then(|n| item_text(state, n, item));
            return super::node::copy(state, text);
        }
        Some(Action::Back) => state.screen = state.node_screen(),
        _ => {}
    }
    Vec::new()
}
