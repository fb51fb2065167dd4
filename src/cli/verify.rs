//! `cairn verify ID [--head SEQ:HASH]...`: checks the hash chain, the
//! incident row and status against it, and the heads witnessed elsewhere
//! (the head log, and any given here); exit 1 when anything disagrees.

use std::path::Path;
use std::process::ExitCode;

use super::store_access::{incident_id, open_store_read_only, safe};
use crate::store::Head;

pub fn run(data_dir: Option<&Path>, id: &str, heads: &[Head]) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store_read_only(data_dir)?;
    let v = store.verify_heads(&id, heads)?;
    for warning in &v.warnings {
        eprintln!("cairn: warning: {}", safe(warning));
    }
    match v.broken {
        None => {
            let witnessed = match v.witnessed {
                Some(seq) => format!(", head log agrees up to event {seq}"),
                None => String::new(),
            };
            let given = match heads.len() {
                0 => String::new(),
                n => format!(", {n} given head(s) found"),
            };
            println!(
                "{id}: hash chain intact over {} events{witnessed}{given}; head {}",
                v.events,
                v.head_text()
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
