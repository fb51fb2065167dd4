//! A loopback mock of the Sentinel incident API (ARM, api-version
//! 2025-09-01): incidents, entities, alerts, comments and tasks with etags,
//! and faults a test queues: 409, 429 with Retry-After, 5xx, and a write that
//! is applied but whose answer never arrives.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::mock::{Mock, Reply, Request, decode};
use super::sentinel_mock_incident::{
    jwt_upn, list_tasks, put_bookmark, put_incident, put_relation,
};

pub const SUB: &str = "0b9f7c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
pub const RG: &str = "soc-rg(prod)";
pub const WS: &str = "soc-ws-01";
pub const INCIDENT: &str = "7f1c0c53-3a4e-4b43-9d4f-2f8f6b0e6a11";

/// A fault served instead of (or after) the next request's normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Conflict,
    Throttle {
        retry_after_secs: u64,
    },
    Server(u16),
    /// Apply the write, then stall the answer past any read timeout.
    LoseAnswer,
    /// Answer normally: aims the faults queued after it at later requests.
    Pass,
    /// Close the connection without answering (the link is down).
    Drop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub message: String,
    pub etag: String,
    /// Who wrote it, as the portal shows it (the token's user).
    pub author: String,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub title: String,
    pub description: String,
    pub status: String,
    pub etag: String,
    /// Who wrote it last, and when (as Sentinel's lastModifiedBy/TimeUtc).
    pub modified_by: String,
    pub modified: String,
}

#[derive(Debug, Clone)]
pub struct MockIncident {
    pub number: u64,
    pub properties: Value,
    pub entities: Value,
    pub alerts: Value,
    /// In creation order, as the portal shows them.
    pub comments: Vec<(String, Comment)>,
    pub tasks: Vec<(String, Task)>,
    /// Relation name and the ARM id it relates the incident to.
    pub relations: Vec<(String, String)>,
    pub etag: String,
}

#[derive(Debug, Default)]
pub struct State {
    pub incidents: BTreeMap<String, MockIncident>,
    pub faults: VecDeque<Fault>,
    /// Added to every answer (a real service's round trip).
    pub latency: Option<Duration>,
    /// Every write that reached the incident (replays included).
    pub writes: u64,
    /// Changes a person makes in the portal right after the next read of
    /// the incident (so Cairn's write based on that read is stale): each
    /// entry's keys replace the incident's properties and move its etag.
    pub human_edits: VecDeque<Value>,
    /// Writes of the incident's own fields that were applied.
    pub incident_writes: u64,
    /// Bookmarks of the workspace by id: their properties.
    pub bookmarks: BTreeMap<String, Value>,
    next_etag: u64,
}

impl State {
    pub fn etag(&mut self) -> String {
        self.next_etag += 1;
        format!("\"{:08x}-0000-0000-0000-000000000000\"", self.next_etag)
    }
}

pub struct SentinelMock {
    pub server: Mock,
    pub state: Arc<Mutex<State>>,
}

/// The token-theft incident the tests attach: one account, one IP, one host.
pub fn seeded_incident() -> MockIncident {
    MockIncident {
        number: 42,
        properties: json!({
            "title": "Suspicious token use from an unfamiliar location",
            "severity": "High",
            "status": "New",
            "incidentNumber": 42,
            "owner": {"objectId": null, "email": "mika@contoso.com",
                      "userPrincipalName": "mika@contoso.com", "assignedTo": "Mika"},
            "labels": [{"labelName": "token-theft", "labelType": "User"}],
            "description": "Anomalous token \u{1b}[31m replay",
        }),
        entities: json!({"entities": [
            {"kind": "Account", "name": "acc-1", "properties": {
                "accountName": "alex.doe", "upnSuffix": "contoso.com", "friendlyName": "Alex"}},
            {"kind": "Ip", "name": "ip-1", "properties": {"address": "203.0.113.7"}},
            {"kind": "Host", "name": "host-1", "properties": {
                "hostName": "LAPTOP-7", "dnsDomain": "corp.contoso.com",
                "additionalData": {"AadDeviceId": "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
                                   "MdatpDeviceId": "4ecd3a0c0b26c6e4f2a5b8d1e0f9a7c6b5d4e3f2"}}},
            {"kind": "MailMessage", "name": "mail-1", "properties": {"subject": "hi"}},
        ]}),
        alerts: json!({"value": [
            {"name": "alert-1", "properties": {"alertDisplayName": "Anomalous token",
                "severity": "High", "status": "New"}},
        ]}),
        comments: Vec::new(),
        tasks: Vec::new(),
        relations: Vec::new(),
        etag: "\"incident-etag-1\"".into(),
    }
}

impl SentinelMock {
    pub async fn start() -> Self {
        let mut state = State::default();
        state.incidents.insert(INCIDENT.into(), seeded_incident());
        let state = Arc::new(Mutex::new(state));
        let shared = state.clone();
        let server = Mock::start(move |req, _| handle(&mut shared.lock().unwrap(), req)).await;
        Self { server, state }
    }

    pub fn inject(&self, fault: Fault) {
        self.state.lock().unwrap().faults.push_back(fault);
    }

    pub fn comments(&self) -> Vec<(String, Comment)> {
        self.state.lock().unwrap().incidents[INCIDENT]
            .comments
            .clone()
    }

    pub fn set_latency(&self, d: Duration) {
        self.state.lock().unwrap().latency = Some(d);
    }

    pub fn writes(&self) -> u64 {
        self.state.lock().unwrap().writes
    }

    pub fn tasks(&self) -> Vec<(String, Task)> {
        self.state.lock().unwrap().incidents[INCIDENT].tasks.clone()
    }

    pub fn workspace() -> cairn::lookup::sentinel::SentinelWorkspace {
        cairn::lookup::sentinel::SentinelWorkspace {
            subscription: SUB.into(),
            resource_group: RG.into(),
            workspace_name: WS.into(),
        }
    }
}

pub fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}

fn handle(state: &mut State, req: &Request) -> Reply {
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    if !query.split('&').any(|p| p == "api-version=2025-09-01") {
        return error(
            400,
            "MissingApiVersionParameter",
            "api-version 2025-09-01 expected",
        );
    }
    // `sentinel-token` is kim's, `sentinel-token-NAME` NAME's: the author
    // Sentinel records for what they write. A bearer `sentinel-token-NAME`
    // (or a JWT whose first segment is that, so a test can give Cairn an
    // object id to read) is NAME's; any other JWT names its user by `upn`.
    let bearer = req
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or("");
    let named = bearer
        .strip_prefix("sentinel-token")
        .map(|u| u.split('.').next().unwrap_or(""));
    let author = match (named, jwt_upn(bearer)) {
        (Some(""), _) => "kim@contoso.com".to_string(),
        (Some(user), _) => match user.strip_prefix('-') {
            Some(name) if !name.is_empty() => format!("{name}@contoso.com"),
            _ => return error(401, "InvalidAuthenticationToken", "bad token"),
        },
        (None, Some(upn)) => upn,
        (None, None) => return error(401, "InvalidAuthenticationToken", "bad token"),
    };
    let segments: Vec<String> = path.split('/').skip(1).map(decode).collect();
    let prefix = [
        "subscriptions",
        SUB,
        "resourceGroups",
        RG,
        "providers",
        "Microsoft.OperationalInsights",
        "workspaces",
        WS,
        "providers",
        "Microsoft.SecurityInsights",
    ];
    if segments.len() < prefix.len() || segments[..prefix.len()] != prefix {
        return error(404, "ResourceNotFound", "no such workspace");
    }
    let rest: Vec<&str> = segments[prefix.len()..]
        .iter()
        .map(String::as_str)
        .collect();
    let fault = state.faults.pop_front();
    match fault {
        Some(Fault::Conflict) => {
            return error(
                409,
                "Conflict",
                "Newer version of resource exists. Data was not saved",
            );
        }
        Some(Fault::Throttle { retry_after_secs }) => {
            return error(429, "TooManyRequests", "throttled")
                .with_header("Retry-After", &retry_after_secs.to_string());
        }
        Some(Fault::Server(status)) => return error(status, "InternalServerError", "boom"),
        Some(Fault::Drop) => return Reply::dropped(),
        Some(Fault::LoseAnswer | Fault::Pass) | None => {}
    }
    let reply = route(state, req, &rest, query, &author);
    let reply = match state.latency {
        Some(d) => reply.delayed(d),
        None => reply,
    };
    if fault == Some(Fault::LoseAnswer) {
        reply.stalled(Duration::from_secs(10))
    } else {
        reply
    }
}

fn route(state: &mut State, req: &Request, rest: &[&str], query: &str, author: &str) -> Reply {
    match (req.method.as_str(), rest) {
        ("GET", ["incidents"]) => {
            let filter = query
                .split('&')
                .find_map(|p| p.strip_prefix("$filter="))
                .map(decode)
                .unwrap_or_default();
            let value: Vec<Value> = state
                .incidents
                .iter()
                .filter(|(_, i)| filter == format!("properties/incidentNumber eq {}", i.number))
                .map(|(name, i)| incident_json(name, i))
                .collect();
            Reply::json(200, &json!({ "value": value }).to_string())
        }
        ("GET", ["incidents", id]) => {
            let edit = state.human_edits.pop_front();
            let etag = state.etag();
            match state.incidents.get_mut(*id) {
                Some(i) => {
                    let reply = Reply::json(200, &incident_json(id, i).to_string());
                    // The person's change lands after Cairn's read.
                    if let Some(Value::Object(edit)) = edit {
                        for (k, v) in edit {
                            i.properties[k] = v;
                        }
                        i.etag = etag;
                    }
                    reply
                }
                None => error(404, "NotFound", "incident not found"),
            }
        }
        ("PUT", ["incidents", id]) => put_incident(state, req, id),
        ("PUT", ["bookmarks", id]) => put_bookmark(state, req, id),
        ("PUT", ["incidents", id, "relations", name]) => put_relation(state, req, id, name),
        ("POST", ["incidents", id, what @ ("entities" | "alerts")]) => {
            match state.incidents.get(*id) {
                Some(i) if *what == "entities" => Reply::json(200, &i.entities.to_string()),
                Some(i) => Reply::json(200, &i.alerts.to_string()),
                None => error(404, "NotFound", "incident not found"),
            }
        }
        ("GET", ["incidents", id, "comments"]) => match state.incidents.get(*id) {
            Some(i) => {
                let value: Vec<Value> = i
                    .comments
                    .iter()
                    .map(|(name, c)| {
                        json!({"name": name, "etag": c.etag, "properties": {
                            "message": c.message,
                            "createdTimeUtc": c.created,
                            "author": {"name": c.author, "email": c.author,
                                       "userPrincipalName": c.author}}})
                    })
                    .collect();
                Reply::json(200, &json!({ "value": value }).to_string())
            }
            None => error(404, "NotFound", "incident not found"),
        },
        ("GET", ["incidents", id, "tasks"]) => list_tasks(state, id),
        ("PUT", ["incidents", id, kind @ ("comments" | "tasks"), child]) => {
            put_child(state, req, id, kind, child, author)
        }
        _ => error(404, "NotFound", "no such route"),
    }
}

pub fn incident_json(name: &str, i: &MockIncident) -> Value {
    json!({
        "id": format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.OperationalInsights/workspaces/{WS}/providers/Microsoft.SecurityInsights/Incidents/{name}"),
        "name": name,
        "etag": i.etag,
        "type": "Microsoft.SecurityInsights/Incidents",
        "properties": i.properties,
    })
}

fn put_child(
    state: &mut State,
    req: &Request,
    id: &str,
    kind: &str,
    child: &str,
    author: &str,
) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "BadRequest", "body is not JSON");
    };
    let text = |key: &str| {
        body.pointer(&format!("/properties/{key}"))
            .and_then(Value::as_str)
    };
    let etag = state.etag();
    state.writes += 1;
    let author = author.to_string();
    let created = format!("2026-12-03T10:{:02}:00Z", state.writes % 60);
    let if_match = req.header("if-match").map(str::to_string);
    let Some(incident) = state.incidents.get_mut(id) else {
        return error(404, "NotFound", "incident not found");
    };
    let (created, current) = if kind == "comments" {
        let Some(message) = text("message") else {
            return error(400, "BadRequest", "properties.message is required");
        };
        if message.chars().count() > 30_000 {
            return error(400, "BadRequest", "message longer than 30000 characters");
        }
        let comment = Comment {
            message: message.into(),
            etag: etag.clone(),
            author,
            created,
        };
        upsert(
            &mut incident.comments,
            child,
            comment,
            |c| &c.etag,
            &if_match,
        )
    } else {
        let (Some(title), Some(status)) = (text("title"), text("status")) else {
            return error(
                400,
                "BadRequest",
                "properties.title and status are required",
            );
        };
        if !matches!(status, "New" | "Completed") {
            return error(400, "BadRequest", "status must be New or Completed");
        }
        let task = Task {
            title: title.into(),
            description: text("description").unwrap_or("").into(),
            status: status.into(),
            etag: etag.clone(),
            modified_by: author.clone(),
            modified: created.clone(),
        };
        upsert(&mut incident.tasks, child, task, |t| &t.etag, &if_match)
    };
    let Some(created) = created else {
        return error(409, "Conflict", &format!("etag {current} is newer"));
    };
    Reply::json(
        if created { 201 } else { 200 },
        &json!({"name": child, "etag": etag, "properties": body["properties"]}).to_string(),
    )
}

/// Some(true) created, Some(false) replaced, None when If-Match is stale.
fn upsert<T>(
    list: &mut Vec<(String, T)>,
    id: &str,
    value: T,
    etag_of: fn(&T) -> &String,
    if_match: &Option<String>,
) -> (Option<bool>, String) {
    match list.iter_mut().find(|(k, _)| k == id) {
        Some((_, old)) => {
            let current = etag_of(old).clone();
            if if_match.as_ref().is_some_and(|m| *m != current && m != "*") {
                return (None, current);
            }
            *old = value;
            (Some(false), current)
        }
        None => {
            list.push((id.to_string(), value));
            (Some(true), String::new())
        }
    }
}
