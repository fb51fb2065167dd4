//! `cairn mark ID RUN [--note TEXT]`: marks a lookup run's result (its
//! event number, as `cairn show` lists runs) as evidence. Recorded as an
//! event; an incident attached to Sentinel pushes it as a bookmark related
//! to the incident, with the result's SHA-256.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;

pub fn run(
    data_dir: Option<&Path>,
    id: &str,
    run: u64,
    note: Option<String>,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let note = note.filter(|n| !n.trim().is_empty());
    let mut store = open_store(data_dir).with_context(|| format!("{id}: NOT marked"))?;
    let event = store
        .append(
            &id,
            EventKind::EvidenceMarked {
                lookup_seq: run,
                note,
            },
        )
        .with_context(|| format!("{id}: NOT marked"))?;
    let attached = store.outbox_state(&id)?.target.is_some();
    let then = if attached {
        "; it becomes a Sentinel bookmark on the next sync"
    } else {
        ""
    };
    println!(
        "{id}: run {run} marked as evidence (event {}){then}",
        event.seq
    );
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
