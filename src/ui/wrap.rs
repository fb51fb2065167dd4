//! Width-aware wrapping and cutting: Japanese characters take two columns,
//! and a line never runs past the edge of its box.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: &str = "...";

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Wraps `text` to `width` columns: at spaces where there are spaces, between
/// any two wide characters otherwise, and inside a word only when it alone is
/// longer than a line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        wrap_line(para, width, &mut out);
    }
    out
}

fn wrap_line(line: &str, width: usize, out: &mut Vec<String>) {
    let mut current: Vec<char> = Vec::new();
    let mut cols = 0;
    // Index in `current` where the line may be broken, if any.
    let mut brk: Option<usize> = None;
    let mut buf = [0u8; 4];
    for c in line.chars() {
        let w = char_width(c);
        // A break before `c`: after a space, or next to a wide character,
        // but never before closing punctuation or after an opening bracket.
        let here = current.last().is_some_and(|&p| {
            let mut pbuf = [0u8; 4];
            p == ' '
                || ((char_width(p) >= 2 || w >= 2)
                    && !super::markdown::wrap::is_closing(c.encode_utf8(&mut buf))
                    && !super::markdown::wrap::is_opening(p.encode_utf8(&mut pbuf)))
        });
        if cols + w > width && !current.is_empty() {
            let cut = if here {
                current.len()
            } else {
                brk.filter(|b| *b > 0).unwrap_or(current.len())
            };
            let rest: Vec<char> = current.split_off(cut);
            out.push(current.iter().collect::<String>().trim_end().to_string());
            current = rest.into_iter().skip_while(|c| *c == ' ').collect();
            cols = current.iter().map(|c| char_width(*c)).sum();
            brk = None;
        } else if here {
            brk = Some(current.len());
        }
        if c == ' ' && current.is_empty() && !out.is_empty() && cols == 0 {
            // No leading space on a continuation line.
            continue;
        }
        current.push(c);
        cols += w;
    }
    out.push(current.iter().collect::<String>().trim_end().to_string());
}

/// Cuts `text` to at most `width` columns, ending in `...` when cut.
/// (ASCII: `…` is ambiguous-width and some terminals draw it two wide.)
pub fn cut(text: &str, width: usize) -> String {
    // A cut line is one row: a line break in it is shown, not obeyed.
    let text = &text.replace('\n', "^J");
    if self::width(text) <= width {
        return text.to_string();
    }
    if width < ELLIPSIS.len() {
        return ".".repeat(width);
    }
    let mut out = String::new();
    let mut cols = 0;
    for c in text.chars() {
        let w = char_width(c);
        if cols + w > width - ELLIPSIS.len() {
            break;
        }
        out.push(c);
        cols += w;
    }
    out.push_str(ELLIPSIS);
    out
}

/// Keeps the end of `text` within `width` columns, starting with `...` when cut.
pub fn cut_front(text: &str, width: usize) -> String {
    if self::width(text) <= width {
        return text.to_string();
    }
    if width < ELLIPSIS.len() {
        return ".".repeat(width);
    }
    let mut kept: Vec<char> = Vec::new();
    let mut cols = 0;
    for c in text.chars().rev() {
        let w = char_width(c);
        if cols + w > width - ELLIPSIS.len() {
            break;
        }
        kept.push(c);
        cols += w;
    }
    let mut out = String::from(ELLIPSIS);
    out.extend(kept.into_iter().rev());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_english_at_spaces() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            vec!["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn wraps_japanese_by_columns_never_past_the_edge() {
        let lines = wrap("見慣れないサインインについて本人に確認する。", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(
            lines.concat(),
            "見慣れないサインインについて本人に確認する。"
        );
        assert_eq!(lines[0], "見慣れない");
    }

    #[test]
    fn no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket() {
        // Fourteen columns end right before the full stop: it takes the
        // character before it down with it.
        let lines = wrap("確認してくださ。次「へ」", 14);
        assert_eq!(lines, vec!["確認してくだ", "さ。次「へ」"]);
        // An opening bracket moves down with what it opens.
        let lines = wrap("ご確認「ください」", 8);
        assert_eq!(lines, vec!["ご確認", "「くださ", "い」"]);
        // (Narrower than three characters, a run of closing marks may still
        // have to start a line: there is nowhere else to put it.)
        for w in 6..20 {
            for l in wrap(
                "美香さんがスマートフォンから連絡:「請求書のページでパスワードを入力した。」",
                w,
            ) {
                assert!(width(&l) <= w, "{w}: {l:?}");
                assert!(!l.starts_with(['。', '、', '」']), "{w}: {l:?}");
                assert!(!l.ends_with('「'), "{w}: {l:?}");
            }
        }
    }

    #[test]
    fn mixed_text_and_long_words_fit() {
        for w in 1..30 {
            for l in wrap(
                "UPN は alice@contoso.example.com です。 abcdefghijklmnopqrstuvwxyz",
                w,
            ) {
                assert!(width(&l) <= w.max(2), "{w}: {l:?}");
            }
        }
    }

    #[test]
    fn cuts_keep_within_width() {
        assert_eq!(cut("日本語テキスト", 7), "日本...");
        assert_eq!(cut("日本語テキスト", 9), "日本語...");
        assert_eq!(cut_front("a > b > c > d", 8), "...c > d");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut("abcd", 2), "..");
    }
}
