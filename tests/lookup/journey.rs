//! The lookups issue's closing condition as one journey, offline against the
//! loopback mock: configure as `cairn config init` does, sign in with the
//! device code on the SignIn screen, run every lookup of every node of the
//! token-theft tree through the screen's keys, bind cells into later
//! lookups, confirm and record destructive actions, and export it all.
//! The mock answers each lookup with the shipped practice recordings (real
//! wire formats), collections split into two pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};

use cairn::app::Screen;
use cairn::app::lookups::{LookupMsg, RunState};
use cairn::app::results::ResultsMode;
use cairn::app::views::map_order;
use cairn::lookup::replay::Replay;
use cairn::runtime::Shared;
use cairn::runtime::lookups::Live;
use cairn::store::event::{ActionStatus, EventKind, LookupStatus, ValueSource};
use cairn::tree::model::Provider;
use cairn::tree::value::normalize;
use cairn::tree::{Lookup, Tree};

use super::mock::{Mock, Reply, Request};
use super::screen::Session;

const USER_CODE: &str = "JRNY-4242";
const DEVICE_CODE: &str = "DEVICE-SECRET-J1";
const LA_TOKEN: &str = "LA-TOKEN-SECRET-J2";
const GRAPH_TOKEN: &str = "GRAPH-TOKEN-SECRET-J3";
const REFRESH_TOKEN: &str = "REFRESH-SECRET-J4";
const SECRETS: [&str; 4] = [DEVICE_CODE, LA_TOKEN, GRAPH_TOKEN, REFRESH_TOKEN];

/// What the mock knows: which lookup is being run (set just before its key
/// is pressed), the recorded answers, and every request it was sent.
#[derive(Default)]
struct Script {
    base: String,
    current: Option<String>,
    answers: BTreeMap<String, String>,
    /// Second pages of Graph collections, by lookup id.
    second_pages: BTreeMap<String, String>,
    device_polls: usize,
    /// (lookup id or "auth"/"action", request)
    seen: Vec<(String, Request)>,
    /// For each action request: was its intent already committed?
    intent_first: Vec<(String, bool)>,
    watch: Option<(Shared, String)>,
}

fn error(status: u16, code: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": code}}).to_string(),
    )
}

fn answer(script: &Arc<Mutex<Script>>, req: &Request) -> Reply {
    let mut s = script.lock().unwrap();
    let path = req.target.split('?').next().unwrap_or("").to_string();
    if path.ends_with("/oauth2/v2.0/devicecode") {
        s.seen.push(("auth".into(), req.clone()));
        return Reply::json(
            200,
            &json!({
                "device_code": DEVICE_CODE,
                "user_code": USER_CODE,
                "verification_uri": "https://microsoft.com/devicelogin",
                "expires_in": 900,
                "interval": 1,
                "message": format!("To sign in, open https://microsoft.com/devicelogin and enter {USER_CODE}."),
            })
            .to_string(),
        );
    }
    if path.ends_with("/oauth2/v2.0/token") {
        s.seen.push(("auth".into(), req.clone()));
        let scope = req.form_value("scope").unwrap_or_default();
        let access = if scope.contains("loganalytics") {
            LA_TOKEN
        } else {
            GRAPH_TOKEN
        };
        if req.form_value("device_code").is_some() {
            s.device_polls += 1;
            if s.device_polls == 1 {
                return Reply::json(
                    400,
                    r#"{"error":"authorization_pending","error_description":"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.","error_codes":[70016],"timestamp":"2026-11-26 03:00:00Z","trace_id":"0","correlation_id":"0","error_uri":"https://login.microsoftonline.com/error?code=70016"}"#,
                );
            }
        }
        return Reply::json(
            200,
            &json!({
                "token_type": "Bearer",
                "scope": scope,
                "expires_in": 3599,
                "access_token": access,
                "refresh_token": REFRESH_TOKEN,
            })
            .to_string(),
        );
    }
    if matches!(req.method.as_str(), "DELETE" | "PATCH") || path.ends_with("/revokeSignInSessions")
    {
        let committed = s.watch.as_ref().is_some_and(|(store, id)| {
            let events = store.lock().unwrap().load(id).unwrap().events;
            let intended = events.iter().rposition(|e| {
                matches!(&e.kind, EventKind::ActionIntended { path: p, .. } if path.ends_with(p.as_str()))
            });
            let outcome = events
                .iter()
                .rposition(|e| matches!(e.kind, EventKind::ActionOutcome { .. }));
            intended.is_some_and(|i| outcome.is_none_or(|o| o < i))
        });
        s.intent_first.push((path.clone(), committed));
        s.seen.push(("action".into(), req.clone()));
        return match req.method.as_str() {
            "DELETE" => Reply::empty(204),
            _ => Reply::json(
                200,
                r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean","value":true}"#,
            ),
        };
    }
    let Some(current) = s.current.clone() else {
        return error(500, "NoLookupExpected");
    };
    s.seen.push((current.clone(), req.clone()));
    if path.starts_with("/v1.0/next-page/") {
        return match s.second_pages.get(&current) {
            Some(body) => Reply::json(200, body),
            None => error(404, "Request_ResourceNotFound"),
        };
    }
    match s.answers.get(&current) {
        Some(body) => Reply::json(200, body),
        None => error(404, "NoRecording"),
    }
}

/// The recordings of the shipped scenario, Graph collections of two or more
/// objects split into two pages joined by a nextLink on the mock.
fn load_answers(script: &mut Script, tree: &Tree, replay: &Replay) {
    let mut seen = BTreeSet::new();
    for (_, lookup) in tree.lookups() {
        let id = lookup.id.value.clone();
        if !seen.insert(id.clone()) {
            continue;
        }
        let req = cairn::lookup::run::LookupRequest {
            lookup_id: id.clone(),
            provider: lookup.provider,
            text: String::new(),
            timespan: None,
        };
        // The recording's exact bytes, re-read from the shipped assets.
        replay
            .answer(&req)
            .unwrap_or_else(|e| panic!("{id}: no recording: {e}"));
        let body = std::fs::read_to_string(format!(
            "{}/assets/scenarios/aitm/{id}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut doc: Value = serde_json::from_str(&body).unwrap();
        let split = lookup.provider == Provider::Graph
            && doc["value"].as_array().is_some_and(|v| v.len() >= 2);
        if split {
            let all = doc["value"].as_array().unwrap().clone();
            let half = all.len() / 2;
            let mut second = doc.clone();
            second["value"] = Value::Array(all[half..].to_vec());
            doc["value"] = Value::Array(all[..half].to_vec());
            doc["@odata.nextLink"] = Value::String(format!(
                "{}/v1.0/next-page/{id}?$skiptoken=page2",
                script.base
            ));
            script.second_pages.insert(id.clone(), second.to_string());
            script.answers.insert(id, doc.to_string());
        } else {
            script.answers.insert(id, body);
        }
    }
}

/// Writes the template exactly as `cairn config init` does, then edits it as
/// a responder would: tenant, workspace, device code, every base URL.
fn configure(dir: &Path, base: &str) -> cairn::lookup::config::Config {
    let path = dir.join("config.toml");
    cairn::lookup::config::init(&path).expect("config init");
    let template = std::fs::read_to_string(&path).unwrap();
    let mut edited = Vec::new();
    for line in template.lines() {
        let line = match line {
            l if l.starts_with("tenant = ") => {
                "tenant = \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\"".to_string()
            }
            l if l.starts_with("workspace = ") => {
                format!("workspace = \"{}\"", super::support::WORKSPACE)
            }
            l if l.starts_with("method = ") => "method = \"device-code\"".to_string(),
            l if l.starts_with("# client_id = ") => {
                "client_id = \"12345678-1234-1234-1234-123456789012\"".to_string()
            }
            l if l.starts_with("# authority = ") => format!("authority = \"{base}\""),
            l if l.starts_with("# log_analytics = ") => format!("log_analytics = \"{base}\""),
            l if l.starts_with("# graph = ") => format!("graph = \"{base}/v1.0\""),
            l if l.starts_with("use_system_proxy = ") => "use_system_proxy = false".to_string(),
            l => l.to_string(),
        };
        edited.push(line);
    }
    let text = edited.join("\n");
    assert_ne!(text, template, "the template has the expected lines");
    std::fs::write(&path, text).unwrap();
    let cfg = cairn::lookup::config::load(&path).expect("the edited template loads");
    assert_eq!(cfg.endpoints.graph, format!("{base}/v1.0"), "configure");
    assert_eq!(cfg.endpoints.log_analytics, base, "configure");
    assert_eq!(cfg.endpoints.authority, base, "configure");
    assert!(
        matches!(
            cfg.auth,
            cairn::lookup::config::AuthMethod::DeviceCode { .. }
        ),
        "configure: {:?}",
        cfg.auth
    );
    cfg
}

/// Kusto's escaping inside a single-quoted literal, for the values here.
fn kql(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\'")
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a value landed in a request and how it must look there.
fn expected_on_the_wire(lookup: &Lookup, name: &str, value: &str) -> (&'static str, String) {
    match lookup.provider {
        Provider::LogAnalytics | Provider::Hunting => ("KQL literal", format!("'{}'", kql(value))),
        Provider::Graph => {
            let quoted = lookup.query.value.contains(&format!("'{{{{{name}}}}}'"));
            if quoted {
                ("OData literal", percent(&value.replace('\'', "''")))
            } else {
                ("URL segment", percent(value))
            }
        }
    }
}

/// The text of a lookup as the mock received it.
fn received_text(provider: Provider, req: &Request) -> String {
    match provider {
        Provider::LogAnalytics => req.json()["query"].as_str().unwrap_or("").to_string(),
        Provider::Hunting => req.json()["Query"].as_str().unwrap_or("").to_string(),
        Provider::Graph => req.target.clone(),
    }
}

struct Journey {
    s: Session,
    script: Arc<Mutex<Script>>,
    tree: Arc<Tree>,
    /// The values a responder knows or finds: the scenario's start values
    /// and what its data reveals.
    known: BTreeMap<String, String>,
    /// Every screen seen, to look for secrets at the end.
    screens: Vec<String>,
}

impl Journey {
    fn look(&mut self) -> String {
        let screen = self.s.screen();
        self.screens.push(screen.clone());
        screen
    }

    /// To `node` through the map.
    fn go_to(&mut self, node: &str) {
        let order = map_order(&self.tree);
        let target = order
            .iter()
            .position(|&i| self.tree.nodes[i].id.value == node)
            .unwrap();
        self.s.keys("m");
        let Screen::Map(map) = &self.s.state.screen else {
            panic!("{node}: the map did not open: {:?}", self.s.state.screen)
        };
        let from = map.cursor;
        for _ in from..target {
            self.s.keys("j");
        }
        for _ in target..from {
            self.s.keys("k");
        }
        self.s.key(KeyCode::Enter);
        let current = self.s.state.incident.as_ref().unwrap().current_node_id();
        assert_eq!(current, node, "moving to {node}");
    }

    /// The node screen's cursor onto item `n`.
    fn cursor_to(&mut self, n: usize) {
        loop {
            let Screen::Node(view) = &self.s.state.screen else {
                panic!("not on the node screen: {:?}", self.s.state.screen)
            };
            match view.cursor.cmp(&n) {
                std::cmp::Ordering::Less => self.s.keys("j"),
                std::cmp::Ordering::Greater => self.s.keys("k"),
                std::cmp::Ordering::Equal => return,
            }
        }
    }

    /// The incident's events with their sequence numbers.
    fn recorded(&self) -> Vec<cairn::store::event::Event> {
        let id = &self.s.state.incident.as_ref().unwrap().meta.id;
        self.s.store.lock().unwrap().load(id).unwrap().events
    }

    fn variables(&self) -> BTreeMap<String, String> {
        self.s
            .state
            .incident
            .as_ref()
            .unwrap()
            .walk
            .variables
            .clone()
    }

    /// Runs lookup `index` of `node` with `g`, typing what the form asks;
    /// returns the run id once it has finished.
    async fn run_lookup(&mut self, node: &str, index: usize) -> u64 {
        let tree = self.tree.clone();
        let n = tree.node(node).unwrap();
        let lookup = &n.lookups[index];
        let at = format!("{node}/{}", lookup.id.value);
        self.cursor_to(n.checklist.len() + index);
        self.s.keys("g");
        let Screen::RunForm(form) = &self.s.state.screen else {
            panic!("{at}: no run form: {:?}", self.s.state.screen)
        };
        let missing: Vec<String> = form.missing.iter().map(|(n, _)| n.clone()).collect();
        for name in &missing {
            let value = self.known.get(name).cloned().unwrap_or_else(|| {
                panic!("{at}: asks for {name}, which the scenario does not know")
            });
            self.s.keys(&value);
            self.s.key(KeyCode::Tab);
        }
        self.look();
        self.script.lock().unwrap().current = Some(lookup.id.value.clone());
        self.s.key(KeyCode::Enter);
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: the run did not start: {:?}", self.s.state.screen)
        };
        let run = view.run;
        self.s.finish().await;
        self.script.lock().unwrap().current = None;
        self.look();
        run
    }

    /// Binds the cell of `column` holding `value` to `variable` with `=`.
    fn bind(&mut self, at: &str, column: &str, variable: &str, value: &str) -> bool {
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: not on the results screen")
        };
        let run = &self.s.state.lookups.runs[&view.run];
        let table = run.result().unwrap().primary().unwrap().clone();
        let Some(col) = table.column_index(column) else {
            panic!("{at}: no column {column}")
        };
        let var_type = self.tree.variable(variable).unwrap().var_type;
        let Some(row) = table.rows.iter().position(|r| {
            r[col]
                .bind_value()
                .and_then(|v| normalize(var_type, &v).ok())
                .is_some_and(|v| v == value)
        }) else {
            return false;
        };
        // From wherever the cursor is (an earlier binding may have moved it).
        let (at_row, at_col) = (view.row, view.col);
        for _ in at_row..row {
            self.s.keys("j");
        }
        for _ in row..at_row {
            self.s.keys("k");
        }
        for _ in at_col..col {
            self.s.keys("l");
        }
        for _ in col..at_col {
            self.s.keys("h");
        }
        self.s.keys("=");
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: left the results screen")
        };
        let ResultsMode::Bind(picker) = &view.mode else {
            panic!("{at}: no bind picker: {:?}", view.mode)
        };
        let pos = picker
            .options
            .iter()
            .position(|o| o == variable)
            .unwrap_or_else(|| panic!("{at}: {variable} is not offered"));
        assert!(pos < picker.suggested, "{at}: {variable} is not suggested");
        for _ in 0..pos {
            self.s.keys("j");
        }
        self.look();
        self.s.key(KeyCode::Enter);
        assert_eq!(
            self.variables().get(variable).map(String::as_str),
            Some(value),
            "{at}: binding {variable}"
        );
        true
    }
}

/// The bound and typed values, with their sources, as the store holds them.
fn variable_sources(events: &[EventKind]) -> BTreeMap<String, ValueSource> {
    events
        .iter()
        .filter_map(|e| match e {
            EventKind::VariableSet { name, source, .. } => Some((name.clone(), source.clone())),
            _ => None,
        })
        .collect()
}

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

    // --- Configure, then load with the binary's own loader.
    let config_dir = tempfile::tempdir().unwrap();
    let cfg = configure(config_dir.path(), &mock.base());
    let live = Live::from_config(&cfg).expect("configure: a live connection");

    // A live incident, created with the UPN as typed in the new-incident form.
    let upn = replay.manifest.variables["upn"].clone();
    let mut known = replay.manifest.variables.clone();
    known.extend(replay.manifest.discovered.clone());
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
    assert_eq!(
        j.s.state.lookups.graph_base,
        format!("{}/v1.0", mock.base())
    );

    // --- Sign in with the device code, from the node screen.
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
        script.lock().unwrap().device_polls >= 2,
        "sign-in: authorization_pending was answered first"
    );
    j.s.key(KeyCode::Esc);

    // --- Every lookup of every node, in the tree's order, through the keys.
    let empty = replay.manifest.empty.clone();
    let mut ran = 0;
    let mut paged = 0;
    let mut providers = BTreeSet::new();
    // Variables bound from a row, and every later lookup that sent them.
    let mut bound: BTreeSet<String> = BTreeSet::new();
    let mut bound_reached: Vec<(String, String, &'static str)> = Vec::new();
    for node in tree.nodes.iter().filter(|n| !n.lookups.is_empty()) {
        j.go_to(&node.id.value);
        for (index, lookup) in node.lookups.iter().enumerate() {
            let at = format!("{}/{}", node.id.value, lookup.id.value);
            let before = script.lock().unwrap().seen.len();
            let run_id = j.run_lookup(&node.id.value, index).await;
            let run = j.s.state.lookups.runs[&run_id].clone();
            let RunState::Done { result } = &run.state else {
                panic!("{at}: {:?}", run.state)
            };
            // Rows, or the scenario's explicit "no data".
            if empty.contains_key(&lookup.id.value) {
                assert_eq!(result.row_count(), 0, "{at}: expected no data");
                let screen = j.look();
                assert!(screen.contains("0 / 0"), "{at}: no data shown\n{screen}");
            } else {
                assert!(result.row_count() > 0, "{at}: no rows");
            }
            // Recorded as a lookup_run with its status and row count.
            let seq = run
                .recorded_seq
                .unwrap_or_else(|| panic!("{at}: not recorded"));
            let events = j.recorded();
            let Some(EventKind::LookupRun {
                lookup: recorded,
                status,
                row_count,
                query,
                ..
            }) = events.iter().find(|e| e.seq == seq).map(|e| &e.kind)
            else {
                panic!("{at}: event {seq} is not a lookup_run")
            };
            assert_eq!(recorded, &lookup.id.value, "{at}");
            assert_eq!(*status, LookupStatus::Succeeded, "{at}");
            assert_eq!(*row_count, Some(result.row_count() as u64), "{at}");
            // What the mock received is what was shown and recorded, with
            // the right token, each value escaped for where it landed.
            let seen: Vec<Request> = script.lock().unwrap().seen[before..]
                .iter()
                .filter(|(l, _)| *l == lookup.id.value)
                .map(|(_, r)| r.clone())
                .collect();
            let first = seen.first().unwrap_or_else(|| panic!("{at}: nothing sent"));
            let token = match lookup.provider {
                Provider::LogAnalytics => LA_TOKEN,
                _ => GRAPH_TOKEN,
            };
            assert_eq!(
                first.header("authorization"),
                Some(format!("Bearer {token}").as_str()),
                "{at}"
            );
            let text = received_text(lookup.provider, first);
            match lookup.provider {
                Provider::Graph => assert_eq!(
                    text.split('?').next(),
                    Some(format!("/v1.0{}", query.split('?').next().unwrap()).as_str()),
                    "{at}: path"
                ),
                _ => assert_eq!(&text, query, "{at}: query text"),
            }
            for (name, value) in &run.variables {
                let (context, wire) = expected_on_the_wire(lookup, name, value);
                assert!(
                    text.contains(&wire),
                    "{at}: {name} as a {context} should be {wire} in\n{text}"
                );
                if bound.contains(name) {
                    bound_reached.push((name.clone(), at.clone(), context));
                }
            }
            if seen.len() > 1 {
                assert!(seen[1].target.contains("skiptoken=page2"), "{at}");
                assert_eq!(
                    seen[1].header("authorization"),
                    Some(format!("Bearer {GRAPH_TOKEN}").as_str())
                );
                paged += 1;
            }
            providers.insert(lookup.provider.name());
            ran += 1;
            // Bind what the tree suggests and the responder does not know yet.
            for rule in &lookup.bind {
                let name = &rule.variable.value;
                let Some(value) = replay.manifest.discovered.get(name) else {
                    continue;
                };
                if j.variables().contains_key(name) || result.row_count() == 0 {
                    continue;
                }
                if j.bind(&at, &rule.column, name, value) {
                    bound.insert(name.clone());
                    let sources = variable_sources(&j.s.events());
                    assert_eq!(
                        sources.get(name),
                        Some(&ValueSource::Lookup {
                            lookup_seq: seq,
                            row: match &sources[name] {
                                ValueSource::Lookup { row, .. } => *row,
                                _ => u64::MAX,
                            },
                            column: result
                                .primary()
                                .unwrap()
                                .columns
                                .iter()
                                .find(|c| c.name.eq_ignore_ascii_case(&rule.column))
                                .unwrap()
                                .name
                                .clone(),
                        }),
                        "{at}: {name} recorded with its source"
                    );
                }
            }
            j.s.keys("q");
        }
    }
    let all = tree.lookups().count();
    assert_eq!(ran, all, "every lookup of every node ran");
    assert!(ran >= 50, "only {ran} lookups");
    assert_eq!(providers.len(), 3, "every provider: {providers:?}");
    assert!(paged >= 2, "paged Graph answers: {paged}");
    let contexts: BTreeSet<&str> = bound_reached.iter().map(|(_, _, c)| *c).collect();
    assert!(
        bound_reached.iter().any(|(n, _, _)| n == "attacker_ip"),
        "a bound attacker_ip reached a later lookup: {bound_reached:?}"
    );
    assert!(
        contexts.contains("KQL literal") && contexts.contains("OData literal"),
        "bound values reached later lookups in KQL and Graph: {bound_reached:?}"
    );

    // --- Destructive actions: the exact request, a wrong confirmation
    // (nothing sent), then exactly one call, the intent committed first.
    let method_id = replay.manifest.discovered["auth_method_id"].clone();
    let sources = variable_sources(&j.s.events());
    assert!(
        matches!(
            sources.get("auth_method_id"),
            Some(ValueSource::Lookup { .. })
        ),
        "auth_method_id was bound from a row: {:?}",
        sources.get("auth_method_id")
    );
    let actions = [
        (
            "revoke-sessions",
            "POST",
            format!("/users/{}/revokeSignInSessions", percent(&upn)),
            upn.clone(),
            200,
        ),
        (
            "delete-authenticator-method",
            "DELETE",
            format!(
                "/users/{}/authentication/microsoftAuthenticatorMethods/{method_id}",
                percent(&upn)
            ),
            method_id.clone(),
            204,
        ),
    ];
    for (action, method, path, confirmation, http) in actions {
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
        let url = format!("{}/v1.0{path}", mock.base());
        let shown_flat = shown.replace([' ', '\n'], "");
        assert!(
            shown.contains(method) && shown_flat.contains(&url),
            "{action}: the request is shown\n{shown}"
        );
        let sent = || {
            script
                .lock()
                .unwrap()
                .seen
                .iter()
                .filter(|(k, r)| k == "action" && r.target == format!("/v1.0{path}"))
                .count()
        };
        j.s.keys("not-the-confirmation");
        j.s.key(KeyCode::Enter);
        let refused = j.look();
        let words = refused.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("nothing was sent"), "{action}\n{refused}");
        assert_eq!(sent(), 0, "{action}: a wrong confirmation sent it");
        assert!(
            !j.s.events()
                .iter()
                .any(|e| matches!(e, EventKind::ActionIntended { action: a, .. } if a == action)),
            "{action}: a wrong confirmation recorded an intent"
        );
        j.s.ctrl('u');
        j.s.keys(&confirmation);
        j.s.key(KeyCode::Enter);
        j.s.until(|m| matches!(m, LookupMsg::ActionDone { .. }))
            .await;
        j.look();
        assert_eq!(sent(), 1, "{action}: exactly one call");
        let request = script
            .lock()
            .unwrap()
            .seen
            .iter()
            .find(|(_, r)| r.target == format!("/v1.0{path}"))
            .unwrap()
            .1
            .clone();
        assert_eq!(request.method, method, "{action}");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {GRAPH_TOKEN}").as_str())
        );
        let intent_first = script.lock().unwrap().intent_first.clone();
        assert_eq!(
            intent_first.last(),
            Some(&(format!("/v1.0{path}"), true)),
            "{action}: the intent was committed before the call"
        );
        let events = j.recorded();
        let intent = events
            .iter()
            .find(|e| {
                matches!(&e.kind, EventKind::ActionIntended { action: a, simulated: false, confirmation: c, .. }
                    if a == action && *c == confirmation)
            })
            .unwrap_or_else(|| panic!("{action}: no intent"))
            .seq;
        let outcome = &events
            .iter()
            .find(|e| matches!(e.kind, EventKind::ActionOutcome { intent: i, .. } if i == intent))
            .unwrap_or_else(|| panic!("{action}: no outcome of intent {intent}"))
            .kind;
        assert!(
            matches!(outcome, EventKind::ActionOutcome { status: ActionStatus::Succeeded, http_status: Some(h), .. } if *h == http),
            "{action}: {outcome:?}"
        );
        j.s.keys("q");
    }

    // --- Export, as `cairn export` builds it, from a second store handle.
    let store = cairn::store::Store::open(j.s.dir.path()).unwrap();
    let incident_id = cairn::store::IncidentId::parse(&id).unwrap();
    let incident = store.incident(&incident_id).unwrap();
    let events = store.events(&incident_id).unwrap();
    let verification = store.verify(&incident_id).unwrap();
    assert!(verification.broken.is_none(), "the hash chain is intact");
    let own_tree = cairn::tree::load::parse("stored", &incident.tree_source).unwrap();
    let report = cairn::store::export::Report {
        incident: &incident,
        events: &events,
        verification: &verification,
        tree: Some(&own_tree),
    };
    let markdown = cairn::store::export::markdown::render(&report);
    let json_text = cairn::store::export::json::render(&report);
    let exported: Value = serde_json::from_str(&json_text).unwrap();
    let exported_events = exported["events"].as_array().unwrap();
    let of_type = |t: &str| {
        exported_events
            .iter()
            .filter(|e| e["type"] == t)
            .collect::<Vec<_>>()
    };
    assert_eq!(of_type("lookup_run").len(), ran, "export: every lookup run");
    for (_, lookup) in tree.lookups() {
        assert!(
            markdown.contains(&lookup.id.value),
            "export: {} missing from the Markdown",
            lookup.id.value
        );
    }
    let attacker_ip = &replay.manifest.discovered["attacker_ip"];
    let bound_ip = of_type("variable_set")
        .into_iter()
        .find(|e| e["name"] == "attacker_ip")
        .expect("export: attacker_ip");
    assert_eq!(bound_ip["value"], attacker_ip.as_str());
    assert_eq!(bound_ip["source"]["kind"], "lookup", "{bound_ip}");
    assert!(bound_ip["source"]["lookup_seq"].is_u64(), "{bound_ip}");
    let seq = bound_ip["source"]["lookup_seq"].as_u64().unwrap();
    let name = cairn::store::export::escape::md_cell("attacker_ip");
    let row = markdown
        .lines()
        .find(|l| l.starts_with(&format!("| {name} |")))
        .expect("export: attacker_ip in the Markdown's variables");
    assert!(
        row.contains(attacker_ip.as_str()) && row.contains(&format!("lookup (event {seq}), row ")),
        "export: the Markdown shows attacker_ip with its source: {row}"
    );
    assert_eq!(of_type("action_intended").len(), 2, "export: both intents");
    let outcomes = of_type("action_outcome");
    assert_eq!(outcomes.len(), 2, "export: both outcomes");
    assert!(outcomes.iter().all(|o| o["status"] == "succeeded"));
    for action in ["revoke-sessions", "delete-authenticator-method"] {
        assert!(
            markdown.contains(action),
            "export: {action} in the Markdown"
        );
    }
    assert!(
        markdown.contains("succeeded"),
        "export: the outcome in the Markdown"
    );

    // --- No token, refresh token or device code anywhere a person can read.
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(j.s.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            stored.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    assert!(!stored.is_empty());
    for secret in SECRETS {
        for (file, bytes) in &stored {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {file}"
            );
        }
        assert!(
            !markdown.contains(secret),
            "{secret} in the Markdown export"
        );
        assert!(!json_text.contains(secret), "{secret} in the JSON export");
        for screen in &j.screens {
            assert!(!screen.contains(secret), "{secret} on the screen\n{screen}");
        }
        let config = std::fs::read_to_string(config_dir.path().join("config.toml")).unwrap();
        assert!(!config.contains(secret), "{secret} in the configuration");
    }
}
