//! Substitution of incident variables into lookup queries and Graph paths.
//!
//! Every value is first validated by its declared type (`tree::value`), then
//! escaped for the exact place it lands. The template itself is scanned so a
//! placeholder outside a string literal is refused instead of spliced as raw
//! KQL or OData: the tree author, not the value, decides the query's shape.

use std::collections::BTreeMap;

use crate::tree::model::{Lookup, Provider, VarType, Variable};
use crate::tree::value::{self, ValueError};

use super::encode::{self, EncodeError};
use super::template::{self, Piece, TemplateError};

/// Where the rendered text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// KQL for Log Analytics or Defender hunting.
    Kql,
    /// A Graph path below the API version, with an optional query string.
    GraphPath,
}

impl Target {
    pub fn for_provider(provider: Provider) -> Self {
        match provider {
            Provider::LogAnalytics | Provider::Hunting => Target::Kql,
            Provider::Graph => Target::GraphPath,
        }
    }
}

/// A query ready to send, with the canonical values that went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Canonical value of every variable used, for the evidence record.
    pub variables: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubstituteError {
    #[error("lookup '{lookup}' needs values for: {}", names.join(", "))]
    Missing { lookup: String, names: Vec<String> },
    #[error("lookup '{lookup}' uses {{{{{name}}}}}, which the tree does not declare")]
    Undeclared { lookup: String, name: String },
    #[error("lookup '{lookup}': value of '{name}' is not valid: {source}")]
    Invalid {
        lookup: String,
        name: String,
        source: ValueError,
    },
    #[error(
        "lookup '{lookup}': placeholder {{{{{name}}}}} is not inside a single-quoted string \
         ('...'); Cairn refuses to splice a value into the query itself"
    )]
    Unquoted { lookup: String, name: String },
    #[error("lookup '{lookup}': value of '{name}' cannot be escaped: {source}")]
    Unencodable {
        lookup: String,
        name: String,
        source: EncodeError,
    },
    #[error("lookup '{lookup}': {source}")]
    Template {
        lookup: String,
        source: TemplateError,
    },
    #[error("lookup '{lookup}': '{value}' is not a time window (expected 30m, 12h, 7d)")]
    Window { lookup: String, value: String },
}

/// Renders a tree lookup with the incident's variable values.
pub fn render_lookup(
    lookup: &Lookup,
    declared: &[Variable],
    values: &BTreeMap<String, String>,
) -> Result<Rendered, SubstituteError> {
    let types = |name: &str| {
        declared
            .iter()
            .find(|v| v.name.value == name)
            .map(|v| v.var_type)
    };
    render(
        &lookup.id.value,
        &lookup.query.value,
        Target::for_provider(lookup.provider),
        types,
        values,
    )
}

/// Renders `template` for `target`. `types` gives each declared variable's type.
pub fn render(
    lookup_id: &str,
    template: &str,
    target: Target,
    types: impl Fn(&str) -> Option<VarType>,
    values: &BTreeMap<String, String>,
) -> Result<Rendered, SubstituteError> {
    let pieces = match target {
        Target::Kql => template::scan_kql(template),
        Target::GraphPath => template::scan_graph(template),
    }
    .map_err(|source| SubstituteError::Template {
        lookup: lookup_id.to_string(),
        source,
    })?;

    let mut missing = Vec::new();
    for piece in &pieces {
        if let Piece::Placeholder { name, .. } = piece {
            if types(name).is_none() {
                return Err(SubstituteError::Undeclared {
                    lookup: lookup_id.to_string(),
                    name: name.clone(),
                });
            }
            let set = values.get(name).is_some_and(|v| !v.trim().is_empty());
            if !set && !missing.contains(name) {
                missing.push(name.clone());
            }
        }
    }
    if !missing.is_empty() {
        return Err(SubstituteError::Missing {
            lookup: lookup_id.to_string(),
            names: missing,
        });
    }

    let mut text = String::with_capacity(template.len());
    let mut used = BTreeMap::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => text.push_str(&s),
            Piece::Placeholder { name, context } => {
                let var_type = types(&name).expect("checked above");
                let canonical = value::normalize(var_type, &values[&name]).map_err(|source| {
                    SubstituteError::Invalid {
                        lookup: lookup_id.to_string(),
                        name: name.clone(),
                        source,
                    }
                })?;
                let escaped = escape_for(context, var_type, &canonical).map_err(|e| match e {
                    Refusal::Unquoted => SubstituteError::Unquoted {
                        lookup: lookup_id.to_string(),
                        name: name.clone(),
                    },
                    Refusal::Encode(source) => SubstituteError::Unencodable {
                        lookup: lookup_id.to_string(),
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

enum Refusal {
    Unquoted,
    Encode(EncodeError),
}

fn escape_for(
    context: template::Context,
    var_type: VarType,
    canonical: &str,
) -> Result<String, Refusal> {
    use template::Context;
    match context {
        Context::KqlSingleQuoted => encode::kql_single_quoted(canonical).map_err(Refusal::Encode),
        Context::KqlOther => Err(Refusal::Unquoted),
        Context::PathSegment => Ok(encode::percent_encode(canonical)),
        Context::ODataString => Ok(encode::odata_string(canonical)),
        // Bare values in a query string are only safe for types whose
        // canonical form is a single token (`createdDateTime ge 2026-...Z`).
        Context::QueryBare => match var_type {
            VarType::Datetime | VarType::Guid => Ok(encode::percent_encode(canonical)),
            _ => Err(Refusal::Unquoted),
        },
    }
}

/// The ISO 8601 `timespan` a run sends: the per-run override if given,
/// else the lookup's `window`, else none (the API's own default).
pub fn window_timespan(
    lookup: &Lookup,
    override_window: Option<&str>,
) -> Result<Option<String>, SubstituteError> {
    let chosen = override_window
        .map(str::trim)
        .or(lookup.window.as_ref().map(|w| w.value.as_str()));
    match chosen {
        None => Ok(None),
        Some(w) => value::timespan_to_iso8601(w)
            .map(Some)
            .ok_or_else(|| SubstituteError::Window {
                lookup: lookup.id.value.clone(),
                value: w.to_string(),
            }),
    }
}
