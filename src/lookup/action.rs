//! Graph write calls (POST, PATCH, DELETE). Never retried: a timed-out write
//! may have run, so its outcome is "unknown" until a verifying GET says.

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::auth::Resource;
use super::error::LookupError;
use super::graph;
use super::http::{ApiClient, Call};
use crate::store::event::ActionStatus;
use crate::tree::model::HttpMethod;

/// A rendered action, exactly as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    pub method: HttpMethod,
    /// Path below the Graph API version, placeholders already substituted.
    pub path: String,
    pub body: Option<String>,
}

/// What happened, in the store's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionReport {
    pub status: ActionStatus,
    pub http_status: Option<u16>,
    pub detail: String,
    /// Offered when the status is `Unknown` and a read can settle it.
    pub verify: Option<VerifyPlan>,
}

/// A read that tells whether an unknown write took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyPlan {
    /// After a DELETE: the object is gone when the GET answers 404.
    ExpectGone { path: String },
    /// After revokeSignInSessions: the user's `signInSessionsValidFromDateTime`
    /// moves to (about) the time of the call.
    SessionsRevoked {
        user_path: String,
        since: DateTime<Utc>,
    },
}

impl VerifyPlan {
    /// The GET the plan sends, to show the responder before running it.
    pub fn get_path(&self) -> String {
        match self {
            VerifyPlan::ExpectGone { path } => path.clone(),
            VerifyPlan::SessionsRevoked { user_path, .. } => {
                format!("{user_path}?$select=signInSessionsValidFromDateTime")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// The write took effect.
    Done,
    /// It did not.
    NotDone,
    /// The read could not tell (error, timeout).
    StillUnknown(String),
}

/// The report for practice, training and tabletop modes: nothing is sent.
pub fn simulate(req: &ActionRequest) -> ActionReport {
    ActionReport {
        status: ActionStatus::Simulated,
        http_status: None,
        detail: format!(
            "simulated: nothing was sent (practice mode); live, Cairn would send {} {}",
            req.method.name(),
            req.path
        ),
        verify: None,
    }
}

/// The read that can settle an unknown outcome of `req`, sent at `started`
/// (also for an intent restored from the record).
pub fn verify_plan(req: &ActionRequest, started: DateTime<Utc>) -> Option<VerifyPlan> {
    let bare = req.path.split('?').next().unwrap_or("");
    match req.method {
        HttpMethod::Delete => Some(VerifyPlan::ExpectGone {
            path: bare.to_string(),
        }),
        HttpMethod::Post => {
            bare.strip_suffix("/revokeSignInSessions")
                .map(|user| VerifyPlan::SessionsRevoked {
                    user_path: user.to_string(),
                    since: started,
                })
        }
        HttpMethod::Patch => None,
    }
}

/// Sends the write once.
pub async fn perform(client: &ApiClient, req: &ActionRequest) -> ActionReport {
    let fit = super::error::Fit {
        graph: true,
        ..Default::default()
    };
    perform_fitted(client, req, &fit).await
}

/// `perform`, with a refusal's remedy fitted to the sign-in in use and the
/// action's declared permissions (a Graph write's, never a workspace role).
pub async fn perform_fitted(
    client: &ApiClient,
    req: &ActionRequest,
    fit: &super::error::Fit,
) -> ActionReport {
    let started = Utc::now();
    let url = match graph::url_for(client, &req.path) {
        Ok(u) => u.to_string(),
        Err(e) => return failed(None, e.to_string()),
    };
    let method = match req.method {
        HttpMethod::Post => Method::POST,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    };
    let call = Call {
        resource: Resource::Graph,
        method,
        url: &url,
        json_body: req.body.as_ref().map(|b| b.as_bytes().to_vec()),
        extra_headers: &[],
        retry: false,
    };
    let sent = tokio::time::timeout(client.settings.total_timeout, client.send(call, None)).await;
    match sent {
        Ok(Ok(raw)) if (200..300).contains(&raw.status) => ActionReport {
            status: ActionStatus::Succeeded,
            http_status: Some(raw.status),
            detail: format!("{} {} answered {}", req.method.name(), req.path, raw.status),
            verify: None,
        },
        Ok(Ok(raw)) => {
            let err = raw.api_error().fit(fit);
            let mut detail = err.to_string();
            if raw.status == 429 {
                detail.push_str(". Nothing was changed; run it again later");
            }
            failed(Some(raw.status), detail)
        }
        // Refused before anything was sent.
        Ok(Err(
            e @ (LookupError::Unreachable(_)
            | LookupError::Auth(_)
            | LookupError::Config(_)
            | LookupError::Rewritten { .. }),
        )) => failed(None, e.to_string()),
        Ok(Err(LookupError::SignInAgain)) => {
            failed(Some(401), LookupError::SignInAgain.to_string())
        }
        Ok(Err(e)) => unknown(req, started, e.to_string()),
        Err(_) => unknown(
            req,
            started,
            LookupError::Timeout(super::error::TimeoutKind::Total).to_string(),
        ),
    }
}

fn failed(http_status: Option<u16>, detail: String) -> ActionReport {
    ActionReport {
        status: ActionStatus::Failed,
        http_status,
        detail,
        verify: None,
    }
}

fn unknown(req: &ActionRequest, started: DateTime<Utc>, why: String) -> ActionReport {
    let verify = verify_plan(req, started);
    let offer = match &verify {
        Some(p) => format!("; check with GET {}", p.get_path()),
        None => "; check the object in the portal before trying again".into(),
    };
    ActionReport {
        status: ActionStatus::Unknown,
        http_status: None,
        detail: format!("outcome unknown: {why}{offer}"),
        verify,
    }
}

/// Runs a verifying read.
pub async fn verify(client: &ApiClient, plan: &VerifyPlan) -> Verified {
    let url = match graph::url_for(client, &plan.get_path()) {
        Ok(u) => u.to_string(),
        Err(e) => return Verified::StillUnknown(e.to_string()),
    };
    let call = Call {
        resource: Resource::Graph,
        method: Method::GET,
        url: &url,
        json_body: None,
        extra_headers: &[],
        retry: true,
    };
    let raw =
        match tokio::time::timeout(client.settings.total_timeout, client.send(call, None)).await {
            Ok(Ok(raw)) => raw,
            Ok(Err(e)) => return Verified::StillUnknown(e.to_string()),
            Err(_) => return Verified::StillUnknown("the check timed out".into()),
        };
    match plan {
        VerifyPlan::ExpectGone { .. } => match raw.status {
            404 => Verified::Done,
            200..=299 => Verified::NotDone,
            _ => Verified::StillUnknown(raw.api_error().to_string()),
        },
        VerifyPlan::SessionsRevoked { since, .. } => {
            if !(200..300).contains(&raw.status) {
                return Verified::StillUnknown(raw.api_error().to_string());
            }
            let valid_from = serde_json::from_slice::<serde_json::Value>(&raw.body)
                .ok()
                .and_then(|v| {
                    v.get("signInSessionsValidFromDateTime")?
                        .as_str()
                        .map(str::to_owned)
                })
                .and_then(|s| DateTime::parse_from_rfc3339(&s).ok());
            match valid_from {
                // Clocks differ: allow a minute of skew.
                Some(t) if t.with_timezone(&Utc) >= *since - chrono::Duration::seconds(60) => {
                    Verified::Done
                }
                Some(_) => Verified::NotDone,
                None => Verified::StillUnknown("signInSessionsValidFromDateTime missing".into()),
            }
        }
    }
}
