//! The incident report a responder pastes into a ticket.
//!
//! Every recorded string is escaped for where it lands (table cell, running
//! text, code block): a user agent or a note can hold Markdown, HTML or
//! terminal control sequences.

use std::fmt::Write;

use super::Report;
use super::describe;
use super::{checklist, evidence, subjects};
use crate::store::projection::{IncidentState, VariableState, Via};
use crate::text::markdown::quote;
use crate::text::{Medium, visible};
use crate::tree::{NodeKind, Tree};

pub fn render(report: &Report) -> String {
    let state = IncidentState::from_events(report.events);
    let mut out = String::new();
    header(&mut out, report, &state);
    summary(&mut out, report, &state);
    variables(&mut out, &state);
    subjects::subjects(&mut out, &state);
    decision_path(&mut out, report, &state);
    checklist::checklist(&mut out, report, &state);
    notes(&mut out, &state);
    evidence::lookups(&mut out, report, &state);
    evidence::actions(&mut out, report, &state);
    evidence::timeline(&mut out, report);
    integrity(&mut out, report);
    out
}

/// `id - title` of a node when the tree knows it.
pub(super) fn node_label(tree: Option<&Tree>, lang: &str, id: &str) -> String {
    match tree.and_then(|t| t.node(id)) {
        Some(node) => format!(
            "{} - {}",
            visible(id, Medium::Markdown),
            visible(node.title.get(lang), Medium::Markdown)
        ),
        None => visible(id, Medium::Markdown).into_owned(),
    }
}

pub(super) fn lang<'a>(report: &'a Report, state: &'a IncidentState) -> &'a str {
    state
        .language
        .as_deref()
        .unwrap_or(&report.incident.language)
}

fn header(out: &mut String, report: &Report, state: &IncidentState) {
    let inc = report.incident;
    let lang = lang(report, state);
    let _ = writeln!(
        out,
        "# Incident {}: {}\n",
        inc.id,
        visible(&inc.title, Medium::Markdown)
    );
    let _ = writeln!(out, "| Field | Value |\n|---|---|");
    let status = match &state.closed {
        Some(c) => format!(
            "closed {} by {}",
            describe::time(c.stamp.at),
            visible(&describe::actor(&c.stamp.actor), Medium::Markdown)
        ),
        None => "open".to_string(),
    };
    let created_by = state
        .created
        .as_ref()
        .map(|c| {
            format!(
                " by {}",
                visible(&describe::actor(&c.stamp.actor), Medium::Markdown)
            )
        })
        .unwrap_or_default();
    let rows = [
        ("Status", status),
        (
            "Tree",
            format!(
                "{} {} (source SHA-256 `{}`)",
                visible(&inc.tree_id, Medium::Markdown),
                visible(&inc.tree_version, Medium::Markdown),
                inc.tree_sha256
            ),
        ),
        ("Mode", format!("{:?}", inc.mode).to_lowercase()),
        ("Language", visible(lang, Medium::Markdown).into_owned()),
        (
            "Created",
            format!("{}{created_by}", describe::time(inc.created_at)),
        ),
        (
            "Last activity",
            state.last_activity.map(describe::time).unwrap_or_default(),
        ),
        (
            "Current node",
            state
                .current_node
                .as_deref()
                .map(|n| node_label(report.tree, lang, n).replace('|', "\\|"))
                .unwrap_or_else(|| "(walk not started)".to_string()),
        ),
        ("Events", state.event_count.to_string()),
    ];
    for (field, value) in rows {
        let _ = writeln!(out, "| {field} | {value} |");
    }
    out.push('\n');
}

fn summary(out: &mut String, report: &Report, state: &IncidentState) {
    let lang = lang(report, state);
    let _ = writeln!(out, "## Summary\n");
    if let Some(summary) = state.closed.as_ref().and_then(|c| c.summary.as_deref()) {
        out.push_str(&quote(summary));
        out.push('\n');
    }
    let outcome = state.current_node.as_deref().and_then(|id| {
        let node = report.tree?.node(id)?;
        match &node.kind {
            NodeKind::Outcome { status } => Some((node, status.name())),
            _ => None,
        }
    });
    match (outcome, state.current_node.as_deref()) {
        (Some((node, status)), _) => {
            // An outcome reached by a jump was not decided: the summary says so.
            let jumped = match state.path.last().map(|s| &s.via) {
                Some(Via::Jump { reason, .. }) => format!(
                    " - **reached by a jump, not a decision** (reason: {})",
                    visible(reason, Medium::Markdown)
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- Outcome reached: **{}** ({status}){jumped}",
                visible(node.title.get(lang), Medium::Markdown)
            );
        }
        (None, Some(node)) => {
            let _ = writeln!(
                out,
                "- Walk in progress at {}",
                node_label(report.tree, lang, node)
            );
        }
        (None, None) => out.push_str("- The walk has not started.\n"),
    }
    let decisions = state
        .path
        .iter()
        .filter(|s| matches!(s.via, Via::Choice { .. }))
        .count();
    let _ = writeln!(
        out,
        "- {}, {}, {} run, {}, {}",
        describe::count(state.visited.len(), "node visited", "nodes visited"),
        describe::count(decisions, "decision", "decisions"),
        describe::count(state.lookups.len(), "lookup", "lookups"),
        describe::count(state.actions.len(), "action", "actions"),
        describe::count(state.notes.len(), "note", "notes")
    );
    let open = checklist::open_mandatory(report, state);
    if !open.is_empty() {
        let _ = writeln!(
            out,
            "- **{} mandatory checklist items are still open** (see Checklist)",
            open.len()
        );
    }
    let unrecorded = state.actions.iter().filter(|a| a.outcome.is_none()).count();
    if unrecorded > 0 {
        let actions = describe::count(unrecorded, "action has", "actions have");
        let _ = writeln!(out, "- **{actions} no recorded outcome** (see Actions)");
    }
    out.push('\n');
}

fn variables(out: &mut String, state: &IncidentState) {
    let _ = writeln!(out, "## Variables\n");
    if state.variables.is_empty() {
        out.push_str("No variables were set.\n\n");
        return;
    }
    variable_table(out, state.variables.iter());
}

/// The table of variables with where each value came from.
pub(super) fn variable_table<'a>(
    out: &mut String,
    vars: impl Iterator<Item = (&'a String, &'a VariableState)>,
) {
    let _ = writeln!(
        out,
        "| Name | Value | Source | Set by | At | Earlier values |\n|---|---|---|---|---|---|"
    );
    for (name, var) in vars {
        let earlier: Vec<String> = var
            .history
            .iter()
            .map(|v| visible(&v.value, Medium::Markdown).into_owned())
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            visible(name, Medium::Markdown),
            visible(&var.current.value, Medium::Markdown),
            visible(&describe::source(&var.current.source), Medium::Markdown),
            visible(&describe::actor(&var.current.stamp.actor), Medium::Markdown),
            describe::time(var.current.stamp.at),
            earlier.join(", ")
        );
    }
    out.push('\n');
}

fn decision_path(out: &mut String, report: &Report, state: &IncidentState) {
    let lang = lang(report, state);
    let _ = writeln!(out, "## Decision path\n");
    if state.path.is_empty() {
        out.push_str("No node was entered.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "| # | At | Who | Node | How | Why |\n|---|---|---|---|---|---|"
    );
    for (i, step) in state.path.iter().enumerate() {
        let (how, why) = match &step.via {
            Via::Entered if i == 0 => ("start".to_string(), String::new()),
            Via::Entered => ("entered".to_string(), String::new()),
            Via::Choice {
                from,
                choice,
                reason,
            } => {
                let label = report
                    .tree
                    .and_then(|t| t.node(from))
                    .and_then(|n| match &n.kind {
                        NodeKind::Decision { choices } => {
                            choices.iter().find(|c| c.id.value == *choice)
                        }
                        _ => None,
                    })
                    .map(|c| format!("\"{}\"", visible(c.label.get(lang), Medium::Markdown)))
                    .unwrap_or_else(|| visible(choice, Medium::Markdown).into_owned());
                (
                    format!("chose {label} at {}", visible(from, Medium::Markdown)),
                    reason
                        .as_deref()
                        .map(|r| visible(r, Medium::Markdown).into_owned())
                        .unwrap_or_default(),
                )
            }
            Via::Backtrack { from } => (
                format!("went back from {}", visible(from, Medium::Markdown)),
                String::new(),
            ),
            Via::Jump { from, reason } => (
                format!(
                    "**jumped** from {} (no decision made)",
                    visible(from, Medium::Markdown)
                ),
                visible(reason, Medium::Markdown).into_owned(),
            ),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {how} | {why} |",
            i + 1,
            describe::time(step.stamp.at),
            visible(&describe::actor(&step.stamp.actor), Medium::Markdown),
            node_label(report.tree, lang, &step.node).replace('|', "\\|"),
        );
    }
    out.push('\n');
}

fn notes(out: &mut String, state: &IncidentState) {
    let _ = writeln!(out, "## Notes\n");
    if state.notes.is_empty() {
        out.push_str("No notes.\n\n");
        return;
    }
    for (i, note) in state.notes.iter().enumerate() {
        let added = note.added();
        let at_node = note
            .node
            .as_deref()
            .map(|n| format!(" at node {}", visible(n, Medium::Markdown)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "### Note {} (event {}, {} by {}{at_node})\n",
            i + 1,
            added.seq,
            describe::time(added.at),
            visible(&describe::actor(&added.actor), Medium::Markdown)
        );
        out.push_str(&quote(note.text()));
        out.push('\n');
        if note.is_amended() {
            let last = &note.versions[note.versions.len() - 1].stamp;
            let _ = writeln!(
                out,
                "_Amended {}; text above as of event {} ({} by {}). Earlier versions:_\n",
                describe::count(note.versions.len() - 1, "time", "times"),
                last.seq,
                describe::time(last.at),
                visible(&describe::actor(&last.actor), Medium::Markdown)
            );
            for version in note.versions[..note.versions.len() - 1].iter().rev() {
                let _ = writeln!(
                    out,
                    "- event {} ({}):\n",
                    version.stamp.seq,
                    describe::time(version.stamp.at)
                );
                for line in quote(&version.text).lines() {
                    let _ = writeln!(out, "  {line}");
                }
                out.push('\n');
            }
        }
    }
}

fn integrity(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Integrity\n");
    let v = report.verification;
    match &v.broken {
        None => {
            let _ = writeln!(
                out,
                "Hash chain intact over {} events; last event hash `{}`.",
                v.events, v.head
            );
        }
        Some(b) => {
            let _ = writeln!(
                out,
                "**Hash chain BROKEN at event {}:** {}",
                b.seq,
                visible(&b.reason, Medium::Markdown)
            );
        }
    }
    let _ = writeln!(
        out,
        "Tree source SHA-256 `{}`.",
        report.incident.tree_sha256
    );
    // A copy of the head kept with this report witnesses the record: later
    // deletions or rewrites up to it are caught by `verify --head`.
    let _ = writeln!(
        out,
        "\nHead `{head}`: `cairn verify {} --head {head}` shows whether anything recorded up to it was later removed or rewritten.",
        report.incident.id,
        head = v.head_text()
    );
}
