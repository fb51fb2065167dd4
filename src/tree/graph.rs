//! A tree as a diagram: Mermaid (renders where the repository is browsed)
//! or Graphviz DOT. Phases are grouped in phase order, decisions are
//! diamonds, outcomes rounded, steps boxes; nodes with a destructive action
//! carry a `[!]` prefix and their own colour.

use std::fmt::Write as _;

use super::model::{Node, NodeKind, Phase, Tree};
use crate::text::markdown::code_span;
use crate::text::{Medium, visible};

/// The diagram's node id: `n_` and the tree id with `-` as `_` (tree ids
/// have no `_`, so this is one-to-one, and no id can clash with a keyword
/// such as `end`).
fn diagram_id(node: &Node) -> String {
    format!("n_{}", node.id.value.replace('-', "_"))
}

fn has_destructive_action(node: &Node) -> bool {
    node.actions.iter().any(|a| a.destructive)
}

fn node_label(node: &Node, lang: &str) -> String {
    let title = node.title.get(lang);
    if has_destructive_action(node) {
        format!("[!] {title}")
    } else {
        title.to_string()
    }
}

/// The phases the tree uses, in phase order, with their nodes in file order.
fn phases(tree: &Tree) -> Vec<(Phase, Vec<&Node>)> {
    Phase::ALL
        .into_iter()
        .map(|p| (p, tree.nodes.iter().filter(|n| n.phase == p).collect()))
        .filter(|(_, nodes): &(Phase, Vec<&Node>)| !nodes.is_empty())
        .collect()
}

/// Each edge: from, to, and the choice label for decisions.
fn edges<'t>(tree: &'t Tree, lang: &str) -> Vec<(&'t Node, &'t Node, Option<String>)> {
    let by_id: std::collections::HashMap<&str, &Node> =
        tree.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut out = Vec::new();
    for node in &tree.nodes {
        match &node.kind {
            NodeKind::Decision { choices } => {
                for choice in choices {
                    if let Some(&to) = by_id.get(choice.next.as_str()) {
                        out.push((node, to, Some(choice.label.get(lang).to_string())));
                    }
                }
            }
            NodeKind::Step { next } => {
                if let Some(&to) = by_id.get(next.as_str()) {
                    out.push((node, to, None));
                }
            }
            NodeKind::Outcome { .. } => {}
        }
    }
    out
}

/// The tree as a Mermaid flowchart, labels in `lang`.
pub fn mermaid(tree: &Tree, lang: &str) -> String {
    let mut out = String::from("flowchart TD\n");
    for (phase, nodes) in phases(tree) {
        let _ = writeln!(
            out,
            "  subgraph phase_{}[\"{}\"]",
            phase.name().replace('-', "_"),
            visible(phase.label(lang), Medium::Mermaid)
        );
        for node in nodes {
            let label = visible(&node_label(node, lang), Medium::Mermaid).into_owned();
            let (open, close) = match node.kind {
                NodeKind::Decision { .. } => ("{", "}"),
                NodeKind::Step { .. } => ("[", "]"),
                NodeKind::Outcome { .. } => ("([", "])"),
            };
            let _ = writeln!(out, "    {}{open}\"{label}\"{close}", diagram_id(node));
        }
        out.push_str("  end\n");
    }
    for (from, to, label) in edges(tree, lang) {
        let (from, to) = (diagram_id(from), diagram_id(to));
        match label {
            Some(label) => {
                let _ = writeln!(
                    out,
                    "  {from} -->|\"{}\"| {to}",
                    visible(&label, Medium::Mermaid)
                );
            }
            None => {
                let _ = writeln!(out, "  {from} --> {to}");
            }
        }
    }
    out.push_str("  classDef decision fill:#fff4ce,stroke:#8a6d00\n");
    out.push_str("  classDef outcome fill:#dff6dd,stroke:#107c10\n");
    out.push_str("  classDef destructive fill:#fde7e9,stroke:#a80000,stroke-width:3px\n");
    let class_members = |pick: &dyn Fn(&Node) -> bool| -> Vec<String> {
        tree.nodes
            .iter()
            .filter(|n| pick(n))
            .map(diagram_id)
            .collect()
    };
    for (class, members) in [
        (
            "decision",
            class_members(&|n| matches!(n.kind, NodeKind::Decision { .. })),
        ),
        (
            "outcome",
            class_members(&|n| matches!(n.kind, NodeKind::Outcome { .. })),
        ),
        ("destructive", class_members(&has_destructive_action)),
    ] {
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// The tree as a Graphviz digraph, labels in `lang`.
pub fn dot(tree: &Tree, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph \"{}\" {{",
        visible(&tree.id.value, Medium::Dot)
    );
    let _ = writeln!(
        out,
        "  label=\"{}\";",
        visible(tree.title.get(lang), Medium::Dot)
    );
    out.push_str("  labelloc=t;\n  rankdir=TB;\n  node [fontname=\"sans-serif\"];\n");
    out.push_str("  edge [fontname=\"sans-serif\", fontsize=10];\n");
    for (phase, nodes) in phases(tree) {
        let _ = writeln!(
            out,
            "  subgraph cluster_{} {{\n    label=\"{}\";\n    style=rounded;",
            phase.name().replace('-', "_"),
            visible(phase.label(lang), Medium::Dot)
        );
        for node in nodes {
            let mut attrs = match node.kind {
                NodeKind::Decision { .. } => {
                    "shape=diamond, style=filled, fillcolor=\"#fff4ce\"".to_string()
                }
                NodeKind::Step { .. } => "shape=box".to_string(),
                NodeKind::Outcome { .. } => {
                    "shape=box, style=\"rounded,filled\", peripheries=2, fillcolor=\"#dff6dd\""
                        .to_string()
                }
            };
            if has_destructive_action(node) {
                attrs.push_str(", color=\"#a80000\", penwidth=3");
            }
            let _ = writeln!(
                out,
                "    {} [label=\"{}\", {attrs}];",
                diagram_id(node),
                visible(&node_label(node, lang), Medium::Dot)
            );
        }
        out.push_str("  }\n");
    }
    for (from, to, label) in edges(tree, lang) {
        let (from, to) = (diagram_id(from), diagram_id(to));
        match label {
            Some(label) => {
                let _ = writeln!(
                    out,
                    "  {from} -> {to} [label=\"{}\"];",
                    visible(&label, Medium::Dot)
                );
            }
            None => {
                let _ = writeln!(out, "  {from} -> {to};");
            }
        }
    }
    out.push_str("}\n");
    out
}

/// A Markdown page holding the Mermaid diagram (what `docs/<tree>.md` is).
/// Title, id and version come from the tree file, so they are Markdown
/// text or code spans like any other untrusted text.
pub fn markdown(tree: &Tree, lang: &str) -> String {
    let id = &tree.id.value;
    format!(
        "# {}\n\nThe {} tree (version {}) as a diagram: phases grouped, decisions as diamonds, \
         outcomes rounded, `[!]` marks a node with a destructive action.\n\
         Regenerate with {}.\n\n\
         ```mermaid\n{}```\n",
        visible(tree.title.get(lang), Medium::Markdown),
        code_span(id),
        visible(&tree.version, Medium::Markdown),
        code_span(&format!(
            "cargo run -- graph {id} --format markdown --lang {lang} > docs/{id}.md"
        )),
        mermaid(tree, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_break_out_of_their_quotes() {
        assert_eq!(
            visible("a \"b\" [c] #1 {d} |e| <f> `g` & h\n", Medium::Mermaid),
            "a #quot;b#quot; #91;c#93; #35;1 #123;d#125; #124;e#124; #lt;f#gt; #96;g#96; #amp; h#lt;U+000A#gt;"
        );
    }

    #[test]
    fn dot_labels_escape_quotes_and_backslashes() {
        assert_eq!(
            visible("a \"b\" \\n\x1b", Medium::Dot),
            "a \\\"b\\\" \\\\n<U+001B>"
        );
    }
}
