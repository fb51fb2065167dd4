//! Every lookup and action of the shipped tree renders through Cairn's
//! substitution with realistic values: no placeholder sits where a value
//! would be refused (outside quotes in KQL, bare in an OData query), every
//! window converts to an API timespan, and the values land escaped.

use std::collections::BTreeMap;

use cairn::lookup::substitute::{render_lookup, window_timespan};
use cairn::tree::Provider;
use cairn::tree::template::{Target, render};

use super::common::tree;

fn sample_values() -> BTreeMap<String, String> {
    [
        ("upn", "alex.wilber@contoso.com"),
        ("user_object_id", "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"),
        ("attacker_ip", "203.0.113.77"),
        (
            "attacker_user_agent",
            "Mozilla/5.0 (X11; Linux x86_64) it's \"odd\"",
        ),
        ("user_device_id", "6f1c2b8e-0d1a-4a7e-9c44-2f0d5a1b9e10"),
        (
            "registered_device_id",
            "7a2d3c9f-1e2b-4b8f-8d55-3a1e6b2c0f21",
        ),
        (
            "registered_device_object_id",
            "0b6f3e1a-55c2-4c1e-8d7a-91e2c3d4b5a6",
        ),
        ("mde_device_id", "5d2e1c0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"),
        ("auth_method_id", "28c10230-6103-485e-b985-444c60001490"),
        ("inbox_rule_id", "AQAAAJ5dZqA="),
        ("phish_sender", "it-help@contoso-login.example"),
        ("incident_start", "2026-11-25T08:00:00Z"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[test]
fn sample_values_cover_every_declared_variable() {
    let values = sample_values();
    for v in &tree().variables {
        assert!(
            values.contains_key(&v.name.value),
            "no sample for {}",
            v.name.value
        );
    }
}

#[test]
fn every_lookup_renders_with_escaped_values_and_a_valid_window() {
    let tree = tree();
    let values = sample_values();
    for (node, lookup) in tree.lookups() {
        let at = format!("lookup '{}' of node '{}'", lookup.id.value, node.id.value);
        let rendered =
            render_lookup(lookup, &tree.variables, &values).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert!(
            !rendered.text.contains("{{"),
            "{at}: placeholder left in {}",
            rendered.text
        );
        if lookup.provider != Provider::Graph {
            // The quote in the user agent is escaped, never closes the literal.
            if rendered.variables.contains_key("attacker_user_agent") {
                assert!(rendered.text.contains(r"it\'s"), "{at}: {}", rendered.text);
            }
            let timespan = window_timespan(lookup, None).unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(
                timespan.is_some_and(|t| t.starts_with('P')),
                "{at}: no ISO 8601 timespan"
            );
        } else {
            assert!(
                !rendered.text.contains(' '),
                "{at}: unencoded space in {}",
                rendered.text
            );
        }
    }
}

#[test]
fn every_action_path_renders_as_a_graph_path() {
    let tree = tree();
    let values = sample_values();
    let types = |name: &str| tree.variable(name).map(|v| v.var_type);
    for (node, action) in tree.actions() {
        let at = format!("action '{}' of node '{}'", action.id.value, node.id.value);
        let rendered = render(
            &action.id.value,
            &action.path.value,
            Target::GraphPath,
            types,
            &values,
        )
        .unwrap_or_else(|e| panic!("{at}: {e}"));
        assert!(rendered.text.starts_with('/'), "{at}: {}", rendered.text);
        assert!(!rendered.text.contains("{{"), "{at}: {}", rendered.text);
        if let Some(body) = &action.body {
            serde_json::from_str::<serde_json::Value>(body)
                .unwrap_or_else(|e| panic!("{at}: body {e}"));
        }
    }
}
