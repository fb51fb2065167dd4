//! The media on top of the markers: Markdown, JSON, Mermaid, DOT, and the
//! predicate's coverage.

use super::markdown::{code_block, code_span, quote};
use super::*;
use proptest::prelude::*;

fn md(s: &str) -> String {
    visible(s, Medium::Markdown).into_owned()
}

#[test]
fn the_predicate_covers_every_hiding_class() {
    let unsafe_chars = [
        '\0',
        '\x07',
        '\x1b',
        '\x7f',
        '\u{80}',
        '\u{9b}',
        '\u{9f}', // C0, BEL, ESC, DEL, C1
        '\u{202A}',
        '\u{202E}',
        '\u{2066}',
        '\u{2069}',
        '\u{200E}',
        '\u{200F}',
        '\u{061C}', // bidi
        '\u{200B}',
        '\u{200C}',
        '\u{2060}',
        '\u{2064}',
        '\u{FEFF}',
        '\u{00AD}', // zero-width
        '\u{E0000}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{E007F}', // tags
        '\u{2028}',
        '\u{2029}', // separators
        '\u{E000}',
        '\u{F8FF}',
        '\u{F0000}',
        '\u{10FFFD}', // private use
        '\u{FFFE}',
        '\u{FDD0}',
        '\u{3164}',
        '\u{115F}',
        '\u{034F}', // others
    ];
    for c in unsafe_chars {
        assert!(is_unsafe(c), "U+{:04X} must be unsafe", c as u32);
    }
    for c in [
        'a', ' ', 'é', '日', 'ｱ', '😀', '\u{301}', '\u{200D}', '\u{FE0F}',
    ] {
        assert!(!is_unsafe(c), "U+{:04X} must not be unsafe", c as u32);
    }
}

#[test]
fn one_marker_form_in_every_medium() {
    let hostile = "a\x1b]0;t\x07b\u{202E}c";
    assert_eq!(
        visible(hostile, Medium::Screen),
        "a<U+001B>]0;t<U+0007>b<U+202E>c"
    );
    assert_eq!(
        visible(hostile, Medium::Cli),
        "a<U+001B>]0;t<U+0007>b<U+202E>c"
    );
    assert_eq!(md(hostile), "a<U+001B>\\]0;t<U+0007>b<U+202E>c");
    assert_eq!(
        visible(hostile, Medium::Mermaid),
        "a#lt;U+001B#gt;#93;0;t#lt;U+0007#gt;b#lt;U+202E#gt;c"
    );
    assert_eq!(
        visible(hostile, Medium::Dot),
        "a<U+001B>]0;t<U+0007>b<U+202E>c"
    );
}

#[test]
fn markdown_lines_cannot_become_headings_rules_or_lists() {
    assert_eq!(visible("note\n---", Medium::MarkdownLines), "note\n\\---");
    assert_eq!(visible("note\n===", Medium::MarkdownLines), "note\n\\===");
    assert_eq!(visible("***", Medium::MarkdownLines), "\\*\\*\\*");
    assert_eq!(md("# title"), "\\# title");
    assert_eq!(md("- item"), "\\- item");
    assert_eq!(md("+ item"), "\\+ item");
    assert_eq!(md("1. first"), "1\\. first");
    assert_eq!(md("2) second"), "2\\) second");
    assert_eq!(md("> quoted"), "&gt; quoted");
    assert_eq!(md("3.5 hours"), "3.5 hours");
    assert_eq!(visible("    code", Medium::MarkdownLines), "&#32;   code");
    assert_eq!(
        visible("a\n\n```\nb", Medium::MarkdownLines),
        "a\n\n\\`\\`\\`\nb"
    );
}

#[test]
fn markdown_bare_urls_become_code_not_links() {
    assert_eq!(
        md("see https://evil.example/x?a=1 now"),
        "see `https://evil.example/x?a=1` now"
    );
    assert_eq!(md("(www.evil.example)"), "`(www.evil.example)`");
    assert_eq!(md("HTTP://E.X|y"), "`HTTP://E.X`\\|y");
    assert_eq!(md("mailto:a@b.c"), "`mailto:a@b.c`");
}

#[test]
fn markdown_long_words_escape_whole_and_a_url_inside_one_is_one_code_span() {
    // A 40,000-character word (a pasted token) is escaped as the sum of its
    // characters; one with a URL in its middle is one code span.
    assert_eq!(md(&"a*b_".repeat(10_000)), "a\\*b\\_".repeat(10_000));
    let word = format!(
        "{}https://x.example/{}",
        "k".repeat(20_000),
        "v".repeat(20_000)
    );
    assert_eq!(md(&word), format!("`{word}`"));
}

#[test]
fn markdown_html_links_pipes_and_backticks_read_literally() {
    assert_eq!(
        md("<script>alert(1)</script> & <img src=x>"),
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x&gt;"
    );
    assert_eq!(
        md("[x](javascript:y) ![i](p)"),
        "\\[x\\](javascript:y) \\!\\[i\\](p)"
    );
    assert_eq!(
        md("a|b `c` *d* _e_ ~f~ $g$ \\"),
        "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\~f\\~ \\$g\\$ \\\\"
    );
    // A literal marker-like text and a real marker look the same: neither
    // is HTML.
    assert_eq!(md("<U+0041>"), "<U+0041>");
    assert_eq!(md("<U+>"), "&lt;U+&gt;");
}

#[test]
fn markdown_blocks_quote_and_fence() {
    assert_eq!(quote("one\n---\n\ntwo"), "> one\n> \\---\n>\n> two\n");
    let block = code_block("a ```` b\n\x1b[2J", "kql");
    assert_eq!(block, "`````kql\na ```` b\n<U+001B>[2J\n`````\n");
    assert_eq!(code_span("a`b"), "``a`b``");
    assert_eq!(code_span("`x"), "`` `x ``");
    assert_eq!(code_span("a|b\x1b"), "`a\\|b<U+001B>`");
}

#[test]
fn json_keeps_the_data_exact_and_no_raw_control() {
    let data = "a\u{9b}b\u{202E}c\u{E0041}d\u{2028}e\x7f\u{200D}";
    let text = serde_json::to_string(&serde_json::json!({ "v": data })).unwrap();
    let safe = visible(&text, Medium::Json);
    assert!(
        !safe.chars().any(|c| is_unsafe(c) || c == '\u{200D}'),
        "{safe}"
    );
    assert!(
        safe.contains("\\u009b") && safe.contains("\\udb40\\udc41"),
        "{safe}"
    );
    let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
    assert_eq!(back["v"], data);
    let pretty = serde_json::to_string_pretty(&serde_json::json!({ "a": "日本\n" })).unwrap();
    assert!(matches!(visible(&pretty, Medium::Json), Cow::Borrowed(_)));
}

fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\x1b[31m".to_string()),
        Just("\n---\n".to_string()),
        Just("https://x.example".to_string()),
        Just("<b>".to_string()),
        Just("\u{E0041}".to_string()),
        "[a-z #|*`-]{1,4}",
    ];
    proptest::collection::vec(pieces, 0..16).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn no_medium_emits_an_unsafe_character(s in any_text()) {
        for medium in [
            Medium::Screen, Medium::ScreenLines, Medium::Cli, Medium::CliLines,
            Medium::Markdown, Medium::MarkdownLines, Medium::MarkdownCode,
            Medium::Json, Medium::Mermaid, Medium::Dot,
        ] {
            let out = visible(&s, medium);
            prop_assert!(
                !out.chars().any(|c| c != '\n' && is_unsafe(c)),
                "{medium:?}: {out:?}"
            );
        }
    }

    #[test]
    fn one_line_media_stay_on_one_line(s in any_text()) {
        for medium in [Medium::Screen, Medium::Cli, Medium::Markdown, Medium::Mermaid, Medium::Dot] {
            prop_assert!(!visible(&s, medium).contains('\n'), "{medium:?}");
        }
    }

    #[test]
    fn markdown_lines_never_start_a_block(s in any_text()) {
        let out = visible(&s, Medium::MarkdownLines);
        for line in out.lines() {
            let first = line.chars().next();
            prop_assert!(
                !matches!(first, Some('#' | '-' | '+' | '=' | '*' | '_' | '>' | '|')),
                "{line:?}"
            );
            prop_assert!(!line.starts_with("    ") && !line.starts_with("``"), "{line:?}");
            prop_assert!(!line.starts_with('<') || line.starts_with("<U+"), "{line:?}");
        }
    }
}
