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
    if status.is_success() {
        return Ok((status, body.into()));
    }
    Ok((status, scrub(&body, form).into_bytes()))
}

/// `value` as a form body carries it (reqwest's own URL type encodes it).
fn form_encoded(value: &str) -> String {
    let mut url = reqwest::Url::parse("cairn:x").expect("a fixed URL parses");
    url.query_pairs_mut().append_pair("v", value);
    url.query().unwrap_or("v=")[2..].to_string()
}

/// Form fields whose values must never be shown.
const SECRET_FIELDS: &[&str] = &[
    "client_secret",
    "client_assertion",
    "refresh_token",
    "device_code",
];

/// An error body with every secret the request carried replaced by
/// `[redacted]`, as sent, form-encoded or JSON-escaped: an endpoint that
/// echoes the request must not make Cairn print the secret. Done before
/// any shortening, so no part of a secret survives a cut.
fn scrub(body: &[u8], form: &[(&str, &str)]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for (name, value) in form {
        if !SECRET_FIELDS.contains(name) || value.len() < 4 {
            continue;
        }
        let encoded = form_encoded(value);
        let json = serde_json::Value::String(value.to_string()).to_string();
        let json = &json[1..json.len() - 1];
        for form in [*value, encoded.as_str(), json, &json.replace('/', "\\/")] {
            text = text.replace(form, "[redacted]");
        }
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_secrets_are_scrubbed_in_every_spelling() {
        let secret = "s3cr/et+va lue\"x";
        let form = [("client_id", "app"), ("client_secret", secret)];
        let json = serde_json::json!({ "error_description": format!("bad {secret}") }).to_string();
        for body in [
            format!("echo: {secret}"),
            format!("echo: {}", form_encoded(secret)),
            json.clone(),
            json.replace('/', "\\/"),
        ] {
            let out = scrub(body.as_bytes(), &form);
            assert!(out.contains("[redacted]"), "{body} -> {out}");
            assert!(!out.contains("va lue") && !out.contains("va+lue"), "{out}");
        }
        assert_eq!(scrub(b"app is fine", &form), "app is fine");
    }
}
