//! The Entra v2 token endpoint: client credentials, refresh tokens and the
//! device-code poll share its request and error shapes.

use serde::Deserialize;

use super::{AccessToken, AuthError, Secret};

#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<serde_json::Value>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Deserialize, Debug)]
pub(crate) struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// A successful answer: the token and, if given, a new refresh token.
pub(crate) struct Granted {
    pub token: AccessToken,
    pub refresh: Option<Secret>,
}

/// Either a token or the OAuth `error` code the endpoint returned.
pub(crate) enum Answer {
    Granted(Granted),
    Error(OAuthError),
}

pub(crate) fn token_url(authority: &str, tenant: &str) -> String {
    format!("{authority}/{tenant}/oauth2/v2.0/token")
}

/// POSTs `form` to an Entra endpoint and returns the status and body; a
/// network error is reported without its URL.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(reqwest::StatusCode, Vec<u8>), AuthError> {
    let network = |e: reqwest::Error| AuthError::Network(e.without_url().to_string());
    let response = http.post(url).form(form).send().await.map_err(network)?;
    let status = response.status();
    let body = response.bytes().await.map_err(network)?;
    Ok((status, body.into()))
}

/// The OAuth error an unsuccessful answer carries, or, when the body is
/// not one, a refusal naming the HTTP status and the (tidied) body.
pub(crate) fn error_answer(
    status: reqwest::StatusCode,
    body: &[u8],
) -> Result<OAuthError, AuthError> {
    serde_json::from_slice::<OAuthError>(body).map_err(|_| AuthError::Refused {
        error: format!("HTTP {}", status.as_u16()),
        description: super::tidy(&String::from_utf8_lossy(body)),
    })
}

/// POSTs `form` to the token endpoint and sorts the answer.
pub(crate) async fn post_token(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Answer, AuthError> {
    let (status, body) = post_form(http, url, form).await?;
    if status.is_success() {
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| AuthError::Malformed(format!("token response: {e}")))?;
        let lifetime = t
            .expires_in
            .as_ref()
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .unwrap_or(3600);
        return Ok(Answer::Granted(Granted {
            token: AccessToken::expiring_in(t.access_token, lifetime),
            refresh: t.refresh_token.map(Secret),
        }));
    }
    error_answer(status, &body).map(Answer::Error)
}

/// A token or a refusal built from the OAuth error.
pub(crate) fn expect_granted(answer: Answer) -> Result<Granted, AuthError> {
    match answer {
        Answer::Granted(g) => Ok(g),
        Answer::Error(e) => Err(refused(e)),
    }
}

pub(crate) fn refused(e: OAuthError) -> AuthError {
    AuthError::Refused {
        error: super::tidy(&e.error),
        description: super::tidy(e.error_description.as_deref().unwrap_or("")),
    }
}
