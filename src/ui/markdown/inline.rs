//! Inline markup: `` `code` `` and `**bold**`. Unclosed markers stay text.

use ratatui::style::Style;

use crate::ui::theme::Theme;

/// A run of text with one style. Inline code is marked so the wrapper can
/// keep it in one piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub style: Style,
    pub code: bool,
}

pub fn parse(text: &str, theme: &Theme) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut bold = false;
    let mut rest = text;
    let mut plain = String::new();
    let base = |bold: bool| {
        if bold { theme.strong } else { Style::new() }
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
            && end > 0
        {
            flush(&mut out, &mut plain, base(bold));
            out.push(Segment {
                text: after[..end].to_string(),
                style: base(bold).patch(theme.code),
                code: true,
            });
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("**")
            && (bold || closes_bold(after))
        {
            flush(&mut out, &mut plain, base(bold));
            bold = !bold;
            rest = after;
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut out, &mut plain, base(bold));
    out
}

/// `**` opens bold only if a closing `**` follows outside inline code.
fn closes_bold(after: &str) -> bool {
    let mut in_code = false;
    let mut rest = after;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && rest.starts_with("**") {
            return true;
        }
        rest = &rest[c.len_utf8()..];
    }
    false
}

fn flush(out: &mut Vec<Segment>, plain: &mut String, style: Style) {
    if !plain.is_empty() {
        out.push(Segment {
            text: std::mem::take(plain),
            style,
            code: false,
        });
    }
}
