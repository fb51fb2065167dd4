use super::*;
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

fn v(s: &str) -> String {
    visible(s, Medium::Screen).into_owned()
}

fn vm(s: &str) -> String {
    visible(s, Medium::ScreenLines).into_owned()
}

#[test]
fn plain_ascii_is_borrowed_unchanged() {
    assert!(matches!(
        visible("alice@contoso.example", Medium::Screen),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        visible("インシデント対応", Medium::Screen),
        Cow::Borrowed(_)
    ));
}

#[test]
fn zero_width_space_inside_a_name_is_shown() {
    assert_eq!(v("ad\u{200B}min"), "ad<U+200B>min");
    assert_eq!(v("ad\u{200C}min"), "ad<U+200C>min");
    assert_eq!(v("ad\u{200D}min"), "ad<U+200D>min");
    assert_eq!(v("\u{FEFF}admin"), "<U+FEFF>admin");
    assert_eq!(v("ad\u{2060}min"), "ad<U+2060>min");
    assert_eq!(v("ad\u{00AD}min"), "ad<U+00AD>min");
    assert_eq!(v("a\u{180E}b"), "a<U+180E>b");
}

#[test]
fn csi_colour_sequence_is_shown_as_markers() {
    assert_eq!(v("\x1b[31mRED\x1b[0m"), "<U+001B>[31mRED<U+001B>[0m");
}

#[test]
fn osc_8_hyperlink_and_osc_52_clipboard_are_defused() {
    let osc8 = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\";
    assert_eq!(
        v(osc8),
        "<U+001B>]8;;https://evil.example<U+001B>\\click<U+001B>]8;;<U+001B>\\"
    );
    let osc52 = "\x1b]52;c;Y3VybCBldmlsfHNo\x07";
    assert_eq!(v(osc52), "<U+001B>]52;c;Y3VybCBldmlsfHNo<U+0007>");
    let title = "\x1b]0;pwned\x07";
    assert_eq!(v(title), "<U+001B>]0;pwned<U+0007>");
}

#[test]
fn dcs_and_c1_controls_are_shown_as_code_points() {
    assert_eq!(v("\x1bP1$r\x1b\\"), "<U+001B>P1$r<U+001B>\\");
    assert_eq!(v("\u{9B}31mX"), "<U+009B>31mX");
    assert_eq!(v("\u{90}q\u{9C}"), "<U+0090>q<U+009C>");
    assert_eq!(v("a\u{85}b"), "a<U+0085>b");
}

#[test]
fn other_c0_controls_and_del_are_markers() {
    assert_eq!(
        v("\0\x01\x07\x08\x7f"),
        "<U+0000><U+0001><U+0007><U+0008><U+007F>"
    );
    assert_eq!(v("a\tb\rc\nd"), "a<U+0009>b<U+000D>c<U+000A>d");
}

#[test]
fn bidi_controls_are_shown() {
    assert_eq!(v("invoice\u{202E}fdp.exe"), "invoice<U+202E>fdp.exe");
    for c in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}',
        '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
    ] {
        let out = v(&format!("x{c}y"));
        assert_eq!(out, format!("x<U+{:04X}>y", c as u32));
    }
}

#[test]
fn tag_characters_cannot_smuggle_ascii() {
    // "hi" written in invisible tag characters after a visible word.
    assert_eq!(v("ok\u{E0068}\u{E0069}"), "ok<U+E0068><U+E0069>");
}

#[test]
fn combining_marks_cjk_and_emoji_are_kept() {
    for s in [
        "cafe\u{301}",
        "Ｔｏｋｅｎ窃取の調査",
        "かﾞ",
        "😀👍🏽",
        "👨\u{200D}👩\u{200D}👧",
        "🏳\u{FE0F}\u{200D}🌈",
        "❤\u{FE0F}",
        "1\u{FE0F}\u{20E3}",
        "葛\u{E0100}城",
    ] {
        assert_eq!(v(s), s, "{s:?} must be kept as is");
    }
}

#[test]
fn variation_selector_runs_and_orphans_are_shown() {
    assert_eq!(v("\u{FE0F}x"), "<U+FE0F>x");
    assert_eq!(v("a\u{FE00}\u{FE01}\u{FE02}"), "a\u{FE00}<U+FE01><U+FE02>");
    assert_eq!(v("a\u{E0100}\u{E0101}"), "a\u{E0100}<U+E0101>");
}

#[test]
fn combining_mark_without_a_base_is_shown() {
    assert_eq!(v("\u{301}abc"), "<U+0301>abc");
    assert_eq!(vm("ok\n\u{301}x"), "ok\n<U+0301>x");
}

#[test]
fn multiline_keeps_line_breaks_and_shows_lone_cr() {
    assert_eq!(vm("one\ntwo\r\nthree"), "one\ntwo\nthree");
    assert_eq!(vm("fake\rover"), "fake<U+000D>over");
    assert_eq!(vm("a\tb"), "a    b");
    assert_eq!(vm("x\x1b[2Jy\n\u{202E}z"), "x<U+001B>[2Jy\n<U+202E>z");
}

#[test]
fn line_separators_are_shown() {
    assert_eq!(v("a\u{2028}b\u{2029}c"), "a<U+2028>b<U+2029>c");
}

/// Renders `s` into a one-line buffer the way every ratatui widget does and
/// reads back what the terminal would show.
fn rendered(s: &str) -> String {
    let width = s.chars().count() as u16 * 2 + 1;
    let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
    let (end, _) = buf.set_stringn(0, 0, s, usize::MAX, Style::default());
    let mut out = String::new();
    let mut x = 0;
    while x < end {
        let cell = &buf[(x, 0)];
        out.push_str(cell.symbol());
        x += grapheme_width(cell.symbol()).max(1) as u16;
    }
    out
}

fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\x1b[31m".to_string()),
        Just("\u{9B}".to_string()),
        Just("\u{200D}".to_string()),
        Just("\u{FE0F}".to_string()),
        Just("\u{301}".to_string()),
        Just("👩".to_string()),
        Just("日本".to_string()),
        "[a-z ]{1,4}",
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn output_has_no_unsafe_character(s in any_text()) {
        let out = v(&s);
        prop_assert!(!out.chars().any(is_unsafe), "{out:?}");
        let out = vm(&s);
        prop_assert!(!out.chars().any(|c| c != '\n' && is_unsafe(c)), "{out:?}");
    }

    #[test]
    fn ratatui_shows_every_grapheme_of_the_output(s in any_text()) {
        let out = v(&s);
        prop_assert_eq!(rendered(&out), out);
    }

    #[test]
    fn visible_is_idempotent(s in any_text()) {
        let once = v(&s);
        prop_assert_eq!(v(&once), once.clone());
    }

    #[test]
    fn safe_text_passes_unchanged(s in "[a-zA-Z0-9 .,:;@/-]{0,40}") {
        prop_assert_eq!(v(&s), s);
    }
}

#[test]
fn the_render_oracle_detects_what_ratatui_drops() {
    // Guards the property test above: raw hostile text does lose characters.
    assert_eq!(rendered("ad\u{200B}min"), "admin");
    assert_eq!(rendered("\x1b[31mRED"), "[31mRED");
}
