//! Lookups and actions: every seed query and Graph call is there, through the
//! right provider, with the seed's mistakes fixed.

use cairn::tree::catalog;
use cairn::tree::{HttpMethod, Phase, Provider};

use super::common::{SOURCE, mentions, tree};

/// Every table the seed playbook queries or names as a source of attacker
/// actions, and the provider that can run a query on it here.
const SEED_TABLES: &[(&str, Provider)] = &[
    ("SigninLogs", Provider::LogAnalytics),
    ("AADNonInteractiveUserSignInLogs", Provider::LogAnalytics),
    ("AuditLogs", Provider::LogAnalytics),
    ("AADUserRiskEvents", Provider::LogAnalytics),
    ("IdentityInfo", Provider::LogAnalytics),
    ("OfficeActivity", Provider::LogAnalytics),
    ("AzureActivity", Provider::LogAnalytics),
    ("AzureDevOpsAuditing", Provider::LogAnalytics),
    ("CloudAppEvents", Provider::Hunting),
    ("AlertInfo", Provider::Hunting),
    ("AlertEvidence", Provider::Hunting),
];

#[test]
fn shipped_tree_validates_and_is_found_by_id() {
    let tree = tree();
    assert_eq!(tree.id.value, "token-theft");
    assert_eq!(tree.version, "1.0.0");
    assert!(
        tree.sources.iter().any(|s| s.url
            == "https://learn.microsoft.com/en-us/security/operations/token-theft-playbook")
    );
    let (found, source) = catalog::find("token-theft").expect("the catalog finds the shipped tree");
    assert_eq!(found, tree);
    assert_eq!(source.text, SOURCE, "the binary embeds the file in trees/");
}

#[test]
fn every_seed_table_has_a_lookup_through_the_right_provider() {
    let tree = tree();
    for (table, provider) in SEED_TABLES {
        let users: Vec<_> = tree
            .lookups()
            .filter(|(_, l)| l.provider != Provider::Graph && mentions(&l.query, table))
            .collect();
        assert!(!users.is_empty(), "no lookup queries {table}");
        for (node, lookup) in users {
            assert_eq!(
                lookup.provider,
                *provider,
                "lookup '{}' of node '{}' queries {table} through {}",
                lookup.id.value,
                node.id.value,
                lookup.provider.name()
            );
        }
    }
}

#[test]
fn kql_lookups_carry_no_seed_mistake() {
    let tree = tree();
    let mut kql = 0;
    for (node, lookup) in tree
        .lookups()
        .filter(|(_, l)| l.provider != Provider::Graph)
    {
        kql += 1;
        let at = format!("lookup '{}' of node '{}'", lookup.id.value, node.id.value);
        let query = &lookup.query.value;
        assert!(
            !query.contains("Audit logs"),
            "{at}: table name 'Audit logs'"
        );
        assert!(!query.contains("\"x\""), "{at}: seed placeholder \"x\"");
        assert!(!query.contains("bad IP"), "{at}: seed placeholder 'bad IP'");
        assert!(!mentions(query, "ago"), "{at}: ago() instead of a window");
        assert!(!mentions(query, "datetime"), "{at}: hard-coded datetime");
        assert!(lookup.window.is_some(), "{at}: no time window");
        if lookup.provider == Provider::LogAnalytics {
            assert!(
                !mentions(query, "Timestamp"),
                "{at}: Timestamp in a workspace query"
            );
        }
        // Cairn escapes values as the content of a single-quoted literal.
        for (start, _) in query.match_indices("{{") {
            let end = start + query[start..].find("}}").expect("closed placeholder") + 2;
            assert!(
                query[..start].ends_with('\'') && query[end..].starts_with('\''),
                "{at}: placeholder at byte {start} is not inside single quotes"
            );
        }
    }
    assert!(kql >= 30, "only {kql} KQL lookups");
}

#[test]
fn lookups_bind_the_columns_that_name_incident_entities() {
    let tree = tree();
    let binds: Vec<(&str, &str)> = tree
        .lookups()
        .flat_map(|(_, l)| {
            l.bind
                .iter()
                .map(|b| (b.column.as_str(), b.variable.as_str()))
        })
        .collect();
    for pair in [
        ("IPAddress", "attacker_ip"),
        ("UserAgent", "attacker_user_agent"),
        ("DeviceId", "mde_device_id"),
        ("deviceId_", "user_device_id"),
        ("EntraDeviceId", "user_device_id"),
        ("id", "auth_method_id"),
        ("id", "registered_device_object_id"),
        ("deviceId", "registered_device_id"),
        ("UserPrincipalName", "upn"),
        ("id", "user_object_id"),
    ] {
        assert!(
            binds.contains(&pair),
            "no lookup binds {} -> {}",
            pair.0,
            pair.1
        );
    }
}

#[test]
fn graph_lookups_read_methods_devices_and_sign_ins() {
    let tree = tree();
    let paths: Vec<&str> = tree
        .lookups()
        .filter(|(_, l)| l.provider == Provider::Graph)
        .map(|(_, l)| l.query.as_str())
        .collect();
    for expected in [
        "/users/{{upn}}/authentication/methods",
        "/users/{{upn}}/registeredDevices",
        "/auditLogs/signIns?$filter=userPrincipalName eq '{{upn}}'&$top=50",
    ] {
        assert!(paths.contains(&expected), "no Graph lookup {expected}");
    }
}

#[test]
fn every_graph_write_of_the_seed_is_a_destructive_confirmed_action() {
    let tree = tree();
    let required: &[(HttpMethod, &str)] = &[
        (HttpMethod::Post, "/users/{{upn}}/revokeSignInSessions"),
        (
            HttpMethod::Delete,
            "/users/{{upn}}/authentication/emailMethods/{{auth_method_id}}",
        ),
        (
            HttpMethod::Delete,
            "/users/{{upn}}/authentication/microsoftAuthenticatorMethods/{{auth_method_id}}",
        ),
        (
            HttpMethod::Delete,
            "/devices/{{registered_device_object_id}}",
        ),
        (
            HttpMethod::Delete,
            "/devices(deviceId='{{registered_device_id}}')",
        ),
    ];
    for (method, path) in required {
        let matching: Vec<_> = tree
            .actions()
            .filter(|(_, a)| a.method == *method && a.path.value == *path)
            .collect();
        assert!(!matching.is_empty(), "no action {} {path}", method.name());
        for (node, action) in matching {
            assert!(
                action.destructive,
                "{} in '{}' is not destructive",
                action.id.value, node.id.value
            );
            let confirm = action
                .confirm
                .as_ref()
                .expect("a destructive action asks for confirmation");
            assert!(
                path.contains(&format!("{{{{{}}}}}", confirm.value)),
                "{} confirms with '{}', which is not in its path",
                action.id.value,
                confirm.value
            );
        }
    }
}

#[test]
fn sessions_are_revoked_in_containment_and_in_recovery() {
    let tree = tree();
    let phases: Vec<Phase> = tree
        .actions()
        .filter(|(_, a)| a.path.value.ends_with("/revokeSignInSessions"))
        .map(|(n, _)| n.phase)
        .collect();
    assert!(phases.contains(&Phase::Contain), "no revoke in containment");
    assert!(phases.contains(&Phase::Recover), "no revoke in recovery");
}

#[test]
fn every_delete_and_revoke_is_destructive() {
    for (node, action) in tree().actions() {
        if action.method == HttpMethod::Delete
            || action.path.value.to_lowercase().contains("revoke")
        {
            assert!(
                action.destructive,
                "{} in '{}'",
                action.id.value, node.id.value
            );
            assert!(
                action.confirm.is_some(),
                "{} in '{}'",
                action.id.value,
                node.id.value
            );
        }
    }
}

#[test]
fn hunting_windows_fit_the_30_day_limit_of_advanced_hunting() {
    let tree = tree();
    for (node, lookup) in tree
        .lookups()
        .filter(|(_, l)| l.provider == Provider::Hunting)
    {
        let window = lookup
            .window
            .as_ref()
            .expect("hunting lookups have a window");
        let hours = match window.value.split_at(window.value.len() - 1) {
            (n, "d") => n.parse::<u32>().expect("whole days") * 24,
            (n, "h") => n.parse::<u32>().expect("whole hours"),
            _ => panic!("unexpected window {}", window.value),
        };
        assert!(
            hours <= 30 * 24,
            "lookup '{}' of node '{}' asks for {}",
            lookup.id.value,
            node.id.value,
            window.value
        );
    }
}
