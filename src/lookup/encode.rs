//! Escapers for the places a value can land: KQL string literals, URL path
//! segments and OData string literals.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("control character U+{0:04X} cannot appear in a KQL string")]
    ControlCharacter(u32),
}

/// The content of a single-quoted KQL string literal (without the quotes),
/// escaped as the Kusto language itself escapes: `'` and `\` by backslash,
/// the named control escapes, and any other control character refused.
pub fn kql_single_quoted(value: &str) -> Result<String, EncodeError> {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            c if c.is_control() => return Err(EncodeError::ControlCharacter(c as u32)),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes every byte except RFC 3986 unreserved characters, so the
/// value stays one path segment (or one query value) whatever it holds.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The content of an OData string literal in a URL: quotes doubled, then
/// percent-encoded.
pub fn odata_string(value: &str) -> String {
    percent_encode(&value.replace('\'', "''"))
}

/// Appends one character of author-written URL text, encoding only what
/// cannot appear literally in a URL.
pub fn push_url_literal(out: &mut String, c: char) {
    let keep = c.is_ascii_graphic()
        && !matches!(
            c,
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '#'
        );
    if keep {
        out.push(c);
    } else {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}
