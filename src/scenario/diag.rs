//! Scenario errors with positions: every problem found in one run, each
//! rendered as `file:line:col: message` with the line and a caret.

use std::fmt;

use unicode_width::UnicodeWidthStr;

use crate::tree::Span;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
}

/// Every problem found in one scenario file, in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    pub label: String,
    source: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(label: &str, source: &str, mut items: Vec<Diagnostic>) -> Self {
        items.sort_by_key(|d| (d.span.start, d.span.end));
        items.dedup();
        Self {
            label: label.to_string(),
            source: source.to_string(),
            items,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.source, offset)
    }

    /// `line:col: message` for each problem: what tests and tools compare.
    pub fn summaries(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|d| {
                let (line, col) = self.line_col(d.span.start);
                format!("{line}:{col}: {}", d.message)
            })
            .collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            render_one(f, &self.label, &self.source, d)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

fn render_one(f: &mut fmt::Formatter<'_>, label: &str, src: &str, d: &Diagnostic) -> fmt::Result {
    let start = clamp_to_char(src, d.span.start);
    let (line, col) = line_col(src, start);
    writeln!(f, "{label}:{line}:{col}: {}", visible(&d.message))?;
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let text = src[line_start..line_end].trim_end_matches('\r');
    let gutter = line.to_string().len();
    let before = visible(&src[line_start..start.min(line_start + text.len())]);
    let end = clamp_to_char(src, d.span.end.clamp(start, line_start + text.len()));
    let marked = visible(&src[start..end]);
    let carets = UnicodeWidthStr::width(marked.as_str()).max(1);
    writeln!(f, "{:gutter$} |", "")?;
    writeln!(f, "{line} | {}", visible(text))?;
    writeln!(
        f,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(UnicodeWidthStr::width(before.as_str())),
        "^".repeat(carets)
    )
}

fn clamp_to_char(src: &str, offset: usize) -> usize {
    let mut at = offset.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let at = clamp_to_char(src, offset);
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Control and invisible characters shown as `\u{..}` so a hostile file
/// cannot drive the terminal through an error message.
pub(crate) fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' {
            out.push(' ');
        } else if crate::tree::value::is_forbidden_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// "did you mean 'x'?" for the closest known id, when one is close enough.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(wrong, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// `message` plus a did-you-mean suffix when a close id exists.
pub(crate) fn with_suggestion<'a>(
    message: String,
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> String {
    match did_you_mean(wrong, known) {
        Some(s) => format!("{message} (did you mean '{s}'?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_position_line_and_caret() {
        let src = "a = 1\nnode = \"recovr\"\n";
        let start = src.find("\"recovr\"").unwrap();
        let d = Diagnostics::new(
            "x.toml",
            src,
            vec![Diagnostic {
                span: start..start + 8,
                message: "unknown node".into(),
            }],
        );
        let text = d.to_string();
        assert!(text.starts_with("x.toml:2:8: unknown node\n"), "{text}");
        assert!(text.contains("2 | node = \"recovr\"\n"), "{text}");
        assert!(text.ends_with("  |        ^^^^^^^^\n"), "{text:?}");
    }

    #[test]
    fn caret_aligns_under_wide_characters() {
        let src = "title = \"日本\" x";
        let start = src.find('x').unwrap();
        let d = Diagnostics::new(
            "j",
            src,
            vec![Diagnostic {
                span: start..start + 1,
                message: "m".into(),
            }],
        );
        let last = d.to_string().lines().last().unwrap().to_string();
        // "title = "日本" " is 15 columns wide on screen.
        assert_eq!(last, format!("  | {}^", " ".repeat(15)));
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("recovr", ["recover", "triage"]),
            Some("recover")
        );
        assert_eq!(did_you_mean("zzz", ["recover", "triage"]), None);
    }
}
