//! Escapers for the places a value can land: KQL string literals, URL path
//! segments, URL query values, OData string literals and JSON strings; and
//! the rule that keeps a value inside its one URL path segment.

use crate::text::lang::Lang;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("control character U+{0:04X} cannot appear in a KQL string")]
    ControlCharacter(u32),
    #[error("{}", unsafe_segment(Lang::EN, .0))]
    UnsafeSegment(String),
    /// A base64 id holding `/` (inbox rules, authentication methods):
    /// refused because Graph does not document accepting `%2F` in a path
    /// segment (see `check_path_segment`).
    #[error("{}", slash_in_id(Lang::EN, .0))]
    SlashInId(String),
}

impl EncodeError {
    /// This refusal in `lang` (the catalogues' `value` table words the path rule).
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            EncodeError::UnsafeSegment(v) => unsafe_segment(lang, v),
            EncodeError::SlashInId(v) => slash_in_id(lang, v),
            other => other.to_string(),
        }
    }
}

fn unsafe_segment(lang: Lang, value: &str) -> String {
    lang.fill("value", "unsafe-segment", &[("value", value)])
}

fn slash_in_id(lang: Lang, value: &str) -> String {
    lang.fill("value", "slash-in-id", &[("value", value)])
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

/// The content of a JSON string (without the quotes).
pub fn json_string(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
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

/// One round of percent-decoding; bytes that do not decode stay as they are.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Refuses a value that could leave its URL path segment. Encoding alone is
/// not enough: servers and proxies decode `%2F` or `%2E%2E` and normalise
/// `..`, so the value is decoded until it stops changing and refused when
/// any layer holds a separator, a control character, an encoded dot, or is
/// nothing but dots.
///
/// A base64 id whose only fault is `/` is refused too, with its own
/// reason: the reference (`lookup-apis.md`) documents percent-encoded path
/// segments but not that Graph accepts an encoded `/` (`%2F`) inside one,
/// and a server or proxy that decodes it would reach another object, so
/// sending it would be a guess.
pub fn check_path_segment(value: &str) -> Result<(), EncodeError> {
    let base64 = |v: &str| {
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'))
    };
    let refuse = || {
        Err(
            if value.contains('/')
                && base64(value)
                && check_path_segment(&value.replace('/', "A")).is_ok()
            {
                EncodeError::SlashInId(value.to_string())
            } else {
                EncodeError::UnsafeSegment(value.to_string())
            },
        )
    };
    let mut layer = value.as_bytes().to_vec();
    loop {
        let text = String::from_utf8_lossy(&layer);
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.chars().all(|c| c == '.') {
            return refuse();
        }
        if text
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '?' | '#') || c.is_control())
        {
            return refuse();
        }
        if text.to_ascii_lowercase().contains("%2e") {
            return refuse();
        }
        let next = percent_decode(&layer);
        if next == layer {
            return Ok(());
        }
        layer = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_that_could_retarget_are_refused() {
        for hostile in [
            "",
            " ",
            ".",
            "..",
            "...",
            "a/b",
            "a\\b",
            "a?b",
            "a#b",
            "%2f",
            "%2F",
            "%5c",
            "%2e%2e",
            "%2E.",
            "%252f",
            "%25252e%25252e",
            "a\u{0}",
            "a\u{7f}",
            "x\u{85}",
            "%0a",
        ] {
            assert!(check_path_segment(hostile).is_err(), "{hostile:?} accepted");
        }
        for fine in [
            "alex@contoso.com",
            "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
            "AQAAAJ5dZqA=",
            "a.b",
            "o'brien@contoso.com",
            "100%",
        ] {
            assert_eq!(check_path_segment(fine), Ok(()), "{fine:?} refused");
        }
    }

    #[test]
    fn a_base64_id_with_a_slash_is_refused_saying_why() {
        let id = "AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAD/x8u+Qz==";
        let err = check_path_segment(id).unwrap_err();
        assert_eq!(err, EncodeError::SlashInId(id.to_string()));
        let why = err.to_string();
        assert!(
            why.contains("%2F") && why.contains("another object"),
            "{why}"
        );
        let ja = err.describe(Lang::of("ja"));
        assert!(ja.contains("%2F") && ja != why, "{ja}");
        // Traversal and encoded separators keep the general refusal.
        for other in ["../x", "a%2Fb", "a/b?c", ".."] {
            assert!(
                matches!(
                    check_path_segment(other),
                    Err(EncodeError::UnsafeSegment(_))
                ),
                "{other}"
            );
        }
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string("a\"b\\c\n"), r#"a\"b\\c\n"#);
        assert_eq!(json_string("' or 1==1 //"), "' or 1==1 //");
    }
}
