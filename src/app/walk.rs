//! What the home screen lists of an incident, the fixed facts of an open
//! one, and placeholders filled for display. The walk's state itself is the
//! store's projection ([`crate::store::IncidentState`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::store::event::Mode;

/// An incident as listed on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub created_at: DateTime<Utc>,
    /// Title of the node the walk is at, when known.
    pub current_node: Option<String>,
    pub closed: bool,
}

/// The fixed facts of an open incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentMeta {
    pub id: String,
    pub title: String,
    pub tree_id: String,
    pub mode: Mode,
    pub language: String,
    pub created_at: DateTime<Utc>,
}

/// `{{ name }}` placeholders replaced by the variables' values for display;
/// unset ones stay visible as `{{name}}` so the responder sees what is missing.
pub fn render_placeholders(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) => {
                let name = after[..close].trim();
                match vars.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push_str("{{");
                        out.push_str(name);
                        out.push_str("}}");
                    }
                }
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_show_values_or_stay_visible() {
        let mut vars = BTreeMap::new();
        vars.insert("upn".to_string(), "a@b.co".to_string());
        assert_eq!(
            render_placeholders("x '{{ upn }}' {{ip}} {{", &vars),
            "x 'a@b.co' {{ip}} {{"
        );
    }
}
