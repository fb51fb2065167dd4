//! The Sentinel mock's incident writes and its users: `PUT incidents/{id}`
//! with the etag rule (a stale etag is refused with 409, as Sentinel does),
//! and unsigned JWTs that name a user the way Entra ID tokens do.

use serde_json::{Value, json};

use super::mock::{Reply, Request};
use super::sentinel_mock::{State, error, incident_json};

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
