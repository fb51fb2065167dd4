//! Making response text safe to show: every control, direction-changing or
//! invisible character becomes a visible ASCII marker, so an attacker-written
//! user agent or file name can neither drive the terminal nor hide in it.

use std::borrow::Cow;

/// True for characters that must never reach the terminal as themselves.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || crate::tree::value::is_forbidden_char(c)
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{2028}' | '\u{2029}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// `text` with hidden characters replaced by markers: caret notation for C0
/// controls and DEL (`^[`, `^J`, `^?`), `<U+XXXX>` for the rest.
pub fn visible(text: &str) -> Cow<'_, str> {
    // Fast path: printable ASCII holds nothing hidden.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) || !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_hidden(c) {
            out.push(c);
        } else if (c as u32) < 0x20 {
            out.push('^');
            out.push((b'@' + c as u8) as char);
        } else if c == '\u{7F}' {
            out.push_str("^?");
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_replace_hidden_characters() {
        assert_eq!(visible("plain ユーザー"), "plain ユーザー");
        assert_eq!(visible("\u{1b}[31mRED"), "^[[31mRED");
        assert_eq!(visible("a\nb\tc\u{7f}"), "a^Jb^Ic^?");
        assert_eq!(visible("ad\u{200B}min"), "ad<U+200B>min");
        assert_eq!(visible("\u{202E}gpj.exe"), "<U+202E>gpj.exe");
        assert_eq!(visible("\u{9b}31m"), "<U+009B>31m");
    }
}
