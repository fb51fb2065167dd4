//! Markers stand out on the screen. `text::visible` replaces a hidden
//! character by `<U+202E>`; drawn in the text's own style it reads like
//! part of a name. After a frame is drawn, every marker's cells take the
//! warning style, wherever it came from (title, cell, note, body).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Patches `style` onto each `<U+XXXX>` (4 to 6 hex digits) in `area`.
pub fn highlight(buf: &mut Buffer, area: Rect, style: Style) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        let row: Vec<char> = (area.left()..area.right())
            .map(|x| single_char(buf[(x, y)].symbol()))
            .collect();
        let mut i = 0;
        while i < row.len() {
            match marker_len(&row[i..]) {
                Some(len) => {
                    for x in i..i + len {
                        buf[(area.left() + x as u16, y)].set_style(style);
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
    }
}

/// The cell's character when it holds exactly one (markers are ASCII).
fn single_char(symbol: &str) -> char {
    let mut chars = symbol.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c,
        _ => '\0',
    }
}

fn marker_len(cells: &[char]) -> Option<usize> {
    if !cells.starts_with(&['<', 'U', '+']) {
        return None;
    }
    let digits = cells[3..]
        .iter()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let closed = cells.get(3 + digits) == Some(&'>');
    ((4..=6).contains(&digits) && closed).then_some(3 + digits + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    #[test]
    fn every_cell_of_a_marker_and_nothing_else_takes_the_style() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 2));
        buf.set_string(0, 0, "ad<U+200B>min <U+E0068>", Style::default());
        buf.set_string(0, 1, "<U+12> <U+0041 日<U+0007>", Style::default());
        let style = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        let area = buf.area;
        highlight(&mut buf, area, style);
        let styled = |y: u16| -> String {
            (0..30)
                .map(|x| {
                    if buf[(x, y)].fg == Color::Red {
                        '^'
                    } else {
                        '.'
                    }
                })
                .collect()
        };
        assert_eq!(styled(0), "..^^^^^^^^....^^^^^^^^^.......");
        // Too few digits, unclosed: not markers; after a wide character
        // the marker still is.
        assert_eq!(styled(1), ".................^^^^^^^^.....");
    }
}
