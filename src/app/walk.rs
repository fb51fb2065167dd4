//! What the screen knows of an incident: built only from events the store
//! confirmed, so nothing is ever shown as done before it is recorded.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::store::event::{Event, EventKind, Mode};

/// An incident as listed on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub created_at: DateTime<Utc>,
    /// Title of the node the walk is at, when known.
    pub current_node: Option<String>,
    pub closed: bool,
}

/// The fixed facts of an open incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentMeta {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub language: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub node: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    pub node: String,
    pub choice: String,
    pub reason: Option<String>,
}

/// The replayed state of a walk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walk {
    /// The node the responder is at (None before the first node is recorded).
    pub current: Option<String>,
    /// The active path from the start to the current node (the breadcrumb).
    pub path: Vec<String>,
    /// Every node ever entered; the record keeps them all.
    pub visited: BTreeSet<String>,
    pub checked: BTreeMap<(String, String), bool>,
    pub variables: BTreeMap<String, String>,
    pub notes: Vec<NoteView>,
    pub choices: Vec<ChoiceView>,
    pub language: Option<String>,
    pub closed: bool,
    pub last_seq: u64,
}

impl Walk {
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Walk {
        let mut walk = Walk::default();
        for e in events {
            walk.apply(e);
        }
        walk
    }

    pub fn apply(&mut self, event: &Event) {
        self.last_seq = self.last_seq.max(event.seq);
        match &event.kind {
            EventKind::NodeEntered { node } => self.enter(node),
            EventKind::ChoiceMade {
                node,
                choice,
                next,
                reason,
            } => {
                self.choices.push(ChoiceView {
                    node: node.clone(),
                    choice: choice.clone(),
                    reason: reason.clone(),
                });
                self.enter(next);
            }
            EventKind::Backtrack { to, .. } => {
                match self.path.iter().rposition(|n| n == to) {
                    Some(i) => self.path.truncate(i + 1),
                    None => self.path.push(to.clone()),
                }
                self.visited.insert(to.clone());
                self.current = Some(to.clone());
            }
            EventKind::ChecklistToggled {
                node,
                item,
                checked,
            } => {
                self.checked.insert((node.clone(), item.clone()), *checked);
            }
            EventKind::VariableSet { name, value, .. } => {
                self.variables.insert(name.clone(), value.clone());
            }
            EventKind::NoteAdded { node, text } => self.notes.push(NoteView {
                seq: event.seq,
                at: event.at,
                node: node.clone(),
                text: text.clone(),
            }),
            EventKind::NoteAmended { amends, text } => {
                if let Some(n) = self.notes.iter_mut().find(|n| n.seq == *amends) {
                    n.text = text.clone();
                    n.seq = event.seq;
                }
            }
            EventKind::LanguageChanged { language } => self.language = Some(language.clone()),
            EventKind::IncidentClosed { .. } => self.closed = true,
            EventKind::IncidentReopened { .. } => self.closed = false,
            // Lookups, actions, scenario and tabletop events do not move
            // the walk; their own screens read them from the log.
            _ => {}
        }
    }

    /// Entering the node already current (a choice followed by its
    /// `node_entered`) changes nothing.
    fn enter(&mut self, node: &str) {
        if self.current.as_deref() == Some(node) {
            return;
        }
        self.path.push(node.to_string());
        self.visited.insert(node.to_string());
        self.current = Some(node.to_string());
    }

    pub fn is_checked(&self, node: &str, item: &str) -> bool {
        self.checked
            .get(&(node.to_string(), item.to_string()))
            .copied()
            .unwrap_or(false)
    }

    pub fn notes_on<'a>(&'a self, node: &'a str) -> impl Iterator<Item = &'a NoteView> + 'a {
        self.notes
            .iter()
            .filter(move |n| n.node.as_deref() == Some(node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event::Actor;

    pub(crate) fn event(seq: u64, kind: EventKind) -> Event {
        Event {
            seq,
            at: DateTime::from_timestamp(1_700_000_000 + seq as i64, 0).unwrap(),
            actor: Actor {
                user: "u".into(),
                host: "h".into(),
                ssh_client: None,
            },
            kind,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn backtrack_shortens_the_path_but_keeps_visited_nodes() {
        let enter = |n: &str| EventKind::NodeEntered { node: n.into() };
        let events = vec![
            event(1, enter("a")),
            event(
                2,
                EventKind::ChoiceMade {
                    node: "a".into(),
                    choice: "x".into(),
                    next: "b".into(),
                    reason: None,
                },
            ),
            event(3, enter("b")),
            event(4, enter("c")),
            event(
                5,
                EventKind::Backtrack {
                    from: "c".into(),
                    to: "a".into(),
                },
            ),
        ];
        let walk = Walk::replay(&events);
        assert_eq!(walk.current.as_deref(), Some("a"));
        assert_eq!(walk.path, vec!["a".to_string()]);
        assert_eq!(walk.visited.len(), 3);
        assert_eq!(walk.choices.len(), 1);
        assert_eq!(walk.last_seq, 5);
    }
}
