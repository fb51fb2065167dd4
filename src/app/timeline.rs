//! The timeline: everything the incident holds, in the order it was
//! recorded, read from the projection (moves, notes, lookups, actions,
//! values). Filterable by kind and by node; the screen draws `entries`.

use chrono::{DateTime, Utc};

use super::{Action, Effect, Screen, State};
use crate::store::IncidentState;
use crate::store::event::{Actor, EventKind, LookupStatus, ValueSource};
use crate::store::projection::{ActionOutcomeRecord, Via};

/// What an entry is, for the kind filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Decision,
    Note,
    Lookup,
    Action,
    Variable,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Decision,
        Kind::Note,
        Kind::Lookup,
        Kind::Action,
        Kind::Variable,
    ];
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A move of the walk: a choice (with its reason), a step on, a backtrack.
    Moved { to: String, via: Via },
    Note {
        text: String,
        amended: bool,
        incident_wide: bool,
    },
    Lookup {
        lookup: String,
        status: LookupStatus,
        rows: Option<u64>,
        message: Option<String>,
    },
    Action {
        action: String,
        method: String,
        path: String,
        simulated: bool,
        outcome: Option<ActionOutcomeRecord>,
    },
    Variable {
        name: String,
        value: String,
        source: ValueSource,
    },
    /// The walk went on to the next affected user or device; the earlier
    /// one's values were filed apart.
    SubjectFiled {
        scope: String,
        number: usize,
        label: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    /// The node it happened at; `None` for values and incident-wide notes.
    pub node: Option<String>,
    pub what: What,
}

impl Entry {
    pub fn kind(&self) -> Kind {
        match self.what {
            What::Moved { .. } => Kind::Decision,
            What::Note { .. } => Kind::Note,
            What::Lookup { .. } => Kind::Lookup,
            What::Action { .. } => Kind::Action,
            What::Variable { .. } | What::SubjectFiled { .. } => Kind::Variable,
        }
    }
}

/// Every entry of the incident, oldest first.
pub fn entries(walk: &IncidentState) -> Vec<Entry> {
    let mut out = Vec::new();
    for step in &walk.path {
        let node = match &step.via {
            Via::Choice { from, .. } | Via::Backtrack { from } | Via::Jump { from, .. } => {
                from.clone()
            }
            Via::Entered => step.node.clone(),
        };
        out.push(Entry {
            seq: step.stamp.seq,
            at: step.stamp.at,
            actor: step.stamp.actor.clone(),
            node: Some(node),
            what: What::Moved {
                to: step.node.clone(),
                via: step.via.clone(),
            },
        });
    }
    for note in &walk.notes {
        let added = note.added();
        out.push(Entry {
            seq: added.seq,
            at: added.at,
            actor: added.actor.clone(),
            node: note.node.clone(),
            what: What::Note {
                text: note.text().to_string(),
                amended: note.is_amended(),
                incident_wide: note.node.is_none(),
            },
        });
    }
    for event in &walk.lookups {
        if let EventKind::LookupRun {
            node,
            lookup,
            status,
            row_count,
            message,
            ..
        } = &event.kind
        {
            out.push(Entry {
                seq: event.seq,
                at: event.at,
                actor: event.actor.clone(),
                node: Some(node.clone()),
                what: What::Lookup {
                    lookup: lookup.clone(),
                    status: *status,
                    rows: *row_count,
                    message: message.clone(),
                },
            });
        }
    }
    for a in &walk.actions {
        out.push(Entry {
            seq: a.intent.seq,
            at: a.intent.at,
            actor: a.intent.actor.clone(),
            node: Some(a.node.clone()),
            what: What::Action {
                action: a.action.clone(),
                method: a.method.clone(),
                path: a.path.clone(),
                simulated: a.simulated,
                outcome: a.outcome.clone(),
            },
        });
    }
    for (name, var) in walk.every_variable() {
        for v in var.history.iter().chain(std::iter::once(&var.current)) {
            out.push(Entry {
                seq: v.stamp.seq,
                at: v.stamp.at,
                actor: v.stamp.actor.clone(),
                node: None,
                what: What::Variable {
                    name: name.clone(),
                    value: v.value.clone(),
                    source: v.source.clone(),
                },
            });
        }
    }
    for s in &walk.subjects {
        out.push(Entry {
            seq: s.closed.seq,
            at: s.closed.at,
            actor: s.closed.actor.clone(),
            node: None,
            what: What::SubjectFiled {
                scope: s.scope.clone(),
                number: s.number,
                label: s.label().to_string(),
            },
        });
    }
    out.sort_by_key(|e| e.seq);
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineView {
    /// Index into the filtered entries.
    pub cursor: usize,
    /// Only entries of this kind; `None` shows all.
    pub kind: Option<Kind>,
    /// Only entries at this node; `None` shows all.
    pub node: Option<String>,
}

impl TimelineView {
    pub fn shows(&self, e: &Entry) -> bool {
        self.kind.is_none_or(|k| e.kind() == k)
            && self
                .node
                .as_ref()
                .is_none_or(|n| e.node.as_deref() == Some(n.as_str()))
    }

    /// The entries this view lists.
    pub fn filtered(&self, walk: &IncidentState) -> Vec<Entry> {
        entries(walk)
            .into_iter()
            .filter(|e| self.shows(e))
            .collect()
    }
}

/// Opens the timeline from the node screen, at its newest entry.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let view = TimelineView::default();
    let cursor = view.filtered(&inc.walk).len().saturating_sub(1);
    state.screen = Screen::Timeline(TimelineView { cursor, ..view });
    Vec::new()
}

/// The nodes the node filter steps through: all, then each node entries
/// name, in the order they first appear.
fn node_choices(walk: &IncidentState) -> Vec<Option<String>> {
    let mut nodes: Vec<Option<String>> = vec![None];
    for e in entries(walk) {
        if let Some(n) = e.node
            && !nodes.contains(&Some(n.clone()))
        {
            nodes.push(Some(n));
        }
    }
    nodes
}

/// The next of `options` after `current` (wrapping).
fn next_of<T: PartialEq + Clone>(options: &[T], current: &T) -> T {
    let i = options.iter().position(|o| o == current).unwrap_or(0);
    options[(i + 1) % options.len()].clone()
}

pub fn timeline_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let walk = &inc.walk;
    let Screen::Timeline(view) = &mut state.screen else {
        return Vec::new();
    };
    let count = view.filtered(walk).len();
    let last = count.saturating_sub(1);
    if let Some(c) = super::views::scrolled(view.cursor, action, last) {
        view.cursor = c;
        return Vec::new();
    }
    match action {
        Some(Action::First) => view.cursor = 0,
        Some(Action::Last) => view.cursor = last,
        Some(Action::Filter) => {
            let kinds: Vec<Option<Kind>> = std::iter::once(None)
                .chain(Kind::ALL.into_iter().map(Some))
                .collect();
            view.kind = next_of(&kinds, &view.kind);
            view.cursor = view.filtered(walk).len().saturating_sub(1);
        }
        Some(Action::NodeFilter) => {
            view.node = next_of(&node_choices(walk), &view.node);
            view.cursor = view.filtered(walk).len().saturating_sub(1);
        }
        Some(Action::Back) => state.screen = state.node_screen(),
        Some(Action::Language) => return super::switch_language(state),
        Some(Action::Help) => super::views::open_help(state),
        _ => {}
    }
    Vec::new()
}
