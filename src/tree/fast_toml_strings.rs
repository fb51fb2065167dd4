//! The string half of the fast tree TOML reader (see [`super::fast_toml`]):
//! the four string forms and their escapes. Every function returns `None`
//! where the `toml` crate must decide.

use std::borrow::Cow;

use super::fast_toml_syntax::{Parser, byte_class, is_control};

/// Bytes that end the plain run of a one-line basic string.
static BASIC_STOP: [bool; 256] = byte_class!(|b| b == b'"' || b == b'\\' || is_control(b));
/// Bytes that end a one-line literal string.
static LITERAL_STOP: [bool; 256] = byte_class!(|b| b == b'\'' || is_control(b));

impl<'s> Parser<'s> {
    /// `"..."` on one line, with escapes.
    pub(super) fn basic_string(&mut self) -> Option<Cow<'s, str>> {
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
    pub(super) fn literal_string(&mut self) -> Option<Cow<'s, str>> {
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

    pub(super) fn multiline_literal(&mut self) -> Option<Cow<'s, str>> {
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

    pub(super) fn multiline_basic(&mut self) -> Option<Cow<'s, str>> {
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
