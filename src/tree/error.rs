//! Diagnostics: tree-file problems located by file, line and column, rendered
//! with the offending line and a caret, the way a tree author fixes them.

use std::fmt;

use unicode_width::UnicodeWidthStr;

use super::model::Span;
use crate::text::{Medium, visible};

/// A problem found at a byte range of a tree's source, before it is located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

impl Problem {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
        }
    }
}

/// One located problem in a tree file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    /// The offending line, without its line ending.
    pub source_line: String,
    /// How many characters of `source_line` the problem covers (at least 1).
    pub caret_len: usize,
}

/// Every problem found in one tree file, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Locates `problems` in `source`, sorted by position (stable, so problems
    /// at one place keep the order they were found in).
    pub fn from_problems(file: &str, source: &str, mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| p.span.start);
        let index = LineIndex::new(source);
        Diagnostics(
            problems
                .into_iter()
                .map(|p| index.locate(file, source, p))
                .collect(),
        )
    }

    pub fn single(file: &str, source: &str, problem: Problem) -> Self {
        Self::from_problems(file, source, vec![problem])
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl std::error::Error for Diagnostics {}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: message`, then the line and a caret under the span.
    /// Tree files are untrusted: control characters in the file name, the
    /// message or the line are shown escaped, never sent to the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            visible(&self.file, Medium::Cli),
            self.line,
            self.column,
            visible(&self.message, Medium::Cli)
        )?;
        if self.source_line.is_empty() {
            return Ok(());
        }
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        let (shown, caret_indent, caret_width) =
            render_line(&self.source_line, self.column, self.caret_len);
        write!(
            f,
            "\n{gutter} |\n{number} | {shown}\n{gutter} | {}{}",
            " ".repeat(caret_indent),
            "^".repeat(caret_width.max(1))
        )
    }
}

/// The line as shown (tabs as one space, unsafe characters as markers), the
/// display width before the caret and the display width of the caret run.
/// Character by character, so the caret stays aligned; a combining mark
/// stays as it is (it joins the character before it, as in the file).
fn render_line(line: &str, column: usize, caret_len: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(line.len());
    let (mut indent, mut width) = (0, 0);
    let mut buf = [0u8; 4];
    for (i, c) in line.chars().enumerate() {
        let piece = match c {
            '\t' => " ".into(),
            c if crate::text::is_unsafe(c) => visible(c.encode_utf8(&mut buf), Medium::Cli),
            c => (&*c.encode_utf8(&mut buf)).into(),
        };
        let w = piece.width();
        if i + 1 < column {
            indent += w;
        } else if i + 1 < column + caret_len.max(1) {
            width += w;
        }
        shown.push_str(&piece);
    }
    (shown, indent, width)
}

/// Byte offsets of line starts, so locating many problems in a large file
/// stays cheap.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// 1-based line and character column of byte `offset` (clamped to the
    /// source and moved back to a character boundary).
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, source[start..offset].chars().count() + 1)
    }

    fn line_text<'s>(&self, source: &'s str, line: usize) -> &'s str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(source.len(), |&e| e - 1);
        source[start..end.max(start)].trim_end_matches('\r')
    }

    fn locate(&self, file: &str, source: &str, problem: Problem) -> Diagnostic {
        let (line, mut column) = self.line_col(source, problem.span.start);
        let mut source_line = self.line_text(source, line);
        // A byte-order mark is invisible in editors; columns ignore it too.
        if line == 1 && source_line.starts_with('\u{FEFF}') {
            source_line = &source_line['\u{FEFF}'.len_utf8()..];
            column = column.saturating_sub(1).max(1);
        }
        // The caret covers the span, cut at the end of its first line.
        let end = floor_char_boundary(source, problem.span.end.min(source.len()));
        let start = floor_char_boundary(source, problem.span.start.min(source.len()));
        let covered = source[start..end.max(start)]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .chars()
            .count();
        // Very long lines (minified garbage) are cut so one error stays readable.
        const MAX_SHOWN: usize = 400;
        let source_line: String = if column > MAX_SHOWN {
            String::new()
        } else {
            source_line.chars().take(MAX_SHOWN).collect()
        };
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: problem.message,
            source_line,
            caret_len: covered.max(1),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_span() {
        let src = "[x]\nnext = \"recovr\"\n";
        let d = Diagnostics::single("t.toml", src, Problem::new(12..18, "bad"));
        assert_eq!(
            d.to_string(),
            "t.toml:2:9: bad\n  |\n2 | next = \"recovr\"\n  |         ^^^^^^"
        );
    }

    #[test]
    fn columns_count_characters_and_carets_follow_width() {
        let src = "t = \"日本\" # x";
        let start = src.find('#').unwrap();
        let d = Diagnostics::single("t", src, Problem::new(start..start + 1, "m"));
        assert_eq!((d.0[0].line, d.0[0].column), (1, 10));
        // Two double-width characters push the caret two extra cells right.
        assert!(d.to_string().ends_with(&format!("| {}^", " ".repeat(11))));
    }

    #[test]
    fn a_byte_order_mark_does_not_count_as_a_column() {
        let src = "\u{FEFF}[tree]\nid = 1\n";
        let d = Diagnostics::single("t", src, Problem::new(3..9, "m"));
        assert_eq!((d.0[0].line, d.0[0].column), (1, 1));
        assert_eq!(d.0[0].source_line, "[tree]");
    }

    #[test]
    fn control_characters_are_escaped() {
        let d = Diagnostics::single("t", "a = 1\x1b[2J", Problem::new(0..1, "id '\x1b[31m'"));
        let shown = d.to_string();
        assert!(!shown.contains('\x1b'), "{shown:?}");
        assert!(shown.contains("id '<U+001B>[31m'"), "{shown}");
        assert!(shown.contains("a = 1<U+001B>[2J"), "{shown}");
    }

    #[test]
    fn carets_stay_under_the_span_after_markers() {
        let src = "a\u{202E}b = x";
        let d = Diagnostics::single(
            "t",
            src,
            Problem::new(src.find('x').unwrap()..src.len(), "m"),
        );
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2], "1 | a<U+202E>b = x");
        assert_eq!(lines[3].find('^'), lines[2].find('x'), "{shown}");
    }
}
