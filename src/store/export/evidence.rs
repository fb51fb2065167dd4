//! Report sections for evidence: lookups (with their exact queries and
//! first rows), actions (intent and outcome) and the full timeline.

use std::fmt::Write;

use serde_json::Value;

use super::Report;
use super::describe;
use super::markdown::{lang, node_label};
use crate::store::event::EventKind;
use crate::store::projection::IncidentState;
use crate::text::markdown::{code_block, code_span};
use crate::text::{Medium, visible};

/// Rows of each lookup result shown in the report.
pub const FIRST_ROWS: usize = 5;
/// Longest cell shown in a first-rows table.
const CELL_CHARS: usize = 80;

pub(super) fn lookups(out: &mut String, report: &Report, state: &IncidentState) {
    let _ = writeln!(out, "## Lookups\n");
    if state.lookups.is_empty() {
        out.push_str("No lookups were run.\n\n");
        return;
    }
    let lang = lang(report, state);
    for event in &state.lookups {
        let EventKind::LookupRun {
            node,
            lookup,
            provider,
            query,
            variables,
            timespan,
            started_at,
            finished_at,
            status,
            row_count,
            result_sha256,
            result,
            result_bytes,
            result_cap,
            result_truncated,
            message,
        } = &event.kind
        else {
            continue;
        };
        let title = report
            .tree
            .and_then(|t| t.lookup(node, lookup))
            .map(|l| format!(": {}", visible(l.title.get(lang), Medium::Markdown)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "### {}{title} (event {})\n",
            visible(lookup, Medium::Markdown),
            event.seq
        );
        let _ = writeln!(out, "- Node: {}", node_label(report.tree, lang, node));
        let _ = writeln!(out, "- Provider: {}", visible(provider, Medium::Markdown));
        let _ = writeln!(
            out,
            "- Run by {}",
            visible(&describe::actor(&event.actor), Medium::Markdown)
        );
        let _ = writeln!(
            out,
            "- Ran {} to {} ({} ms)",
            describe::time(*started_at),
            describe::time(*finished_at),
            (*finished_at - *started_at).num_milliseconds()
        );
        let window = timespan
            .as_deref()
            .map(|t| visible(t, Medium::Markdown))
            .unwrap_or_else(|| "none (the query's own)".into());
        let _ = writeln!(out, "- Time window: {window}");
        let rows = row_count
            .map(|n| n.to_string())
            .unwrap_or_else(|| "unknown".into());
        let _ = writeln!(
            out,
            "- Status: {}; rows: {rows}",
            describe::lookup_status(*status)
        );
        if let Some(message) = message {
            let _ = writeln!(out, "- Message: {}", visible(message, Medium::Markdown));
        }
        if !variables.is_empty() {
            let vars: Vec<String> = variables
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{} = {}",
                        visible(k, Medium::Markdown),
                        visible(v, Medium::Markdown)
                    )
                })
                .collect();
            let _ = writeln!(out, "- Variables: {}", vars.join(", "));
        }
        if let Some(sha) = result_sha256 {
            let _ = writeln!(out, "- Result SHA-256: {}", code_span(sha));
        }
        let kept = result.as_ref().map(|r| r.len()).unwrap_or(0);
        let cut = if *result_truncated {
            " (truncated)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "- Result: {result_bytes} bytes, {kept} kept (cap {result_cap}){cut}\n"
        );
        out.push_str("Query sent:\n\n");
        let fence_lang = if provider == "graph" { "" } else { "kql" };
        out.push_str(&code_block(query, fence_lang));
        out.push('\n');
        if let Some(table) = result.as_deref().and_then(first_rows) {
            let _ = writeln!(out, "First rows:\n\n{table}");
        } else if result.is_some() {
            out.push_str(
                "The stored result is not a table Cairn can show (see the JSON export).\n\n",
            );
        }
    }
}

/// The first rows of a result as a Markdown table. Understands
/// `{"columns": [..], "rows": [[..]]}` (columns as names or `{"name": ..}`),
/// `{"tables": [that]}`, and an array of objects.
fn first_rows(result: &str) -> Option<String> {
    let value: Value = serde_json::from_str(result).ok()?;
    let (columns, rows): (Vec<String>, Vec<Vec<Value>>) = match &value {
        Value::Object(map) if map.contains_key("tables") => {
            return first_rows(&map["tables"].get(0)?.to_string());
        }
        Value::Object(map) => {
            let columns = map.get("columns")?.as_array()?;
            let names = columns
                .iter()
                .map(|c| match c {
                    Value::String(s) => s.clone(),
                    other => other
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string(),
                })
                .collect();
            let rows = map.get("rows")?.as_array()?;
            (
                names,
                rows.iter()
                    .take(FIRST_ROWS)
                    .map(|r| r.as_array().cloned().unwrap_or_default())
                    .collect(),
            )
        }
        Value::Array(items) => {
            let mut names: Vec<String> = Vec::new();
            for item in items.iter().take(FIRST_ROWS) {
                for key in item.as_object()?.keys() {
                    if !names.contains(key) {
                        names.push(key.clone());
                    }
                }
            }
            let rows = items
                .iter()
                .take(FIRST_ROWS)
                .map(|item| {
                    names
                        .iter()
                        .map(|n| item.get(n).cloned().unwrap_or(Value::Null))
                        .collect()
                })
                .collect();
            (names, rows)
        }
        _ => return None,
    };
    if columns.is_empty() {
        return None;
    }
    let mut table = String::new();
    let header: Vec<String> = columns
        .iter()
        .map(|c| visible(c, Medium::Markdown).into_owned())
        .collect();
    let _ = writeln!(table, "| {} |", header.join(" | "));
    let _ = writeln!(table, "|{}", "---|".repeat(columns.len()));
    for row in rows {
        let cells: Vec<String> = (0..columns.len())
            .map(|i| {
                visible(
                    &shorten(&cell_text(row.get(i).unwrap_or(&Value::Null))),
                    Medium::Markdown,
                )
                .into_owned()
            })
            .collect();
        let _ = writeln!(table, "| {} |", cells.join(" | "));
    }
    Some(table)
}

fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= CELL_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(CELL_CHARS - 3).collect();
        format!("{cut}...")
    }
}

pub(super) fn actions(out: &mut String, report: &Report, state: &IncidentState) {
    let _ = writeln!(out, "## Actions\n");
    if state.actions.is_empty() {
        out.push_str("No actions were taken.\n\n");
        return;
    }
    let lang = lang(report, state);
    let _ = writeln!(
        out,
        "| Action | Node | Call | Intended | Confirmation | Outcome |\n|---|---|---|---|---|---|"
    );
    for action in &state.actions {
        let sim = if action.simulated { " (simulated)" } else { "" };
        let outcome = match &action.outcome {
            Some(o) => format!(
                "{}{} - {} by {} (event {}){}",
                describe::action_status(o.status),
                o.http_status
                    .map(|s| format!(", HTTP {s}"))
                    .unwrap_or_default(),
                describe::time(o.stamp.at),
                visible(&describe::actor(&o.stamp.actor), Medium::Markdown),
                o.stamp.seq,
                o.detail
                    .as_deref()
                    .map(|d| format!(": {}", visible(d, Medium::Markdown)))
                    .unwrap_or_default()
            ),
            None => "**outcome not recorded**".to_string(),
        };
        let _ = writeln!(
            out,
            "| {}{sim} | {} | {} {} | {} by {} (event {}) | {} | {outcome} |",
            visible(&action.action, Medium::Markdown),
            node_label(report.tree, lang, &action.node).replace('|', "\\|"),
            visible(&action.method, Medium::Markdown),
            visible(&action.path, Medium::Markdown),
            describe::time(action.intent.at),
            visible(&describe::actor(&action.intent.actor), Medium::Markdown),
            action.intent.seq,
            visible(&action.confirmation, Medium::Markdown),
        );
    }
    out.push('\n');
}

pub(super) fn timeline(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Timeline\n");
    let _ = writeln!(out, "| # | At | Who | What |\n|---|---|---|---|");
    for event in report.events {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            event.seq,
            describe::time(event.at),
            visible(&describe::actor(&event.actor), Medium::Markdown),
            visible(&describe::event(&event.kind), Medium::Markdown)
        );
    }
    out.push('\n');
}
