//! Line breaking by terminal cell width.
//!
//! Breaks at spaces, and between CJK characters (Japanese has no spaces),
//! but never inside a grapheme, never before closing punctuation (`。`, `」`,
//! small kana, `)`) and never after opening punctuation (`「`, `(`). Inline
//! code that fits on a line is kept whole. A unit wider than the line is
//! split between graphemes.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::inline::Segment;
use crate::text::grapheme_width;

/// An unbreakable run of styled text.
#[derive(Debug, Default)]
struct Unit {
    parts: Vec<(String, Style)>,
    width: usize,
}

impl Unit {
    fn push(&mut self, text: &str, width: usize, style: Style) {
        match self.parts.last_mut() {
            Some((last, s)) if *s == style => last.push_str(text),
            _ => self.parts.push((text.to_string(), style)),
        }
        self.width += width;
    }
}

enum Token {
    Space(Style),
    Unit(Unit),
}

/// Wraps styled segments into lines of at most `width` cells; the first line
/// starts with `first_prefix`, the others with `rest_prefix` (a hanging
/// indent). Prefixes are dropped when the width leaves no room for them.
pub fn wrap(
    segments: &[Segment],
    width: usize,
    first_prefix: &str,
    rest_prefix: &str,
) -> Vec<Line<'static>> {
    let prefix_width = first_prefix
        .chars()
        .count()
        .max(rest_prefix.chars().count());
    let (first_prefix, rest_prefix) = if prefix_width + 2 > width {
        ("", "")
    } else {
        (first_prefix, rest_prefix)
    };
    let avail = width
        - first_prefix
            .chars()
            .count()
            .max(rest_prefix.chars().count());
    let mut out = Layout::new(first_prefix, avail);
    for token in tokenize(segments, avail) {
        match token {
            Token::Space(style) => out.pending_space = Some(style),
            Token::Unit(unit) => out.place(unit, rest_prefix),
        }
    }
    out.finish_line(rest_prefix);
    out.lines
}

fn tokenize(segments: &[Segment], avail: usize) -> Vec<Token> {
    let mut t = Tokenizer::default();
    for segment in segments {
        let text = segment.text.as_str();
        let code_width: usize = text.graphemes(true).map(grapheme_width).sum();
        if segment.code && code_width <= avail {
            let first = text.graphemes(true).next().unwrap_or("");
            let last = text.graphemes(true).next_back().unwrap_or("");
            t.add(text, first, last, code_width, segment.style);
            continue;
        }
        for g in text.graphemes(true) {
            if g.chars().all(char::is_whitespace) {
                t.space(segment.style);
            } else {
                t.add(g, g, g, grapheme_width(g), segment.style);
            }
        }
    }
    t.finish()
}

#[derive(Default)]
struct Tokenizer {
    tokens: Vec<Token>,
    current: Option<Unit>,
    /// The grapheme before the next one, unless a space came between.
    last: Option<String>,
}

impl Tokenizer {
    fn add(&mut self, text: &str, first: &str, last: &str, width: usize, style: Style) {
        let glued = self
            .last
            .as_deref()
            .is_some_and(|prev| !can_break(prev, first));
        match self.current.as_mut() {
            Some(unit) if glued => unit.push(text, width, style),
            _ => {
                self.close_unit();
                let mut unit = Unit::default();
                unit.push(text, width, style);
                self.current = Some(unit);
            }
        }
        self.last = Some(last.to_string());
    }

    fn space(&mut self, style: Style) {
        self.close_unit();
        if !matches!(self.tokens.last(), Some(Token::Space(_)) | None) {
            self.tokens.push(Token::Space(style));
        }
        self.last = None;
    }

    fn close_unit(&mut self) {
        if let Some(done) = self.current.take() {
            self.tokens.push(Token::Unit(done));
        }
    }

    fn finish(mut self) -> Vec<Token> {
        self.close_unit();
        self.tokens
    }
}

/// Whether a line may break between two adjacent graphemes.
fn can_break(before: &str, after: &str) -> bool {
    if after.is_empty() || before.is_empty() {
        return true;
    }
    if is_closing(after) || is_opening(before) {
        return false;
    }
    grapheme_width(before) >= 2 || grapheme_width(after) >= 2
}

/// Starts with a character a line may not begin with (Japanese line-breaking rules).
pub(crate) fn is_closing(g: &str) -> bool {
    const CLOSING: &str = "、。，．・：；？！ー…‥）」』】〕〉》｝］〙〗ゝゞ々ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ)]},.:;!?%";
    let mut chars = g.chars();
    chars.next().is_some_and(|c| CLOSING.contains(c))
}

/// Ends with a character a line may not end with.
pub(crate) fn is_opening(g: &str) -> bool {
    const OPENING: &str = "（「『【〔〈《｛［〘〖([{";
    g.chars().next_back().is_some_and(|c| OPENING.contains(c))
}

struct Layout {
    lines: Vec<Line<'static>>,
    spans: Vec<(String, Style)>,
    used: usize,
    avail: usize,
    pending_space: Option<Style>,
}

impl Layout {
    fn new(first_prefix: &str, avail: usize) -> Self {
        let mut layout = Self {
            lines: Vec::new(),
            spans: Vec::new(),
            used: 0,
            avail,
            pending_space: None,
        };
        layout.start(first_prefix);
        layout
    }

    fn start(&mut self, prefix: &str) {
        if !prefix.is_empty() {
            self.spans.push((prefix.to_string(), Style::new()));
        }
        self.used = 0;
    }

    fn push(&mut self, text: &str, width: usize, style: Style) {
        match self.spans.last_mut() {
            Some((last, s)) if *s == style && self.used > 0 => last.push_str(text),
            _ => self.spans.push((text.to_string(), style)),
        }
        self.used += width;
    }

    fn finish_line(&mut self, next_prefix: &str) {
        let spans = std::mem::take(&mut self.spans)
            .into_iter()
            .map(|(text, style)| Span::styled(text, style));
        self.lines.push(Line::from(spans.collect::<Vec<_>>()));
        self.start(next_prefix);
    }

    fn place(&mut self, unit: Unit, rest_prefix: &str) {
        let space = self.pending_space.take().filter(|_| self.used > 0);
        let space_width = usize::from(space.is_some());
        if self.used + space_width + unit.width <= self.avail {
            if let Some(style) = space {
                self.push(" ", 1, style);
            }
            unit.parts
                .iter()
                .for_each(|(t, s)| self.push(t, t.graphemes(true).map(grapheme_width).sum(), *s));
            return;
        }
        if unit.width <= self.avail {
            self.finish_line(rest_prefix);
            unit.parts
                .iter()
                .for_each(|(t, s)| self.push(t, t.graphemes(true).map(grapheme_width).sum(), *s));
            return;
        }
        // Wider than a whole line: fill what is left, then split between
        // graphemes.
        if let Some(style) = space
            && self.used + 1 < self.avail
        {
            self.push(" ", 1, style);
        }
        for (text, style) in &unit.parts {
            for g in text.graphemes(true) {
                let w = grapheme_width(g);
                if self.used > 0 && self.used + w > self.avail {
                    self.finish_line(rest_prefix);
                }
                self.push(g, w, *style);
            }
        }
    }
}
