//! `cairn close ID` and `cairn reopen ID`: both recorded as events, so the
//! incident's status is part of its hash chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::say;
use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;
use crate::text::lang::msg_key;

pub fn run(data_dir: Option<&Path>, id: &str, reason: Option<String>) -> anyhow::Result<ExitCode> {
    let summary = reason.filter(|r| !r.trim().is_empty());
    let code = record(
        data_dir,
        id,
        EventKind::IncidentClosed { summary },
        (msg_key!("cli", "closed"), msg_key!("cli", "not-closed")),
    )?;
    // Sentinel is closed only when asked for, with its number typed.
    let attached = open_store(data_dir)
        .ok()
        .and_then(|s| s.outbox_state(&incident_id(id).ok()?).ok()?.target);
    if attached.is_some() {
        eprintln!("{}", say::fill("sentinel-stays-open", &[("id", id)]));
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
        (msg_key!("cli", "reopened"), msg_key!("cli", "not-reopened")),
    )
}

fn record(
    data_dir: Option<&Path>,
    id: &str,
    kind: EventKind,
    (done, not_done): (&str, &str),
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let id_text = id.to_string();
    let failed = || say::fill(not_done, &[("id", &id_text)]);
    let mut store = open_store(data_dir).with_context(failed)?;
    let event = store.append(&id, kind).with_context(failed)?;
    let seq = event.seq.to_string();
    println!("{}", say::fill(done, &[("id", &id_text), ("seq", &seq)]));
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
