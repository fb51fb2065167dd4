//! The lookups issue's closing condition as one journey, offline against the
//! loopback mock: configure as `cairn config init` does, sign in with the
//! device code on the SignIn screen, run every lookup of every node of the
//! token-theft tree through the screen's keys, bind cells into later
//! lookups, confirm and record destructive actions, and export it all.
//! Every step goes through the pure `update`, the runtime's executor and a
//! SQLite store in a temporary directory (the `Session` harness).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use ratatui::crossterm::event::KeyCode;

use cairn::app::Screen;
use cairn::app::lookups::{LookupMsg, RunState};
use cairn::lookup::replay::Replay;
use cairn::runtime::lookups::Live;
use cairn::store::event::{ActionStatus, EventKind, ValueSource};

use super::journey_checks::{Walked, check_recorded, check_sent, export};
use super::journey_driver::{Journey, variable_sources};
use super::journey_mock::{
    GRAPH_TOKEN, HOSTILE_USER_AGENT, SECRETS, Script, USER_CODE, answer, configure, load_answers,
    percent,
};
use super::mock::{Mock, Request};
use super::screen::Session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responder_configures_signs_in_runs_every_lookup_binds_acts_and_exports() {
    let script = Arc::new(Mutex::new(Script::default()));
    let handler = script.clone();
    let mock = Mock::start(move |req, _| answer(&handler, req)).await;
    let replay = Replay::shipped("aitm").unwrap();
    let (tree, _) = super::screen::token_theft();
    {
        let mut s = script.lock().unwrap();
        s.base = mock.base();
        load_answers(&mut s, &tree, &replay);
    }

    // Configure, then load with the binary's own loader.
    let config_dir = tempfile::tempdir().unwrap();
    let cfg = configure(config_dir.path(), &mock.base());
    let live = Live::from_config(&cfg).expect("configure: a live connection");

    // A live incident, created with the UPN as typed in the new-incident form.
    let upn = replay.manifest.variables["upn"].clone();
    let mut known = replay.manifest.variables.clone();
    known.extend(replay.manifest.discovered.clone());
    known.insert("attacker_user_agent".into(), HOSTILE_USER_AGENT.into());
    let s = Session::typed(live, vec![("upn".into(), upn.clone())]);
    let id = s.state.incident.as_ref().unwrap().meta.id.clone();
    script.lock().unwrap().watch = Some((s.store.clone(), id.clone()));
    let mut j = Journey {
        s,
        script: script.clone(),
        tree: tree.clone(),
        known,
        screens: Vec::new(),
    };
    let graph = format!("{}/v1.0", mock.base());
    assert_eq!(j.s.state.lookups.graph_base, graph, "configure");

    sign_in(&mut j).await;

    let walked = run_every_lookup(&mut j, &replay).await;
    assert_eq!(walked.ran, tree.lookups().count(), "every lookup ran");
    assert!(walked.ran >= 50, "only {} lookups", walked.ran);
    assert_eq!(
        walked.providers.len(),
        3,
        "providers: {:?}",
        walked.providers
    );
    assert!(walked.paged >= 2, "paged Graph answers: {}", walked.paged);
    let contexts: BTreeSet<&str> = walked.reached.iter().map(|(_, _, c)| *c).collect();
    for name in ["attacker_ip", "attacker_user_agent"] {
        assert!(
            walked.reached.iter().any(|(n, _, _)| n == name),
            "a bound {name} reached a later lookup: {:?}",
            walked.reached
        );
    }
    assert!(
        contexts.contains("KQL literal") && contexts.contains("OData literal"),
        "bound values reached later KQL and Graph requests: {:?}",
        walked.reached
    );

    // The Authenticator method to delete was bound from a row, not typed.
    let method_id = replay.manifest.discovered["auth_method_id"].clone();
    let sources = variable_sources(&j.s.events());
    assert!(
        matches!(
            sources.get("auth_method_id"),
            Some(ValueSource::Lookup { .. })
        ),
        "auth_method_id: {:?}",
        sources.get("auth_method_id")
    );
    let user = percent(&upn);
    act(
        &mut j,
        &graph,
        ("revoke-sessions", "POST", 200),
        &format!("/users/{user}/revokeSignInSessions"),
        &upn,
    )
    .await;
    act(
        &mut j,
        &graph,
        ("delete-authenticator-method", "DELETE", 204),
        &format!("/users/{user}/authentication/microsoftAuthenticatorMethods/{method_id}"),
        &method_id,
    )
    .await;

    let (markdown, json) = export(&j, &id, &replay, walked.ran);

    // No token, refresh token or device code anywhere a person can read.
    let mut files = Vec::new();
    for entry in std::fs::read_dir(j.s.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    files.push((
        "the configuration".into(),
        std::fs::read(config_dir.path().join("config.toml")).unwrap(),
    ));
    files.push(("the Markdown export".into(), markdown.into_bytes()));
    files.push(("the JSON export".into(), json.into_bytes()));
    for screen in &j.screens {
        files.push((format!("the screen\n{screen}"), screen.clone().into_bytes()));
    }
    assert!(files.len() > 60);
    for secret in SECRETS {
        for (what, bytes) in &files {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {what}"
            );
        }
    }
}

/// Device-code sign-in from the node screen: the code and the URL on the
/// screen while Cairn polls (the first poll is answered "pending").
async fn sign_in(j: &mut Journey) {
    j.s.keys("S");
    assert!(matches!(j.s.state.screen, Screen::SignIn(_)), "sign-in");
    j.s.until(|m| matches!(m, LookupMsg::DeviceCode { .. }))
        .await;
    let prompt = j.look();
    assert!(prompt.contains(USER_CODE), "sign-in: code shown\n{prompt}");
    assert!(
        prompt.contains("https://microsoft.com/devicelogin"),
        "sign-in: URL shown\n{prompt}"
    );
    j.s.until(|m| matches!(m, LookupMsg::SignedIn(_))).await;
    let done = j.look();
    assert!(done.contains("Signed in"), "sign-in: done\n{done}");
    assert!(
        j.script.lock().unwrap().device_polls >= 2,
        "sign-in: authorization_pending was answered first"
    );
    j.s.key(KeyCode::Esc);
}

/// Every lookup of every node, in the tree's order, with the keys; after
/// each, the cells the tree suggests binding that the walk has not set yet.
async fn run_every_lookup(j: &mut Journey, replay: &Replay) -> Walked {
    let mut walked = Walked::default();
    let tree = j.tree.clone();
    for node in tree.nodes.iter().filter(|n| !n.lookups.is_empty()) {
        j.go_to(&node.id.value);
        for (index, lookup) in node.lookups.iter().enumerate() {
            let at = format!("{}/{}", node.id.value, lookup.id.value);
            let before = j.script.lock().unwrap().seen.len();
            let run_id = j.run_lookup(&node.id.value, index).await;
            let run = j.s.state.lookups.runs[&run_id].clone();
            let rows = match &run.state {
                RunState::Done { result } => result.row_count(),
                other => panic!("{at}: {other:?}"),
            };
            // Rows, or the scenario's explicit "no data".
            if replay.manifest.empty.contains_key(&lookup.id.value) {
                assert_eq!(rows, 0, "{at}: expected no data");
                let screen = j.look();
                assert!(screen.contains("0 / 0"), "{at}: no data shown\n{screen}");
            } else {
                assert!(rows > 0, "{at}: no rows");
            }
            let seq = check_recorded(j, &at, &run, rows);
            let seen: Vec<Request> = j.script.lock().unwrap().seen[before..]
                .iter()
                .filter(|(l, _)| *l == lookup.id.value)
                .map(|(_, r)| r.clone())
                .collect();
            check_sent(&at, lookup, &run, &seen, &mut walked);
            walked.providers.insert(lookup.provider.name());
            walked.ran += 1;
            for rule in &lookup.bind {
                let name = &rule.variable.value;
                if !replay.manifest.discovered.contains_key(name) {
                    continue;
                }
                let value = j.known[name].clone();
                if j.variables().contains_key(name) || rows == 0 {
                    continue;
                }
                if let Some((row, column)) = j.bind(&at, &rule.column, name, &value) {
                    walked.bound.insert(name.clone());
                    let sources = variable_sources(&j.s.events());
                    let expected = ValueSource::Lookup {
                        lookup_seq: seq,
                        row,
                        column,
                    };
                    assert_eq!(sources.get(name), Some(&expected), "{at}: {name}'s source");
                }
            }
            j.s.keys("q");
        }
    }
    walked
}

/// A destructive action from its node: the exact request shown, a wrong
/// confirmation first (nothing sent or recorded), then exactly one call,
/// its intent committed before the mock saw it, its outcome after.
async fn act(
    j: &mut Journey,
    graph: &str,
    (action, method, http): (&str, &str, u16),
    path: &str,
    confirmation: &str,
) {
    let tree = j.tree.clone();
    let node = tree
        .nodes
        .iter()
        .find(|n| n.actions.iter().any(|a| a.id.value == action))
        .unwrap();
    let index = node
        .actions
        .iter()
        .position(|a| a.id.value == action)
        .unwrap();
    j.go_to(&node.id.value);
    j.cursor_to(node.checklist.len() + node.lookups.len() + index);
    j.s.keys("g");
    let shown = j.look();
    assert!(matches!(j.s.state.screen, Screen::Action(_)), "{action}");
    let flat = shown.replace([' ', '\n'], "");
    assert!(
        shown.contains(method) && flat.contains(&format!("{graph}{path}")),
        "{action}: the request is shown\n{shown}"
    );
    let target = format!("/v1.0{path}");
    let calls = |script: &Mutex<Script>| -> Vec<Request> {
        let s = script.lock().unwrap();
        s.seen
            .iter()
            .filter(|(k, r)| k == "action" && r.target == target)
            .map(|(_, r)| r.clone())
            .collect()
    };

    j.s.keys("not-the-confirmation");
    j.s.key(KeyCode::Enter);
    let refused = j.look();
    let words = refused.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("nothing was sent"), "{action}\n{refused}");
    assert!(calls(&j.script).is_empty(), "{action}: sent unconfirmed");
    assert!(
        !j.s.events()
            .iter()
            .any(|e| matches!(e, EventKind::ActionIntended { action: a, .. } if a == action)),
        "{action}: a wrong confirmation recorded an intent"
    );

    j.s.ctrl('u');
    j.s.keys(confirmation);
    j.s.key(KeyCode::Enter);
    j.s.until(|m| matches!(m, LookupMsg::ActionDone { .. }))
        .await;
    j.look();
    let sent = calls(&j.script);
    assert_eq!(sent.len(), 1, "{action}: exactly one call");
    assert_eq!(sent[0].method, method, "{action}");
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {GRAPH_TOKEN}").as_str()),
        "{action}"
    );
    let intent_first = j.script.lock().unwrap().intent_first.clone();
    assert_eq!(
        intent_first.last(),
        Some(&(target.clone(), true)),
        "{action}: the intent was committed before the call"
    );
    let events = j.recorded();
    let intent = events
        .iter()
        .find(|e| {
            matches!(&e.kind, EventKind::ActionIntended { action: a, simulated: false, confirmation: c, path: p, .. }
                if a == action && c == confirmation && p == path)
        })
        .unwrap_or_else(|| panic!("{action}: no intent"))
        .seq;
    let outcome = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::ActionOutcome { intent: i, .. } if i == intent))
        .unwrap_or_else(|| panic!("{action}: no outcome of intent {intent}"));
    assert!(outcome.seq > intent, "{action}: the outcome comes after");
    let outcome = &outcome.kind;
    assert!(
        matches!(outcome, EventKind::ActionOutcome { status: ActionStatus::Succeeded, http_status: Some(h), .. } if *h == http),
        "{action}: {outcome:?}"
    );
    j.s.keys("q");
}
