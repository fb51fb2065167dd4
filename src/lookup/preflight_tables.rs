//! Preflight's row counts: a zero-row probe cannot tell an empty table from
//! a populated one, so each table a tree's KQL reads is also counted, cheaply
//! (`Table | take 1 | count`: at most one row is read), over the window of
//! each lookup that reads it. An empty table usually means a connector that
//! is not enabled or a licence that is missing; a table filled only when
//! something happens (risk detections, alerts, clicks) may simply have had
//! a quiet window, which is said as such and is not a failure.

use std::collections::BTreeSet;

use super::error::LookupError;
use super::http::ApiClient;
use super::preflight::{Row, Status};
use super::substitute::window_timespan;
use super::table::Cell;
use super::{hunting, loganalytics};
use crate::tree::{Provider, Tree};

/// Tables written only when an event happens: no rows in a window is normal.
pub const EVENT_DRIVEN: &[&str] = &[
    "AADUserRiskEvents",
    "AlertEvidence",
    "AlertInfo",
    "AzureDevOpsAuditing",
    "UrlClickEvents",
];

/// The tables a KQL query reads: its first name, the operands of `union`,
/// and the table of each `join` (bare or as the first name inside its
/// parentheses). Enough for the shapes trees use; a name it misses is only
/// a count not made, never a wrong verdict.
pub fn tables_read(query: &str) -> Vec<String> {
    let words = tokens(query);
    let mut out: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !name.is_empty() && !out.iter().any(|t| t == name) {
            out.push(name.to_string());
        }
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let start = i == 0 || words[i - 1] == "(" && i >= 2 && words[i - 2] == "join";
        if start && is_name(w) && w != "union" {
            add(w);
        } else if w == "union" || w == "join" {
            let mut j = i + 1;
            while j < words.len() && (words[j].contains('=') || words[j] == "(") {
                j += 1;
            }
            while j < words.len() && is_name(&words[j]) {
                add(&words[j]);
                if w == "join" || words.get(j + 1).map(String::as_str) != Some(",") {
                    break;
                }
                j += 2;
            }
        }
        i += 1;
    }
    out
}

fn is_name(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(w, "kind" | "on" | "withsource")
}

/// Words, `(`, `)` and `,` of a query, with string literals and comments out.
fn tokens(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = query.chars().peekable();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                flush(&mut word, &mut out);
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push("''".into());
            }
            '/' if chars.peek() == Some(&'/') => {
                flush(&mut word, &mut out);
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '(' | ')' | ',' | '|' => {
                flush(&mut word, &mut out);
                out.push(c.to_string());
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// One row per table and window read by the tree's KQL lookups.
pub async fn table_rows(tree: &Tree, client: &ApiClient) -> Vec<Row> {
    let mut seen: BTreeSet<(&'static str, String, Option<String>)> = BTreeSet::new();
    for (_, lookup) in tree.lookups() {
        if lookup.provider == Provider::Graph {
            continue;
        }
        let Ok(window) = window_timespan(lookup, None) else {
            continue;
        };
        for table in tables_read(&lookup.query.value) {
            seen.insert((lookup.provider.name(), table, window.clone()));
        }
    }
    let mut rows = Vec::new();
    for (provider, table, window) in seen {
        let (status, detail) = count(client, provider, &table, window.as_deref()).await;
        rows.push(Row {
            kind: "table",
            node: provider.to_string(),
            id: match &window {
                Some(w) => format!("{table} ({w})"),
                None => table.clone(),
            },
            status,
            detail,
        });
    }
    rows
}

async fn count(
    client: &ApiClient,
    provider: &str,
    table: &str,
    window: Option<&str>,
) -> (Status, String) {
    let text = format!("{table}\n| take 1\n| count");
    let result = if provider == Provider::Hunting.name() {
        hunting::query(client, &text, window, None).await
    } else {
        loganalytics::query(client, &text, window, None).await
    };
    let rows = match result {
        Ok(r) => r
            .primary()
            .and_then(|t| t.rows.first())
            .and_then(|row| row.first())
            .and_then(|c| match c {
                Cell::Long(n) => Some(*n),
                Cell::Real(n) => Some(*n as i64),
                _ => None,
            }),
        // A missing table is the zero-row probes' finding; no second row.
        Err(LookupError::Api(e)) if e.status == 400 => {
            return (Status::Missing, "table not found".into());
        }
        Err(e) => return (Status::Error, e.to_string()),
    };
    match rows {
        Some(n) if n > 0 => (Status::Ok, "has rows in the window".into()),
        Some(_) if EVENT_DRIVEN.contains(&table) => (
            Status::Quiet,
            "no rows in window (filled only when something happens; a quiet window is normal)"
                .into(),
        ),
        Some(_) => (
            Status::Missing,
            "empty (connector not enabled / licence missing?)".into(),
        ),
        None => (Status::Error, "the count came back without a number".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_the_shapes_trees_use() {
        assert_eq!(
            tables_read("SigninLogs\n| where X == 'union Y'"),
            ["SigninLogs"]
        );
        assert_eq!(
            tables_read("union SigninLogs, AADNonInteractiveUserSignInLogs | where a == 1"),
            ["SigninLogs", "AADNonInteractiveUserSignInLogs"]
        );
        assert_eq!(
            tables_read("AlertEvidence | distinct AlertId | join kind=inner AlertInfo on AlertId"),
            ["AlertEvidence", "AlertInfo"]
        );
        assert_eq!(
            tables_read(
                "EmailEvents | join kind=inner (UrlClickEvents | where x) on NetworkMessageId"
            ),
            ["EmailEvents", "UrlClickEvents"]
        );
        assert_eq!(tables_read("// note\nAuditLogs | take 5"), ["AuditLogs"]);
    }
}
