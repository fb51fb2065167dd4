//! `cairn preflight [TREE]`: run the tree's KQL lookups as zero-row probes,
//! count the rows of the tables they read, and compare the Graph token with
//! the declared permissions and directory roles, against the configured
//! live tenant. Exit 1 when anything the tree needs is missing.

use std::process::ExitCode;
use std::sync::Arc;

use crate::lookup::auth::Credentials;
use crate::lookup::config::{self, AuthMethod, ConfigError};
use crate::lookup::http::{ApiClient, build_http};
use crate::lookup::preflight;

pub fn run(tree: &str) -> anyhow::Result<ExitCode> {
    let Some(tree) = super::find_tree(tree)? else {
        return Ok(ExitCode::FAILURE);
    };
    let path = config::path()?;
    let cfg = match config::load(&path) {
        Ok(cfg) => cfg,
        Err(ConfigError::Missing { path }) => {
            let path = path.to_string();
            eprintln!(
                "{}",
                super::say::fill("preflight-no-config", &[("path", &path)])
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    if let AuthMethod::DeviceCode { .. } = cfg.auth {
        eprintln!("{}", super::say::text("preflight-device-code"));
        return Ok(ExitCode::FAILURE);
    }
    let http = build_http(&cfg.http)?;
    let tokens = Arc::new(Credentials::new(&cfg, http.clone()));
    let client = ApiClient::new(&cfg, http, tokens);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(preflight::run(&tree, &client));
    print!("{}", report.render());
    Ok(if report.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
