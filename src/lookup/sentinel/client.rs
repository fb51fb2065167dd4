//! The Sentinel calls, each through the one HTTP path (`ApiClient::send`):
//! bearer token for ARM, 401 refresh, and retries of 429 and 5xx honouring
//! `Retry-After`. Retrying is safe for every call here: reads, the
//! read-only POSTs (entities, alerts) and PUTs under ids Cairn chose, which
//! replace rather than duplicate.

use reqwest::Method;
use serde_json::json;

use super::{
    API_VERSION, Alert, Entity, Incident, IncidentName, IncidentRef, MAX_COMMENT_CHARS,
    SentinelError, SentinelWorkspace, wire,
};
use crate::lookup::auth::Resource;
use crate::lookup::error::LookupError;
use crate::lookup::http::{ApiClient, Call, Raw, retry_after};
use crate::tree::template::{check_path_segment, percent_encode};

/// A task's state: Sentinel knows only these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    New,
    Completed,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::New => "New",
            TaskStatus::Completed => "Completed",
        }
    }
}

/// What a PUT left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// 201: the object is new; 200: an existing one was replaced.
    pub created: bool,
    pub etag: Option<String>,
}

/// One configured Sentinel workspace, reached through `api`.
pub struct Sentinel<'a> {
    api: &'a ApiClient,
    workspace: SentinelWorkspace,
    base: String,
}

impl<'a> Sentinel<'a> {
    pub fn new(api: &'a ApiClient, workspace: &SentinelWorkspace) -> Self {
        let base = format!(
            "{}/subscriptions/{}/resourceGroups/{}/providers/Microsoft.OperationalInsights/\
             workspaces/{}/providers/Microsoft.SecurityInsights",
            api.endpoints.arm.trim_end_matches('/'),
            percent_encode(&workspace.subscription),
            percent_encode(&workspace.resource_group),
            percent_encode(&workspace.workspace_name),
        );
        Self {
            api,
            workspace: workspace.clone(),
            base,
        }
    }

    /// The URL of `segments` below the workspace's SecurityInsights root,
    /// each segment checked and escaped by the one path-segment rule so it
    /// stays one segment (names are validated before, this is the last gate).
    pub(super) fn url(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<String, SentinelError> {
        let mut url = self.base.clone();
        for s in segments {
            check_path_segment(s).map_err(|e| {
                SentinelError::BadReference(
                    crate::text::visible(&e.to_string(), crate::text::Medium::Cli).into_owned(),
                )
            })?;
            url.push('/');
            url.push_str(&percent_encode(s));
        }
        url.push_str("?api-version=");
        url.push_str(API_VERSION);
        for (key, value) in query {
            url.push('&');
            url.push_str(key);
            url.push('=');
            url.push_str(&percent_encode(value));
        }
        Ok(url)
    }

    pub(super) fn api(&self) -> &ApiClient {
        self.api
    }

    pub(super) fn workspace(&self) -> &SentinelWorkspace {
        &self.workspace
    }

    pub(super) async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<serde_json::Value>,
    ) -> Result<Raw, SentinelError> {
        self.call_with(method, url, body, &[]).await
    }

    pub(super) async fn call_with(
        &self,
        method: Method,
        url: &str,
        body: Option<serde_json::Value>,
        headers: &[(&'static str, String)],
    ) -> Result<Raw, SentinelError> {
        let raw = self
            .api
            .send(
                Call {
                    resource: Resource::Arm,
                    method,
                    url,
                    json_body: body.map(|b| b.to_string().into_bytes()),
                    extra_headers: headers,
                    retry: true,
                },
                None,
            )
            .await
            .map_err(|e| match e {
                // The service asked for a longer wait than the retry cap.
                LookupError::WaitTooLong { status, wait, .. } => match status {
                    429 => SentinelError::Throttled {
                        retry_after: Some(wait),
                    },
                    status => SentinelError::Unavailable {
                        status,
                        retry_after: Some(wait),
                    },
                },
                e => SentinelError::Lookup(e),
            })?;
        match raw.status {
            200..=299 => Ok(raw),
            409 => Err(SentinelError::Conflict(raw.api_error())),
            429 => Err(SentinelError::Throttled {
                retry_after: retry_after(&raw.headers),
            }),
            status @ 500..=599 => Err(SentinelError::Unavailable {
                status,
                retry_after: retry_after(&raw.headers),
            }),
            _ => Err(SentinelError::Api(raw.api_error())),
        }
    }

    /// Reads an incident by number, id or ARM id.
    pub async fn incident(&self, reference: &IncidentRef) -> Result<Incident, SentinelError> {
        reference.check_workspace(&self.workspace)?;
        let (name, shown) = match reference {
            IncidentRef::Number(n) => {
                let url = self.url(
                    &["incidents"],
                    &[
                        ("$filter", format!("properties/incidentNumber eq {n}")),
                        ("$top", "1".into()),
                    ],
                )?;
                let raw = self.call(Method::GET, &url, None).await?;
                return wire::first_of_list(&raw.body)?
                    .ok_or_else(|| SentinelError::NotFound(format!("#{n}")));
            }
            IncidentRef::Name(name) | IncidentRef::Arm { name, .. } => (name, name.to_string()),
        };
        let url = self.url(&["incidents", name.as_str()], &[])?;
        match self.call(Method::GET, &url, None).await {
            Err(SentinelError::Api(e)) if e.status == 404 => Err(SentinelError::NotFound(shown)),
            other => wire::incident(&other?.body),
        }
    }

    pub async fn entities(&self, incident: &IncidentName) -> Result<Vec<Entity>, SentinelError> {
        let url = self.url(&["incidents", incident.as_str(), "entities"], &[])?;
        wire::entities(&self.call(Method::POST, &url, None).await?.body)
    }

    pub async fn alerts(&self, incident: &IncidentName) -> Result<Vec<Alert>, SentinelError> {
        let url = self.url(&["incidents", incident.as_str(), "alerts"], &[])?;
        wire::alerts(&self.call(Method::POST, &url, None).await?.body)
    }

    /// Every comment of the incident, following `nextLink` while it stays
    /// on the configured ARM host (a link elsewhere is not followed: the
    /// token is never sent to another host).
    pub async fn comments(
        &self,
        incident: &IncidentName,
    ) -> Result<Vec<crate::store::remote::RemoteComment>, SentinelError> {
        let mut url = self.url(&["incidents", incident.as_str(), "comments"], &[])?;
        let mut all = Vec::new();
        let host = self.api.endpoints.arm.trim_end_matches('/').to_string();
        // A service that links pages in a loop is stopped after this many.
        for _ in 0..100 {
            let raw = self.call(Method::GET, &url, None).await?;
            let (page, next) = wire::comments(&raw.body)?;
            all.extend(page);
            match next {
                Some(next) if next.starts_with(&format!("{host}/")) => url = next,
                _ => break,
            }
        }
        Ok(all)
    }

    /// The incident's `[cairn]` tasks, following `nextLink` on the ARM host
    /// only (as for comments).
    pub async fn cairn_tasks(
        &self,
        incident: &IncidentName,
    ) -> Result<Vec<crate::store::remote::RemoteTask>, SentinelError> {
        let mut url = self.url(&["incidents", incident.as_str(), "tasks"], &[])?;
        let mut all = Vec::new();
        let host = self.api.endpoints.arm.trim_end_matches('/').to_string();
        for _ in 0..100 {
            let raw = self.call(Method::GET, &url, None).await?;
            let (page, next) = super::task_wire::cairn_tasks(&raw.body)?;
            all.extend(page);
            match next {
                Some(next) if next.starts_with(&format!("{host}/")) => url = next,
                _ => break,
            }
        }
        Ok(all)
    }

    /// Writes comment `id` (created, or replaced with the same text).
    pub async fn put_comment(
        &self,
        incident: &IncidentName,
        id: uuid::Uuid,
        message: &str,
    ) -> Result<Written, SentinelError> {
        let chars = message.chars().count();
        if chars > MAX_COMMENT_CHARS {
            return Err(SentinelError::TooLong(chars));
        }
        let body = json!({ "properties": { "message": message } });
        self.put_child(incident, "comments", id, body).await
    }

    /// Writes task `id` with its title, description and status.
    pub async fn put_task(
        &self,
        incident: &IncidentName,
        id: uuid::Uuid,
        title: &str,
        description: &str,
        status: TaskStatus,
    ) -> Result<Written, SentinelError> {
        let body = json!({ "properties": {
            "title": title,
            "description": description,
            "status": status.as_str(),
        }});
        self.put_child(incident, "tasks", id, body).await
    }

    /// PUT of a child under an id Cairn chose. A 409 is retried once: the
    /// write carries no etag, and spurious 409s have been reported, so a
    /// second identical PUT is the cheap, safe check.
    async fn put_child(
        &self,
        incident: &IncidentName,
        kind: &str,
        id: uuid::Uuid,
        body: serde_json::Value,
    ) -> Result<Written, SentinelError> {
        let id = id.hyphenated().to_string();
        let url = self.url(&["incidents", incident.as_str(), kind, &id], &[])?;
        let raw = match self.call(Method::PUT, &url, Some(body.clone())).await {
            Err(SentinelError::Conflict(_)) => self.call(Method::PUT, &url, Some(body)).await?,
            other => other?,
        };
        Ok(Written {
            created: raw.status == 201,
            etag: wire::etag(&raw.body),
        })
    }
}
