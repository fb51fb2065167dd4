//! Every action of the shipped tree against a loopback Graph: a hostile id
//! cannot retarget the call. The template engine refuses a value that could
//! leave its path segment; and should a path get past it, the client refuses
//! any URL that would go on the wire differently from how it was shown.

use cairn::lookup::action::{self, ActionRequest};
use cairn::store::event::ActionStatus;
use cairn::tree::template::{self, EncodeError, RenderError, Target, placeholders};

use super::mock::{Mock, Reply};
use super::replay::{all_values, scenario, shipped_tree};
use super::support::client;

/// Values that are, or decode or normalise to, something other than one
/// path segment.
const HOSTILE: &[&str] = &[
    "..",
    ".",
    "%2e%2e",
    "%2E.",
    ".%2e",
    "a/b",
    "a%2fb",
    "a%2Fb",
    "a\\b",
    "a%5cb",
    "x?y",
    "x#y",
    "%252e%252e",
    "%25252f",
    "a\u{0}b",
    "a%00b",
];

#[tokio::test]
async fn hostile_ids_never_reach_the_wire_for_any_shipped_action() {
    let mock = Mock::start(|_, _| Reply::empty(204)).await;
    let (client, _) = client(&mock.base());
    let tree = shipped_tree("token-theft");
    let values = all_values(&scenario());
    let types = |name: &str| tree.variable(name).map(|v| v.var_type);
    let mut checked = 0;
    for (node, action) in tree.actions() {
        let at = format!("action '{}' of node '{}'", action.id.value, node.id.value);
        let names: Vec<&str> = placeholders(&action.path)
            .into_iter()
            .filter_map(|p| match p {
                template::Placeholder::Named { name, .. } => Some(name),
                template::Placeholder::Unterminated { .. } => None,
            })
            .collect();
        if names.is_empty() {
            // A fixed path (the value travels in the JSON body, e.g.
            // confirmCompromised): no id can retarget it.
            assert!(!action.path.contains("{{"), "{at}");
            continue;
        }
        for name in names {
            for hostile in HOSTILE {
                let mut bad = values.clone();
                bad.insert(name.to_string(), hostile.to_string());
                // First line: the engine refuses, by type or by the segment rule.
                let err = template::render(&at, &action.path, Target::GraphPath, types, &bad)
                    .expect_err(&format!("{at}: {name} = {hostile:?} was accepted"));
                assert!(
                    matches!(
                        err,
                        RenderError::Invalid { .. }
                            | RenderError::Unencodable {
                                source: EncodeError::UnsafeSegment(_) | EncodeError::SlashInId(_),
                                ..
                            }
                    ),
                    "{at}: {name} = {hostile:?}: {err}"
                );
                // Second line: the path spliced raw, as if the engine were
                // bypassed. The client refuses what it would rewrite.
                let raw = action.path.replace(&format!("{{{{{name}}}}}"), hostile);
                let raw = template::preview(&raw, Target::GraphPath, types, &values);
                let report = action::perform(
                    &client,
                    &ActionRequest {
                        method: action.method,
                        path: raw.clone(),
                        body: None,
                    },
                )
                .await;
                let sent = mock.requests();
                if let Some(last) = sent.last()
                    && report.status == ActionStatus::Succeeded
                {
                    // Only a URL sent exactly as shown may go out.
                    assert_eq!(last.target, format!("/v1.0{raw}"), "{at}: {hostile:?}");
                } else {
                    assert_eq!(report.status, ActionStatus::Failed, "{at}: {hostile:?}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 10 * HOSTILE.len(), "{checked}");
    // Dot segments, backslashes and fragments are what the URL parser rewrites.
    for requested in mock.requests() {
        let target = &requested.target;
        assert!(
            !target.contains("/../") && !target.ends_with("/..") && !target.contains("/./"),
            "{target}"
        );
    }
}

#[tokio::test]
async fn a_path_the_client_would_rewrite_is_refused_before_sending() {
    let mock = Mock::start(|_, _| Reply::empty(204)).await;
    let (client, _) = client(&mock.base());
    for path in [
        "/users/a%40b.co/mailFolders/inbox/messageRules/..",
        "/users/a%40b.co/mailFolders/inbox/messageRules/%2e%2E",
        "/users/a%40b.co/mailFolders/inbox/messageRules/./x",
        "/users/a%40b.co/mailFolders/inbox/messageRules/a\\b",
        "/devices/x#frag",
        "/users/a b",
    ] {
        let report = action::perform(
            &client,
            &ActionRequest {
                method: cairn::tree::HttpMethod::Delete,
                path: path.into(),
                body: None,
            },
        )
        .await;
        assert_eq!(report.status, ActionStatus::Failed, "{path}");
        assert!(
            report.detail.contains("refused"),
            "{path}: {}",
            report.detail
        );
    }
    assert_eq!(mock.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn every_shipped_action_with_real_ids_goes_exactly_where_it_was_shown() {
    let mock = Mock::start(|_, _| Reply::empty(204)).await;
    let (client, _) = client(&mock.base());
    let tree = shipped_tree("token-theft");
    let values = all_values(&scenario());
    let types = |name: &str| tree.variable(name).map(|v| v.var_type);
    let mut sent = 0;
    for (_, action) in tree.actions() {
        let path = template::render("t", &action.path, Target::GraphPath, types, &values)
            .unwrap()
            .text;
        let report = action::perform(
            &client,
            &ActionRequest {
                method: action.method,
                path: path.clone(),
                body: None,
            },
        )
        .await;
        assert_eq!(report.status, ActionStatus::Succeeded, "{}", report.detail);
        sent += 1;
        let last = mock.requests().pop().unwrap();
        assert_eq!(last.target, format!("/v1.0{path}"));
        assert_eq!(last.method, action.method.name());
    }
    assert_eq!(mock.count(), sent);
}

#[test]
fn every_shipped_graph_lookup_is_sent_exactly_as_rendered() {
    let tree = shipped_tree("token-theft");
    let values = all_values(&scenario());
    let mut graph_lookups = 0;
    for (node, lookup) in tree.lookups() {
        if lookup.provider != cairn::tree::Provider::Graph {
            continue;
        }
        let text = cairn::lookup::substitute::render_lookup(lookup, &tree.variables, &values)
            .unwrap()
            .text;
        let url = cairn::lookup::graph::exact_url("https://graph.microsoft.com/v1.0", &text)
            .unwrap_or_else(|e| panic!("lookup '{}' of '{}': {e}", lookup.id.value, node.id.value));
        assert_eq!(
            url.as_str(),
            format!("https://graph.microsoft.com/v1.0{text}")
        );
        graph_lookups += 1;
    }
    assert!(graph_lookups > 0);
}

/// Base64 ids may hold `/`. The reference documents percent-encoded path
/// segments but not that Graph accepts `%2F` inside one, so such an id is
/// refused where it is typed, naming the call and saying why.
#[test]
fn a_base64_id_holding_a_slash_is_refused_with_its_reason() {
    let tree = shipped_tree("token-theft");
    for name in ["inbox_rule_id", "auth_method_id"] {
        let id = "AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAD/x8u+Qz==";
        match template::accept(&tree, name, id) {
            Err(e @ template::EntryError::UnsafeInPath { .. }) => {
                let template::EntryError::UnsafeInPath { source, owner } = &e else {
                    unreachable!()
                };
                assert_eq!(source, &EncodeError::SlashInId(id.to_string()));
                let text = e.to_string();
                assert!(text.contains("%2F"), "{text}");
                assert!(text.contains(owner.as_str()), "{text}");
            }
            other => panic!("{name}: {other:?}"),
        }
        // The same id without the slash goes through, unchanged.
        let fine = id.replace('/', "A");
        assert_eq!(template::accept(&tree, name, &fine), Ok(fine.clone()));
    }
}
