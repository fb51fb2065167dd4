//! Which characters may reach the terminal as they are.
//!
//! Cairn shows text written by others (tree files, lookup responses, notes).
//! A character is *unsafe* when a terminal could act on it (controls), when
//! it changes how neighbouring text is ordered (bidi controls), or when it
//! draws nothing and so can hide or disguise content (zero-width, invisible
//! and other format characters). Unsafe characters are never emitted and
//! never dropped: `super::visible` replaces them with a visible marker.

/// True for characters that are always replaced by a marker, whatever
/// surrounds them.
pub fn is_unsafe(c: char) -> bool {
    let cp = c as u32;
    c.is_control() // C0, DEL and C1 (U+0080..=U+009F)
        || is_bidi_control(c)
        || is_invisible_format(cp)
        || is_noncharacter(cp)
}

/// Characters that are legitimate only next to certain neighbours and are
/// otherwise replaced: the zero-width joiner (inside emoji sequences) and
/// variation selectors (directly after a visible base character).
pub fn is_contextual(c: char) -> bool {
    c == ZERO_WIDTH_JOINER || is_variation_selector(c)
}

pub const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// Explicit bidirectional formatting characters (UAX #9): they reorder the
/// text around them, so `admin\u{202E}txt.exe` can display as something
/// else entirely.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{180B}'..='\u{180D}' | '\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Format (Cf), separator (Zl, Zp) and default-ignorable characters that
/// draw nothing, except the contextual ones handled by `is_contextual`.
fn is_invisible_format(cp: u32) -> bool {
    matches!(
        cp,
        0x00AD            // soft hyphen
        | 0x034F          // combining grapheme joiner
        | 0x0600..=0x0605 // Arabic number signs
        | 0x06DD | 0x070F | 0x0890 | 0x0891 | 0x08E2
        | 0x115F | 0x1160 // Hangul choseong/jungseong fillers
        | 0x17B4 | 0x17B5 // Khmer inherent vowels
        | 0x180E          // Mongolian vowel separator
        | 0x200B | 0x200C // zero-width space, zero-width non-joiner
        | 0x2028 | 0x2029 // line and paragraph separators
        | 0x2060..=0x2065 // word joiner, invisible operators
        | 0x206A..=0x206F // deprecated format characters
        | 0x3164          // Hangul filler
        | 0xFEFF          // zero-width no-break space (BOM)
        | 0xFFA0          // halfwidth Hangul filler
        | 0xFFF9..=0xFFFB // interlinear annotation
        | 0x110BD | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0000..=0xE007F // tag characters (can smuggle ASCII invisibly)
        | 0xE01F0..=0xE0FFF // reserved default-ignorable
    )
}

fn is_noncharacter(cp: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&cp) || (cp & 0xFFFE) == 0xFFFE
}

/// Rough test for emoji that may be joined with U+200D into one glyph
/// (families, professions, flags with modifiers).
pub fn is_pictographic(c: char) -> bool {
    matches!(
        c as u32,
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139
        | 0x2194..=0x21AA
        | 0x2300..=0x23FF
        | 0x2460..=0x24FF
        | 0x25A0..=0x27BF
        | 0x2900..=0x297F
        | 0x2B00..=0x2BFF
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF
    )
}

/// Emoji skin-tone modifiers, which may precede a joiner.
pub fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}')
}

/// Caret notation for C0 controls and DEL (`^[` for ESC, `^?` for DEL).
pub fn caret(c: char) -> Option<[char; 2]> {
    match c as u32 {
        cp @ 0x00..=0x1F => Some(['^', char::from(cp as u8 + 0x40)]),
        0x7F => Some(['^', '?']),
        _ => None,
    }
}
