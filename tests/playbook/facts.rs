//! Facts the playbook (and the products it names) state, pinned where the
//! tree used to get them wrong.

use cairn::tree::{HttpMethod, Provider};

use super::common::tree;

/// Every authentication method type the Graph authentication methods API
/// can delete, by its path segment.
const METHOD_TYPES: &[&str] = &[
    "phone",
    "fido2",
    "softwareOath",
    "hardwareOath",
    "temporaryAccessPass",
    "windowsHelloForBusiness",
    "email",
    "microsoftAuthenticator",
];

#[test]
fn every_authentication_method_type_has_a_removal_action() {
    let tree = tree();
    for kind in METHOD_TYPES {
        let path =
            format!("/users/{{{{upn}}}}/authentication/{kind}Methods/{{{{auth_method_id}}}}");
        let action = tree
            .actions()
            .find(|(_, a)| a.path.value == path)
            .unwrap_or_else(|| panic!("no action deletes {kind} methods"));
        assert_eq!(action.1.method, HttpMethod::Delete, "{kind}");
        assert!(action.1.destructive, "{kind}");
        assert_eq!(action.0.id.value, "remove-credentials-devices", "{kind}");
    }
    // FIDO2 and Windows Hello ids are not GUIDs: the variable must take them.
    let id = tree.variable("auth_method_id").expect("auth_method_id");
    assert_eq!(id.var_type.name(), "string");
}

fn lookup<'t>(tree: &'t cairn::tree::Tree, node: &str, id: &str) -> &'t cairn::tree::Lookup {
    tree.node(node)
        .unwrap_or_else(|| panic!("node {node}"))
        .lookups
        .iter()
        .find(|l| l.id.value == id)
        .unwrap_or_else(|| panic!("lookup {id} of {node}"))
}

#[test]
fn has_the_attack_stopped_looks_beyond_six_hours_and_beyond_sign_ins() {
    let tree = tree();
    let node = tree
        .node("containment-iterate")
        .expect("containment-iterate");
    for l in &node.lookups {
        let window = l.window.as_ref().map(|w| w.value.as_str()).unwrap_or("");
        assert!(
            !window.ends_with('h') && !window.ends_with('m'),
            "'{}' looks back only {window}",
            l.id.value
        );
    }
    let reads = |table: &str| {
        node.lookups
            .iter()
            .any(|l| super::common::mentions(&l.query.value, table))
    };
    for table in ["AADUserRiskEvents", "OfficeActivity", "CloudAppEvents"] {
        assert!(
            reads(table),
            "'has the attack stopped?' does not read {table}"
        );
    }
    assert!(node.body.get("en").contains("until they expire"));
}

#[test]
fn a_replayed_session_cookie_is_an_interactive_sign_in() {
    let tree = tree();
    let body = tree.node("trigger-non-interactive").unwrap().body.get("en");
    assert!(
        body.contains("**interactive** sign-in in SigninLogs"),
        "{body}"
    );
    assert!(!body.contains("not in SigninLogs"), "{body}");
}

#[test]
fn revocation_says_issued_access_tokens_stay_valid() {
    let tree = tree();
    let revokes: Vec<_> = tree
        .actions()
        .filter(|(_, a)| a.path.value.contains("revokeSignInSessions"))
        .collect();
    assert!(revokes.len() >= 3);
    for (node, action) in revokes {
        for lang in ["en", "ja"] {
            let text = action.description.get(lang);
            let says = if lang == "en" {
                text.contains("until they expire")
            } else {
                text.contains("期限") && text.contains("有効のまま")
            };
            assert!(says, "{} on {}: {text}", action.id.value, node.id.value);
        }
    }
}

#[test]
fn no_compromise_does_not_dismiss_risk_on_the_users_word() {
    let tree = tree();
    let body = tree.node("no-compromise").unwrap().body.get("en");
    assert!(body.contains("not the user's word alone"), "{body}");
}

#[test]
fn shared_ips_are_not_taken_for_the_attacker() {
    let tree = tree();
    let l = lookup(&tree, "attacker-data-access", "audit-from-ip");
    assert!(
        !l.look_for
            .get("en")
            .contains("Every change here is attacker-made")
    );
    assert!(l.look_for.get("en").contains("VPN"));
}

#[test]
fn the_data_source_check_spans_event_driven_tables() {
    let tree = tree();
    let l = lookup(&tree, "siem-config", "data-sources");
    assert_eq!(l.provider, Provider::LogAnalytics);
    assert_eq!(l.window.as_ref().map(|w| w.value.as_str()), Some("30d"));
    assert!(l.look_for.get("en").contains("Event-driven"));
}

#[test]
fn a_detected_forwarding_rule_has_a_remediation_step() {
    let tree = tree();
    // The lookup that detects it...
    let detect = lookup(&tree, "trigger-other-behaviour", "mailbox-rules");
    assert!(detect.query.value.contains("Set-Mailbox"));
    // ...and a mandatory recovery item that removes it.
    let fixes = tree
        .node("rotate-secrets")
        .unwrap()
        .checklist
        .iter()
        .find(|i| i.id.value == "remove-forwarding")
        .expect("a forwarding remediation item");
    assert!(fixes.mandatory);
    assert!(fixes.text.get("en").contains("ForwardingSmtpAddress"));
}

#[test]
fn product_and_sources_are_named_as_the_playbook_does() {
    let tree = tree();
    let other = tree.node("trigger-other-behaviour").unwrap();
    assert!(other.body.get("en").contains("Defender for Office 365"));
    assert!(
        tree.sources
            .iter()
            .any(|s| s.title.contains("decision tree")),
        "sources name the playbook's decision-tree diagram"
    );
}

/// The playbook's page and its section anchors as its source
/// (MicrosoftDocs/security, security-docs/operations/token-theft-playbook.md)
/// gives them; the diagram is the page's own link.
#[test]
fn playbook_links_use_the_pages_real_url_and_anchors() {
    const PAGE: &str = "https://learn.microsoft.com/en-us/security/operations/token-theft-playbook";
    // Headings of the page, as Learn turns them into anchors.
    const ANCHORS: &[&str] = &[
        "prerequisites",
        "investigations",
        "evidence-of-compromise-or-token-theft-user-confirmation",
        "data-loss-procedure",
    ];
    let tree = tree();
    let diagram = tree
        .sources
        .iter()
        .find(|s| s.title.contains("decision tree"))
        .unwrap();
    assert_eq!(diagram.url, "https://aka.ms/tokentheftworkflow");
    let urls = tree.sources.iter().map(|s| s.url.as_str()).chain(
        tree.nodes
            .iter()
            .flat_map(|n| n.references.iter().map(|r| r.url.as_str())),
    );
    let mut anchored = 0;
    for url in urls.filter(|u| u.contains("token-theft-playbook")) {
        match url.split_once('#') {
            Some((page, anchor)) => {
                assert_eq!(page, PAGE, "{url}");
                assert!(ANCHORS.contains(&anchor), "{url}: no such heading");
                anchored += 1;
            }
            None => assert!(
                url.ends_with("/security/operations/token-theft-playbook"),
                "{url}"
            ),
        }
    }
    assert!(anchored >= 3);
}
