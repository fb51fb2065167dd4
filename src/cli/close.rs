//! `cairn close ID` and `cairn reopen ID`: both recorded as events, so the
//! incident's status is part of its hash chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let code = record(
        data_dir,
        id,
        EventKind::IncidentClosed { summary: None },
        "closed",
    )?;
    // Sentinel is closed only when asked for, with its number typed.
    let attached = open_store(data_dir)
        .ok()
        .and_then(|s| s.outbox_state(&incident_id(id).ok()?).ok()?.target);
    if attached.is_some() {
        eprintln!("The Sentinel incident stays open: `cairn close {id} --sentinel` closes it too.");
    }
    Ok(code)
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
