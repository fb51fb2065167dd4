//! `cairn close ID`: records that the incident is closed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::store_access::{incident_id, open_store};

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir).with_context(|| format!("{id} NOT closed"))?;
    let event = store
        .close_incident(&id, None)
        .with_context(|| format!("{id} NOT closed"))?;
    println!("{id}: closed (event {})", event.seq);
    Ok(ExitCode::SUCCESS)
}
