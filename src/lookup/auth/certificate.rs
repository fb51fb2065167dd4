//! Client-certificate sign-in: a JWT client assertion signed with the
//! certificate's RSA key (PS256, `x5t#S256` thumbprint), as the Entra token
//! endpoint accepts for `client_credentials`. Signing is `jsonwebtoken` on
//! aws-lc-rs, the crypto library rustls already builds.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sha2::{Digest, Sha256};

use super::AuthError;

/// How long an assertion is valid; Entra asks for 5 to 10 minutes.
const LIFETIME_SECS: u64 = 600;

/// A certificate's key and thumbprint, loaded for one sign-in and dropped.
pub struct CertificateKey {
    key: EncodingKey,
    /// base64url SHA-256 of the certificate's DER.
    thumbprint: String,
}

impl std::fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateKey")
            .field("thumbprint", &self.thumbprint)
            .field("key", &"<redacted>")
            .finish()
    }
}

fn bad(message: impl Into<String>) -> AuthError {
    AuthError::Certificate(message.into())
}

#[derive(serde::Serialize)]
struct Claims<'a> {
    aud: &'a str,
    iss: &'a str,
    sub: &'a str,
    jti: String,
    nbf: u64,
    iat: u64,
    exp: u64,
}

impl CertificateKey {
    /// Reads a PEM file holding the certificate and its unencrypted RSA
    /// private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub fn from_pem(text: &str) -> Result<Self, AuthError> {
        let blocks =
            pem::parse_many(text).map_err(|e| bad(format!("unreadable PEM block: {e}")))?;
        let mut cert = None;
        let mut key = None;
        for block in &blocks {
            match block.tag() {
                "CERTIFICATE" if cert.is_none() => cert = Some(block.contents()),
                "PRIVATE KEY" | "RSA PRIVATE KEY" => {
                    let pem_text = pem::encode(block);
                    key = Some(EncodingKey::from_rsa_pem(pem_text.as_bytes()).map_err(|e| {
                        bad(format!("private key: {e} (only RSA keys are supported)"))
                    })?)
                }
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(bad(
                        "the private key is encrypted; Cairn needs an unencrypted key file readable only by you",
                    ));
                }
                _ => {}
            }
        }
        let cert = cert.ok_or_else(|| bad("no CERTIFICATE block in the file"))?;
        let key = key.ok_or_else(|| bad("no PRIVATE KEY block in the file"))?;
        Ok(Self {
            key,
            thumbprint: URL_SAFE_NO_PAD.encode(Sha256::digest(cert)),
        })
    }

    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// A signed assertion for `client_id` at `token_url`, valid from `now`.
    pub fn assertion(
        &self,
        client_id: &str,
        token_url: &str,
        now: SystemTime,
    ) -> Result<String, AuthError> {
        let now = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut header = Header::new(Algorithm::PS256);
        header.x5t_s256 = Some(self.thumbprint.clone());
        let claims = Claims {
            aud: token_url,
            iss: client_id,
            sub: client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now,
            iat: now,
            exp: now + LIFETIME_SECS,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| bad(format!("signing failed: {e}")))
    }
}
