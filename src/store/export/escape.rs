//! Making recorded text safe to print or paste: everything in the store may
//! come from an attacker (lookup rows, user agents, even titles).

use crate::tree::value::is_forbidden_char;

/// `text` with every control, invisible or direction-changing character
/// shown as `<U+001B>` instead of acting on the terminal or the reader.
/// Newlines are kept only when `keep_newlines` is set.
pub fn visible(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' && keep_newlines {
            out.push('\n');
        } else if is_forbidden_char(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of terminal output: control characters and newlines visible.
pub fn line(text: &str) -> String {
    visible(text, false)
}

/// Text inside a Markdown table cell: one line, `|` escaped, nothing that
/// can open HTML or break out of the cell.
pub fn md_cell(text: &str) -> String {
    md_inline(text).replace('|', "\\|")
}

/// Running Markdown text on one line: control characters and newlines
/// visible, and the characters that start HTML, links, emphasis or code
/// escaped so recorded text reads literally.
pub fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `<U+001B>` is not an HTML tag name, so Markdown shows it as is.
            c if is_forbidden_char(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block holding `text` verbatim (control characters made
/// visible), with a fence longer than any backtick run inside it.
pub fn md_code_block(text: &str, lang: &str) -> String {
    let body = visible(text.trim_end_matches('\n'), true);
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// Multi-line text as a Markdown block quote, each line escaped.
pub fn md_quote(text: &str) -> String {
    visible(text, true)
        .lines()
        .map(|l| format!("> {}\n", md_inline(l)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(line("a\u{1b}[31mb\nc"), "a<U+001B>[31mb<U+000A>c");
        assert_eq!(visible("a\nb\u{202E}", true), "a\nb<U+202E>");
    }

    #[test]
    fn table_cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(md_cell("a|b\nc<script>"), "a\\|b<U+000A>c&lt;script&gt;");
        assert_eq!(md_cell("[x](http://e)"), "\\[x\\](http://e)");
    }

    #[test]
    fn code_fences_outgrow_backticks_inside() {
        let block = md_code_block("a ```` b", "kql");
        assert!(block.starts_with("`````kql\n"), "{block}");
        assert!(block.ends_with("\n`````\n"));
    }
}
