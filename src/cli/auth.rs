//! `cairn auth status`: which credentials work for which API. Tokens are
//! obtained to prove they can be, and never printed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::lookup::auth::{Credentials, Resource, TokenSource};
use crate::lookup::config::{self, AuthMethod, Config};
use crate::lookup::http::build_http;

use super::AuthAction;

pub fn run(action: AuthAction) -> anyhow::Result<ExitCode> {
    match action {
        AuthAction::Status => {
            let path = config::path()?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let all_ok = runtime.block_on(status(&path, &mut std::io::stdout()))?;
            Ok(if all_ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn method_name(m: &AuthMethod) -> String {
    match m {
        AuthMethod::AzureCli { az_path } => format!("azure-cli ({})", az_path.display()),
        AuthMethod::DeviceCode { client_id } => format!("device-code (client {client_id})"),
        AuthMethod::ClientSecret { client_id, env_var } => {
            format!("client-secret (client {client_id}, secret from ${env_var})")
        }
        AuthMethod::ClientCertificate {
            client_id,
            certificate_path,
        } => format!(
            "client-certificate (client {client_id}, {})",
            certificate_path.display()
        ),
    }
}

/// Prints the status report to `out`; true when every API has a token.
pub async fn status(path: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let cfg: Config = config::load(path)?;
    writeln!(out, "configuration: {}", path.display())?;
    let mut placeholders = false;
    let mut flag = |id: &str| {
        if is_template_id(id) {
            placeholders = true;
            super::say::text("auth-template-id")
        } else {
            ""
        }
    };
    writeln!(
        out,
        "tenant:        {} ({:?} cloud){}",
        cfg.tenant,
        cfg.cloud,
        flag(&cfg.tenant)
    )?;
    writeln!(
        out,
        "workspace:     {}{}",
        cfg.workspace,
        flag(&cfg.workspace)
    )?;
    let client = match &cfg.auth {
        AuthMethod::DeviceCode { client_id }
        | AuthMethod::ClientSecret { client_id, .. }
        | AuthMethod::ClientCertificate { client_id, .. } => flag(client_id),
        AuthMethod::AzureCli { .. } => "",
    };
    writeln!(out, "method:        {}{client}", method_name(&cfg.auth))?;
    // The hosts every call goes to, so a test or proxy override is visible.
    writeln!(out, "sign-in:       {}", cfg.endpoints.authority)?;
    writeln!(out, "log analytics: {}", cfg.endpoints.log_analytics)?;
    writeln!(out, "graph:         {}", cfg.endpoints.graph)?;
    if placeholders {
        writeln!(out, "{}", super::say::text("auth-placeholders"))?;
    }
    if let Some(s) = &cfg.sentinel {
        writeln!(out, "arm:           {}", cfg.endpoints.arm)?;
        writeln!(
            out,
            "sentinel:      subscription {}, resource group {}, workspace {}",
            s.subscription, s.resource_group, s.workspace_name
        )?;
    }
    let http = build_http(&cfg.http)?;
    let creds = Arc::new(Credentials::new(&cfg, http));
    let mut all_ok = true;
    // ARM is asked only when a Sentinel workspace is configured: lookups alone never need it.
    let arm = cfg.sentinel.as_ref().map(|_| Resource::Arm);
    for resource in Resource::ALL.into_iter().chain(arm) {
        let scope = creds.scope(resource).to_string();
        let line = if let AuthMethod::DeviceCode { .. } = cfg.auth {
            all_ok = false;
            super::say::text("auth-device-code").to_string()
        } else {
            match tokio::time::timeout(Duration::from_secs(60), creds.token(resource, false)).await
            {
                Ok(Ok(token)) => {
                    let left = token
                        .expires_at
                        .duration_since(SystemTime::now())
                        .unwrap_or_default();
                    let minutes = (left.as_secs() / 60).to_string();
                    super::say::fill("auth-available", &[("minutes", &minutes)])
                }
                Ok(Err(e)) => {
                    all_ok = false;
                    super::say::fill("auth-unavailable", &[("why", &e.to_string())])
                }
                Err(_) => {
                    all_ok = false;
                    super::say::text("auth-timeout").to_string()
                }
            }
        };
        writeln!(out, "{:<16} {scope}: {line}", resource.label())?;
    }
    Ok(all_ok && !placeholders)
}

/// `00000000-0000-0000-0000-000000000000`, which `config init` writes.
fn is_template_id(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok_and(|u| u.is_nil())
}
