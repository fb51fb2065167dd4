//! `cairn attach ID --sentinel REF` links an existing incident to a Sentinel
//! incident; `cairn new --sentinel REF` (see `new.rs`) creates one from it.
//! Both read the incident, its entities and alerts through the configured
//! workspace, then record the link and the entity values as events.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};

use super::store_access::{incident_id, open_store, safe, warn_if_unwitnessed};
use crate::lookup::auth::Credentials;
use crate::lookup::config;
use crate::lookup::http::{ApiClient, build_http};
use crate::lookup::sentinel::{IncidentRef, Sentinel, SentinelError};
use crate::store::event::Mode;
use crate::sync::attach::{self, Attachment, Plan};

/// What a Sentinel call needs: the configured workspace, the API client
/// (ARM token by the configured auth method) and the overall time limit.
pub struct Connection {
    pub workspace: crate::lookup::sentinel::SentinelWorkspace,
    pub api: ApiClient,
    pub total: std::time::Duration,
}

/// Reads the configuration every command uses (`--config`, else the
/// default) and builds the client for its `[sentinel]` workspace.
pub fn connect() -> anyhow::Result<Connection> {
    let path = config::path()?;
    let cfg = config::load(&path)?;
    let workspace = cfg.sentinel.clone().ok_or(SentinelError::NotConfigured)?;
    let http = build_http(&cfg.http)?;
    let credentials = Arc::new(Credentials::new(&cfg, http.clone()));
    Ok(Connection {
        workspace,
        api: ApiClient::new(&cfg, http, credentials),
        total: cfg.http.total_timeout,
    })
}

/// Reads the Sentinel incident `reference` names.
pub fn fetch(reference: &str) -> anyhow::Result<Attachment> {
    let reference = IncidentRef::parse(reference)?;
    let conn = connect()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let total = conn.total;
    runtime.block_on(async {
        let sentinel = Sentinel::new(&conn.api, &conn.workspace);
        match tokio::time::timeout(total, attach::fetch(&sentinel, &reference)).await {
            Ok(result) => Ok(result?),
            Err(_) => {
                let secs = total.as_secs().to_string();
                bail!(super::say::fill("sentinel-timeout", &[("secs", &secs)]))
            }
        }
    })
}

/// Tells the responder what was not used, on standard error.
pub fn report_notes(plan: &Plan) {
    for note in &plan.notes {
        eprintln!("{}", super::say::fill("note", &[("what", &safe(note))]));
    }
}

pub fn run(data_dir: Option<&Path>, id: &str, reference: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir)?;
    if store.incident(&id)?.mode == Mode::Practice {
        bail!(super::say::fill(
            "attach-practice",
            &[("id", &id.to_string())]
        ));
    }
    let attachment = fetch(reference).context(super::say::text("nothing-recorded"))?;
    let linked = crate::sync::link::link(&mut store, &id, &attachment)
        .with_context(|| super::say::fill("attach-not-saved", &[("id", &id.to_string())]))?;
    for note in &linked.notes {
        eprintln!("cairn: note: {}", safe(note));
    }
    let fills = [
        ("id", id.to_string()),
        ("name", linked.name.to_string()),
        ("n", linked.values.to_string()),
    ];
    let fills: Vec<(&str, &str)> = fills.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if linked.already {
        println!("{}", super::say::fill("attach-already", &fills));
    } else {
        println!("{}", super::say::fill("attached", &fills));
        warn_if_unwitnessed();
    }
    Ok(ExitCode::SUCCESS)
}
