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
    for c in line.chars() {
        let w = char_width(c);
        if cols + w > width && !current.is_empty() {
            let cut = brk.filter(|b| *b > 0).unwrap_or(current.len());
            let rest: Vec<char> = current.split_off(cut);
            out.push(current.iter().collect::<String>().trim_end().to_string());
            current = rest.into_iter().skip_while(|c| *c == ' ').collect();
            cols = current.iter().map(|c| char_width(*c)).sum();
            brk = None;
        }
        if c == ' ' && current.is_empty() && !out.is_empty() && cols == 0 {
            // No leading space on a continuation line.
            continue;
        }
        if w >= 2 && !current.is_empty() {
            brk = Some(current.len());
        }
        current.push(c);
        cols += w;
        if c == ' ' || w >= 2 {
            brk = Some(current.len());
        }
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
