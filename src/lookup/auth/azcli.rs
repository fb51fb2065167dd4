//! Reusing an Azure CLI sign-in: `az account get-access-token`.

use std::path::Path;

use serde::Deserialize;

use super::{AccessToken, AuthError};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AzToken {
    access_token: String,
    /// POSIX seconds; `expiresOn` is local time without a zone, so unusable.
    #[serde(rename = "expires_on", default)]
    expires_on: Option<serde_json::Value>,
}

/// Runs `az account get-access-token --scope S [--tenant T] -o json`.
pub async fn get_token(
    az: &Path,
    scope: &str,
    tenant: Option<&str>,
) -> Result<AccessToken, AuthError> {
    let mut cmd = tokio::process::Command::new(az);
    cmd.args(["account", "get-access-token", "--scope", scope]);
    if let Some(t) = tenant.filter(|t| !matches!(*t, "organizations" | "common")) {
        cmd.args(["--tenant", t]);
    }
    cmd.args(["-o", "json"])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let out = cmd.output().await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AuthError::AzureCli(format!(
            "'{}' was not found; install the Azure CLI or set auth.az_path",
            az.display()
        )),
        _ => AuthError::AzureCli(format!("could not run '{}': {e}", az.display())),
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        let hint = if stderr.contains("az login") {
            " (run `az login`)"
        } else {
            ""
        };
        return Err(AuthError::AzureCli(format!(
            "get-access-token failed ({}): {}{hint}",
            out.status,
            super::tidy(first)
        )));
    }
    parse(&out.stdout)
}

fn parse(stdout: &[u8]) -> Result<AccessToken, AuthError> {
    let t: AzToken = serde_json::from_slice(stdout)
        .map_err(|e| AuthError::AzureCli(format!("unreadable output: {e}")))?;
    let expires_on = t
        .expires_on
        .as_ref()
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .ok_or_else(|| {
            AuthError::AzureCli("expires_on field not found; use Azure CLI 2.54.0 or newer".into())
        })?;
    if t.access_token.is_empty() {
        return Err(AuthError::AzureCli("empty access token".into()));
    }
    Ok(AccessToken::expiring_at(t.access_token, expires_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn parses_expires_on_and_refuses_old_cli_output() {
        let t = parse(br#"{"accessToken":"abc","expiresOn":"2030-01-02 03:04:05.000000","expires_on":1630920323,"tokenType":"Bearer"}"#).unwrap();
        assert_eq!(t.secret(), "abc");
        assert_eq!(
            t.expires_at,
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_630_920_323)
        );
        let old = parse(br#"{"accessToken":"abc","expiresOn":"2030-01-02 03:04:05.000000"}"#);
        assert!(matches!(old, Err(AuthError::AzureCli(m)) if m.contains("2.54.0")));
    }
}
