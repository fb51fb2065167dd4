//! The Markdown medium: text that reads literally wherever it lands in a
//! document, and the block helpers (quote, code block, code span) that
//! exports build from it.
//!
//! Input here is already marked (`super::marks`), so it holds no control or
//! invisible character; what is left to defuse is Markdown itself: syntax
//! characters, HTML, a `---`/`===` line turning the paragraph above into a
//! heading, `#`, `>`, `-`, `+`, `1.` starting a block, four spaces starting
//! a code block, and bare URLs that renderers turn into links.

use super::{Medium, visible};

/// One line of marked text as Markdown.
pub(super) fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let body = s.trim_start_matches(' ');
    let indent = &s[..s.len() - body.len()];
    if indent.len() >= 4 {
        // An entity is text, not indentation: no indented code block.
        out.push_str("&#32;");
        out.push_str(&indent[1..]);
    } else {
        out.push_str(indent);
    }
    let rest = block_start(body, &mut out);
    inline(rest, &mut out);
    out
}

/// Several lines of marked text, each as [`line`].
pub(super) fn lines(s: &str) -> String {
    s.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// Escapes what would open a block at the start of a line (list item,
/// setext underline or rule made of `-`/`=`, ordered list); `#`, `>`, `*`
/// and `_` are escaped everywhere by [`inline`]. Returns the rest.
fn block_start<'s>(s: &'s str, out: &mut String) -> &'s str {
    if let Some(first @ ('-' | '+' | '=')) = s.chars().next() {
        out.push('\\');
        out.push(first);
        return &s[1..];
    }
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut after = s[digits..].chars();
    let list_marker =
        matches!(after.next(), Some('.' | ')')) && after.next().is_none_or(char::is_whitespace);
    if (1..=9).contains(&digits) && list_marker {
        out.push_str(&s[..digits]);
        out.push('\\');
        return &s[digits..];
    }
    s
}

fn inline(mut rest: &str, out: &mut String) {
    while let Some(c) = rest.chars().next() {
        if let Some(marker) = marker_at(rest) {
            out.push_str(marker);
            rest = &rest[marker.len()..];
            continue;
        }
        let word_len = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
        if word_len > 0 && is_bare_url(&rest[..word_len]) {
            // A code span never becomes a link; the word has no backtick.
            out.push('`');
            out.push_str(&rest[..word_len]);
            out.push('`');
            rest = &rest[word_len..];
            continue;
        }
        // The whole word at once (or the one character that is not part of
        // one): a word holds no marker, and no part of a word that is not a
        // URL is one, so a long word is scanned once, not once per character.
        let take = if word_len > 0 { word_len } else { c.len_utf8() };
        rest[..take].chars().for_each(|c| escape_char(c, out));
        rest = &rest[take..];
    }
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '~' | '|' | '$' => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

/// A marker (`<U+001B>`) at the start of `s`: not HTML (a tag name cannot
/// hold `+`), so it is shown as it is.
fn marker_at(s: &str) -> Option<&str> {
    let hex = s.strip_prefix("<U+")?;
    let len = hex.find('>')?;
    let ok = (4..=6).contains(&len) && hex[..len].bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| &s[..3 + len + 1])
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '|' | '`' | '<' | '>')
}

/// What GitHub and other renderers turn into a link without any syntax.
/// Bare e-mail addresses (UPNs everywhere in a report) stay text: their
/// mailto link points at the address the reader already sees.
fn is_bare_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://") || lower.contains("www.") || lower.contains("mailto:")
}

/// Multi-line text as a block quote, each line escaped.
pub fn quote(text: &str) -> String {
    visible(text, Medium::MarkdownLines)
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                ">\n".to_string()
            } else {
                format!("> {l}\n")
            }
        })
        .collect()
}

/// A fenced code block holding `text` verbatim (unsafe characters as
/// markers), with a fence longer than any backtick run inside it.
pub fn code_block(text: &str, lang: &str) -> String {
    let body = visible(text.trim_end_matches('\n'), Medium::MarkdownCode);
    let fence = "`".repeat((longest_backtick_run(&body) + 1).max(3));
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// Inline code holding `text` verbatim (one line, markers for the rest).
/// A `|` is written `\|`: GFM tables split cells even inside code spans and
/// read `\|` as `|`; outside a table the backslash would show, which the
/// callers (ids, hashes, commands) do not meet.
pub fn code_span(text: &str) -> String {
    let body = visible(text, Medium::Screen).replace('|', "\\|");
    let fence = "`".repeat(longest_backtick_run(&body) + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
