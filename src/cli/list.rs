//! `cairn list [--all | --status open|closed]`: incidents in aligned columns.

use std::path::Path;
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::store_access::{open_store_read_only, safe};
use crate::store::export::format_time;
use crate::store::{Status, StoreError};

/// Lists the incidents with `status` (every one for `None`).
pub fn run(data_dir: Option<&Path>, status: Option<Status>) -> anyhow::Result<ExitCode> {
    let store = match open_store_read_only(data_dir) {
        Err(e) if matches!(e.downcast_ref(), Some(StoreError::NoStore { .. })) => {
            eprintln!("No incidents yet: {e}.");
            return Ok(ExitCode::SUCCESS);
        }
        result => result?,
    };
    for id in store.missing_incidents()? {
        eprintln!(
            "cairn: warning: {} is in the head log but missing from {}: it was deleted (`cairn verify {}` reports it)",
            safe(&id),
            store.path().display(),
            safe(&id)
        );
    }
    let incidents = store.list_with(status)?;
    if incidents.is_empty() {
        let which = status.map_or(String::new(), |s| format!("{} ", s.name()));
        eprintln!("No {which}incidents in {}.", store.path().display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows =
        vec![["ID", "TITLE", "TREE", "STATUS", "NODE", "LAST ACTIVITY"].map(String::from)];
    for inc in incidents {
        rows.push([
            inc.id.to_string(),
            safe(&truncate(&inc.title, 40)),
            safe(&inc.tree_id),
            inc.status.name().to_string(),
            safe(inc.current_node.as_deref().unwrap_or("-")),
            format_time(inc.last_activity),
        ]);
    }
    print!("{}", align(&rows));
    Ok(ExitCode::SUCCESS)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max - 3).collect::<String>())
    }
}

/// Columns padded by display width (CJK titles take two cells a character).
fn align<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < N {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let rows = [
            ["a".to_string(), "x".to_string()],
            ["侵害".to_string(), "y".to_string()],
        ];
        assert_eq!(align(&rows), "a     x\n侵害  y\n");
    }
}
