//! Client-certificate sign-in: a JWT client assertion signed with the
//! certificate's RSA key (PS256, `x5t#S256` thumbprint), as the Entra token
//! endpoint accepts for `client_credentials`.

use std::time::{SystemTime, UNIX_EPOCH};

use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::pss::BlindedSigningKey;
use rsa::rand_core::{OsRng, RngCore};
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use sha2::{Digest, Sha256};

use super::AuthError;

/// How long an assertion is valid; Entra asks for 5 to 10 minutes.
const LIFETIME_SECS: u64 = 600;

/// A certificate's key and thumbprint, loaded for one sign-in and dropped.
pub struct CertificateKey {
    key: RsaPrivateKey,
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

impl CertificateKey {
    /// Reads a PEM file holding the certificate and its unencrypted RSA
    /// private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub fn from_pem(text: &str) -> Result<Self, AuthError> {
        let mut cert = None;
        let mut key = None;
        for (label, block) in pem_blocks(text) {
            let der = rsa::pkcs8::der::pem::decode_vec(block.as_bytes())
                .map_err(|e| bad(format!("unreadable {label} block: {e}")))?
                .1;
            match label {
                "CERTIFICATE" if cert.is_none() => cert = Some(der),
                "PRIVATE KEY" => {
                    key = Some(RsaPrivateKey::from_pkcs8_der(&der).map_err(|e| {
                        bad(format!("private key: {e} (only RSA keys are supported)"))
                    })?)
                }
                "RSA PRIVATE KEY" => {
                    key = Some(
                        RsaPrivateKey::from_pkcs1_der(&der)
                            .map_err(|e| bad(format!("RSA private key: {e}")))?,
                    )
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
            thumbprint: base64url(&Sha256::digest(&cert)),
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
        let header = serde_json::json!({"alg": "PS256", "typ": "JWT", "x5t#S256": self.thumbprint});
        let claims = serde_json::json!({
            "aud": token_url,
            "iss": client_id,
            "sub": client_id,
            "jti": random_guid(),
            "nbf": now,
            "iat": now,
            "exp": now + LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let signer = BlindedSigningKey::<Sha256>::new(self.key.clone());
        let signature = signer
            .try_sign_with_rng(&mut OsRng, signing_input.as_bytes())
            .map_err(|e| bad(format!("signing failed: {e}")))?;
        Ok(format!(
            "{signing_input}.{}",
            base64url(&signature.to_bytes())
        ))
    }
}

/// `(label, whole block text)` for each PEM block, in order.
fn pem_blocks(text: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = rest[start..].find(&end_marker) else {
            break;
        };
        let block_end = start + end + end_marker.len();
        out.push((label, format!("{}\n", &rest[start..block_end])));
        rest = &rest[block_end..];
    }
    out
}

fn random_guid() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// base64url without padding (RFC 7515).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
