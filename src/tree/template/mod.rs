//! The one placeholder engine. Every `{{name}}` in a lookup query, an action
//! path or an action body is found, checked and substituted here, so the
//! tree check, the screen's preview, the copy, the confirmation and the
//! request sent cannot disagree.
//!
//! Every value is first validated by its declared type (`tree::value`),
//! then escaped for the exact place it lands. A placeholder where no
//! escaping makes a value safe (bare KQL, a bare OData query value of a
//! free-text type, JSON outside a string) is refused: the tree author, not
//! the value, decides the request's shape. It lives in `tree` because the
//! tree check needs it and `lookup` already depends on `tree`.

mod entry;
mod escape;
mod scan;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

pub use entry::{EntryError, accept, path_uses};
pub use escape::{
    EncodeError, check_path_segment, json_string, kql_single_quoted, odata_string, percent_encode,
};
pub use scan::{Context, Piece, Placeholder, ScanError, placeholders, scan};

use super::model::{Provider, VarType};
use super::value::{self, ValueError};

/// The language a template is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// KQL for Log Analytics or Defender hunting.
    Kql,
    /// A Graph path below the API version, with an optional query string.
    GraphPath,
    /// The JSON body of an action.
    JsonBody,
}

impl Target {
    pub fn for_provider(provider: Provider) -> Self {
        match provider {
            Provider::LogAnalytics | Provider::Hunting => Target::Kql,
            Provider::Graph => Target::GraphPath,
        }
    }
}

/// Why a placeholder's position takes no value of its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    KqlUnquoted,
    QueryBare,
    JsonUnquoted,
}

impl Refusal {
    /// How the author fixes it, for `placeholder`.
    pub fn hint(self, placeholder: &str) -> String {
        match self {
            Refusal::KqlUnquoted | Refusal::QueryBare => {
                format!("write '{placeholder}' in single quotes")
            }
            Refusal::JsonUnquoted => format!("write \"{placeholder}\" in double quotes"),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::KqlUnquoted => "is not inside a single-quoted KQL string",
            Refusal::QueryBare => "stands bare in the Graph query string",
            Refusal::JsonUnquoted => "is not inside a JSON string",
        })
    }
}

/// Whether `context` refuses a value of `var_type`.
pub fn refusal(context: Context, var_type: VarType) -> Option<Refusal> {
    match context {
        Context::KqlOther => Some(Refusal::KqlUnquoted),
        Context::JsonOther => Some(Refusal::JsonUnquoted),
        // Bare values in a query string are only safe for types whose
        // canonical form is a single token (`createdDateTime ge 2026-...Z`).
        Context::QueryBare if !matches!(var_type, VarType::Datetime | VarType::Guid) => {
            Some(Refusal::QueryBare)
        }
        _ => None,
    }
}

/// A template ready to send, with the canonical values that went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Canonical value of every variable used, for the evidence record.
    pub variables: BTreeMap<String, String>,
}

/// Why a template cannot be rendered; `owner` names what it belongs to
/// (`lookup 'recent-signins'`, `path of action 'revoke-sessions'`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("{owner} needs values for: {}", names.join(", "))]
    Missing { owner: String, names: Vec<String> },
    #[error("{owner} uses {{{{{name}}}}}, which the tree does not declare")]
    Undeclared { owner: String, name: String },
    #[error("{owner}: value of '{name}' is not valid: {source}")]
    Invalid {
        owner: String,
        name: String,
        source: ValueError,
    },
    #[error(
        "{owner}: placeholder {{{{{name}}}}} {refusal}; Cairn refuses to splice a value into the request itself"
    )]
    Unquoted {
        owner: String,
        name: String,
        refusal: Refusal,
    },
    #[error("{owner}: value of '{name}' cannot be used: {source}")]
    Unencodable {
        owner: String,
        name: String,
        source: EncodeError,
    },
    #[error("{owner}: {source}")]
    Template { owner: String, source: ScanError },
}

/// Renders `template` for `target`; `types` gives each declared variable's
/// type, `values` the incident's raw values.
pub fn render(
    owner: &str,
    template: &str,
    target: Target,
    types: impl Fn(&str) -> Option<VarType>,
    values: &BTreeMap<String, String>,
) -> Result<Rendered, RenderError> {
    let owner = || owner.to_string();
    let pieces = scan(template, target).map_err(|source| RenderError::Template {
        owner: owner(),
        source,
    })?;
    let mut missing: Vec<String> = Vec::new();
    for piece in &pieces {
        if let Piece::Placeholder { name, .. } = piece {
            if types(name).is_none() {
                return Err(RenderError::Undeclared {
                    owner: owner(),
                    name: name.clone(),
                });
            }
            if raw_value(values, name).is_none() && !missing.contains(name) {
                missing.push(name.clone());
            }
        }
    }
    if !missing.is_empty() {
        return Err(RenderError::Missing {
            owner: owner(),
            names: missing,
        });
    }
    let mut text = String::with_capacity(template.len());
    let mut used = BTreeMap::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => text.push_str(&s),
            Piece::Placeholder { name, context, .. } => {
                let var_type = types(&name).expect("checked above");
                let raw = raw_value(values, &name).expect("checked above");
                let canonical =
                    value::normalize(var_type, raw).map_err(|source| RenderError::Invalid {
                        owner: owner(),
                        name: name.clone(),
                        source,
                    })?;
                let escaped = substitute(context, var_type, &canonical).map_err(|e| match e {
                    Failure::Refused(refusal) => RenderError::Unquoted {
                        owner: owner(),
                        name: name.clone(),
                        refusal,
                    },
                    Failure::Encode(source) => RenderError::Unencodable {
                        owner: owner(),
                        name: name.clone(),
                        source,
                    },
                })?;
                text.push_str(&escaped);
                used.insert(name, canonical);
            }
        }
    }
    Ok(Rendered {
        text,
        variables: used,
    })
}

/// The template as it would be sent, for display and copying: every value
/// that can be used is validated and escaped exactly as `render` does; a
/// placeholder whose value is unset, invalid or refused stays visible as
/// `{{name}}`, so the preview never holds an unescaped value.
pub fn preview(
    template: &str,
    target: Target,
    types: impl Fn(&str) -> Option<VarType>,
    values: &BTreeMap<String, String>,
) -> String {
    let Ok(pieces) = scan(template, target) else {
        // Malformed: shown as written (the tree check reports it).
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len());
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(&s),
            Piece::Placeholder { name, context, .. } => {
                let escaped =
                    types(&name)
                        .zip(raw_value(values, &name))
                        .and_then(|(var_type, raw)| {
                            let canonical = value::normalize(var_type, raw).ok()?;
                            substitute(context, var_type, &canonical).ok()
                        });
                match escaped {
                    Some(e) => out.push_str(&e),
                    None => {
                        out.push_str("{{");
                        out.push_str(&name);
                        out.push_str("}}");
                    }
                }
            }
        }
    }
    out
}

fn raw_value<'v>(values: &'v BTreeMap<String, String>, name: &str) -> Option<&'v str> {
    values
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

enum Failure {
    Refused(Refusal),
    Encode(EncodeError),
}

/// A canonical value escaped for `context`.
fn substitute(context: Context, var_type: VarType, canonical: &str) -> Result<String, Failure> {
    if let Some(r) = refusal(context, var_type) {
        return Err(Failure::Refused(r));
    }
    if context.in_url_path() {
        check_path_segment(canonical).map_err(Failure::Encode)?;
    }
    match context {
        Context::KqlSingleQuoted => kql_single_quoted(canonical).map_err(Failure::Encode),
        Context::PathSegment | Context::QueryBare => Ok(percent_encode(canonical)),
        Context::PathODataString | Context::ODataString => Ok(odata_string(canonical)),
        Context::JsonString => Ok(json_string(canonical)),
        Context::KqlOther => Err(Failure::Refused(Refusal::KqlUnquoted)),
        Context::JsonOther => Err(Failure::Refused(Refusal::JsonUnquoted)),
    }
}
