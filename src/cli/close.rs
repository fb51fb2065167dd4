//! `cairn close ID` and `cairn reopen ID`: both recorded as events, so the
//! incident's status is part of its hash chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::store_access::{incident_id, open_store, warn_if_unwitnessed};

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir).with_context(|| format!("{id} NOT closed"))?;
    let event = store
        .close_incident(&id, None)
        .with_context(|| format!("{id} NOT closed"))?;
    println!("{id}: closed (event {})", event.seq);
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}

pub fn reopen(
    data_dir: Option<&Path>,
    id: &str,
    reason: Option<String>,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    let mut store = open_store(data_dir).with_context(|| format!("{id} NOT reopened"))?;
    let event = store
        .reopen_incident(&id, reason)
        .with_context(|| format!("{id} NOT reopened"))?;
    println!("{id}: reopened (event {})", event.seq);
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
