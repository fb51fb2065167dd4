//! `cairn list [--all | --status open|closed]`: incidents in aligned columns.

use std::path::Path;
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::say;
use super::store_access::{open_store_read_only, safe};
use crate::store::event::Mode;
use crate::store::export::format_time;
use crate::store::{Status, StoreError};
use crate::text::lang::msg_key;

/// Lists the incidents with `status` (every one for `None`) and, when
/// given, `mode`.
pub fn run(
    data_dir: Option<&Path>,
    status: Option<Status>,
    mode: Option<Mode>,
) -> anyhow::Result<ExitCode> {
    let store = match open_store_read_only(data_dir) {
        Err(e) if matches!(e.downcast_ref(), Some(StoreError::NoStore { .. })) => {
            let why = e.to_string();
            eprintln!("{}", say::fill("list-no-store", &[("why", &why)]));
            return Ok(ExitCode::SUCCESS);
        }
        result => result?,
    };
    for id in store.missing_incidents()? {
        let (id, path) = (safe(&id), store.path().display().to_string());
        eprintln!(
            "{}",
            say::fill("list-missing", &[("id", &id), ("path", &path)])
        );
    }
    let mut incidents = store.list_with(status)?;
    incidents.retain(|i| mode.is_none_or(|m| i.mode == m));
    if incidents.is_empty() {
        let path = store.path().display().to_string();
        let none = match (status, mode) {
            (Some(Status::Open), None) => msg_key!("cli", "list-none-open"),
            (Some(Status::Closed), None) => msg_key!("cli", "list-none-closed"),
            (None, None) => msg_key!("cli", "list-none-any"),
            _ => msg_key!("cli", "list-none"),
        };
        eprintln!("{}", say::fill(none, &[("path", &path)]));
        return Ok(ExitCode::SUCCESS);
    }
    let headers = [
        msg_key!("cli", "list-id"),
        msg_key!("cli", "list-title"),
        msg_key!("cli", "list-tree"),
        msg_key!("cli", "list-mode"),
        msg_key!("cli", "list-status"),
        msg_key!("cli", "list-node"),
        msg_key!("cli", "list-last-activity"),
    ];
    let mut rows = vec![headers.map(|h| say::text(h).to_string())];
    for inc in incidents {
        rows.push([
            inc.id.to_string(),
            safe(&truncate(&inc.title, 40)),
            safe(&inc.tree_id),
            mode_name(inc.mode).to_string(),
            inc.status.name().to_string(),
            safe(inc.current_node.as_deref().unwrap_or("-")),
            format_time(inc.last_activity),
        ]);
    }
    print!("{}", align(&rows));
    Ok(ExitCode::SUCCESS)
}

/// The mode as `--mode` spells it.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Live => "live",
        Mode::Practice => "practice",
        Mode::Training => "training",
        Mode::Tabletop => "tabletop",
    }
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
