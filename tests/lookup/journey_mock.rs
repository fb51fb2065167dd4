//! The journey's side of the loopback mock: it answers each lookup with the
//! shipped practice recording (real wire formats; Graph collections split
//! into two pages), runs the device-code sign-in with one pending poll, and
//! notes for each action call whether its intent was already committed.
//! Also the configuration step and the wire encodings the journey expects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use cairn::lookup::replay::Replay;
use cairn::runtime::Shared;
use cairn::store::event::EventKind;
use cairn::tree::model::Provider;
use cairn::tree::{Lookup, Tree};

use super::mock::{Reply, Request};

pub const USER_CODE: &str = "JRNY-4242";
pub const DEVICE_CODE: &str = "DEVICE-SECRET-J1";
pub const LA_TOKEN: &str = "LA-TOKEN-SECRET-J2";
pub const GRAPH_TOKEN: &str = "GRAPH-TOKEN-SECRET-J3";
pub const REFRESH_TOKEN: &str = "REFRESH-SECRET-J4";
pub const SECRETS: [&str; 4] = [DEVICE_CODE, LA_TOKEN, GRAPH_TOKEN, REFRESH_TOKEN];

/// What the mock knows: which lookup is being run (set just before its key
/// is pressed), the recorded answers, and every request it was sent.
#[derive(Default)]
pub struct Script {
    pub base: String,
    pub current: Option<String>,
    pub answers: BTreeMap<String, String>,
    /// Second pages of Graph collections, by lookup id.
    pub second_pages: BTreeMap<String, String>,
    pub device_polls: usize,
    /// (lookup id or "auth"/"action", request)
    pub seen: Vec<(String, Request)>,
    /// For each action request: was its intent already committed?
    pub intent_first: Vec<(String, bool)>,
    pub watch: Option<(Shared, String)>,
}

fn error(status: u16, code: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": code}}).to_string(),
    )
}

pub fn answer(script: &Arc<Mutex<Script>>, req: &Request) -> Reply {
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

/// The user agent the mock's rows carry instead of the recorded one.
pub const HOSTILE_USER_AGENT: &str =
    r"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 it's \ ') | union * //";

/// A string as it appears inside a JSON string literal.
fn json_content(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// The recordings of the shipped scenario, Graph collections of two or more
/// objects split into two pages joined by a nextLink on the mock.
pub fn load_answers(script: &mut Script, tree: &Tree, replay: &Replay) {
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
        // The attacker chose their user agent: one with a quote, a backslash
        // and KQL syntax, so binding it tests the escaping downstream.
        let recorded = json_content(&replay.manifest.discovered["attacker_user_agent"]);
        let body = body.replace(&recorded, &json_content(HOSTILE_USER_AGENT));
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
pub fn configure(dir: &Path, base: &str) -> cairn::lookup::config::Config {
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
pub fn kql(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\'")
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub fn percent(value: &str) -> String {
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
pub fn expected_on_the_wire(lookup: &Lookup, name: &str, value: &str) -> (&'static str, String) {
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
pub fn received_text(provider: Provider, req: &Request) -> String {
    match provider {
        Provider::LogAnalytics => req.json()["query"].as_str().unwrap_or("").to_string(),
        Provider::Hunting => req.json()["Query"].as_str().unwrap_or("").to_string(),
        Provider::Graph => req.target.clone(),
    }
}
