//! `cairn verify ID`: checks the hash chain; exit 1 when it is broken.

use std::path::Path;
use std::process::ExitCode;

use super::store_access::{incident_id, open_store, safe};

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store(data_dir)?;
    let v = store.verify(&id)?;
    match v.broken {
        None => {
            println!(
                "{id}: hash chain intact over {} events (last hash {})",
                v.events, v.head
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            println!(
                "{id}: hash chain BROKEN at event {}: {}",
                b.seq,
                safe(&b.reason)
            );
            Ok(ExitCode::from(1))
        }
    }
}
