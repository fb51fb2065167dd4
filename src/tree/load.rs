//! Loading a tree file: bytes → UTF-8 text → spanned TOML → model →
//! validation. Every stage reports all it finds; only a fully valid tree
//! is returned.

use toml::de::DeTable;

use super::convert::convert;
use super::error::{Diagnostic, Diagnostics, LineIndex, Problem};
use super::fields::Reader;
use super::model::Tree;
use super::validate::validate_with;

/// Larger files are refused before parsing; the biggest real playbooks are
/// a few hundred kilobytes.
pub const MAX_TREE_BYTES: usize = 16 * 1024 * 1024;

/// At most this many problems are listed; a garbage file would otherwise
/// print thousands of lines.
pub const MAX_PROBLEMS: usize = 200;

/// Loads a tree from raw bytes, as read from a file.
pub fn parse_bytes(file_label: &str, bytes: &[u8]) -> Result<Tree, Diagnostics> {
    if bytes.len() > MAX_TREE_BYTES {
        return Err(whole_file(
            file_label,
            // Files are read capped, so the true size may be larger still.
            format!(
                "the file is over {} MiB, the limit for tree files",
                MAX_TREE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(invalid_utf8(file_label, bytes, err)),
    };
    parse(file_label, text)
}

/// Loads and validates a tree from its source text.
pub fn parse(file_label: &str, source: &str) -> Result<Tree, Diagnostics> {
    if source.trim().is_empty() {
        return Err(whole_file(
            file_label,
            "the file is empty (a tree needs a [tree] table and [[nodes]])".into(),
        ));
    }
    if let Some(nul) = source.find('\0') {
        let problem = Problem::new(
            nul..nul + 1,
            "the file contains a NUL byte: it looks binary, not like a TOML tree",
        );
        return Err(Diagnostics::single(file_label, source, problem));
    }
    let (document, syntax_errors) = DeTable::parse_recoverable(source);
    if !syntax_errors.is_empty() {
        // Conversion of a half-parsed document would only add noise.
        let problems = syntax_errors
            .iter()
            .map(|e| {
                Problem::new(
                    e.span().unwrap_or(0..0),
                    format!("TOML syntax: {}", e.message()),
                )
            })
            .collect();
        return Err(located(file_label, source, problems));
    }
    let mut reader = Reader::new(source);
    let (tree, notes) = convert(&mut reader, document.get_ref());
    let mut problems = reader.problems;
    problems.extend(validate_with(&tree, source, &notes));
    if problems.is_empty() {
        Ok(tree)
    } else {
        Err(located(file_label, source, problems))
    }
}

/// Sorted, capped diagnostics.
fn located(file_label: &str, source: &str, mut problems: Vec<Problem>) -> Diagnostics {
    problems.sort_by_key(|p| p.span.start);
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        let at = problems[MAX_PROBLEMS].span.clone();
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::new(
            at,
            format!("{more} more problems not shown; fix these first"),
        ));
    }
    Diagnostics::from_problems(file_label, source, problems)
}

fn whole_file(file_label: &str, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: file_label.to_string(),
        line: 1,
        column: 1,
        message,
        source_line: String::new(),
        caret_len: 1,
    }])
}

/// Names the first invalid byte by line and column, showing the line as far
/// as it can be decoded.
fn invalid_utf8(file_label: &str, bytes: &[u8], err: std::str::Utf8Error) -> Diagnostics {
    let at = err.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let (line, column) = LineIndex::new(valid).line_col(valid, at);
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let shown = String::from_utf8_lossy(&bytes[line_start..line_end.min(line_start + 400)]);
    Diagnostics(vec![Diagnostic {
        file: file_label.to_string(),
        line,
        column,
        message: format!(
            "invalid UTF-8 (byte 0x{:02x} at offset {at}): tree files must be UTF-8 text",
            bytes[at]
        ),
        source_line: shown.trim_end_matches('\r').to_string(),
        caret_len: 1,
    }])
}
