//! A tree lookup rendered for its provider through the template engine
//! (`tree::template`), and the time window it sends.

use std::collections::BTreeMap;

use crate::tree::model::{Lookup, Variable};
use crate::tree::template::{self, RenderError, Rendered, Target};
use crate::tree::value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubstituteError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("lookup '{lookup}': '{value}' is not a time window (expected 30m, 12h, 7d)")]
    Window { lookup: String, value: String },
}

/// Renders a tree lookup with the incident's variable values.
pub fn render_lookup(
    lookup: &Lookup,
    declared: &[Variable],
    values: &BTreeMap<String, String>,
) -> Result<Rendered, SubstituteError> {
    Ok(template::render(
        &format!("lookup '{}'", lookup.id.value),
        &lookup.query.value,
        Target::for_provider(lookup.provider),
        |name| variable_type(declared, name),
        values,
    )?)
}

/// What the lookup would send with the values set so far, escaped; unset
/// or refused values stay `{{name}}`. The node screen shows and copies this.
pub fn preview_lookup(
    lookup: &Lookup,
    declared: &[Variable],
    values: &BTreeMap<String, String>,
) -> String {
    template::preview(
        &lookup.query.value,
        Target::for_provider(lookup.provider),
        |name| variable_type(declared, name),
        values,
    )
}

fn variable_type(declared: &[Variable], name: &str) -> Option<crate::tree::model::VarType> {
    declared
        .iter()
        .find(|v| v.name.value == name)
        .map(|v| v.var_type)
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
