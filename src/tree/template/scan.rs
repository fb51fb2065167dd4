//! Finding placeholders and the syntactic context each one sits in.

use super::Target;
use super::escape::push_url_literal;
use crate::tree::Span;

/// A `{{name}}` in a query, path or body: the byte range of the whole
/// placeholder in the text and the trimmed name, or an unterminated `{{`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder<'a> {
    Named { range: Span, name: &'a str },
    Unterminated { range: Span },
}

/// Every placeholder of `text`, in order.
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = find_doubled(text, from, b'{') {
        match find_doubled(text, open + 2, b'}') {
            Some(close) => {
                let end = close + 2;
                out.push(Placeholder::Named {
                    range: open..end,
                    name: text[open + 2..end - 2].trim(),
                });
                from = end;
            }
            None => {
                out.push(Placeholder::Unterminated {
                    range: open..open + 2,
                });
                break;
            }
        }
    }
    out
}

/// The first `cc` (`{{` or `}}`) at or after `from`. A byte scan: a
/// substring search costs more to set up than these short texts take.
fn find_doubled(text: &str, from: usize, c: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(k) = bytes.get(i..)?.iter().position(|&b| b == c) {
        if bytes.get(i + k + 1) == Some(&c) {
            return Some(i + k);
        }
        i += k + 1;
    }
    None
}

/// The syntactic position of a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Inside a regular single-quoted KQL string literal (`'...'`, `h'...'`).
    KqlSingleQuoted,
    /// Anywhere else in KQL: operators, identifiers, comments, double-quoted
    /// or verbatim strings. Never substituted.
    KqlOther,
    /// A Graph URL path, outside quotes.
    PathSegment,
    /// Inside an OData string literal (`'...'`) in the URL path.
    PathODataString,
    /// Inside an OData string literal (`'...'`) in the query string.
    ODataString,
    /// A Graph query string, outside quotes.
    QueryBare,
    /// Inside a JSON string of an action body.
    JsonString,
    /// Anywhere else in JSON. Never substituted.
    JsonOther,
}

impl Context {
    /// True where a value lands in the URL path, so it must stay one segment.
    pub fn in_url_path(self) -> bool {
        matches!(self, Context::PathSegment | Context::PathODataString)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Template text, exactly as it is sent.
    Literal(String),
    Placeholder {
        name: String,
        context: Context,
        /// Byte range of `{{ name }}` in the template.
        range: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("'{{{{' at byte {offset} is never closed with '}}}}'")]
    Unclosed { offset: usize },
    #[error("'{{{{{name}}}}}' at byte {offset} is not a variable name")]
    BadName { name: String, offset: usize },
}

fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits `template` into literals and placeholders tagged with their
/// context for `target`.
pub fn scan(template: &str, target: Target) -> Result<Vec<Piece>, ScanError> {
    let mut syntax = Syntax::new(target);
    let mut pieces = Vec::new();
    let mut from = 0;
    for placeholder in placeholders(template) {
        let (range, name) = match placeholder {
            Placeholder::Unterminated { range } => {
                return Err(ScanError::Unclosed {
                    offset: range.start,
                });
            }
            Placeholder::Named { range, name } => (range, name),
        };
        if !is_name(name) {
            return Err(ScanError::BadName {
                name: template[range.start + 2..range.end - 2].to_string(),
                offset: range.start,
            });
        }
        pieces.push(Piece::Literal(syntax.advance(&template[from..range.start])));
        pieces.push(Piece::Placeholder {
            name: name.to_string(),
            context: syntax.context(),
            range: range.clone(),
        });
        // The escaped value is content of its context: the state is unchanged.
        from = range.end;
    }
    pieces.push(Piece::Literal(syntax.advance(&template[from..])));
    Ok(pieces)
}

/// The scanner state of each target's language.
enum Syntax {
    Kql(Kql),
    Graph { in_query: bool, in_quote: bool },
    Json { in_string: bool, escaped: bool },
}

impl Syntax {
    fn new(target: Target) -> Self {
        match target {
            Target::Kql => Syntax::Kql(Kql::Code),
            Target::GraphPath => Syntax::Graph {
                in_query: false,
                in_quote: false,
            },
            Target::JsonBody => Syntax::Json {
                in_string: false,
                escaped: false,
            },
        }
    }

    /// Consumes literal text; returns it as it is sent (Graph literals are
    /// made URL-safe, so spaces become `%20`).
    fn advance(&mut self, text: &str) -> String {
        match self {
            Syntax::Kql(state) => {
                *state = advance_kql(*state, text);
                text.to_string()
            }
            Syntax::Graph { in_query, in_quote } => {
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    if c == '?' && !*in_query {
                        *in_query = true;
                        *in_quote = false;
                        out.push(c);
                        continue;
                    }
                    if c == '\'' {
                        *in_quote = !*in_quote;
                    }
                    if *in_query && c == '&' {
                        *in_quote = false;
                    }
                    // The URL parser encodes a query's quote; encoding it here
                    // keeps what is shown and recorded equal to what is sent.
                    if *in_query && c == '\'' {
                        out.push_str("%27");
                    } else {
                        push_url_literal(&mut out, c);
                    }
                }
                out
            }
            Syntax::Json { in_string, escaped } => {
                for c in text.chars() {
                    if *escaped {
                        *escaped = false;
                    } else if *in_string && c == '\\' {
                        *escaped = true;
                    } else if c == '"' {
                        *in_string = !*in_string;
                    }
                }
                text.to_string()
            }
        }
    }

    fn context(&self) -> Context {
        match self {
            Syntax::Kql(Kql::Single) => Context::KqlSingleQuoted,
            Syntax::Kql(_) => Context::KqlOther,
            Syntax::Graph { in_query, in_quote } => match (in_query, in_quote) {
                (false, true) => Context::PathODataString,
                (true, true) => Context::ODataString,
                (false, false) => Context::PathSegment,
                (true, false) => Context::QueryBare,
            },
            // A placeholder right after a backslash would merge with it.
            Syntax::Json {
                in_string: true,
                escaped: false,
            } => Context::JsonString,
            Syntax::Json { .. } => Context::JsonOther,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kql {
    Code,
    Single,
    SingleEscape,
    Double,
    DoubleEscape,
    VerbatimSingle,
    VerbatimDouble,
    LineComment,
    Fenced,
}

fn advance_kql(mut state: Kql, text: &str) -> Kql {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let fence = |at: usize| next == Some('`') && chars.get(at + 2) == Some(&'`');
        state = match state {
            Kql::Code => match c {
                '\'' => Kql::Single,
                '"' => Kql::Double,
                '@' if next == Some('\'') => {
                    i += 1;
                    Kql::VerbatimSingle
                }
                '@' if next == Some('"') => {
                    i += 1;
                    Kql::VerbatimDouble
                }
                '/' if next == Some('/') => {
                    i += 1;
                    Kql::LineComment
                }
                '`' if fence(i) => {
                    i += 2;
                    Kql::Fenced
                }
                _ => Kql::Code,
            },
            Kql::Single => match c {
                '\\' => Kql::SingleEscape,
                '\'' => Kql::Code,
                _ => Kql::Single,
            },
            Kql::SingleEscape => Kql::Single,
            Kql::Double => match c {
                '\\' => Kql::DoubleEscape,
                '"' => Kql::Code,
                _ => Kql::Double,
            },
            Kql::DoubleEscape => Kql::Double,
            // A doubled quote inside a verbatim literal closes and reopens it,
            // which this one-character step models exactly.
            Kql::VerbatimSingle if c == '\'' => Kql::Code,
            Kql::VerbatimDouble if c == '"' => Kql::Code,
            Kql::LineComment if c == '\n' => Kql::Code,
            Kql::Fenced if c == '`' && fence(i) => {
                i += 2;
                Kql::Code
            }
            other => other,
        };
        i += 1;
    }
    state
}
