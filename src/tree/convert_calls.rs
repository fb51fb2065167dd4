//! Conversion of what a node calls out to: lookups (with their binds) and
//! actions. Part of [`super::convert`].

use toml::de::DeTable;

use super::fields::{Obj, Reader};
use super::model::*;
use super::requires::{Caller, read_requires};

const LOOKUP_KEYS: &[&str] = &[
    "id", "title", "provider", "query", "window", "look_for", "bind", "requires",
];
const BIND_KEYS: &[&str] = &["column", "variable"];
const ACTION_KEYS: &[&str] = &[
    "id",
    "title",
    "method",
    "path",
    "body",
    "description",
    "destructive",
    "confirm",
    "requires",
    "approval",
];
const PROVIDER_NAMES: &[&str] = &["loganalytics", "hunting", "graph"];

pub(super) fn read_lookup(
    r: &mut Reader,
    node: &Obj,
    i: usize,
    table: &DeTable,
    span: Span,
) -> Lookup {
    let obj = Obj::item(table, span, "lookup", i, Some("id"), Some(&node.what));
    let id = r.req_str(&obj, "id");
    r.known_keys(&obj, LOOKUP_KEYS);
    let provider = r
        .req_enum(
            &obj,
            "provider",
            "provider",
            PROVIDER_NAMES,
            Provider::parse,
        )
        .unwrap_or(Provider::LogAnalytics); // already reported; no graph-path checks
    let bind = r
        .tables(&obj, "bind")
        .into_iter()
        .enumerate()
        .map(|(b, (table, span))| {
            let item = Obj::item(table, span, "bind", b, None, Some(&obj.what));
            r.known_keys(&item, BIND_KEYS);
            Binding {
                column: r.req_str(&item, "column").value,
                variable: r.req_str(&item, "variable"),
            }
        })
        .collect();
    Lookup {
        id,
        title: r.localized(&obj, "title", true),
        provider,
        query: r.req_str(&obj, "query"),
        window: r.opt_str(&obj, "window"),
        look_for: r.localized(&obj, "look_for", true),
        bind,
        requires: read_requires(r, &obj, Caller::Lookup(provider)),
    }
}

pub(super) fn read_action(
    r: &mut Reader,
    node: &Obj,
    i: usize,
    table: &DeTable,
    span: Span,
) -> (Action, Option<At<String>>) {
    let obj = Obj::item(table, span, "action", i, Some("id"), Some(&node.what));
    let id = r.req_str(&obj, "id");
    r.known_keys(&obj, ACTION_KEYS);
    let method_value = obj.get("method").and_then(|v| v.get_ref().as_str());
    let method = if method_value.is_some_and(|m| m.eq_ignore_ascii_case("GET")) {
        let span = obj.get("method").map(|v| v.span()).unwrap_or(0..0);
        r.report(
            span,
            format!(
                "{} has method GET: actions are write calls; a Graph read is a lookup with provider = \"graph\"",
                obj.what
            ),
        );
        HttpMethod::Post
    } else {
        r.req_enum(
            &obj,
            "method",
            "method",
            &["POST", "PATCH", "DELETE"],
            HttpMethod::parse,
        )
        .unwrap_or(HttpMethod::Post)
    };
    let body = r.opt_str(&obj, "body");
    let action = Action {
        id,
        title: r.localized(&obj, "title", true),
        method,
        path: r.req_str(&obj, "path"),
        body: body.as_ref().map(|b| b.value.clone()),
        description: r.localized(&obj, "description", true),
        // A mistyped flag (already reported) counts as set, so the
        // unflagged-destructive rule does not pile onto it.
        destructive: obj.has("destructive")
            && (r.opt_bool(&obj, "destructive")
                || !matches!(
                    obj.get("destructive").map(|v| v.get_ref()),
                    Some(toml::de::DeValue::Boolean(_))
                )),
        confirm: r.opt_str(&obj, "confirm"),
        requires: read_requires(r, &obj, Caller::Action),
        approval: r.opt_enum(
            &obj,
            "approval",
            "approval policy",
            super::convert::APPROVAL_NAMES,
            ApprovalPolicy::parse,
        ),
    };
    (action, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_match_the_model() {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(PROVIDER_NAMES, names);
    }

    #[test]
    fn approval_names_match_the_model() {
        let names: Vec<&str> = ApprovalPolicy::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(super::super::convert::APPROVAL_NAMES, names);
    }
}
