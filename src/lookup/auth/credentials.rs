//! The configured credentials: a per-resource token cache in memory, filled
//! by the configured method and refreshed shortly before expiry.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::certificate::CertificateKey;
use super::device_code::{self, DevicePrompt};
use super::oauth::{self, Answer};
use super::{AccessToken, AuthError, Resource, Secret, TokenSource, azcli};
use crate::lookup::config::{AuthMethod, Config, Endpoints};
use crate::lookup::retry::{Sleeper, tokio_sleeper};

/// Reads an environment variable; replaceable so tests need not touch the
/// process environment.
pub type EnvReader = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Tokens are renewed this long before they expire.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);

pub struct Credentials {
    method: AuthMethod,
    tenant: String,
    endpoints: Endpoints,
    http: reqwest::Client,
    sleeper: Sleeper,
    env: EnvReader,
    cache: tokio::sync::Mutex<HashMap<Resource, AccessToken>>,
    /// Device-code refresh token: memory only, gone when Cairn exits.
    refresh: std::sync::Mutex<Option<Secret>>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("method", &self.method)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    pub fn new(config: &Config, http: reqwest::Client) -> Self {
        Self {
            method: config.auth.clone(),
            tenant: config.tenant.clone(),
            endpoints: config.endpoints.clone(),
            http,
            sleeper: tokio_sleeper(),
            env: Arc::new(|name| std::env::var(name).ok()),
            cache: tokio::sync::Mutex::new(HashMap::new()),
            refresh: std::sync::Mutex::new(None),
        }
    }

    pub fn with_sleeper(mut self, sleeper: Sleeper) -> Self {
        self.sleeper = sleeper;
        self
    }

    pub fn with_env(mut self, env: EnvReader) -> Self {
        self.env = env;
        self
    }

    pub fn method(&self) -> &AuthMethod {
        &self.method
    }

    /// The OAuth scope a resource's token is requested with.
    pub fn scope(&self, resource: Resource) -> &str {
        match resource {
            Resource::LogAnalytics => &self.endpoints.log_analytics_scope,
            Resource::Graph => &self.endpoints.graph_scope,
            Resource::Arm => &self.endpoints.arm_scope,
        }
    }

    fn token_url(&self) -> String {
        oauth::token_url(&self.endpoints.authority, &self.tenant)
    }

    /// Starts a device-code sign-in; show the prompt, then call
    /// [`Credentials::device_finish`].
    pub async fn device_start(&self) -> Result<DevicePrompt, AuthError> {
        let AuthMethod::DeviceCode { client_id } = &self.method else {
            return Err(AuthError::Malformed(
                "device-code sign-in needs auth.method = \"device-code\"".into(),
            ));
        };
        let scopes = format!("{} offline_access", self.scope(Resource::Graph));
        device_code::start(
            &self.http,
            &self.endpoints.authority,
            &self.tenant,
            client_id,
            &scopes,
        )
        .await
    }

    /// Polls until the responder completes the sign-in of `prompt`; keeps the
    /// refresh token in memory and the Graph token in the cache.
    pub async fn device_finish(&self, prompt: &DevicePrompt) -> Result<(), AuthError> {
        let AuthMethod::DeviceCode { client_id } = &self.method else {
            return Err(AuthError::NotSignedIn);
        };
        let granted = device_code::poll(
            &self.http,
            &self.token_url(),
            client_id,
            prompt,
            &self.sleeper,
        )
        .await?;
        *self.refresh.lock().expect("refresh lock") = granted.refresh;
        self.cache
            .lock()
            .await
            .insert(Resource::Graph, granted.token);
        Ok(())
    }

    /// Forgets every token (e.g. after "sign in again").
    pub async fn sign_out(&self) {
        self.cache.lock().await.clear();
        *self.refresh.lock().expect("refresh lock") = None;
    }

    async fn fetch(&self, resource: Resource) -> Result<AccessToken, AuthError> {
        let scope = self.scope(resource).to_string();
        match &self.method {
            AuthMethod::AzureCli { az_path } => {
                azcli::get_token(az_path, &scope, Some(&self.tenant)).await
            }
            AuthMethod::ClientSecret { client_id, env_var } => {
                let secret = (self.env)(env_var)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| AuthError::SecretMissing(env_var.clone()))?;
                let answer = oauth::post_token(
                    &self.http,
                    &self.token_url(),
                    &[
                        ("grant_type", "client_credentials"),
                        ("client_id", client_id),
                        ("client_secret", &secret),
                        ("scope", &scope),
                    ],
                )
                .await?;
                Ok(oauth::expect_granted(answer)?.token)
            }
            AuthMethod::DeviceCode { client_id } => {
                let refresh = self
                    .refresh
                    .lock()
                    .expect("refresh lock")
                    .clone()
                    .ok_or(AuthError::NotSignedIn)?;
                let scopes = format!("{scope} offline_access");
                let answer = oauth::post_token(
                    &self.http,
                    &self.token_url(),
                    &[
                        ("grant_type", "refresh_token"),
                        ("client_id", client_id),
                        ("refresh_token", &refresh.0),
                        ("scope", &scopes),
                    ],
                )
                .await?;
                match answer {
                    Answer::Granted(g) => {
                        if let Some(r) = g.refresh {
                            *self.refresh.lock().expect("refresh lock") = Some(r);
                        }
                        Ok(g.token)
                    }
                    Answer::Error(e) if e.error == "invalid_grant" => {
                        *self.refresh.lock().expect("refresh lock") = None;
                        Err(AuthError::NotSignedIn)
                    }
                    Answer::Error(e) => Err(oauth::refused(e)),
                }
            }
            AuthMethod::ClientCertificate {
                client_id,
                certificate_path,
            } => {
                // Read at each sign-in so the key is held only while signing.
                let text = std::fs::read_to_string(certificate_path).map_err(|e| {
                    AuthError::Certificate(format!("{}: {e}", certificate_path.display()))
                })?;
                let key = CertificateKey::from_pem(&text)?;
                let url = self.token_url();
                let assertion = key.assertion(client_id, &url, SystemTime::now())?;
                let answer = oauth::post_token(
                    &self.http,
                    &url,
                    &[
                        ("grant_type", "client_credentials"),
                        ("client_id", client_id),
                        (
                            "client_assertion_type",
                            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        ),
                        ("client_assertion", &assertion),
                        ("scope", &scope),
                    ],
                )
                .await?;
                Ok(oauth::expect_granted(answer)?.token)
            }
        }
    }

    /// Where the az program is, for `auth status`.
    pub fn az_path(&self) -> Option<&PathBuf> {
        match &self.method {
            AuthMethod::AzureCli { az_path } => Some(az_path),
            _ => None,
        }
    }
}

impl TokenSource for Credentials {
    fn token(
        &self,
        resource: Resource,
        force_refresh: bool,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + '_>> {
        Box::pin(async move {
            // Held across the fetch so parallel lookups share one sign-in call.
            let mut cache = self.cache.lock().await;
            if !force_refresh
                && let Some(t) = cache.get(&resource)
                && !t.expires_within(REFRESH_MARGIN, SystemTime::now())
            {
                return Ok(t.clone());
            }
            let fresh = self.fetch(resource).await?;
            cache.insert(resource, fresh.clone());
            Ok(fresh)
        })
    }
}
