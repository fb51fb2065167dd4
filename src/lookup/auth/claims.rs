//! The claims of an Entra ID access token that Cairn reads: who signed in
//! (`oid`, `tid`, `upn`) and what the token grants (`scp`, `roles`, `wids`).
//! The signature is not checked: the token came from the identity provider
//! over TLS and Cairn only reads it, never trusts it for anything a server
//! would not check again. Nothing here is logged or stored except the ids.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};

/// JWT segments are base64url without padding; some issuers pad anyway.
const JWT_SEGMENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenClaims {
    /// The signed-in user's (or application's) object id.
    pub oid: Option<String>,
    /// The tenant id.
    pub tid: Option<String>,
    /// `upn`, else `preferred_username`, else `unique_name`.
    pub upn: Option<String>,
    /// Delegated scopes (`scp`, space separated in the token).
    pub scopes: BTreeSet<String>,
    /// Application roles (`roles`).
    pub app_roles: BTreeSet<String>,
    /// Directory role template ids the signed-in user holds (`wids`).
    pub directory_roles: BTreeSet<String>,
}

impl TokenClaims {
    /// Reads the payload of a JWT access token.
    pub fn of(token: &str) -> Result<TokenClaims, String> {
        let payload = token.split('.').nth(1).ok_or("not a JWT (no payload)")?;
        let bytes = JWT_SEGMENT
            .decode(payload)
            .map_err(|_| "the JWT payload is not base64url".to_string())?;
        let claims: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("the JWT payload is not JSON: {e}"))?;
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let list = |name: &str| -> BTreeSet<String> {
            claims
                .get(name)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(TokenClaims {
            oid: text("oid"),
            tid: text("tid"),
            upn: text("upn")
                .or_else(|| text("preferred_username"))
                .or_else(|| text("unique_name")),
            scopes: text("scp")
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            app_roles: list("roles"),
            directory_roles: list("wids"),
        })
    }

    /// Delegated scopes and application roles together: what the token may do.
    pub fn permissions(&self) -> BTreeSet<String> {
        self.scopes.union(&self.app_roles).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &str) -> String {
        format!("eyJhbGciOiJub25lIn0.{}.sig", JWT_SEGMENT.encode(claims))
    }

    #[test]
    fn reads_identity_scopes_roles_and_directory_roles() {
        let claims = TokenClaims::of(&token(
            r#"{"oid":"11111111-2222-3333-4444-555555555555","tid":"t","preferred_username":"a@contoso.com",
                "scp":"User.Read.All AuditLog.Read.All","roles":["ThreatHunting.Read.All"],
                "wids":["fe930be7-5e62-47db-91af-98c3a49a38b1"]}"#,
        ))
        .unwrap();
        assert_eq!(
            claims.oid.as_deref(),
            Some("11111111-2222-3333-4444-555555555555")
        );
        assert_eq!(claims.upn.as_deref(), Some("a@contoso.com"));
        assert_eq!(
            claims.permissions().into_iter().collect::<Vec<_>>(),
            [
                "AuditLog.Read.All",
                "ThreatHunting.Read.All",
                "User.Read.All"
            ]
        );
        assert!(
            claims
                .directory_roles
                .contains("fe930be7-5e62-47db-91af-98c3a49a38b1")
        );
    }

    #[test]
    fn padded_payloads_are_read_and_garbage_is_refused() {
        let padded = format!(
            "h.{}.s",
            base64::engine::general_purpose::URL_SAFE.encode(r#"{"oid":"x"}"#)
        );
        assert_eq!(TokenClaims::of(&padded).unwrap().oid.as_deref(), Some("x"));
        assert!(TokenClaims::of("opaque").is_err());
        assert!(TokenClaims::of("a.!!!.c").is_err());
        assert!(TokenClaims::of(&token("[1]")).unwrap().oid.is_none());
    }
}
