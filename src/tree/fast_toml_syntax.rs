//! The syntax half of the fast tree TOML reader (see [`super::fast_toml`]):
//! keys, headers, values and layout; strings are read in
//! [`super::fast_toml_strings`]. Every function returns `None` where the
//! `toml` crate must decide.

use std::borrow::Cow;

use super::doc::{Item, Key, Table, Value};
use super::fast_toml::{Header, MAX_DEPTH, descend};

pub(super) struct Parser<'s> {
    pub src: &'s str,
    pub b: &'s [u8],
    pub pos: usize,
}

/// Control characters TOML does not allow raw in strings and comments.
pub(super) const fn is_control(b: u8) -> bool {
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
pub(super) use byte_class;

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
    pub(super) fn skip_until(&mut self, stop: &[bool; 256]) {
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
}
