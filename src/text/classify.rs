//! The one predicate for characters that must not reach output as they are.
//!
//! Cairn shows text written by others (tree files, lookup responses, notes).
//! A character is *unsafe* when a terminal could act on it (controls), when
//! it changes how neighbouring text is ordered (bidi controls), or when it
//! draws nothing and so can hide or disguise content (zero-width, invisible
//! and other format characters, separators, tag characters). Unsafe
//! characters are never emitted and never dropped: `super::visible` replaces
//! them with a marker.
//!
//! Policy decisions:
//! - Private-use characters (U+E000.., planes 15 and 16) are unsafe: a font
//!   decides what they look like, often nothing at all, and incident data
//!   has no use for them. Nerd-font icons in a tree file show as markers.
//! - Tag characters are unsafe even inside emoji subdivision flags: they
//!   can spell ASCII invisibly, and a flag shown as markers loses nothing.
//! - The zero-width joiner and variation selectors are *contextual*: kept
//!   where they join or qualify a visible character, marked elsewhere.
//! - Unassigned code points are kept (the terminal draws a box), except the
//!   reserved default-ignorable ranges, which draw nothing.
//!
//! The tables come from `unicode-properties` (general category and emoji
//! properties, Unicode 18), so a new format character in a later Unicode
//! version is covered without editing this file; only the few invisible
//! characters outside Cc/Cf/Zl/Zp/Co are listed by hand.

use unicode_properties::{EmojiStatus, GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory};

/// True for characters that are always replaced by a marker, whatever
/// surrounds them: C0, DEL and C1 controls (ESC, BEL, CSI...), bidi
/// controls and isolates, zero-width and other format characters (soft
/// hyphen, BOM, word joiner, tag characters), line and paragraph
/// separators, private use, noncharacters.
pub fn is_unsafe(c: char) -> bool {
    !is_common_safe(c) && is_unsafe_by_table(c)
}

/// Blocks that hold no unsafe character, tested without the table lookup.
/// Over Japanese text (release build, this VM) the lookup alone took about
/// 150 ns a character, the hand tables it replaced 15-25 ns, and this
/// range test first brings it back to 11-16 ns: screens of Japanese or
/// Latin text are almost all these blocks. A unit test checks every code
/// point in them.
fn is_common_safe(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{AC}'      // Latin-1 up to the soft hyphen
        | '\u{AE}'..='\u{2FF}'     // Latin-1 after it, Latin Extended, IPA
        | '\u{3000}'..='\u{30FF}'  // CJK punctuation, Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'  // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'  // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7A3}'  // Hangul syllables
        | '\u{FF01}'..='\u{FF9F}') // fullwidth and halfwidth forms
}

fn is_unsafe_by_table(c: char) -> bool {
    match c.general_category() {
        // ZWJ is the only format character with a legitimate visible use.
        GeneralCategory::Format => c != ZERO_WIDTH_JOINER,
        GeneralCategory::Control
        | GeneralCategory::LineSeparator
        | GeneralCategory::ParagraphSeparator
        | GeneralCategory::PrivateUse => true,
        _ => is_other_invisible(c as u32) || is_noncharacter(c as u32),
    }
}

/// Characters that are legitimate only next to certain neighbours and are
/// otherwise replaced: the zero-width joiner (inside emoji sequences) and
/// variation selectors (directly after a visible base character).
pub fn is_contextual(c: char) -> bool {
    c == ZERO_WIDTH_JOINER || is_variation_selector(c)
}

pub const ZERO_WIDTH_JOINER: char = '\u{200D}';

pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{180B}'..='\u{180D}' | '\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Default-ignorable characters (they draw nothing) whose general category
/// is not Cf: a combining joiner, fillers and reserved ranges.
fn is_other_invisible(cp: u32) -> bool {
    matches!(
        cp,
        0x034F            // combining grapheme joiner
        | 0x115F | 0x1160 // Hangul choseong/jungseong fillers
        | 0x17B4 | 0x17B5 // Khmer inherent vowels
        | 0x2065          // reserved among the invisible operators
        | 0x3164          // Hangul filler
        | 0xFFA0          // halfwidth Hangul filler
        | 0xE0000..=0xE0FFF // tag block and reserved default-ignorables
    ) && !is_variation_selector(char::from_u32(cp).unwrap_or('\0'))
}

fn is_noncharacter(cp: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&cp) || (cp & 0xFFFE) == 0xFFFE
}

/// Emoji that may be joined with U+200D into one glyph (families,
/// professions, flags with modifiers): `Emoji=Yes` outside ASCII.
pub fn is_pictographic(c: char) -> bool {
    !c.is_ascii() && c.is_emoji_char()
}

/// Emoji skin-tone modifiers, which may precede a joiner.
pub fn is_emoji_modifier(c: char) -> bool {
    c.emoji_status() == EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_blocks_hold_nothing_unsafe() {
        let common = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_common_safe(c));
        let mut count = 0;
        for c in common {
            assert!(!is_unsafe_by_table(c), "U+{:04X}", c as u32);
            count += 1;
        }
        assert!(count > 30_000, "{count}");
    }
}
