//! `cairn verify ID [--head SEQ:HASH]...`: checks the hash chain, the
//! incident row and status against it, and the heads witnessed elsewhere
//! (the head log, and any given here); exit 1 when anything disagrees.

use std::path::Path;
use std::process::ExitCode;

use super::store_access::{incident_id, open_store_read_only, safe};
use crate::store::Head;

pub fn run(
    data_dir: Option<&Path>,
    id: &str,
    given: &[Head],
    remote: bool,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store_read_only(data_dir)?;
    let mut heads = given.to_vec();
    if remote {
        // What the team already saw: the heads the pushed comments carry.
        let conn = super::attach::connect()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let sentinel = crate::lookup::sentinel::Sentinel::new(&conn.api, &conn.workspace);
        let seen = runtime.block_on(crate::sync::verify::remote_heads(&store, &sentinel, &id))?;
        eprintln!(
            "cairn: {} heads carried by comments in Sentinel",
            seen.len()
        );
        heads.extend(seen);
    }
    let heads = heads.as_slice();
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
