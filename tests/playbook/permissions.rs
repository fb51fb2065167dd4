//! Permissions that are true: every lookup and action of the shipped tree
//! declares what it needs, of the right kind for where it runs, and the
//! prerequisites node names all of it.

use cairn::tree::Provider;

use super::common::tree;

fn names(list: &[cairn::tree::At<String>]) -> Vec<&str> {
    list.iter().map(|e| e.value.as_str()).collect()
}

#[test]
fn every_lookup_declares_the_access_of_its_provider() {
    let tree = tree();
    for (node, l) in tree.lookups() {
        let at = format!("{} of {}", l.id.value, node.id.value);
        let r = &l.requires;
        assert!(!r.is_empty(), "{at} declares nothing");
        match l.provider {
            Provider::LogAnalytics => {
                assert_eq!(
                    names(&r.azure_rbac),
                    ["Log Analytics Reader", "Microsoft Sentinel Reader"],
                    "{at}"
                );
                assert!(r.graph.is_empty() && r.entra_roles.is_empty(), "{at}");
            }
            Provider::Hunting => {
                assert_eq!(names(&r.graph), ["ThreatHunting.Read.All"], "{at}");
                assert!(r.azure_rbac.is_empty(), "{at}");
            }
            Provider::Graph => {
                assert!(!r.graph.is_empty(), "{at}");
                assert!(
                    r.graph.iter().all(|p| p.value.contains(".Read")),
                    "{at}: a read needs no write permission"
                );
            }
        }
    }
}

#[test]
fn every_action_declares_its_graph_write_permission_and_role() {
    let tree = tree();
    for (node, a) in tree.actions() {
        let at = format!("{} of {}", a.id.value, node.id.value);
        let graph = names(&a.requires.graph);
        assert!(!graph.is_empty(), "{at}");
        let expected = if a.path.value.ends_with("/revokeSignInSessions") {
            "User.RevokeSessions.All"
        } else if a.path.value.contains("/authentication/") {
            "UserAuthenticationMethod.ReadWrite.All"
        } else if a.path.value.starts_with("/devices") {
            "Device.ReadWrite.All"
        } else if a.path.value == "/users/{{upn}}" {
            "User.EnableDisableAccount.All"
        } else {
            continue;
        };
        assert_eq!(graph, [expected], "{at}");
        assert!(
            !a.requires.entra_roles.is_empty(),
            "{at}: which role may do it"
        );
    }
}

#[test]
fn the_prerequisites_node_names_every_declared_permission_and_role() {
    let tree = tree();
    let pre = tree.node("prerequisites").expect("prerequisites");
    let text: String = [pre.body.get("en").to_string()]
        .into_iter()
        .chain(pre.checklist.iter().map(|i| i.text.get("en").to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    let declared = tree
        .lookups()
        .map(|(_, l)| &l.requires)
        .chain(tree.actions().map(|(_, a)| &a.requires));
    for r in declared {
        for e in r.graph.iter().chain(&r.entra_roles).chain(&r.azure_rbac) {
            assert!(
                text.contains(e.value.as_str()),
                "prerequisites do not name {}",
                e.value
            );
        }
    }
    // Log Analytics access is Azure RBAC, not an Entra role.
    assert!(!text.contains("401 or 403.\n") || text.contains("Azure RBAC"));
    assert!(
        pre.body
            .get("en")
            .contains("Entra roles do not open the workspace")
    );
}

/// Preflight compares declared Entra roles with the token's `wids`: every
/// role the tree names has its template id in the one table of them.
#[test]
fn every_declared_entra_role_has_a_template_id() {
    let tree = tree();
    let lookups = tree.lookups().map(|(_, l)| &l.requires);
    let actions = tree.actions().map(|(_, a)| &a.requires);
    let mut named = 0;
    for requires in lookups.chain(actions) {
        for role in &requires.entra_roles {
            assert!(
                cairn::lookup::auth::directory_roles::template_id(&role.value).is_some(),
                "no template id for the Entra role {:?}",
                role.value
            );
            named += 1;
        }
    }
    assert!(named > 0);
}
