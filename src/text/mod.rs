//! Safe text for the terminal.
//!
//! Every string Cairn did not write itself (tree files, the store, lookup
//! responses, typed values) passes through [`visible`] or
//! [`visible_multiline`] before it is rendered. Control, bidi, zero-width
//! and other invisible characters come out as visible markers:
//!
//! | input                       | shown as        |
//! |-----------------------------|-----------------|
//! | ESC, other C0, DEL          | `^[`, `^A`, `^?` (caret notation) |
//! | C1 (U+0080..=U+009F)        | `<U+009B>`      |
//! | bidi, zero-width, format    | `<U+202E>`      |
//!
//! Nothing is silently dropped and nothing reaches the terminal raw, so
//! `ad\u{200B}min` shows as `ad<U+200B>min` and `\x1b[31mRED` as `^[[31mRED`.
//! Legitimate text is kept: combining marks after a base character, CJK,
//! emoji (including a zero-width joiner *between* emoji, and a variation
//! selector directly after a visible character, as in `❤️` or ideographic
//! variation sequences). A run of variation selectors (a known way to hide
//! data) shows every selector after the first.
//!
//! The output is safe for ratatui's `Buffer::set_stringn`, which silently
//! drops control and zero-width graphemes: no grapheme of the output has
//! zero width, so nothing is lost on screen either.

mod classify;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt::Write as _;

pub use classify::is_unsafe;
use classify::{
    ZERO_WIDTH_JOINER, caret, is_contextual, is_emoji_modifier, is_pictographic,
    is_variation_selector,
};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Makes one line of untrusted text safe to show: every unsafe character,
/// including TAB, CR and LF, is replaced by a visible marker.
pub fn visible(s: &str) -> Cow<'_, str> {
    sanitize(s, Lines::Single)
}

/// Like [`visible`] for bodies and notes: `\n` (and a `\r\n` pair) stays a
/// line break and TAB becomes four spaces; a lone CR and everything else
/// unsafe is shown as a marker.
pub fn visible_multiline(s: &str) -> Cow<'_, str> {
    sanitize(s, Lines::Multi)
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Single,
    Multi,
}

fn sanitize(s: &str, lines: Lines) -> Cow<'_, str> {
    // Most strings (ASCII identifiers, IPs, plain prose) need no change.
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let replaced = replace_chars(s, lines);
    let has_zero_width = replaced.chars().any(|c| c != '\n' && c.width() == Some(0));
    if !has_zero_width {
        return replaced;
    }
    match mark_zero_width_graphemes(&replaced) {
        Some(fixed) => Cow::Owned(fixed),
        None => replaced,
    }
}

/// The character pass: replaces unsafe characters and misplaced contextual
/// ones. Allocates only once a change is needed.
fn replace_chars(s: &str, lines: Lines) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    // The last character kept as it was, if it was not replaced; markers
    // and line starts reset it, so a combining mark or selector after them
    // has no base.
    let mut base: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let keep = if is_unsafe(c) {
            false
        } else if is_contextual(c) {
            contextual_ok(c, base, next)
        } else {
            true
        };
        if keep {
            if let Some(out) = out.as_mut() {
                out.push(c);
            }
            base = Some(c);
            continue;
        }
        let out = out.get_or_insert_with(|| {
            let mut o = String::with_capacity(s.len() + 16);
            o.push_str(&s[..at]);
            o
        });
        base = None;
        match (lines, c) {
            (Lines::Multi, '\n') => out.push('\n'),
            (Lines::Multi, '\r') if next == Some('\n') => {
                chars.next();
                out.push('\n');
            }
            (Lines::Multi, '\t') => out.push_str("    "),
            _ => push_marker(out, c),
        }
    }
    match out {
        Some(o) => Cow::Owned(o),
        None => Cow::Borrowed(s),
    }
}

fn contextual_ok(c: char, base: Option<char>, next: Option<char>) -> bool {
    let Some(base) = base else { return false };
    if c == ZERO_WIDTH_JOINER {
        let after_emoji = is_pictographic(base) || is_emoji_modifier(base) || base == '\u{FE0F}';
        return after_emoji && next.is_some_and(is_pictographic);
    }
    // A variation selector qualifies the visible character before it.
    !is_variation_selector(base) && base != ZERO_WIDTH_JOINER
}

fn push_marker(out: &mut String, c: char) {
    match caret(c) {
        Some(pair) => out.extend(pair),
        None => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

/// The safety net: a grapheme that would occupy no cell (for example a
/// combining mark at the start of a line, or a lone Hangul vowel filler)
/// is dropped by ratatui, so each of its characters becomes a marker.
fn mark_zero_width_graphemes(s: &str) -> Option<String> {
    let needs = s
        .graphemes(true)
        .any(|g| g != "\n" && g != "\r\n" && grapheme_width(g) == 0);
    if !needs {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for g in s.graphemes(true) {
        if g != "\n" && grapheme_width(g) == 0 {
            g.chars().for_each(|c| push_marker(&mut out, c));
        } else {
            out.push_str(g);
        }
    }
    Some(out)
}
