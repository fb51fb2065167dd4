//! The complete event log as JSON; the format is documented in
//! `docs/export-json.md`. Field names are stable.

use serde_json::{Value, json};

use super::Report;
use crate::store::chain;
use crate::text::{Medium, visible};

/// Bumped only when a field changes meaning or disappears.
pub const FORMAT_VERSION: u32 = 1;

pub fn render(report: &Report) -> String {
    let inc = report.incident;
    let events: Vec<Value> = report
        .events
        .iter()
        .map(|event| {
            let mut value = serde_json::to_value(event).unwrap_or(Value::Null);
            // The exact text the hash covers (always six fractional digits).
            value["at"] = Value::String(chain::format_at(event.at));
            value
        })
        .collect();
    let v = report.verification;
    let document = json!({
        "format": "cairn-incident",
        "format_version": FORMAT_VERSION,
        "incident": {
            "id": inc.id,
            "title": inc.title,
            "tree_id": inc.tree_id,
            "tree_version": inc.tree_version,
            "tree_sha256": inc.tree_sha256,
            "language": inc.language,
            "mode": inc.mode,
            "created_at": chain::format_at(inc.created_at),
            "status": inc.status,
        },
        "verification": {
            "events": v.events,
            "intact": v.broken.is_none(),
            "first_broken": v.broken.as_ref().map(|b| json!({"seq": b.seq, "reason": b.reason})),
            "head": v.head,
            "head_seq": v.head_seq,
        },
        "tree_source": inc.tree_source,
        "events": events,
    });
    // No raw control, bidi or invisible character in the file: they are
    // written as JSON escapes, which readers decode to the same data.
    let mut text = visible(
        &serde_json::to_string_pretty(&document).unwrap_or_default(),
        Medium::Json,
    )
    .into_owned();
    text.push('\n');
    text
}
