//! The one HTTP path every live call takes: bearer token, timeouts, the
//! 401-refresh-once rule and, for reads only, retries.

use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};

use super::auth::{Resource, TokenSource};
use super::config::{Config, Endpoints, HttpSettings};
use super::error::{LookupError, TimeoutKind};
use super::retry::{
    Progress, ProgressSender, RetryPolicy, is_retryable, parse_retry_after, report,
};
use super::stream::BodyParser;

/// A live connection to the tenant's APIs.
#[derive(Clone)]
pub struct ApiClient {
    pub http: reqwest::Client,
    pub tokens: Arc<dyn TokenSource>,
    pub endpoints: Endpoints,
    pub workspace: String,
    pub extra_workspaces: Vec<String>,
    pub settings: HttpSettings,
    pub retry: RetryPolicy,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("endpoints", &self.endpoints)
            .field("workspace", &self.workspace)
            .finish_non_exhaustive()
    }
}

/// The reqwest client Cairn uses: connect and read timeouts, no redirects
/// (a redirect could carry the bearer token elsewhere).
pub fn build_http(settings: &HttpSettings) -> Result<reqwest::Client, LookupError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .read_timeout(settings.read_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("cairn/", env!("CARGO_PKG_VERSION")));
    if !settings.use_system_proxy {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|e| LookupError::Config(format!("HTTP client: {e}")))
}

impl ApiClient {
    pub fn new(config: &Config, http: reqwest::Client, tokens: Arc<dyn TokenSource>) -> Self {
        Self {
            http,
            tokens,
            endpoints: config.endpoints.clone(),
            workspace: config.workspace.clone(),
            extra_workspaces: config.extra_workspaces.clone(),
            settings: config.http.clone(),
            retry: RetryPolicy {
                max_retries: config.http.max_retries,
                max_delay: config.http.max_backoff,
                ..RetryPolicy::default()
            },
        }
    }
}

/// A response read to the end.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The response headers that name a request for a support case, in the
/// order shown: Graph sends `request-id` and `client-request-id`, Azure
/// services (Log Analytics, ARM) `x-ms-request-id`,
/// `x-ms-correlation-request-id` and `x-ms-client-request-id`.
pub const ID_HEADERS: [&str; 5] = [
    "request-id",
    "client-request-id",
    "x-ms-request-id",
    "x-ms-correlation-request-id",
    "x-ms-client-request-id",
];

/// The request ids `headers` carry (see [`ID_HEADERS`]), each once; a value
/// is cut to 100 characters and made safe to show.
pub fn header_ids(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = Vec::new();
    for name in ID_HEADERS {
        for value in headers.get_all(name) {
            let Ok(text) = value.to_str() else { continue };
            let text: String = text.trim().chars().take(100).collect();
            let text = crate::text::visible(&text, crate::text::Medium::Screen).into_owned();
            if !text.is_empty() && !ids.iter().any(|(n, v)| n == name && *v == text) {
                ids.push((name.to_string(), text));
            }
        }
    }
    ids
}

impl Raw {
    /// The service's error: its envelope, with the request ids of the
    /// response headers before those of the body (each id once).
    pub fn api_error(&self) -> super::error::ApiError {
        let mut err = super::error::parse_api_error(self.status, &self.body);
        let mut ids = header_ids(&self.headers);
        for (name, id) in err.ids.iter() {
            if !ids.iter().any(|(n, v)| n == name && v == id) {
                ids.push((name.clone(), id.clone()));
            }
        }
        err.ids = ids.into_boxed_slice();
        err
    }
}

/// A read's answer: a 2xx body went through the parser as it arrived
/// (`None`: empty or blank), any other body was read whole for its error.
#[derive(Debug)]
pub enum Answer<T> {
    Parsed {
        status: u16,
        headers: HeaderMap,
        value: Option<T>,
    },
    Refused(Raw),
}

/// What becomes of a 2xx body.
enum Body<P> {
    Whole,
    Parse(Arc<P>),
}

impl<P> Clone for Body<P> {
    fn clone(&self) -> Self {
        match self {
            Body::Whole => Body::Whole,
            Body::Parse(p) => Body::Parse(p.clone()),
        }
    }
}

/// The parser of `send`, whose bodies are all read whole.
struct Unparsed;

impl BodyParser for Unparsed {
    type Out = std::convert::Infallible;
    fn service(&self) -> &'static str {
        "the service"
    }
    fn parse<R: std::io::Read>(&self, _: R) -> Result<Self::Out, LookupError> {
        Err(LookupError::Malformed("no parser for this body".into()))
    }
}

/// One call.
pub struct Call<'a> {
    pub resource: Resource,
    pub method: Method,
    pub url: &'a str,
    pub json_body: Option<Vec<u8>>,
    pub extra_headers: &'a [(&'static str, String)],
    /// Only reads may be retried; writes are never repeated blindly.
    pub retry: bool,
}

impl ApiClient {
    /// Sends `call`, refreshing the token once on 401 and retrying reads on
    /// 429/500/502/503/504 and dropped connections (not refused ones). Non-2xx answers other
    /// than those are returned as `Raw`.
    pub async fn send(
        &self,
        call: Call<'_>,
        progress: Option<&ProgressSender>,
    ) -> Result<Raw, LookupError> {
        match self
            .exchange::<Unparsed>(call, progress, Body::Whole)
            .await?
        {
            (raw, None) => Ok(raw),
            (_, Some(never)) => match never {},
        }
    }

    /// `send`, with a 2xx body parsed by `parser` while it arrives (see
    /// `lookup::stream`); the lookups of every provider read this way.
    pub async fn read<P: BodyParser>(
        &self,
        call: Call<'_>,
        progress: Option<&ProgressSender>,
        parser: Arc<P>,
    ) -> Result<Answer<P::Out>, LookupError> {
        let (raw, value) = self.exchange(call, progress, Body::Parse(parser)).await?;
        Ok(if (200..300).contains(&raw.status) {
            Answer::Parsed {
                status: raw.status,
                headers: raw.headers,
                value,
            }
        } else {
            Answer::Refused(raw)
        })
    }

    /// The one loop of every call; the parsed value (if any) beside a `Raw`
    /// whose body is empty when it was parsed.
    async fn exchange<P: BodyParser>(
        &self,
        call: Call<'_>,
        progress: Option<&ProgressSender>,
        parse: Body<P>,
    ) -> Result<(Raw, Option<P::Out>), LookupError> {
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            report(progress, Progress::Sending { attempt });
            let token = self.tokens.token(call.resource, refreshed).await?;
            let mut req = self
                .http
                .request(call.method.clone(), call.url)
                .header(AUTHORIZATION, format!("Bearer {}", token.secret()));
            for (name, value) in call.extra_headers {
                req = req.header(*name, value);
            }
            if let Some(body) = &call.json_body {
                req = req
                    .header(CONTENT_TYPE, "application/json; charset=utf-8")
                    .body(body.clone());
            } else if call.method == Method::POST {
                req = req.header(reqwest::header::CONTENT_LENGTH, "0");
            }
            let (status, headers, body, value) = match receive(req, parse.clone()).await {
                Ok(answer) => answer,
                // A connection dropped mid-call: a read is tried again. A
                // refused one is not: the host is wrong or down, and waiting
                // would only delay saying so.
                Err(LookupError::Network(_)) if call.retry && attempt <= self.retry.max_retries => {
                    let delay = self.retry.delay(attempt, None).unwrap_or_default();
                    report(
                        progress,
                        Progress::Waiting {
                            attempt,
                            delay,
                            reason: 0,
                            from_retry_after: false,
                        },
                    );
                    (self.retry.sleeper)(delay).await;
                    attempt += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };

            if status == StatusCode::UNAUTHORIZED {
                if refreshed {
                    return Err(LookupError::SignInAgain);
                }
                refreshed = true;
                report(progress, Progress::Reauthenticating);
                continue;
            }
            if call.retry && is_retryable(status.as_u16()) && attempt <= self.retry.max_retries {
                let retry_after = retry_after(&headers);
                let Some(delay) = self.retry.delay(attempt, retry_after) else {
                    let wait = retry_after.unwrap_or_default();
                    return Err(LookupError::WaitTooLong {
                        status: status.as_u16(),
                        wait,
                        cap: self.retry.max_delay,
                        until: chrono::Utc::now()
                            + chrono::Duration::from_std(wait).unwrap_or_default(),
                    });
                };
                report(
                    progress,
                    Progress::Waiting {
                        attempt,
                        delay,
                        reason: status.as_u16(),
                        from_retry_after: retry_after.is_some(),
                    },
                );
                (self.retry.sleeper)(delay).await;
                attempt += 1;
                continue;
            }
            let raw = Raw {
                status: status.as_u16(),
                headers,
                body,
            };
            return Ok((raw, value));
        }
    }
}

/// What `receive` got: status, headers, the body read whole (empty when
/// it was parsed) and the parsed value.
type Received<T> = (StatusCode, HeaderMap, Vec<u8>, Option<T>);

/// Sends `req` and reads the answer: a 2xx body through the parser as it
/// arrives, any other body whole.
async fn receive<P: BodyParser>(
    req: reqwest::RequestBuilder,
    parse: Body<P>,
) -> Result<Received<P::Out>, LookupError> {
    let response = req.send().await.map_err(map_reqwest)?;
    let status = response.status();
    let headers = response.headers().clone();
    if let Body::Parse(parser) = parse
        && status.is_success()
    {
        let value = if status == StatusCode::NO_CONTENT {
            None
        } else {
            super::stream::parse_response(response, parser, MAX_RESPONSE_BYTES).await?
        };
        return Ok((status, headers, Vec::new(), value));
    }
    let body = read_capped(response, MAX_RESPONSE_BYTES).await?;
    Ok((status, headers, body, None))
}

/// Largest response body read. Log Analytics stops at about 100 MiB; a
/// response beyond this is refused rather than exhausting memory.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, LookupError> {
    let mut body = Vec::with_capacity(response.content_length().map_or(0, |n| n as usize).min(cap));
    while let Some(chunk) = response.chunk().await.map_err(map_reqwest)? {
        if body.len() + chunk.len() > cap {
            return Err(super::stream::too_large(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            return Some(std::time::Duration::from_millis(ms));
        }
    }
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

pub(crate) fn map_reqwest(e: reqwest::Error) -> LookupError {
    if e.is_timeout() {
        return LookupError::Timeout(if e.is_connect() {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Read
        });
    }
    let unreachable = e.is_connect();
    let e = e.without_url();
    let mut text = e.to_string();
    // Add the innermost cause ("connection refused"), which names the fault.
    let mut cause = std::error::Error::source(&e);
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c.to_string());
        cause = c.source();
    }
    if let Some(inner) = innermost {
        text = format!("{text}: {inner}");
    }
    let text = crate::lookup::auth::tidy(&text);
    if unreachable {
        LookupError::Unreachable(text)
    } else {
        LookupError::Network(text)
    }
}
