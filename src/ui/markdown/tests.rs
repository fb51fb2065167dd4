use super::*;
use crate::ui::theme::{ColorSupport, Theme};
use proptest::prelude::*;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

const JAPANESE: &str = "\
トークン盗難攻撃は、ユーザーが多要素認証を満たしている場合でも、脅威アクターがユーザーに発行されたトークンを侵害して再生したときに発生します。 認証要件が満たされているため、脅威アクターには、盗まれたトークンを使用して組織のリソースへのアクセスが許可されます。

- ユーザーとサービス プリンシパルの Microsoft Entra ID サインイン監査ログへのアクセス
- 次のいずれかの **Microsoft Entra ロール** が割り当てられたアカウント:
  - セキュリティ管理者
  - セキュリティ閲覧者

`SigninLogs | where UserPrincipalName == 'alice@contoso.example'` を実行し、「不明な IP」からのサインインを確認します。";

fn theme() -> Theme {
    Theme::new(ColorSupport::Ansi16)
}

fn line_text(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The characters a reader sees, without whitespace, bullet prefixes and
/// markup markers.
fn content(text: &Text) -> String {
    let mut out = String::new();
    for line in &text.lines {
        let mut spans = line.spans.iter().peekable();
        if let Some(first) = spans.peek()
            && first.content.trim_start().starts_with("- ")
            && first.content.trim_start() == "- "
        {
            spans.next();
        }
        for span in spans {
            out.extend(span.content.chars().filter(|c| !c.is_whitespace()));
        }
    }
    out
}

fn expected(source: &str) -> String {
    source
        .lines()
        .map(|l| l.trim_start().strip_prefix("- ").unwrap_or(l))
        .collect::<String>()
        .replace("**", "")
        .replace('`', "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn assert_fits(text: &Text, width: usize) {
    for line in &text.lines {
        let s = line_text(line);
        assert!(
            s.width() <= width,
            "{:?} is {} wide, over {width}",
            s,
            s.width()
        );
    }
}

#[test]
fn japanese_wraps_at_80_and_40_columns_without_losing_anything() {
    for width in [80u16, 40] {
        let text = render(JAPANESE, width, &theme());
        assert_fits(&text, width.into());
        assert_eq!(content(&text), expected(JAPANESE), "at {width} columns");
        // Japanese fills lines: the first paragraph's lines are nearly full.
        let first = line_text(&text.lines[0]);
        assert!(first.width() >= usize::from(width) - 2, "{first:?}");
    }
}

#[test]
fn no_line_starts_with_closing_punctuation() {
    for width in 6..60u16 {
        let text = render(JAPANESE, width, &theme());
        for line in &text.lines {
            let s = line_text(line);
            let first = s.trim_start().chars().next();
            assert!(
                !matches!(first, Some('、' | '。' | '」' | 'ー')),
                "width {width}: {s:?}"
            );
        }
    }
}

#[test]
fn inline_code_stays_one_styled_span_when_it_fits() {
    let t = theme();
    let text = render(JAPANESE, 80, &t);
    let code = "SigninLogs | where UserPrincipalName == 'alice@contoso.example'";
    let span = text
        .lines
        .iter()
        .flat_map(|l| l.spans.iter())
        .find(|s| s.content.contains("SigninLogs"))
        .expect("code span");
    assert_eq!(span.content, code);
    assert_eq!(span.style, t.code);
}

#[test]
fn inline_code_wider_than_the_line_is_split_but_kept() {
    let text = render(JAPANESE, 40, &theme());
    assert_fits(&text, 40);
    let code_spans: String = text
        .lines
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.style == theme().code)
        .map(|s| s.content.as_ref())
        .collect();
    assert_eq!(
        code_spans.replace(' ', ""),
        "SigninLogs|whereUserPrincipalName=='alice@contoso.example'"
    );
}

#[test]
fn bold_is_a_modifier_and_markers_disappear() {
    let text = render("a **strong** word", 80, &theme());
    assert_eq!(line_text(&text.lines[0]), "a strong word");
    let strong = text.lines[0]
        .spans
        .iter()
        .find(|s| s.content == "strong")
        .expect("bold span");
    assert!(strong.style.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn unclosed_markers_stay_literal() {
    let text = render("2 ** 3 and `open", 80, &theme());
    assert_eq!(line_text(&text.lines[0]), "2 ** 3 and `open");
}

#[test]
fn bullets_have_a_hanging_indent() {
    let body = "- one two three four five six seven\n  - nested item text here";
    let text = render(body, 16, &theme());
    let lines: Vec<String> = text.lines.iter().map(line_text).collect();
    assert_eq!(
        lines,
        vec![
            "- one two three",
            "  four five six",
            "  seven",
            "  - nested item",
            "    text here",
        ]
    );
}

#[test]
fn paragraphs_are_separated_and_list_items_are_not() {
    let body = "First\nline.\n\n- a\n- b\n\nLast.";
    let lines: Vec<String> = render(body, 40, &theme())
        .lines
        .iter()
        .map(line_text)
        .collect();
    assert_eq!(lines, vec!["First line.", "", "- a", "- b", "", "Last."]);
}

#[test]
fn cjk_lines_join_without_a_space() {
    let lines: Vec<String> = render("日本\n語です", 40, &theme())
        .lines
        .iter()
        .map(line_text)
        .collect();
    assert_eq!(lines, vec!["日本語です"]);
}

#[test]
fn hostile_text_is_made_visible() {
    let body = "ok \x1b]52;c;ZXZpbA==\x07 and ad\u{200B}min\rX";
    let lines: Vec<String> = render(body, 80, &theme())
        .lines
        .iter()
        .map(line_text)
        .collect();
    assert_eq!(
        lines,
        vec!["ok <U+001B>]52;c;ZXZpbA==<U+0007> and ad<U+200B>min<U+000D>X"]
    );
}

#[test]
fn tiny_widths_do_not_panic_or_lose_text() {
    assert!(render(JAPANESE, 0, &theme()).lines.is_empty());
    for width in 1..6u16 {
        let text = render(JAPANESE, width, &theme());
        assert_eq!(content(&text), expected(JAPANESE), "at {width}");
        if width >= 2 {
            assert_fits(&text, width.into());
        }
    }
}

fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("日本語".to_string()),
        Just("。".to_string()),
        Just("「引用」".to_string()),
        Just("サインイン".to_string()),
        Just(" ".to_string()),
        Just("e\u{301}".to_string()),
        Just("👩\u{200D}💻".to_string()),
        "[a-z]{1,12}",
        "[A-Z0-9.,()]{1,3}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn wrapping_fits_and_keeps_every_character(s in prose(), width in 2u16..100) {
        let text = render(&s, width, &theme());
        for line in &text.lines {
            let l = line_text(line);
            prop_assert!(l.width() <= usize::from(width), "{l:?} over {width}");
            // A line never starts inside a grapheme.
            let first = l.chars().next();
            prop_assert!(first.is_none_or(|c| unicode_width::UnicodeWidthChar::width(c) != Some(0)));
        }
        prop_assert_eq!(content(&text), expected(&s));
    }
}
