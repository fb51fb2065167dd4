//! A tree as a diagram: Mermaid (renders where the repository is browsed)
//! or Graphviz DOT. Phases are grouped in phase order, decisions are
//! diamonds, outcomes rounded, steps boxes; nodes with a destructive action
//! carry a `[!]` prefix and their own colour.

use std::fmt::Write as _;

use super::model::{Node, NodeKind, Phase, Tree};

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

/// Text for a quoted Mermaid label: characters Mermaid would read as syntax
/// become entity codes, line breaks and control characters become spaces.
pub fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '[' | ']' | '{' | '}' | '(' | ')' | '|' | '`' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c if c.is_control() || super::value::is_forbidden_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a quoted DOT string.
pub fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() || super::value::is_forbidden_char(c) => out.push(' '),
            c => out.push(c),
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
            mermaid_escape(phase.label(lang))
        );
        for node in nodes {
            let label = mermaid_escape(&node_label(node, lang));
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
                let _ = writeln!(out, "  {from} -->|\"{}\"| {to}", mermaid_escape(&label));
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
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(&tree.id.value));
    let _ = writeln!(out, "  label=\"{}\";", dot_escape(tree.title.get(lang)));
    out.push_str("  labelloc=t;\n  rankdir=TB;\n  node [fontname=\"sans-serif\"];\n");
    out.push_str("  edge [fontname=\"sans-serif\", fontsize=10];\n");
    for (phase, nodes) in phases(tree) {
        let _ = writeln!(
            out,
            "  subgraph cluster_{} {{\n    label=\"{}\";\n    style=rounded;",
            phase.name().replace('-', "_"),
            dot_escape(phase.label(lang))
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
                dot_escape(&node_label(node, lang))
            );
        }
        out.push_str("  }\n");
    }
    for (from, to, label) in edges(tree, lang) {
        let (from, to) = (diagram_id(from), diagram_id(to));
        match label {
            Some(label) => {
                let _ = writeln!(out, "  {from} -> {to} [label=\"{}\"];", dot_escape(&label));
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
pub fn markdown(tree: &Tree, lang: &str) -> String {
    format!(
        "# {}\n\nThe `{}` tree (version {}) as a diagram: phases grouped, decisions as diamonds, \
         outcomes rounded, `[!]` marks a node with a destructive action.\n\
         Regenerate with `cargo run -- graph {} --format markdown --lang {lang} > docs/{}.md`.\n\n\
         ```mermaid\n{}```\n",
        tree.title.get(lang),
        tree.id.value,
        tree.version,
        tree.id.value,
        tree.id.value,
        mermaid(tree, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_break_out_of_their_quotes() {
        assert_eq!(
            mermaid_escape("a \"b\" [c] #1 {d} |e| <f> `g` & h\n"),
            "a #quot;b#quot; #91;c#93; #35;1 #123;d#125; #124;e#124; #lt;f#gt; #96;g#96; #amp; h "
        );
    }

    #[test]
    fn dot_labels_escape_quotes_and_backslashes() {
        assert_eq!(dot_escape("a \"b\" \\n\x1b"), "a \\\"b\\\" \\\\n ");
    }
}
