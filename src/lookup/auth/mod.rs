//! Authentication: one bearer token per resource (Log Analytics, Graph, ARM),
//! obtained by the configured method, cached in memory and refreshed before
//! it expires. Tokens and secrets are never written anywhere and never shown
//! by `Debug`.

pub(crate) mod azcli;
pub mod certificate;
pub mod claims;
pub(crate) mod credentials;
pub(crate) mod device_code;
pub mod directory_roles;
pub(crate) mod oauth;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

pub use credentials::Credentials;

use crate::text::{Medium, visible};

/// The services Cairn asks tokens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    LogAnalytics,
    Graph,
    /// Azure Resource Manager: Sentinel incidents, comments and tasks.
    Arm,
}

impl Resource {
    /// The resources every lookup configuration needs; [`Resource::Arm`] is
    /// needed only when a Sentinel workspace is configured.
    pub const ALL: [Resource; 2] = [Resource::LogAnalytics, Resource::Graph];

    pub fn label(self) -> &'static str {
        match self {
            Resource::LogAnalytics => "Log Analytics",
            Resource::Graph => "Microsoft Graph",
            Resource::Arm => "Sentinel (ARM)",
        }
    }
}

/// A bearer token. The secret is reachable only through [`AccessToken::secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: String,
    pub expires_at: SystemTime,
}

/// Longest lifetime believed from a token response (CAE tokens live up to
/// 28 hours); a larger or absurd value is cut to this.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(28 * 3600);

impl AccessToken {
    pub fn new(secret: String, expires_at: SystemTime) -> Self {
        Self { secret, expires_at }
    }

    /// A token that expires `seconds` from now, with the lifetime capped so an
    /// untrusted answer can neither overflow the clock nor live for ever.
    pub fn expiring_in(secret: String, seconds: u64) -> Self {
        let lifetime = Duration::from_secs(seconds).min(MAX_TOKEN_LIFETIME);
        Self::new(secret, SystemTime::now() + lifetime)
    }

    /// A token that expires at POSIX time `epoch_seconds`, capped likewise.
    pub fn expiring_at(secret: String, epoch_seconds: u64) -> Self {
        let latest = SystemTime::now() + MAX_TOKEN_LIFETIME;
        let at = SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_secs(epoch_seconds))
            .map_or(latest, |t| t.min(latest));
        Self::new(secret, at)
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// True when the token expires within `margin` of `now`.
    pub fn expires_within(&self, margin: Duration, now: SystemTime) -> bool {
        self.expires_at <= now + margin
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A secret string (refresh token, client secret) that `Debug` never shows.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("Azure CLI: {0}")]
    AzureCli(String),
    #[error("not signed in: start a device-code sign-in first")]
    NotSignedIn,
    #[error("the sign-in was declined on the other device")]
    Declined,
    #[error("the sign-in code expired before it was used; start again")]
    Expired,
    #[error("the sign-in code was not recognised; start again")]
    BadVerificationCode,
    #[error("environment variable {0} (auth.client_secret_env) is not set")]
    SecretMissing(String),
    #[error("client certificate: {0}")]
    Certificate(String),
    #[error("token endpoint refused: {error}: {description}")]
    Refused { error: String, description: String },
    #[error("network error while signing in: {0}")]
    Network(String),
    #[error("unexpected answer while signing in: {0}")]
    Malformed(String),
}

/// Anything that hands out tokens: the real credentials, or a test double.
pub trait TokenSource: Send + Sync {
    /// A valid token for `resource`; `force_refresh` skips the cache (after a 401).
    fn token(
        &self,
        resource: Resource,
        force_refresh: bool,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + '_>>;
}

/// A fixed token, for tests and for callers that obtained one elsewhere.
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenSource for StaticToken {
    fn token(
        &self,
        _resource: Resource,
        _force_refresh: bool,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + '_>> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}

/// Text from a sign-in error, cut short and made visible: it may be shown.
pub(crate) fn tidy(text: &str) -> String {
    let short: String = text.trim().chars().take(400).collect();
    visible(&short, Medium::Screen).into_owned()
}
