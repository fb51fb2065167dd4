//! Validation of a converted tree: ids, duplicates and the shape of the graph
//! (start, dangling links, reachability, a way out of every node). Texts,
//! lookups and actions are checked in [`super::validate_calls`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::error::{LineIndex, Problem};
use super::links::{Edges, reach};
use super::model::*;
use super::suggest::did_you_mean;

/// What conversion learnt that the model does not keep.
#[derive(Debug, Default, Clone)]
pub struct Notes {
    /// Nodes whose kind or links were missing or malformed (already
    /// reported); graph checks treat them as leading somewhere good so one
    /// mistake does not cascade.
    pub incomplete_nodes: HashSet<usize>,
    /// Spans of action bodies by (node index, action index).
    pub action_body_spans: HashMap<(usize, usize), Span>,
}

/// Every problem of `tree` (parsed from `source`), unsorted.
pub(crate) fn validate_with(tree: &Tree, source: &str, notes: &Notes) -> Vec<Problem> {
    let mut check = Checker::new(tree, source, notes);
    check.ids();
    check.graph();
    check.texts();
    check.calls();
    check.subjects();
    check.problems
}

pub(crate) struct Checker<'t> {
    pub tree: &'t Tree,
    source: &'t str,
    lines: Option<LineIndex>,
    pub notes: &'t Notes,
    /// First node with each id.
    pub node_index: HashMap<&'t str, usize>,
    pub variables: HashSet<&'t str>,
    /// Nodes sharing an id with an earlier node (reported once, then ignored).
    duplicate_nodes: HashSet<usize>,
    /// No language is listed twice in tree.languages.
    pub languages_distinct: bool,
    pub problems: Vec<Problem>,
}

/// Whether a string field was written at all (missing ones are empty with an
/// empty span and have been reported by conversion).
pub(crate) fn given(at: &At<String>) -> bool {
    !(at.value.is_empty() && at.span == (0..0))
}

/// A node for messages: `node 'id'`, or `node N` when it has no id.
/// Formatted only when a message is written.
pub(crate) struct NodeName<'t>(&'t Node, usize);

impl fmt::Display for NodeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if given(&self.0.id) {
            write!(f, "node '{}'", self.0.id.value)
        } else {
            write!(f, "node {}", self.1 + 1)
        }
    }
}

pub(crate) fn node_name(node: &Node, index: usize) -> NodeName<'_> {
    NodeName(node, index)
}

/// ` of <owner>`.
struct Of<'a>(&'a dyn fmt::Display);

impl fmt::Display for Of<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " of {}", self.0)
    }
}

/// Where to point at a node: its id, or its `[[nodes]]` header.
fn node_span(node: &Node) -> Span {
    if given(&node.id) {
        node.id.span.clone()
    } else {
        node.span.clone()
    }
}

const MAX_ID_LEN: usize = 64;

fn id_error(id: &str, variable: bool) -> Option<String> {
    let pattern = if variable {
        "[a-z0-9][a-z0-9_]*"
    } else {
        "[a-z0-9][a-z0-9-]*"
    };
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == if variable { '_' } else { '-' }
    });
    if !(first_ok && rest_ok) {
        Some(format!("must match {pattern}"))
    } else if id.len() > MAX_ID_LEN {
        Some(format!("is longer than {MAX_ID_LEN} characters"))
    } else {
        None
    }
}

impl<'t> Checker<'t> {
    fn new(tree: &'t Tree, source: &'t str, notes: &'t Notes) -> Self {
        let mut node_index = HashMap::with_capacity(tree.nodes.len());
        let mut duplicate_nodes = HashSet::new();
        for (i, node) in tree.nodes.iter().enumerate() {
            if given(&node.id) {
                // The first definition is the one links resolve to.
                match node_index.entry(node.id.as_str()) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        duplicate_nodes.insert(i);
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(i);
                    }
                }
            }
        }
        let variables = tree
            .variables
            .iter()
            .filter(|v| given(&v.name))
            .map(|v| v.name.as_str())
            .collect();
        Self {
            tree,
            source,
            lines: None,
            notes,
            node_index,
            variables,
            duplicate_nodes,
            languages_distinct: tree
                .languages
                .iter()
                .enumerate()
                .all(|(i, lang)| !tree.languages[..i].contains(lang)),
            problems: Vec::new(),
        }
    }

    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.problems.push(Problem::new(span, message));
    }

    fn line_of(&mut self, span: &Span) -> usize {
        let source = self.source;
        let lines = self.lines.get_or_insert_with(|| LineIndex::new(source));
        lines.line_col(source, span.start).0
    }

    /// `label id 'x' must match ...` for a malformed id.
    fn check_id_format(
        &mut self,
        at: &At<String>,
        label: &str,
        owner: &dyn fmt::Display,
        variable: bool,
    ) {
        if let Some(why) = id_error(&at.value, variable) {
            let kind = if variable { "name" } else { "id" };
            self.report(
                at.span.clone(),
                format!("{label} {kind} '{}'{owner} {why}", at.value),
            );
        }
    }

    fn report_duplicate(
        &mut self,
        at: &At<String>,
        first: &Span,
        label: &str,
        owner: &dyn fmt::Display,
        variable: bool,
    ) {
        let kind = if variable { "name" } else { "id" };
        let line = self.line_of(first);
        self.report(
            at.span.clone(),
            format!(
                "duplicate {label} {kind} '{}'{owner} (first defined on line {line})",
                at.value
            ),
        );
    }

    /// Malformed and repeated ids of one scope (the variables, the choices
    /// of a node, its lookups, ...). A few ids are compared with the ones
    /// before them, without allocating; a large scope (only a hostile file
    /// has one) goes through a map, so the check stays linear.
    fn check_scope<'a, I>(&mut self, ids: I, label: &str, owner: &dyn fmt::Display, variable: bool)
    where
        I: Iterator<Item = &'a At<String>> + Clone,
    {
        const FEW: usize = 16;
        let mut map: Option<HashMap<&'a str, &'a Span>> = None;
        for (k, at) in ids.clone().enumerate() {
            if !given(at) {
                continue;
            }
            self.check_id_format(at, label, owner, variable);
            if k == FEW {
                let mut earlier = HashMap::with_capacity(FEW);
                for p in ids.clone().take(k).filter(|p| given(p)) {
                    earlier.entry(p.as_str()).or_insert(&p.span);
                }
                map = Some(earlier);
            }
            let first = match &mut map {
                Some(map) => map.get(at.as_str()).copied(),
                None => ids
                    .clone()
                    .take(k)
                    .find(|p| given(p) && p.value == at.value)
                    .map(|p| &p.span),
            };
            match (first, &mut map) {
                (Some(first), _) => self.report_duplicate(at, first, label, owner, variable),
                (None, Some(map)) => {
                    map.insert(at.as_str(), &at.span);
                }
                (None, None) => {}
            }
        }
    }

    fn ids(&mut self) {
        let tree = self.tree;
        self.check_scope(std::iter::once(&tree.id), "tree", &"", false);
        let names = tree.variables.iter().map(|v| &v.name);
        self.check_scope(names, "variable", &"", true);
        for (i, node) in tree.nodes.iter().enumerate() {
            // Node ids: the map built once in `new` knows the first of each.
            if given(&node.id) {
                self.check_id_format(&node.id, "node", &"", false);
                if self.duplicate_nodes.contains(&i) {
                    let first = &tree.nodes[self.node_index[node.id.as_str()]].id.span;
                    self.report_duplicate(&node.id, first, "node", &"", false);
                }
            }
            let name = node_name(node, i);
            let owner = Of(&name);
            if let NodeKind::Decision { choices } = &node.kind {
                let ids = choices.iter().map(|c| &c.id);
                self.check_scope(ids, "choice", &owner, false);
            }
            let ids = node.checklist.iter().map(|c| &c.id);
            self.check_scope(ids, "checklist item", &owner, false);
            let ids = node.lookups.iter().map(|l| &l.id);
            self.check_scope(ids, "lookup", &owner, false);
            let ids = node.actions.iter().map(|a| &a.id);
            self.check_scope(ids, "action", &owner, false);
        }
    }

    fn unknown_node(&self, target: &str) -> String {
        let hint = did_you_mean(target, self.node_index.keys().copied())
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        format!("unknown node '{target}'{hint}")
    }

    /// Start, dangling links, decisions with too few choices, reachability
    /// from the start, and a reachable outcome from every node.
    fn graph(&mut self) {
        let tree = self.tree;
        let n = tree.nodes.len();
        // Nodes whose links are broken count as leading to an outcome: their
        // own error says what to fix.
        let mut assume_ok: Vec<bool> = (0..n)
            .map(|i| self.notes.incomplete_nodes.contains(&i))
            .collect();
        let mut successors = Edges::with_capacity(n);

        for (i, node) in tree.nodes.iter().enumerate() {
            let owner = node_name(node, i);
            successors.start_node();
            // (target, choice position; None for a step's next)
            let (next, choices) = match &node.kind {
                NodeKind::Step { next } => (Some(next), &[][..]),
                NodeKind::Decision { choices } => (None, &choices[..]),
                NodeKind::Outcome { .. } => (None, &[][..]),
            };
            let links = next.map(|next| (next, None)).into_iter().chain(
                choices
                    .iter()
                    .enumerate()
                    .map(|(c, ch)| (&ch.next, Some(c))),
            );
            for (target, choice) in links {
                if !given(target) {
                    assume_ok[i] = true;
                } else if let Some(&j) = self.node_index.get(target.as_str()) {
                    successors.push(j);
                } else {
                    assume_ok[i] = true;
                    let unknown = self.unknown_node(&target.value);
                    let what = match choice {
                        Some(c) => format!("choice {} of {owner}", c + 1),
                        None => format!("next of {owner}"),
                    };
                    self.report(target.span.clone(), format!("{what} points to {unknown}"));
                }
            }
            if let NodeKind::Decision { choices } = &node.kind
                && choices.len() < 2
                && !self.notes.incomplete_nodes.contains(&i)
            {
                let count = match choices.len() {
                    0 => "no choices".to_string(),
                    _ => "only 1 choice".to_string(),
                };
                self.report(
                    node_span(node),
                    format!("decision {owner} has {count}; a decision needs at least two"),
                );
            }
        }
        successors.finish();

        let start = &tree.start;
        let start_index = if given(start) {
            let found = self.node_index.get(start.as_str()).copied();
            if found.is_none() {
                let unknown = self.unknown_node(&start.value);
                self.report(start.span.clone(), format!("start points to {unknown}"));
            }
            found
        } else {
            None
        };

        // With a link missing or broken, what is unreachable is guesswork:
        // the broken link's own error comes first.
        let links_complete = !assume_ok.iter().any(|&b| b);
        if let Some(start_index) = start_index.filter(|_| links_complete) {
            let reached = reach(n, &successors, [start_index]);
            for (i, node) in tree.nodes.iter().enumerate() {
                if !reached[i] && !self.duplicate_nodes.contains(&i) {
                    self.report(
                        node_span(node),
                        format!(
                            "{} cannot be reached from the start node '{}'",
                            node_name(node, i),
                            start.value
                        ),
                    );
                }
            }
        }

        let predecessors = successors.reversed();
        let exits = tree.nodes.iter().enumerate().filter_map(|(i, node)| {
            (matches!(node.kind, NodeKind::Outcome { .. }) || assume_ok[i]).then_some(i)
        });
        let can_finish = reach(n, &predecessors, exits);
        for (i, node) in tree.nodes.iter().enumerate() {
            if !can_finish[i] && !self.duplicate_nodes.contains(&i) {
                self.report(
                    node_span(node),
                    format!(
                        "no outcome can be reached from {} (a dead end or a loop with no way out)",
                        node_name(node, i)
                    ),
                );
            }
        }
    }
}
