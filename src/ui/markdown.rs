//! The Markdown subset of tree bodies, rendered to wrapped ratatui text.
//!
//! Supported: paragraphs (separated by a blank line; lines inside one are
//! joined), `- ` bullet lists (nested by two-space indents, hanging
//! indent), `` `inline code` `` and `**bold**`. Anything else is shown as
//! written. Text is made safe with [`crate::text::visible`] (screen lines)
//! first.
//!
//! The result is already wrapped to the given width with terminal cell
//! widths (CJK characters take two cells; Japanese, which has no spaces,
//! breaks between characters but not before closing punctuation), so draw
//! it with a `Paragraph` *without* `.wrap(..)`.

mod inline;
pub(crate) mod wrap;

#[cfg(test)]
mod tests;

use ratatui::text::{Line, Text};

use crate::text::{Medium, visible};
use crate::ui::theme::Theme;

/// Renders a tree body to lines no wider than `width` cells.
pub fn render(source: &str, width: u16, theme: &Theme) -> Text<'static> {
    let width = usize::from(width);
    if width == 0 {
        return Text::default();
    }
    let safe = visible(source, Medium::ScreenLines);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut previous: Option<BlockKind> = None;
    for block in blocks(&safe) {
        // A blank line between blocks, but list items stay together.
        let both_items = previous == Some(BlockKind::Item) && block.kind == BlockKind::Item;
        if previous.is_some() && !both_items {
            lines.push(Line::default());
        }
        let segments = inline::parse(&block.text, theme);
        let (first, rest) = match block.kind {
            BlockKind::Paragraph => (String::new(), String::new()),
            BlockKind::Item => {
                let pad = "  ".repeat(block.level);
                (format!("{pad}- "), format!("{pad}  "))
            }
        };
        lines.extend(wrap::wrap(&segments, width, &first, &rest));
        previous = Some(block.kind);
    }
    Text::from(lines)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Paragraph,
    Item,
}

#[derive(Debug)]
struct Block {
    kind: BlockKind,
    /// Nesting depth of a list item (0 for paragraphs and top-level items).
    level: usize,
    text: String,
}

/// Splits the body into paragraphs and list items.
fn blocks(source: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in source.lines() {
        let content = line.trim_start_matches(' ');
        if content.trim().is_empty() {
            open = false;
            continue;
        }
        let indent = line.len() - content.len();
        if let Some(item) = content.strip_prefix("- ") {
            out.push(Block {
                kind: BlockKind::Item,
                level: (indent / 2).min(4),
                text: item.trim().to_string(),
            });
            open = true;
            continue;
        }
        match out.last_mut() {
            // A continuation line: joined with a space, except between two
            // CJK characters, where a space would be a visible error.
            Some(block) if open => {
                let content = content.trim_end();
                if needs_space(&block.text, content) {
                    block.text.push(' ');
                }
                block.text.push_str(content);
            }
            _ => {
                out.push(Block {
                    kind: BlockKind::Paragraph,
                    level: 0,
                    text: content.trim_end().to_string(),
                });
                open = true;
            }
        }
    }
    out
}

fn needs_space(before: &str, after: &str) -> bool {
    let wide =
        |c: Option<char>| c.is_some_and(|c| unicode_width::UnicodeWidthChar::width(c) == Some(2));
    !(wide(before.chars().next_back()) || wide(after.chars().next()))
}
