//! The checklist section of the report: every item of the nodes walked,
//! with the mandatory ones still open called out first.

use std::fmt::Write;

use super::Report;
use super::describe;
use super::markdown::lang;
use crate::store::replay::IncidentState;
use crate::text::{Medium, visible};

/// (node, item, text) of mandatory items on visited nodes left unchecked.
pub(super) fn open_mandatory(
    report: &Report,
    state: &IncidentState,
) -> Vec<(String, String, String)> {
    let Some(tree) = report.tree else {
        return Vec::new();
    };
    let lang = lang(report, state);
    tree.nodes
        .iter()
        .filter(|n| state.visited.contains(&n.id.value))
        .flat_map(|n| n.checklist.iter().map(move |item| (n, item)))
        .filter(|(n, item)| item.mandatory && !state.is_checked(&n.id.value, &item.id.value))
        .map(|(n, item)| {
            (
                n.id.value.clone(),
                item.id.value.clone(),
                item.text.get(lang).to_string(),
            )
        })
        .collect()
}

pub(super) fn checklist(out: &mut String, report: &Report, state: &IncidentState) {
    let lang = lang(report, state);
    let _ = writeln!(out, "## Checklist\n");
    let open = open_mandatory(report, state);
    if !open.is_empty() {
        out.push_str("**Open mandatory items:**\n\n");
        for (node, item, text) in &open {
            let _ = writeln!(
                out,
                "- [ ] **{}** ({}/{})",
                visible(text, Medium::Markdown),
                visible(node, Medium::Markdown),
                visible(item, Medium::Markdown)
            );
        }
        out.push('\n');
    }
    let mut rows = Vec::new();
    if let Some(tree) = report.tree {
        for node in tree
            .nodes
            .iter()
            .filter(|n| state.visited.contains(&n.id.value))
        {
            for item in &node.checklist {
                let key = (node.id.value.clone(), item.id.value.clone());
                rows.push((key, Some((item.text.get(lang).to_string(), item.mandatory))));
            }
        }
    }
    for key in state.checklist.keys() {
        if !rows.iter().any(|(k, _)| k == key) {
            rows.push((key.clone(), None));
        }
    }
    if rows.is_empty() {
        out.push_str("No checklist items on the nodes walked.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Node | Item | Mandatory | State | By | At |\n|---|---|---|---|---|---|"
    );
    for ((node, item), known) in rows {
        let entry = state.checklist.get(&(node.clone(), item.clone()));
        let checked = entry.is_some_and(|e| e.checked);
        let (text, mandatory) = match known {
            Some((text, mandatory)) => (
                format!(
                    "{} ({})",
                    visible(&text, Medium::Markdown),
                    visible(&item, Medium::Markdown)
                ),
                if mandatory { "yes" } else { "no" },
            ),
            None => (visible(&item, Medium::Markdown).into_owned(), "?"),
        };
        let state_text = match (checked, mandatory) {
            (true, _) => "done",
            (false, "yes") => "**OPEN**",
            (false, _) => "open",
        };
        let (by, at) = entry
            .map(|e| {
                (
                    visible(&describe::actor(&e.stamp.actor), Medium::Markdown).into_owned(),
                    describe::time(e.stamp.at),
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {text} | {mandatory} | {state_text} | {by} | {at} |",
            visible(&node, Medium::Markdown)
        );
    }
    out.push('\n');
}
