//! Errors of a lookup run, with the service's own code and a hint for the
//! common ones so a responder at 3 a.m. knows what to fix.

use serde::Deserialize;

use super::auth::AuthError;
use super::remedy::{Hint, fitted_hint, hint_for};
use super::substitute::SubstituteError;
use crate::text::lang::Lang;

/// An error the service returned: HTTP status, `error.code`, message, and
/// the chain of inner codes (`innererror` in Log Analytics, `innerError` in Graph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Inner error codes and messages, outermost first.
    pub inner: Vec<(String, String)>,
    /// The remedy, worded when shown (`remedy`). Boxed: every
    /// `Result<_, LookupError>` carries this size.
    pub hint: Option<Box<Hint>>,
    /// The service's ids of the failed request (`request-id`,
    /// `client-request-id`, `correlationId`), for a support case.
    pub ids: Box<[(String, String)]>,
}

/// How Cairn signs in, as far as a remedy must know it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuthKind {
    /// Not known (a replay, a test): remedies stay general.
    #[default]
    Unknown,
    AzureCli,
    DeviceCode,
    ClientSecret,
    ClientCertificate,
}

impl AuthKind {
    pub fn of(method: &super::config::AuthMethod) -> Self {
        use super::config::AuthMethod as M;
        match method {
            M::AzureCli { .. } => AuthKind::AzureCli,
            M::DeviceCode { .. } => AuthKind::DeviceCode,
            M::ClientSecret { .. } => AuthKind::ClientSecret,
            M::ClientCertificate { .. } => AuthKind::ClientCertificate,
        }
    }
}

/// What a remedy must fit: the sign-in in use, and what the call declares
/// it needs (`requires` in the tree) on which service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fit {
    pub auth: AuthKind,
    pub requires: crate::tree::Requires,
    /// A Microsoft Graph call (else a Log Analytics or hunting query).
    pub graph: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.worded(Lang::EN))
    }
}

impl ApiError {
    /// The hint reworded to fit the sign-in in use and the call's declared
    /// permissions: no device-code advice under a client secret, no Log
    /// Analytics role for a Graph call.
    pub fn fit(mut self, fit: &Fit) -> Self {
        if let Some(h) = fitted_hint(&self, fit) {
            self.hint = Some(Box::new(h));
        }
        self
    }

    /// True when `code` appears as the outer or any inner code.
    pub fn has_code(&self, code: &str) -> bool {
        self.code.eq_ignore_ascii_case(code)
            || self.inner.iter().any(|(c, _)| c.eq_ignore_ascii_case(code))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// No connection within the connect timeout.
    Connect,
    /// A request got no (more) response bytes within the read timeout.
    Read,
    /// The whole run, retries included, took longer than allowed.
    Total,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LookupError {
    #[error("{0}")]
    Api(ApiError),
    #[error("{0}")]
    Auth(#[from] AuthError),
    #[error("{}", self.worded(Lang::EN))]
    SignInAgain,
    #[error("{}", self.worded(Lang::EN))]
    Timeout(TimeoutKind),
    #[error("{}", self.worded(Lang::EN))]
    Network(String),
    /// No connection could be made: nothing reached the service.
    #[error("{}", self.worded(Lang::EN))]
    Unreachable(String),
    #[error("{}", self.worded(Lang::EN))]
    Malformed(String),
    #[error("{}", self.worded(Lang::EN))]
    ForeignNextLink { url: String },
    #[error("{0}")]
    Substitute(#[from] SubstituteError),
    #[error("{0}")]
    Config(String),
    #[error("{}", self.worded(Lang::EN))]
    Rewritten { shown: String, sent: String },
    #[error("{}", self.worded(Lang::EN))]
    WaitTooLong {
        status: u16,
        wait: std::time::Duration,
        cap: std::time::Duration,
        /// When the wait is over.
        until: chrono::DateTime<chrono::Utc>,
    },
    #[error("{}", self.worded(Lang::EN))]
    NoRecording { lookup: String, scenario: String },
}

impl LookupError {
    /// An API error's hint fitted to `fit` (see [`ApiError::fit`]).
    pub fn fit(self, fit: &Fit) -> Self {
        match self {
            LookupError::Api(e) => LookupError::Api(e.fit(fit)),
            other => other,
        }
    }

    /// The store's status for a failed run.
    pub fn status(&self) -> crate::store::event::LookupStatus {
        use crate::store::event::LookupStatus;
        match self {
            LookupError::Timeout(_) => LookupStatus::TimedOut,
            _ => LookupStatus::Failed,
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, alias = "innerError")]
    pub innererror: Option<Box<ErrorBody>>,
    #[serde(default)]
    pub details: Vec<ErrorBody>,
    #[serde(default, rename = "correlationId")]
    pub correlation_id: Option<String>,
    #[serde(default, rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(default, rename = "client-request-id")]
    pub client_request_id: Option<String>,
}

/// Builds an [`ApiError`] from a status and body in either service's
/// envelope; a body that is not an envelope still yields a readable error.
pub fn parse_api_error(status: u16, body: &[u8]) -> ApiError {
    let (code, message, inner, ids) = match serde_json::from_slice::<Envelope>(body) {
        Ok(env) => {
            let mut inner = Vec::new();
            collect_inner(&env.error, &mut inner);
            let mut ids = Vec::new();
            collect_ids(&env.error, &mut ids);
            (
                env.error.code.unwrap_or_default(),
                env.error.message.unwrap_or_default(),
                inner,
                ids,
            )
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text: String = text.chars().take(300).collect();
            (
                String::new(),
                text.trim().to_string(),
                Vec::new(),
                Vec::new(),
            )
        }
    };
    let code = if code.is_empty() {
        format!("Http{status}")
    } else {
        code
    };
    let mut err = ApiError {
        status,
        code,
        message,
        inner,
        hint: None,
        ids: ids.into_boxed_slice(),
    };
    err.hint = hint_for(&err).map(|h| Box::new(Hint::Says(h)));
    err
}

/// Request and correlation ids anywhere in the envelope, outermost first,
/// each once.
fn collect_ids(body: &ErrorBody, out: &mut Vec<(String, String)>) {
    for (name, id) in [
        ("request-id", &body.request_id),
        ("client-request-id", &body.client_request_id),
        ("correlationId", &body.correlation_id),
    ] {
        if let Some(id) = id.as_deref().map(str::trim).filter(|i| !i.is_empty())
            && !out.iter().any(|(n, v)| n == name && v == id)
        {
            out.push((name.to_string(), id.to_string()));
        }
    }
    for d in &body.details {
        collect_ids(d, out);
    }
    if let Some(inner) = &body.innererror {
        collect_ids(inner, out);
    }
}

fn collect_inner(body: &ErrorBody, out: &mut Vec<(String, String)>) {
    for d in &body.details {
        out.push((
            d.code.clone().unwrap_or_default(),
            d.message.clone().unwrap_or_default(),
        ));
        collect_inner(d, out);
    }
    if let Some(inner) = &body.innererror {
        // Graph's innerError often carries only request ids: keep it only if coded.
        if inner.code.is_some() || inner.message.is_some() {
            out.push((
                inner.code.clone().unwrap_or_default(),
                inner.message.clone().unwrap_or_default(),
            ));
        }
        collect_inner(inner, out);
    }
}
