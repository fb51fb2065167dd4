//! The marker pass every medium starts from: unsafe characters and
//! misplaced contextual ones become `<U+XXXX>`.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::classify::{
    ZERO_WIDTH_JOINER, is_contextual, is_emoji_modifier, is_pictographic, is_unsafe,
    is_variation_selector,
};
use super::grapheme_width;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    Single,
    Multi,
}

/// `s` with every unsafe character, and every contextual one out of place,
/// as a marker; see [`super::Medium::Screen`] and [`super::Medium::ScreenLines`]
/// for what `lines` keeps.
pub(super) fn marked(s: &str, lines: Lines) -> Cow<'_, str> {
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

/// The one marker form, for ESC as for U+202E: readable, unambiguous for
/// every code point, and not HTML (so Markdown shows it as it is).
pub(super) fn push_marker(out: &mut String, c: char) {
    let _ = write!(out, "<U+{:04X}>", c as u32);
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
