//! The incident's own fields (owner, status, classification): read with
//! its etag, changed by the caller, written back with that etag, so a write
//! based on a stale read is refused (409) instead of undoing someone's
//! change. Unlike children, an incident is never written blind.

use reqwest::Method;
use serde_json::{Value, json};

use super::{IncidentName, Sentinel, SentinelError};
use crate::lookup::auth::Resource;
use crate::lookup::auth::claims::TokenClaims;

/// An incident as read for a change: its properties exactly as Sentinel
/// gave them (fields Cairn does not know included, so writing them back
/// keeps them) and the etag they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFields {
    pub properties: serde_json::Map<String, Value>,
    pub etag: Option<String>,
}

impl IncidentFields {
    pub fn text(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(Value::as_str)
    }
}

/// Who this Cairn acts as in Sentinel, from its ARM token's claims: set
/// as the owner when it claims an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub object_id: String,
    pub upn: String,
}

impl Sentinel<'_> {
    /// The signed-in user, when the ARM token names one (a delegated
    /// sign-in: `oid` and `upn`). An application's token has no `upn`:
    /// Cairn then claims nothing rather than assign the incident to an app.
    pub async fn me(&self) -> Option<Me> {
        let token = self.api().tokens.token(Resource::Arm, false).await.ok()?;
        let claims = TokenClaims::of(token.secret()).ok()?;
        Some(Me {
            object_id: claims.oid.filter(|o| uuid::Uuid::try_parse(o).is_ok())?,
            upn: claims.upn.filter(|u| !u.trim().is_empty())?,
        })
    }

    /// Reads the incident's properties and etag.
    pub async fn incident_fields(
        &self,
        incident: &IncidentName,
    ) -> Result<IncidentFields, SentinelError> {
        let url = self.url(&["incidents", incident.as_str()], &[])?;
        let raw = self.call(Method::GET, &url, None).await?;
        let mut body: Value = serde_json::from_slice(&raw.body)
            .map_err(|e| SentinelError::Malformed(format!("incident: {e}")))?;
        let etag = body.get("etag").and_then(Value::as_str).map(str::to_string);
        match body.get_mut("properties").map(Value::take) {
            Some(Value::Object(properties)) => Ok(IncidentFields { properties, etag }),
            _ => Err(SentinelError::Malformed(
                "incident without properties".into(),
            )),
        }
    }

    /// Writes `fields` back with the etag they were read with (in the body,
    /// beside `properties`, and as `If-Match`): 409 when the incident changed
    /// since. Never retried here: the caller re-reads and merges.
    pub async fn put_incident_fields(
        &self,
        incident: &IncidentName,
        fields: &IncidentFields,
    ) -> Result<(), SentinelError> {
        let url = self.url(&["incidents", incident.as_str()], &[])?;
        let mut body = json!({ "properties": fields.properties });
        let mut headers = Vec::new();
        if let Some(etag) = &fields.etag {
            body["etag"] = json!(etag);
            headers.push(("If-Match", etag.clone()));
        }
        self.call_with(Method::PUT, &url, Some(body), &headers)
            .await
            .map(|_| ())
    }
}
