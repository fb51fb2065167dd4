//! The diagram media: quoted labels in Mermaid and Graphviz DOT. Input is
//! already marked, so only each format's own syntax is left to quote.

use std::fmt::Write as _;

/// A quoted Mermaid label: characters Mermaid would read as syntax become
/// entity codes (a marker `<U+202E>` renders as itself).
pub(super) fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '[' | ']' | '{' | '}' | '(' | ')' | '|' | '`' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A quoted DOT string.
pub(super) fn dot(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}
