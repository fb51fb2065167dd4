//! The Sentinel mock's incident writes and its users: `PUT incidents/{id}`
//! with the etag rule (a stale etag is refused with 409, as Sentinel does),
//! and unsigned JWTs that name a user the way Entra ID tokens do.

use serde_json::{Value, json};

use super::mock::{Reply, Request};
use super::sentinel_mock::{INCIDENT, SentinelMock, State, error, incident_json};

/// The `upn` claim of a JWT (`header.payload.signature`), if it is one.
pub fn jwt_upn(token: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims["upn"].as_str().map(str::to_string)
}

/// A delegated sign-in's token for `upn` (object id `oid`) as the mock
/// and Cairn's claim reader read it (unsigned: nothing checks signatures).
pub fn jwt(upn: &str, oid: &str) -> String {
    use base64::Engine as _;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.sig",
        b64(json!({"alg": "none", "typ": "JWT"})),
        b64(json!({"upn": upn, "oid": oid, "tid": "t"}))
    )
}

/// `PUT incidents/{id}`: the whole incident, refused with 409 when the
/// etag it carries (in the body, or `If-Match`) is not the current one.
pub fn put_incident(state: &mut State, req: &Request, id: &str) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "BadRequest", "body is not JSON");
    };
    let etag = state.etag();
    let Some(incident) = state.incidents.get_mut(id) else {
        return error(404, "NotFound", "incident not found");
    };
    let sent = body["etag"]
        .as_str()
        .or(req.header("if-match"))
        .map(str::to_string);
    if sent.as_ref().is_some_and(|e| *e != incident.etag) {
        return error(
            409,
            "Conflict",
            "Newer version of resource exists. Data was not saved",
        );
    }
    let props = &body["properties"];
    for key in ["title", "severity", "status"] {
        if !props[key].is_string() {
            return error(400, "BadRequest", &format!("properties.{key} is required"));
        }
    }
    if !matches!(props["status"].as_str(), Some("New" | "Active" | "Closed")) {
        return error(400, "BadRequest", "status must be New, Active or Closed");
    }
    if props["status"] == "Closed" && !props["classification"].is_string() {
        return error(
            400,
            "BadRequest",
            "a closed incident needs a classification",
        );
    }
    let number = incident.properties["incidentNumber"].clone();
    incident.properties = props.clone();
    incident.properties["incidentNumber"] = number;
    incident.etag = etag;
    state.incident_writes += 1;
    let reply = incident_json(id, incident);
    Reply::json(200, &reply.to_string())
}

impl SentinelMock {
    /// The incident's properties as Sentinel holds them now.
    pub fn incident(&self) -> Value {
        self.state.lock().unwrap().incidents[INCIDENT]
            .properties
            .clone()
    }

    /// A person's change in the portal, landing right after Cairn's next
    /// read of the incident.
    pub fn edit_after_next_read(&self, edit: Value) {
        self.state.lock().unwrap().human_edits.push_back(edit);
    }

    /// A person completes or reopens task `id` in the portal.
    pub fn set_task(&self, id: &str, status: &str, by: &str) {
        let mut state = self.state.lock().unwrap();
        let task = state
            .incidents
            .get_mut(INCIDENT)
            .unwrap()
            .tasks
            .iter_mut()
            .find(|(k, _)| k == id);
        let (_, task) = task.expect("no such task");
        task.status = status.into();
        task.modified_by = by.into();
        task.modified = "2026-12-03T11:05:00Z".into();
    }

    pub fn incident_writes(&self) -> u64 {
        self.state.lock().unwrap().incident_writes
    }

    /// The workspace's bookmarks by id.
    pub fn bookmarks(&self) -> std::collections::BTreeMap<String, Value> {
        self.state.lock().unwrap().bookmarks.clone()
    }

    /// The incident's relations: (name, related ARM id).
    pub fn relations(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().incidents[INCIDENT]
            .relations
            .clone()
    }
}

/// `PUT bookmarks/{id}`: `displayName` and `query` required; replaces.
pub fn put_bookmark(state: &mut State, req: &Request, id: &str) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "BadRequest", "body is not JSON");
    };
    let props = &body["properties"];
    if !props["displayName"].is_string() || !props["query"].is_string() {
        return error(400, "BadRequest", "displayName and query are required");
    }
    state.writes += 1;
    let created = state
        .bookmarks
        .insert(id.to_string(), props.clone())
        .is_none();
    Reply::json(
        if created { 201 } else { 200 },
        &json!({"name": id, "properties": props}).to_string(),
    )
}

/// `PUT incidents/{id}/relations/{name}`: the name's pattern, and the
/// related bookmark must exist in this workspace.
pub fn put_relation(state: &mut State, req: &Request, id: &str, name: &str) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "BadRequest", "body is not JSON");
    };
    let ok_name = (3..=63).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok_name {
        return error(
            400,
            "BadRequest",
            "relation name must match ^[a-zA-Z0-9-]{3,63}$",
        );
    }
    let Some(related) = body["properties"]["relatedResourceId"].as_str() else {
        return error(
            400,
            "BadRequest",
            "properties.relatedResourceId is required",
        );
    };
    let prefix = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.OperationalInsights/workspaces/{}/providers/Microsoft.SecurityInsights/bookmarks/",
        super::sentinel_mock::SUB,
        super::sentinel_mock::RG,
        super::sentinel_mock::WS
    );
    let exists = related
        .strip_prefix(&prefix)
        .is_some_and(|b| state.bookmarks.contains_key(b));
    if !exists {
        return error(
            400,
            "BadRequest",
            "relatedResourceId names no bookmark of this workspace",
        );
    }
    state.writes += 1;
    let Some(incident) = state.incidents.get_mut(id) else {
        return error(404, "NotFound", "incident not found");
    };
    let created = match incident.relations.iter_mut().find(|(n, _)| n == name) {
        Some((_, r)) => {
            *r = related.to_string();
            false
        }
        None => {
            incident
                .relations
                .push((name.to_string(), related.to_string()));
            true
        }
    };
    Reply::json(
        if created { 201 } else { 200 },
        &json!({"name": name, "properties": body["properties"]}).to_string(),
    )
}

/// `GET incidents/{id}/tasks`, with who changed each last and when.
pub fn list_tasks(state: &State, id: &str) -> Reply {
    match state.incidents.get(id) {
        Some(i) => {
            let value: Vec<Value> = i
                .tasks
                .iter()
                .map(|(name, t)| {
                    json!({"name": name, "etag": t.etag, "properties": {
                            "title": t.title, "description": t.description,
                            "status": t.status, "lastModifiedTimeUtc": t.modified,
                            "lastModifiedBy": {"email": t.modified_by,
                                               "userPrincipalName": t.modified_by}}})
                })
                .collect();
            Reply::json(200, &json!({ "value": value }).to_string())
        }
        None => error(404, "NotFound", "incident not found"),
    }
}
