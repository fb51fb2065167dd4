//! The syntax half of the fast tree TOML reader (see [`super::fast_toml`]):
//! keys, headers, values and the four string forms. Every function returns
//! `None` where the `toml` crate must decide.

use std::borrow::Cow;

use super::doc::{Item, Key, Table, Value};
use super::fast_toml::{Header, MAX_DEPTH, descend};

pub(super) struct Parser<'s> {
    pub src: &'s str,
    pub b: &'s [u8],
    pub pos: usize,
}

/// Control characters TOML does not allow raw in strings and comments.
const fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

const fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A byte-class table, so the loops over string and key bytes (most of a
/// tree file) test each byte with one lookup.
macro_rules! byte_class {
    (|$b:ident| $test:expr) => {{
        let mut table = [false; 256];
        let mut i = 0;
        while i < 256 {
            let $b = i as u8;
            table[i] = $test;
            i += 1;
        }
        table
    }};
}

/// Bytes that end the plain run of a one-line basic string.
static BASIC_STOP: [bool; 256] = byte_class!(|b| b == b'"' || b == b'\\' || is_control(b));
/// Bytes that end a one-line literal string.
static LITERAL_STOP: [bool; 256] = byte_class!(|b| b == b'\'' || is_control(b));
/// Bytes that end a comment: the line end, or a character TOML forbids.
static COMMENT_STOP: [bool; 256] = byte_class!(|b| b == b'\n' || b == b'\r' || is_control(b));
static BARE: [bool; 256] = byte_class!(|b| is_bare(b));

impl<'s> Parser<'s> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub(super) fn eat(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.pos += 1)
    }

    pub(super) fn skip_ws(&mut self) {
        self.pos += self.run(|b| b == b' ' || b == b'\t');
    }

    /// The number of bytes from `pos` for which `keep` holds.
    fn run(&self, keep: impl Fn(u8) -> bool) -> usize {
        self.b[self.pos..].iter().take_while(|&&b| keep(b)).count()
    }

    /// Moves to the next byte in `stop`, or to the end.
    fn skip_until(&mut self, stop: &[bool; 256]) {
        self.pos += self.run(|b| !stop[usize::from(b)]);
    }

    /// An optional comment, then a newline or the end of the file.
    pub(super) fn line_end(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.pos += 1;
            self.skip_until(&COMMENT_STOP);
            if self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                return None; // a control character
            }
        }
        self.newline_or_end()
    }

    fn newline_or_end(&mut self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            Some(b'\r') if self.b.get(self.pos + 1) == Some(&b'\n') => {
                self.pos += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// Whitespace, newlines and comments inside an array.
    fn skip_array_space(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'#' | b'\n' | b'\r') => self.line_end()?,
                _ => return Some(()),
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`.
    pub(super) fn header(&mut self) -> Option<Header<'s>> {
        let start = self.pos;
        self.pos += 1;
        let is_array = self.peek() == Some(b'[');
        if is_array {
            self.pos += 1;
        }
        self.skip_ws();
        let (path, key) = self.dotted_key()?;
        self.skip_ws();
        self.eat(b']')?;
        if is_array {
            self.eat(b']')?;
        }
        Some(Header {
            path,
            key,
            span: start..self.pos,
            is_array,
        })
    }

    /// `a.b.c`: the path and the last key.
    pub(super) fn dotted_key(&mut self) -> Option<(Vec<Key<'s>>, Key<'s>)> {
        let mut path = Vec::new();
        let mut key = self.simple_key()?;
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.peek() != Some(b'.') {
                self.pos = save;
                return Some((path, key));
            }
            self.pos += 1;
            self.skip_ws();
            if path.len() >= MAX_DEPTH {
                return None; // deep tables are left to the recursion limit
            }
            path.push(key);
            key = self.simple_key()?;
        }
    }

    fn simple_key(&mut self) -> Option<Key<'s>> {
        let start = self.pos;
        let name = match self.peek()? {
            b'"' => self.basic_string()?,
            b'\'' => self.literal_string()?,
            b if is_bare(b) => {
                self.pos += self.run(|b| BARE[usize::from(b)]);
                Cow::Borrowed(&self.src[start..self.pos])
            }
            _ => return None,
        };
        Some(Key {
            name,
            span: start..self.pos,
        })
    }

    pub(super) fn value(&mut self, depth: usize) -> Option<Item<'s>> {
        let start = self.pos;
        let plain = |value, end| {
            Some(Item {
                value,
                span: start..end,
            })
        };
        match self.peek()? {
            b'"' => {
                let s = if self.b[self.pos..].starts_with(b"\"\"\"") {
                    self.multiline_basic()?
                } else {
                    self.basic_string()?
                };
                plain(Value::String(s), self.pos)
            }
            b'\'' => {
                let s = if self.b[self.pos..].starts_with(b"'''") {
                    self.multiline_literal()?
                } else {
                    self.literal_string()?
                };
                plain(Value::String(s), self.pos)
            }
            b't' if self.b[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                plain(Value::Boolean(true), self.pos)
            }
            b'f' if self.b[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                plain(Value::Boolean(false), self.pos)
            }
            b'[' if depth < MAX_DEPTH => self.array(depth + 1),
            b'{' if depth < MAX_DEPTH => self.inline_table(depth + 1),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Item<'s>> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_space()?;
            if self.peek()? == b']' {
                break;
            }
            items.push(self.value(depth)?);
            self.skip_array_space()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        Some(Item {
            value: Value::Array(items),
            span: start..self.pos,
        })
    }

    /// `{ a = 1, b.c = "x" }` on one line, without a trailing comma.
    fn inline_table(&mut self, depth: usize) -> Option<Item<'s>> {
        let start = self.pos;
        self.pos += 1;
        let mut table = Table::default();
        self.skip_ws();
        if self.peek()? != b'}' {
            loop {
                self.skip_ws();
                let (path, key) = self.dotted_key()?;
                self.skip_ws();
                self.eat(b'=')?;
                self.skip_ws();
                let value = self.value(depth)?;
                let dotted = !path.is_empty();
                let parent = descend(&mut table, &path, dotted)?;
                if (dotted && !parent.origin.implicit) || parent.position(&key.name).is_some() {
                    return None;
                }
                parent.push(key, value)?;
                self.skip_ws();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        table.origin.inline = true;
        Some(Item {
            value: Value::Table(table),
            span: start..self.pos,
        })
    }

    /// `"..."` on one line, with escapes.
    fn basic_string(&mut self) -> Option<Cow<'s, str>> {
        self.pos += 1;
        let start = self.pos;
        self.skip_until(&BASIC_STOP);
        match self.peek()? {
            b'"' => {
                self.pos += 1;
                return Some(Cow::Borrowed(&self.src[start..self.pos - 1]));
            }
            b'\\' => {}
            _ => return None, // a control character
        }
        let mut out = String::from(&self.src[start..self.pos]);
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => out.push(self.escape()?),
                b if is_control(b) => return None,
                _ => self.push_char(&mut out),
            }
        }
    }

    /// Copies one whole character at `pos` to `out`.
    fn push_char(&mut self, out: &mut String) {
        let c = self.src[self.pos..].chars().next().unwrap_or('\u{FFFD}');
        out.push(c);
        self.pos += c.len_utf8();
    }

    /// The character a `\x` escape at `pos` stands for (TOML 1.0 escapes).
    fn escape(&mut self) -> Option<char> {
        self.pos += 1;
        let c = match self.peek()? {
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            b'u' | b'U' => {
                let len = if self.peek()? == b'u' { 4 } else { 8 };
                let hex = self.src.get(self.pos + 1..self.pos + 1 + len)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                self.pos += len + 1;
                return Some(c);
            }
            _ => return None,
        };
        self.pos += 1;
        Some(c)
    }

    /// `'...'` on one line, taken as written.
    fn literal_string(&mut self) -> Option<Cow<'s, str>> {
        self.pos += 1;
        let start = self.pos;
        self.skip_until(&LITERAL_STOP);
        match self.peek()? {
            b'\'' => {
                self.pos += 1;
                Some(Cow::Borrowed(&self.src[start..self.pos - 1]))
            }
            _ => None, // a control character
        }
    }

    /// After opening triple quotes: a newline right there is not content.
    /// Bare CRs and CRLFs inside multi-line strings are left to the `toml`
    /// crate.
    fn skip_first_newline(&mut self) {
        if self.peek() == Some(b'\n') {
            self.pos += 1;
        }
    }

    /// At a run of `quote`s of length 3..=5 closing a multi-line string:
    /// the number of quotes that belong to the content.
    fn closing_run(&self, quote: u8) -> Option<usize> {
        let run = self.b[self.pos..]
            .iter()
            .take_while(|&&b| b == quote)
            .count();
        match run {
            0..=2 => Some(usize::MAX), // not a close
            3..=5 => Some(run - 3),
            _ => None,
        }
    }

    fn multiline_literal(&mut self) -> Option<Cow<'s, str>> {
        self.pos += 3;
        self.skip_first_newline();
        let start = self.pos;
        loop {
            match self.peek()? {
                b'\'' => {
                    let extra = self.closing_run(b'\'')?;
                    if extra != usize::MAX {
                        let end = self.pos + extra;
                        self.pos = end + 3;
                        return Some(Cow::Borrowed(&self.src[start..end]));
                    }
                    self.pos += 1;
                }
                b'\n' => self.pos += 1,
                b if is_control(b) => return None,
                _ => self.pos += 1,
            }
        }
    }

    fn multiline_basic(&mut self) -> Option<Cow<'s, str>> {
        self.pos += 3;
        self.skip_first_newline();
        let start = self.pos;
        let mut out: Option<String> = None;
        loop {
            match self.peek()? {
                b'"' => {
                    let extra = self.closing_run(b'"')?;
                    if extra != usize::MAX {
                        let end = self.pos + extra;
                        let text = match out {
                            None => Cow::Borrowed(&self.src[start..end]),
                            Some(mut s) => {
                                s.push_str(&self.src[self.pos..end]);
                                Cow::Owned(s)
                            }
                        };
                        self.pos = end + 3;
                        return Some(text);
                    }
                    if let Some(s) = &mut out {
                        s.push('"');
                    }
                    self.pos += 1;
                }
                b'\\' => {
                    if out.is_none() {
                        out = Some(self.src[start..self.pos].to_string());
                    }
                    if self.line_ending_backslash()? {
                        continue;
                    }
                    let c = self.escape()?;
                    out.as_mut()?.push(c);
                }
                b'\n' => {
                    if let Some(s) = &mut out {
                        s.push('\n');
                    }
                    self.pos += 1;
                }
                b if is_control(b) => return None,
                _ => match &mut out {
                    Some(s) => self.push_char(s),
                    None => self.pos += 1,
                },
            }
        }
    }

    /// A `\` ending its line (spaces allowed before the newline) trims the
    /// newline and all whitespace up to the next text: `Some(true)` when
    /// that was done.
    fn line_ending_backslash(&mut self) -> Option<bool> {
        let mut i = self.pos + 1;
        while matches!(self.b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match self.b.get(i) {
            Some(b'\n') => {}
            Some(b'\r') => return None,
            _ => return Some(false),
        }
        while matches!(self.b.get(i), Some(b' ' | b'\t' | b'\n')) {
            i += 1;
        }
        if self.b.get(i) == Some(&b'\r') {
            return None;
        }
        self.pos = i;
        Some(true)
    }
}
