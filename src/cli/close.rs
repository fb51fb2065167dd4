//! `cairn close ID` and `cairn reopen ID`: both recorded as events, so the
//! incident's status is part of its hash chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    record(
        data_dir,
        id,
        EventKind::IncidentClosed { summary: None },
        "closed",
    )
}

pub fn reopen(
    data_dir: Option<&Path>,
    id: &str,
    reason: Option<String>,
) -> anyhow::Result<ExitCode> {
    let reason = reason.filter(|r| !r.trim().is_empty());
    record(
        data_dir,
        id,
        EventKind::IncidentReopened { reason },
        "reopened",
    )
}

fn record(
    data_dir: Option<&Path>,
    id: &str,
    kind: EventKind,
    done: &str,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir).with_context(|| format!("{id} NOT {done}"))?;
    let event = store
        .append(&id, kind)
        .with_context(|| format!("{id} NOT {done}"))?;
    println!("{id}: {done} (event {})", event.seq);
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
