//! The device-code flow (RFC 8628 as Entra implements it): the natural
//! sign-in over SSH. The screen shows the code; Cairn polls for the token.

use std::time::Duration;

use serde::Deserialize;

use super::AuthError;
use super::oauth::{self, Answer, Granted};
use crate::lookup::retry::Sleeper;

/// What the responder must see to sign in on another device.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct DevicePrompt {
    pub user_code: String,
    pub verification_uri: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval: u64,
    /// The service's own instruction text.
    #[serde(default)]
    pub message: String,
    device_code: String,
}

impl std::fmt::Debug for DevicePrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevicePrompt")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

fn default_interval() -> u64 {
    5
}

/// Asks for a device code for `scopes` (space-separated).
pub async fn start(
    http: &reqwest::Client,
    authority: &str,
    tenant: &str,
    client_id: &str,
    scopes: &str,
) -> Result<DevicePrompt, AuthError> {
    let url = format!("{authority}/{tenant}/oauth2/v2.0/devicecode");
    let form = [("client_id", client_id), ("scope", scopes)];
    let (status, body) = oauth::post_form(http, &url, &form).await?;
    if !status.is_success() {
        return Err(oauth::error_answer(status, &body).map_or_else(|e| e, oauth::refused));
    }
    let mut prompt: DevicePrompt = serde_json::from_slice(&body)
        .map_err(|e| AuthError::Malformed(format!("device code response: {e}")))?;
    prompt.user_code = super::tidy(&prompt.user_code);
    prompt.verification_uri = super::tidy(&prompt.verification_uri);
    prompt.message = super::tidy(&prompt.message);
    prompt.interval = prompt.interval.clamp(1, 60);
    Ok(prompt)
}

/// Polls the token endpoint until the responder finishes, declines, or the
/// code expires. `slow_down` adds 5 seconds to the interval for good.
pub(crate) async fn poll(
    http: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    prompt: &DevicePrompt,
    sleeper: &Sleeper,
) -> Result<Granted, AuthError> {
    let mut interval = Duration::from_secs(prompt.interval);
    let mut waited = Duration::ZERO;
    let lifetime = Duration::from_secs(prompt.expires_in);
    loop {
        sleeper(interval).await;
        waited += interval;
        let answer = oauth::post_token(
            http,
            token_url,
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", client_id),
                ("device_code", &prompt.device_code),
            ],
        )
        .await?;
        match answer {
            Answer::Granted(g) => return Ok(g),
            Answer::Error(e) => match e.error.as_str() {
                "authorization_pending" => {}
                "slow_down" => interval += Duration::from_secs(5),
                "authorization_declined" | "access_denied" => return Err(AuthError::Declined),
                "expired_token" => return Err(AuthError::Expired),
                "bad_verification_code" => return Err(AuthError::BadVerificationCode),
                _ => return Err(oauth::refused(e)),
            },
        }
        if waited >= lifetime {
            return Err(AuthError::Expired);
        }
    }
}
