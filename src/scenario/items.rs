//! Reading the repeated tables of a scenario: expectations, hints and
//! injects, each checked against the tree.

use toml::de::{DeTable, DeValue};

use super::diag::with_suggestion;
use super::duration::parse_offset;
use super::fields::{Fields, Problems, localized_table};
use super::model::*;
use super::parse::{Cx, MAX_POINTS, check_id};
use crate::tree::{At, NodeKind, Span};

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

pub(super) fn read_expectation(
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

pub(super) fn read_hint(
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

pub(super) fn read_inject(
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
