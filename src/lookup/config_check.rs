//! Validation of a parsed configuration, each error at its line and column.

use std::ops::Range;
use std::path::PathBuf;

use serde_spanned::Spanned;

use super::config::{AuthMethod, Config, ConfigError, Endpoints, Parts};
use super::sentinel::{self, SentinelWorkspace};

pub(crate) fn validate(
    p: Parts,
    invalid: &dyn Fn(Range<usize>, String) -> ConfigError,
) -> Result<Config, ConfigError> {
    let tenant = p.tenant.get_ref().trim().to_string();
    if !is_tenant(&tenant) {
        return Err(invalid(
            p.tenant.span(),
            format!("tenant '{tenant}' is neither a GUID nor a domain name"),
        ));
    }
    let workspace = guid(&p.workspace, "workspace", invalid)?;
    let extra_workspaces = p
        .extra_workspaces
        .iter()
        .map(|w| guid(w, "extra_workspaces entry", invalid))
        .collect::<Result<Vec<_>, _>>()?;

    let mut endpoints: Endpoints = p.cloud.endpoints();
    let [authority, la, graph, arm] = p.endpoint_overrides;
    let arm_overridden = arm.is_some();
    for (value, slot) in [
        (authority, &mut endpoints.authority),
        (la, &mut endpoints.log_analytics),
        (graph, &mut endpoints.graph),
        (arm, &mut endpoints.arm),
    ] {
        if let Some(v) = value {
            *slot = url(&v, invalid)?;
        }
    }
    let [la_scope, graph_scope, arm_scope] = p.scope_overrides;
    match arm_scope {
        Some(s) => endpoints.arm_scope = s,
        // A moved ARM host (sovereign cloud, proxy) keeps its own audience.
        None if arm_overridden => endpoints.arm_scope = format!("{}/.default", endpoints.arm),
        None => {}
    }
    if let Some(s) = la_scope {
        endpoints.log_analytics_scope = s;
    }
    if let Some(s) = graph_scope {
        endpoints.graph_scope = s;
    }

    let client_id = |method: &str| -> Result<String, ConfigError> {
        let id = p.client_id.as_ref().ok_or_else(|| {
            invalid(
                p.auth_span.clone(),
                format!("auth method '{method}' needs auth.client_id"),
            )
        })?;
        guid(id, "client_id", invalid)
    };
    let auth = match p.method.get_ref().as_str() {
        "azure-cli" => AuthMethod::AzureCli {
            az_path: p.az_path.unwrap_or_else(|| PathBuf::from("az")),
        },
        "device-code" => AuthMethod::DeviceCode {
            client_id: client_id("device-code")?,
        },
        "client-secret" => {
            let env = p.client_secret_env.as_ref().ok_or_else(|| {
                invalid(
                    p.auth_span.clone(),
                    "auth method 'client-secret' needs auth.client_secret_env: the name of \
                     the environment variable holding the secret (never the secret itself)"
                        .into(),
                )
            })?;
            let name = env.get_ref();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(invalid(
                    env.span(),
                    "client_secret_env must be an environment variable NAME (letters, digits, _)"
                        .into(),
                ));
            }
            AuthMethod::ClientSecret {
                client_id: client_id("client-secret")?,
                env_var: name.clone(),
            }
        }
        "client-certificate" => AuthMethod::ClientCertificate {
            client_id: client_id("client-certificate")?,
            certificate_path: p.certificate_path.ok_or_else(|| {
                invalid(
                    p.auth_span.clone(),
                    "auth method 'client-certificate' needs auth.certificate_path".into(),
                )
            })?,
        },
        other => {
            return Err(invalid(
                p.method.span(),
                format!(
                    "unknown auth method '{other}' (expected azure-cli, device-code, \
                     client-secret or client-certificate)"
                ),
            ));
        }
    };
    if !(1..=600).contains(&p.http.query_wait_secs) {
        return Err(invalid(
            p.query_wait_span.unwrap_or(0..0),
            "query_wait_secs must be between 1 and 600".into(),
        ));
    }
    let sentinel = p
        .sentinel
        .map(|s| sentinel_workspace(s.into_inner(), invalid))
        .transpose()?;
    let approval_floor = match &p.approvals_minimum {
        None => crate::tree::ApprovalPolicy::None,
        Some(m) => crate::tree::ApprovalPolicy::parse(m.get_ref()).ok_or_else(|| {
            invalid(
                m.span(),
                format!(
                    "unknown approvals.minimum '{}' (expected none, second-person or same-host)",
                    m.get_ref()
                ),
            )
        })?,
    };
    Ok(Config {
        tenant,
        cloud: p.cloud,
        workspace,
        extra_workspaces,
        auth,
        endpoints,
        http: p.http,
        sentinel,
        approval_floor,
    })
}

/// The `[sentinel]` section: each coordinate checked against ARM's naming
/// rules, so a value can only ever be one URL path segment.
fn sentinel_workspace(
    raw: super::config::RawSentinel,
    invalid: &dyn Fn(Range<usize>, String) -> ConfigError,
) -> Result<SentinelWorkspace, ConfigError> {
    let subscription = guid(&raw.subscription, "sentinel.subscription", invalid)?;
    let check = |v: &Spanned<String>, parse: fn(&str) -> Result<String, String>| {
        parse(v.get_ref()).map_err(|m| invalid(v.span(), m))
    };
    Ok(SentinelWorkspace {
        subscription,
        resource_group: check(&raw.resource_group, sentinel::resource_group)?,
        workspace_name: check(&raw.workspace_name, sentinel::workspace_name)?,
    })
}

fn is_tenant(t: &str) -> bool {
    uuid::Uuid::try_parse(t).is_ok()
        || (t.contains('.')
            && t.len() <= 253
            && t.split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')))
        || matches!(t, "organizations" | "common")
}

fn guid(
    v: &Spanned<String>,
    what: &str,
    invalid: &dyn Fn(Range<usize>, String) -> ConfigError,
) -> Result<String, ConfigError> {
    uuid::Uuid::try_parse(v.get_ref().trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| invalid(v.span(), format!("{what} '{}' is not a GUID", v.get_ref())))
}

fn url(
    v: &Spanned<String>,
    invalid: &dyn Fn(Range<usize>, String) -> ConfigError,
) -> Result<String, ConfigError> {
    let parsed = reqwest::Url::parse(v.get_ref())
        .map_err(|e| invalid(v.span(), format!("'{}' is not a URL: {e}", v.get_ref())))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(invalid(
            v.span(),
            format!("'{}' must be an http(s) URL with a host", v.get_ref()),
        ));
    }
    if parsed.scheme() == "http" && !is_loopback(&parsed) {
        return Err(invalid(
            v.span(),
            format!(
                "'{}' uses plain http: tokens may only travel over https (plain http is \
                 allowed for 127.0.0.1 test servers only)",
                v.get_ref()
            ),
        ));
    }
    // The parser's own spelling, so a URL built on it is sent as written.
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
