//! Reading a scenario file: TOML → [`Scenario`], checked against its tree,
//! with every problem reported at once.

use toml::de::{DeTable, DeValue};

use super::check;
use super::diag::{Diagnostic, Diagnostics, with_suggestion};
use super::duration::parse_offset;
use super::fields::{Fields, Problems, localized_table, type_name};
use super::model::*;
use crate::tree::value::normalize;
use crate::tree::{At, NodeKind, Span, Tree};

/// Largest file Cairn reads as a scenario; real ones are a few dozen KiB.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;
const MAX_POINTS: u32 = 1000;

/// Reads scenario bytes (any bytes: invalid UTF-8 is an error, not a panic).
pub fn load_bytes(label: &str, bytes: &[u8], trees: &[&Tree]) -> Result<Scenario, Diagnostics> {
    if bytes.len() > MAX_SCENARIO_BYTES {
        let d = Diagnostic {
            span: 0..0,
            message: format!(
                "file is {} bytes; scenarios are limited to {MAX_SCENARIO_BYTES}",
                bytes.len()
            ),
        };
        return Err(Diagnostics::new(label, "", vec![d]));
    }
    match std::str::from_utf8(bytes) {
        Ok(src) => load(label, src, trees),
        Err(e) => {
            let at = e.valid_up_to();
            let src = String::from_utf8_lossy(bytes);
            // Lossy decoding keeps offsets up to the first bad byte.
            let d = Diagnostic {
                span: at..at + 1,
                message: format!("file is not valid UTF-8 (bad byte at offset {at})"),
            };
            Err(Diagnostics::new(label, &src, vec![d]))
        }
    }
}

/// Reads and validates a scenario against the trees Cairn knows.
pub fn load(label: &str, src: &str, trees: &[&Tree]) -> Result<Scenario, Diagnostics> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        let items = errors
            .iter()
            .map(|e| Diagnostic {
                span: e.span().unwrap_or(0..0),
                message: format!("TOML syntax: {}", e.message().trim()),
            })
            .collect();
        return Err(Diagnostics::new(label, src, items));
    }
    let mut problems = Problems::default();
    let scenario = read(doc.get_ref(), trees, &mut problems);
    match scenario {
        Some(s) if problems.items.is_empty() => Ok(s),
        _ => {
            if problems.items.is_empty() {
                problems.add(0..0, "scenario could not be read");
            }
            Err(Diagnostics::new(label, src, problems.items))
        }
    }
}

const TOP: &[&str] = &[
    "scenario",
    "variables",
    "scoring",
    "expect",
    "hints",
    "injects",
];
const HEAD: &[&str] = &["id", "tree", "recordings", "title", "story"];

fn read(doc: &DeTable<'_>, trees: &[&Tree], p: &mut Problems) -> Option<Scenario> {
    let top = Fields::new(doc, 0..0, "the file", TOP, p);
    let (head_table, head_span) = top.table("scenario", true, p)?;
    let head = Fields::new(head_table, head_span.clone(), "[scenario]", HEAD, p);
    let id = head.string("id", true, p);
    if let Some(id) = &id {
        check_id(id, "scenario id", p);
    }
    let tree_id = head.string("tree", true, p);
    let tree = tree_id.as_ref().and_then(|t| resolve_tree(t, trees, p));
    let languages = tree.map(|t| t.languages.as_slice());
    let recordings = head.string("recordings", false, p);
    if let Some(r) = &recordings {
        check_id(r, "recording set name", p);
    }
    let title = head.localized("title", languages, true, p);
    let story = head.localized("story", languages, true, p);

    let variables = read_variables(&top, tree, p);
    let scoring = read_scoring(&top, p);
    let cx = Cx { tree, languages };
    let expectations: Vec<_> = top
        .tables("expect", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_expectation(&cx, t, span, i, p))
        .collect();
    let hints: Vec<_> = top
        .tables("hints", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_hint(&cx, t, span, i, scoring.hint_cost, p))
        .collect();
    let injects: Vec<_> = top
        .tables("injects", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_inject(&cx, t, span, i, p))
        .collect();

    let scenario = Scenario {
        id: id?,
        tree: tree_id?,
        title: title?,
        story: story?,
        recordings,
        variables,
        scoring,
        expectations,
        hints,
        injects,
    };
    if let Some(tree) = tree {
        check::cross_check(&scenario, tree, p);
    }
    Some(scenario)
}

struct Cx<'a> {
    tree: Option<&'a Tree>,
    languages: Option<&'a [String]>,
}

pub(crate) fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.len() <= 64
}

fn check_id(id: &At<String>, what: &str, p: &mut Problems) {
    if !is_id(id) {
        p.add(
            id.span.clone(),
            format!(
                "{what} '{}' must match [a-z0-9][a-z0-9-]* (at most 64 characters)",
                id.value
            ),
        );
    }
}

fn resolve_tree<'a>(id: &At<String>, trees: &[&'a Tree], p: &mut Problems) -> Option<&'a Tree> {
    let found = trees.iter().find(|t| t.id.value == id.value).copied();
    if found.is_none() {
        let known: Vec<&str> = trees.iter().map(|t| t.id.as_str()).collect();
        let message = with_suggestion(
            format!("unknown tree '{}' (known: {})", id.value, known.join(", ")),
            id,
            known.iter().copied(),
        );
        p.add(id.span.clone(), message);
    }
    found
}

fn read_variables(
    top: &Fields<'_, '_>,
    tree: Option<&Tree>,
    p: &mut Problems,
) -> Vec<ScenarioVariable> {
    let Some((table, _)) = top.table("variables", false, p) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in table.iter() {
        let name_str: &str = name.get_ref();
        let DeValue::String(raw) = v.get_ref() else {
            p.add(
                v.span(),
                format!(
                    "variable '{name_str}' must be a string, found {}",
                    type_name(v.get_ref())
                ),
            );
            continue;
        };
        let Some(tree) = tree else { continue };
        let Some(var) = tree.variable(name_str) else {
            let known = tree.variables.iter().map(|v| v.name.as_str());
            let message = with_suggestion(
                format!("tree '{}' has no variable '{name_str}'", tree.id.value),
                name_str,
                known,
            );
            p.add(name.span(), message);
            continue;
        };
        match normalize(var.var_type, raw) {
            Ok(value) => out.push(ScenarioVariable {
                name: At::new(name_str.to_string(), name.span()),
                value,
            }),
            Err(e) => p.add(
                v.span(),
                format!(
                    "variable '{name_str}' is of type {}: {e}",
                    var.var_type.name()
                ),
            ),
        }
    }
    // The tree's order, so screens list entities the way the playbook does.
    if let Some(tree) = tree {
        out.sort_by_key(|v| {
            tree.variables
                .iter()
                .position(|tv| tv.name.value == v.name.value)
        });
    }
    out
}

fn read_scoring(top: &Fields<'_, '_>, p: &mut Problems) -> Scoring {
    let mut scoring = Scoring::default();
    let Some((table, span)) = top.table("scoring", false, p) else {
        return scoring;
    };
    let f = Fields::new(
        table,
        span,
        "[scoring]",
        &["points", "hint_cost", "walk"],
        p,
    );
    if let Some(n) = f.count("points", MAX_POINTS, p) {
        scoring.points = n.value;
    }
    if let Some(n) = f.count("hint_cost", MAX_POINTS, p) {
        scoring.hint_cost = n.value;
    }
    if let Some(w) = f.string("walk", false, p) {
        match WalkPath::parse(&w) {
            Some(walk) => scoring.walk = walk,
            None => p.add(
                w.span.clone(),
                format!(
                    "'walk' in [scoring] must be \"playbook\" or \"chosen\", not '{}'",
                    w.value
                ),
            ),
        }
    }
    scoring
}

/// The node `id` names, reporting unknown ids with a suggestion.
fn known_node<'a>(cx: &Cx<'a>, id: &At<String>, p: &mut Problems) -> Option<&'a crate::tree::Node> {
    let tree = cx.tree?;
    let node = tree.node(id);
    if node.is_none() {
        let message = with_suggestion(
            format!("tree '{}' has no node '{}'", tree.id.value, id.value),
            id,
            tree.nodes.iter().map(|n| n.id.as_str()),
        );
        p.add(id.span.clone(), message);
    }
    node
}

fn read_expectation(
    cx: &Cx<'_>,
    t: &DeTable<'_>,
    span: Span,
    i: usize,
    p: &mut Problems,
) -> Option<Expectation> {
    let name = format!("expect[{}]", i + 1);
    let f = Fields::new(t, span, &name, &["node", "choice", "explain"], p);
    let node_id = f.string("node", true, p);
    let choice = f.string("choice", true, p);
    let explain = f.table("explain", true, p);
    let node = node_id.as_ref().and_then(|n| known_node(cx, n, p));
    let choices = match node.map(|n| &n.kind) {
        Some(NodeKind::Decision { choices }) => Some(choices),
        Some(kind) => {
            let id = node_id.as_ref()?;
            p.add(
                id.span.clone(),
                format!(
                    "node '{}' is a {}, not a decision; only decisions have expectations",
                    id.value,
                    kind.name()
                ),
            );
            None
        }
        None => None,
    };
    let choice_ids: Vec<&str> = choices
        .map(|cs| cs.iter().map(|c| c.id.as_str()).collect())
        .unwrap_or_default();
    if let (Some(c), Some(node_id)) = (&choice, &node_id)
        && choices.is_some()
        && !choice_ids.contains(&c.as_str())
    {
        let message = with_suggestion(
            format!(
                "node '{}' has no choice '{}' (choices: {})",
                node_id.value,
                c.value,
                choice_ids.join(", ")
            ),
            c,
            choice_ids.iter().copied(),
        );
        p.add(c.span.clone(), message);
    }
    let mut explanations = Vec::new();
    if let Some((table, explain_span)) = explain {
        for (key, v) in table.iter() {
            let key_str: &str = key.get_ref();
            if choices.is_some() && !choice_ids.contains(&key_str) {
                let message = with_suggestion(
                    format!(
                        "explanation for unknown choice '{key_str}' (choices: {})",
                        choice_ids.join(", ")
                    ),
                    key_str,
                    choice_ids.iter().copied(),
                );
                p.add(key.span(), message);
                continue;
            }
            let DeValue::Table(texts) = v.get_ref() else {
                p.add(v.span(), format!("'explain.{key_str}' in {name} must be a table of texts per language (explain.{key_str}.en = \"...\")"));
                continue;
            };
            let what = format!("'explain.{key_str}' in {name}");
            let text = localized_table(texts, key.span(), &what, cx.languages, p);
            explanations.push(Explanation {
                choice: At::new(key_str.to_string(), key.span()),
                text,
            });
        }
        for c in &choice_ids {
            if !table.contains_key(*c) {
                p.add(
                    explain_span.clone(),
                    format!(
                        "{name} has no explanation for choice '{c}' (explain.{c}.en = \"...\")"
                    ),
                );
            }
        }
    }
    Some(Expectation {
        node: node_id?,
        choice: choice?,
        explanations,
    })
}

fn read_hint(
    cx: &Cx<'_>,
    t: &DeTable<'_>,
    span: Span,
    i: usize,
    default_cost: u32,
    p: &mut Problems,
) -> Option<Hint> {
    let f = Fields::new(
        t,
        span,
        format!("hints[{}]", i + 1),
        &["node", "cost", "text"],
        p,
    );
    let node = f.string("node", true, p);
    if let Some(n) = &node {
        known_node(cx, n, p);
    }
    let cost = f
        .count("cost", MAX_POINTS, p)
        .map_or(default_cost, |c| c.value);
    let text = f.localized("text", cx.languages, true, p);
    Some(Hint {
        node: node?,
        text: text?,
        cost,
    })
}

fn read_inject(
    cx: &Cx<'_>,
    t: &DeTable<'_>,
    span: Span,
    i: usize,
    p: &mut Problems,
) -> Option<Inject> {
    let name = format!("injects[{}]", i + 1);
    let known = &["id", "message", "after", "on_node", "replace_recording"];
    let f = Fields::new(t, span.clone(), &name, known, p);
    let id = f.string("id", true, p);
    if let Some(id) = &id {
        check_id(id, "inject id", p);
    }
    let message = f.localized("message", cx.languages, true, p);
    let after = f.string("after", false, p);
    let on_node = f.string("on_node", false, p);
    let trigger = match (after, on_node) {
        (Some(a), None) => match parse_offset(&a) {
            Ok(d) => Some(Trigger::After(At::new(d, a.span.clone()))),
            Err(e) => {
                p.add(a.span.clone(), format!("'after' in {name}: {e}"));
                None
            }
        },
        (None, Some(n)) => {
            known_node(cx, &n, p);
            Some(Trigger::OnNode(n))
        }
        (Some(_), Some(n)) => {
            p.add(
                n.span.clone(),
                format!("{name} has both 'after' and 'on_node'; give one trigger"),
            );
            None
        }
        (None, None) if f.has("after") || f.has("on_node") => None,
        (None, None) => {
            p.add(
                span,
                format!("{name} needs a trigger: 'after' (e.g. \"10m\") or 'on_node'"),
            );
            None
        }
    };
    let replace_recording = read_override(cx, &f, &name, p);
    Some(Inject {
        id: id?,
        message: message?,
        trigger: trigger?,
        replace_recording,
    })
}

fn read_override(
    cx: &Cx<'_>,
    f: &Fields<'_, '_>,
    name: &str,
    p: &mut Problems,
) -> Option<RecordingOverride> {
    let (t, span) = f.table("replace_recording", false, p)?;
    let rf = Fields::new(
        t,
        span,
        format!("{name}.replace_recording"),
        &["lookup", "file"],
        p,
    );
    let lookup = rf.string("lookup", true, p);
    let file = rf.string("file", true, p);
    if let (Some(l), Some(tree)) = (&lookup, cx.tree)
        && !tree.lookups().any(|(_, lk)| lk.id.value == l.value)
    {
        let message = with_suggestion(
            format!("tree '{}' has no lookup '{}'", tree.id.value, l.value),
            l,
            tree.lookups().map(|(_, lk)| lk.id.as_str()),
        );
        p.add(l.span.clone(), message);
    }
    if let Some(file) = &file
        && !is_recording_file(file)
    {
        p.add(
            file.span.clone(),
            format!("'{}' must be a plain .json file name inside the scenario's recordings (no '/' or '..')", file.value),
        );
    }
    Some(RecordingOverride {
        lookup: lookup?,
        file: file?,
    })
}

/// A file name that cannot leave the recordings directory.
pub(crate) fn is_recording_file(name: &str) -> bool {
    name.len() <= 128
        && name.ends_with(".json")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..")
}
