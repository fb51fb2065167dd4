//! The walk as Sentinel incident tasks: each node the walk enters becomes a
//! task `[cairn] <node title>`, Completed when the walk leaves it by a
//! decision (a choice, or a step's "next") or once its mandatory checklist
//! items are all ticked; closing the incident completes the node it ends
//! on. Only the walked path becomes tasks, never the whole tree.
//!
//! Each task's id is a UUIDv5 of the incident's first event hash, the node
//! and the visit (a node entered twice is two tasks), so re-planning the
//! same events always names the same tasks and a PUT repeats harmlessly.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use crate::lookup::sentinel::TaskStatus;
use crate::store::Event;
use crate::store::event::EventKind;
use crate::store::outbox::task_id;
use crate::text::{Medium, visible};
use crate::tree::Tree;
use crate::tree::model::NodeKind;

/// Sentinel keeps task titles short; a longer node title is cut.
const TITLE_CHARS: usize = 150;

/// One task write an event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskWrite {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
}

struct Open {
    node: String,
    id: Uuid,
    done: bool,
}

/// The task writes of each event (by seq) of an incident's `events`, in
/// order. `tree` is the incident's stored tree (None when it no longer
/// loads: titles then fall back to node ids, and ticks complete nothing).
pub fn plan(tree: Option<&Tree>, lang: &str, events: &[Event]) -> BTreeMap<u64, Vec<TaskWrite>> {
    let genesis = events.first().map_or("", |e| e.hash.as_str());
    let mut visits: HashMap<&str, u32> = HashMap::new();
    // The latest task of each node, and the node the walk is on.
    let mut latest: HashMap<String, Open> = HashMap::new();
    let mut current: Option<String> = None;
    let mut ticked: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut out: BTreeMap<u64, Vec<TaskWrite>> = BTreeMap::new();
    let write = |open: &Open, status| TaskWrite {
        id: open.id,
        title: title(tree, lang, &open.node),
        description: format!(
            "Cairn walk step `{}`; completed when the walk leaves it by a decision or its \
             mandatory items are done.",
            visible(&open.node, Medium::Markdown)
        ),
        status,
    };
    for event in events {
        let mut writes = Vec::new();
        let mut complete = |node: &str, writes: &mut Vec<TaskWrite>| {
            if let Some(open) = latest.get_mut(node).filter(|o| !o.done) {
                open.done = true;
                writes.push(write(open, TaskStatus::Completed));
            }
        };
        let mut entered: Option<&String> = None;
        match &event.kind {
            EventKind::NodeEntered { node } => {
                // A step left by its "next" is a decision to move on.
                if let Some(from) = current.as_deref()
                    && step_next(tree, from) == Some(node.as_str())
                {
                    complete(from, &mut writes);
                }
                entered = Some(node);
            }
            // A jump decides nothing: the node it leaves keeps its task open
            // (as a backtrack does); a target whose task is still open is
            // resumed, any other is entered with a task of its own.
            EventKind::Jumped { to, .. } => {
                if latest.get(to.as_str()).is_some_and(|open| !open.done) {
                    current = Some(to.clone());
                } else {
                    entered = Some(to);
                }
            }
            EventKind::ChoiceMade { node, .. } => complete(node, &mut writes),
            EventKind::Backtrack { to, .. } => current = Some(to.clone()),
            EventKind::ChecklistToggled {
                node,
                item,
                checked,
            } => {
                let set = ticked.entry(node).or_default();
                if *checked {
                    set.insert(item);
                } else {
                    set.remove(item.as_str());
                }
                if mandatory_done(tree, node, set) {
                    complete(node, &mut writes);
                }
            }
            EventKind::IncidentClosed { .. } => {
                if let Some(node) = current.clone() {
                    complete(&node, &mut writes);
                }
            }
            _ => {}
        }
        if let Some(node) = entered {
            let visit = visits.entry(node).or_insert(0);
            *visit += 1;
            let open = Open {
                node: node.clone(),
                id: task_id(genesis, node, *visit),
                done: false,
            };
            writes.push(write(&open, TaskStatus::New));
            latest.insert(node.clone(), open);
            ticked.remove(node.as_str());
            current = Some(node.clone());
        }
        if !writes.is_empty() {
            out.insert(event.seq, writes);
        }
    }
    out
}

fn title(tree: Option<&Tree>, lang: &str, node: &str) -> String {
    let name = tree
        .and_then(|t| t.node(node))
        .map(|n| n.title.get(lang).trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| node.to_string());
    // A task title is plain text in the portal: no control characters.
    // Escaped first, then cut, so the escapes count towards the length.
    let shown = visible(&name, Medium::Cli);
    let mut name: String = shown.chars().take(TITLE_CHARS + 1).collect();
    if name.chars().count() > TITLE_CHARS {
        name = name.chars().take(TITLE_CHARS).collect::<String>() + "…";
    }
    format!("[cairn] {name}")
}

fn step_next<'t>(tree: Option<&'t Tree>, node: &str) -> Option<&'t str> {
    match &tree?.node(node)?.kind {
        NodeKind::Step { next } => Some(next.value.as_str()),
        _ => None,
    }
}

/// True when `node` has mandatory items and all of them are in `ticked`.
fn mandatory_done(tree: Option<&Tree>, node: &str, ticked: &BTreeSet<&str>) -> bool {
    let Some(node) = tree.and_then(|t| t.node(node)) else {
        return false;
    };
    let mut mandatory = node.checklist.iter().filter(|i| i.mandatory).peekable();
    mandatory.peek().is_some() && mandatory.all(|i| ticked.contains(i.id.value.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event::Event;

    const MINI: &str = include_str!("../../tests/fixtures/trees/mini.toml");

    fn events(kinds: Vec<EventKind>) -> Vec<Event> {
        let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut all = vec![EventKind::NoteAdded {
            node: None,
            text: "genesis stand-in".into(),
        }];
        all.extend(kinds);
        all.into_iter()
            .enumerate()
            .map(|(i, kind)| {
                let mut e = Event::stand_in(i as u64 + 1, at, kind);
                e.hash = format!("{:064x}", i + 1);
                e
            })
            .collect()
    }

    fn statuses(plan: &BTreeMap<u64, Vec<TaskWrite>>) -> Vec<(u64, String, TaskStatus)> {
        plan.iter()
            .flat_map(|(seq, ws)| ws.iter().map(|w| (*seq, w.title.clone(), w.status)))
            .collect()
    }

    #[test]
    fn entered_nodes_open_tasks_and_decisions_or_closing_complete_them() {
        let tree = crate::tree::load::parse("mini.toml", MINI).unwrap();
        let start = tree.nodes[0].id.value.clone();
        let entered = |n: &str| EventKind::NodeEntered { node: n.into() };
        let evs = events(vec![
            entered(&start),
            EventKind::ChoiceMade {
                node: start.clone(),
                choice: "c".into(),
                next: "other".into(),
                reason: None,
            },
            entered("other"),
            EventKind::Backtrack {
                from: "other".into(),
                to: start.clone(),
            },
            entered("other"),
            EventKind::IncidentClosed { summary: None },
        ]);
        let plan = plan(Some(&tree), "en", &evs);
        let s = statuses(&plan);
        let start_title = format!("[cairn] {}", tree.nodes[0].title.get("en"));
        assert_eq!(s[0], (2, start_title.clone(), TaskStatus::New));
        assert_eq!(s[1], (3, start_title, TaskStatus::Completed));
        assert_eq!(s[2].2, TaskStatus::New);
        // A second entry is a second task; closing completes where it ends.
        assert_eq!((s[3].0, s[3].2), (6, TaskStatus::New));
        assert_ne!(plan[&4][0].id, plan[&6][0].id);
        assert_eq!((s[4].0, s[4].2), (7, TaskStatus::Completed));
        assert_eq!(plan[&7][0].id, plan[&6][0].id);
        assert_eq!(s.len(), 5, "the first 'other' stays open: {s:?}");
        // Planning again names the same tasks.
        assert_eq!(super::plan(Some(&tree), "en", &evs), plan);
    }

    #[test]
    fn a_jump_enters_its_target_and_leaves_the_node_it_left_open() {
        let tree = crate::tree::load::parse("mini.toml", MINI).unwrap();
        let start = tree.nodes[0].id.value.clone();
        let jump = |from: &str, to: &str| EventKind::Jumped {
            from: from.into(),
            to: to.into(),
            reason: "seen from TOR".into(),
        };
        let evs = events(vec![
            EventKind::NodeEntered {
                node: start.clone(),
            },
            jump(&start, "other"),
            // Back to a node whose task is still open: no second task.
            jump("other", &start),
            EventKind::IncidentClosed { summary: None },
        ]);
        let plan = plan(Some(&tree), "en", &evs);
        let s = statuses(&plan);
        assert_eq!((s[0].0, s[0].2), (2, TaskStatus::New));
        assert_eq!((s[1].0, s[1].2), (3, TaskStatus::New), "{s:?}");
        assert!(!plan.contains_key(&4), "{s:?}");
        // Closing completes the node the jump resumed, not the one it left.
        assert_eq!(plan[&5].len(), 1);
        assert_eq!(plan[&5][0].id, plan[&2][0].id);
        assert_eq!(plan[&5][0].status, TaskStatus::Completed);
    }

    #[test]
    fn mandatory_ticks_and_a_steps_next_complete_a_task_once() {
        let tree = crate::tree::load::parse("mini.toml", MINI).unwrap();
        let tick = |checked| EventKind::ChecklistToggled {
            node: "triage".into(),
            item: "asked-user".into(),
            checked,
        };
        let entered = |n: &str| EventKind::NodeEntered { node: n.into() };
        let evs = events(vec![
            entered("triage"),
            tick(true),
            tick(false),
            tick(true),
            entered("contain"),
            entered("contained"),
        ]);
        let s = statuses(&plan(Some(&tree), "en", &evs));
        let done: Vec<(u64, &str)> = s
            .iter()
            .filter(|w| w.2 == TaskStatus::Completed)
            .map(|w| (w.0, w.1.as_str()))
            .collect();
        // Completed once, by the first full tick; a task is never reopened.
        assert_eq!(
            done,
            vec![
                (3, "[cairn] Did the user sign in?"),
                (7, "[cairn] Revoke the user's sessions")
            ]
        );
    }

    #[test]
    fn hostile_node_ids_make_plain_titles() {
        let evs = events(vec![EventKind::NodeEntered {
            node: "x\u{1b}[2J".repeat(100),
        }]);
        let plan = plan(None, "en", &evs);
        let title = &plan[&2][0].title;
        assert!(!title.contains('\u{1b}'), "{title}");
        assert!(title.chars().count() <= 170, "{}", title.chars().count());
    }
}
