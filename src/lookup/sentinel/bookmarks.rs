//! Bookmarks of marked evidence and their relation to the incident, both
//! written with `PUT` under names Cairn derives from the mark, so a retry
//! or a lost answer rewrites the same objects instead of adding new ones.
//! Bookmarks need the Microsoft Sentinel Contributor role [?].

use reqwest::Method;
use serde_json::{Value, json};

use super::{IncidentName, Sentinel, SentinelError};

/// What a bookmark holds (the wire's required `displayName` and `query`,
/// and what Cairn adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    pub display_name: String,
    pub query: String,
    pub query_result: Option<String>,
    pub notes: String,
    pub labels: Vec<String>,
    /// RFC 3339.
    pub event_time: String,
}

impl Sentinel<'_> {
    /// The ARM id of bookmark `id` in the configured workspace.
    pub fn bookmark_resource_id(&self, id: uuid::Uuid) -> String {
        let w = &self.workspace();
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.OperationalInsights/\
             workspaces/{}/providers/Microsoft.SecurityInsights/bookmarks/{}",
            w.subscription,
            w.resource_group,
            w.workspace_name,
            id.hyphenated()
        )
    }

    /// Writes bookmark `id` (created, or replaced with the same content).
    pub async fn put_bookmark(&self, id: uuid::Uuid, b: &Bookmark) -> Result<(), SentinelError> {
        let mut properties = json!({
            "displayName": b.display_name,
            "query": b.query,
            "notes": b.notes,
            "labels": b.labels,
            "eventTime": b.event_time,
        });
        if let Some(result) = &b.query_result {
            properties["queryResult"] = json!(result);
        }
        let id = id.hyphenated().to_string();
        let url = self.url(&["bookmarks", &id], &[])?;
        self.put_once_more(&url, json!({ "properties": properties }))
            .await
    }

    /// Relates the incident to `related` (an ARM id) under relation `name`.
    pub async fn put_relation(
        &self,
        incident: &IncidentName,
        name: uuid::Uuid,
        related: &str,
    ) -> Result<(), SentinelError> {
        let name = name.hyphenated().to_string();
        let url = self.url(&["incidents", incident.as_str(), "relations", &name], &[])?;
        let body = json!({ "properties": { "relatedResourceId": related } });
        self.put_once_more(&url, body).await
    }

    /// A PUT under a name Cairn chose; a 409 (spurious ones are reported)
    /// is answered by the same PUT once more, which is safe: it replaces.
    async fn put_once_more(&self, url: &str, body: Value) -> Result<(), SentinelError> {
        match self.call(Method::PUT, url, Some(body.clone())).await {
            Err(SentinelError::Conflict(_)) => self.call(Method::PUT, url, Some(body)).await,
            other => other,
        }
        .map(|_| ())
    }
}
