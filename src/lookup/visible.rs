//! Making response text safe to show. Lookup results use the one sanitiser
//! every screen uses (`crate::text`), so a user agent or file name is shown
//! exactly as the rest of Cairn shows untrusted text.

pub use crate::text::visible;

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
