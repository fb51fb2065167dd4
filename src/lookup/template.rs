//! Scanning lookup templates: literal text and `{{name}}` placeholders, each
//! placeholder tagged with the syntactic context it sits in.

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
    /// Inside an OData string literal (`'...'`) in the path or query string.
    ODataString,
    /// A Graph query string, outside quotes.
    QueryBare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Placeholder { name: String, context: Context },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("'{{{{' at byte {offset} is never closed with '}}}}'")]
    Unclosed { offset: usize },
    #[error("'{{{{{name}}}}}' at byte {offset} is not a variable name")]
    BadName { name: String, offset: usize },
}

/// Splits a template into literals and placeholders; `context_at` is called
/// with each literal chunk in order and returns the context after it.
fn split(template: &str) -> Result<Vec<(String, Option<String>)>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(TemplateError::Unclosed {
            offset: offset + open,
        })?;
        let name = after[..close].trim();
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(TemplateError::BadName {
                name: after[..close].to_string(),
                offset: offset + open,
            });
        }
        out.push((rest[..open].to_string(), Some(name.to_string())));
        let consumed = open + 2 + close + 2;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out.push((rest.to_string(), None));
    Ok(out)
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

/// Scans KQL, tracking string literals and comments.
pub fn scan_kql(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut state = Kql::Code;
    let mut pieces = Vec::new();
    for (literal, placeholder) in split(template)? {
        state = advance_kql(state, &literal);
        pieces.push(Piece::Literal(literal));
        if let Some(name) = placeholder {
            let context = if state == Kql::Single {
                Context::KqlSingleQuoted
            } else {
                Context::KqlOther
            };
            pieces.push(Piece::Placeholder { name, context });
            // The escaped value is string content: the state is unchanged.
        }
    }
    Ok(pieces)
}

fn advance_kql(mut state: Kql, text: &str) -> Kql {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
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
                '`' if next == Some('`') && chars.get(i + 2) == Some(&'`') => {
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
            Kql::VerbatimSingle => {
                if c == '\'' {
                    Kql::Code
                } else {
                    Kql::VerbatimSingle
                }
            }
            Kql::VerbatimDouble => {
                if c == '"' {
                    Kql::Code
                } else {
                    Kql::VerbatimDouble
                }
            }
            Kql::LineComment => {
                if c == '\n' {
                    Kql::Code
                } else {
                    Kql::LineComment
                }
            }
            Kql::Fenced => {
                if c == '`' && next == Some('`') && chars.get(i + 2) == Some(&'`') {
                    i += 2;
                    Kql::Code
                } else {
                    Kql::Fenced
                }
            }
        };
        i += 1;
    }
    state
}

/// Scans a Graph path with optional query string. Literal text is made
/// URL-safe (spaces become `%20`) so the result is exactly what is sent.
pub fn scan_graph(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut in_query = false;
    let mut in_quote = false;
    let mut pieces = Vec::new();
    for (literal, placeholder) in split(template)? {
        let mut out = String::with_capacity(literal.len());
        for c in literal.chars() {
            if c == '?' && !in_query {
                in_query = true;
                in_quote = false;
                out.push(c);
                continue;
            }
            if c == '\'' {
                in_quote = !in_quote;
            }
            if in_query && c == '&' {
                in_quote = false;
            }
            super::encode::push_url_literal(&mut out, c);
        }
        pieces.push(Piece::Literal(out));
        if let Some(name) = placeholder {
            let context = match (in_query, in_quote) {
                (_, true) => Context::ODataString,
                (false, false) => Context::PathSegment,
                (true, false) => Context::QueryBare,
            };
            pieces.push(Piece::Placeholder { name, context });
        }
    }
    Ok(pieces)
}
