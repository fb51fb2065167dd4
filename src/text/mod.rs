//! Safe text for every output: the screen, the terminal, Markdown, JSON
//! and diagrams.
//!
//! Every string Cairn did not write itself (tree files, the store, lookup
//! responses, typed values) passes through [`visible`] with the [`Medium`]
//! it is written to. Characters [`is_unsafe`] (controls, bidi, zero-width
//! and other invisible characters) come out as one marker style everywhere:
//!
//! | input                                  | shown as    |
//! |----------------------------------------|-------------|
//! | ESC, any C0, DEL, C1, bidi, format...  | `<U+001B>`, `<U+202E>` |
//! | the same inside JSON                   | `\u001b`, `\u202e` (JSON's own escape, decoded back by readers) |
//!
//! Nothing is silently dropped and nothing reaches the output raw, so
//! `ad\u{200B}min` shows as `ad<U+200B>min` and `\x1b[31mRED` as
//! `<U+001B>[31mRED`. Legitimate text is kept: combining marks after a base
//! character, CJK, emoji (including a zero-width joiner *between* emoji,
//! and a variation selector directly after a visible character, as in `❤️`
//! or ideographic variation sequences). A run of variation selectors (a
//! known way to hide data) shows every selector after the first.
//!
//! The screen output is safe for ratatui's `Buffer::set_stringn`, which
//! silently drops control and zero-width graphemes: no grapheme of the
//! output has zero width, so nothing is lost on screen either.

#[cfg(test)]
mod catalogue_keys_tests;
mod classify;
mod diagram;
pub(crate) mod lang;
pub(crate) mod markdown;
mod marks;
#[cfg(test)]
mod medium_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use classify::is_contextual;
pub use classify::is_unsafe;
use marks::{Lines, marked};
use unicode_width::UnicodeWidthStr;

/// Where text is written; each medium has its own quoting on top of the
/// markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    /// One line drawn by ratatui: line breaks and tabs are markers too.
    Screen,
    /// A body or note drawn by ratatui: `\n` (and `\r\n`) stays a line
    /// break and TAB becomes four spaces; a lone CR is a marker.
    ScreenLines,
    /// One line of plain terminal output (`show`, `list`, `check`). The
    /// same rule as [`Medium::Screen`]: both end on a terminal.
    Cli,
    /// Several lines of plain terminal output, as [`Medium::ScreenLines`].
    CliLines,
    /// Markdown text on one line (running text, list item, heading, table
    /// cell): markers, plus escapes for everything Markdown or HTML would
    /// read as syntax, and bare URLs in code spans so they do not become
    /// links.
    Markdown,
    /// Several lines of Markdown: each line as [`Medium::Markdown`], so no
    /// line can become a heading, rule, list or code block.
    MarkdownLines,
    /// The body of a fenced code block ([`markdown::code_block`] picks the
    /// fence): markers only, line breaks kept.
    MarkdownCode,
    /// JSON text as serde_json wrote it (quotes and C0 already escaped):
    /// every other unsafe or contextual character becomes a `\uXXXX`
    /// escape, so the file holds the exact data and no raw control.
    Json,
    /// A quoted Mermaid label: markers, then Mermaid's entity codes for its
    /// syntax characters.
    Mermaid,
    /// A quoted Graphviz DOT string: markers, then `\\` and `\"`.
    Dot,
}

/// `text` made safe for `medium`. Borrows when nothing needs changing.
pub fn visible(text: &str, medium: Medium) -> Cow<'_, str> {
    match medium {
        Medium::Screen | Medium::Cli => marked(text, Lines::Single),
        Medium::ScreenLines | Medium::CliLines | Medium::MarkdownCode => marked(text, Lines::Multi),
        Medium::Markdown => Cow::Owned(markdown::line(&marked(text, Lines::Single))),
        Medium::MarkdownLines => Cow::Owned(markdown::lines(&marked(text, Lines::Multi))),
        Medium::Json => json(text),
        Medium::Mermaid => Cow::Owned(diagram::mermaid(&marked(text, Lines::Single))),
        Medium::Dot => Cow::Owned(diagram::dot(&marked(text, Lines::Single))),
    }
}

/// JSON keeps the data exact: instead of a marker, JSON's own escape. Only
/// string contents can hold such characters (JSON syntax is ASCII), so the
/// escape is valid wherever it lands. `\n` is left alone: outside strings
/// it is the pretty printer's layout, and inside them serde escapes it.
fn json(text: &str) -> Cow<'_, str> {
    let hide = |c: char| c != '\n' && (is_unsafe(c) || is_contextual(c));
    if !text.chars().any(hide) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut units = [0u16; 2];
    for c in text.chars() {
        if hide(c) {
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Display width of one grapheme as ratatui's buffer counts it (which adds
/// one cell for each halfwidth katakana sound mark that unicode-width
/// counts as zero).
pub fn grapheme_width(grapheme: &str) -> usize {
    let marks = grapheme
        .chars()
        .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
        .count();
    grapheme.width() + marks
}
