//! `cairn verify ID [--head SEQ:HASH]...`: checks the hash chain, the
//! incident row and status against it, and the heads witnessed elsewhere
//! (the head log, and any given here); exit 1 when anything disagrees.

use std::path::Path;
use std::process::ExitCode;

use super::say;
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
        let n = seen.len().to_string();
        eprintln!("{}", say::fill("verify-remote-heads", &[("n", &n)]));
        heads.extend(seen);
    }
    let heads = heads.as_slice();
    let v = store.verify_heads(&id, heads)?;
    for warning in &v.warnings {
        eprintln!("{}", say::fill("warning", &[("what", &safe(warning))]));
    }
    match v.broken {
        None => {
            let witnessed = match v.witnessed {
                Some(seq) => say::fill("verify-witnessed", &[("seq", &seq.to_string())]),
                None => String::new(),
            };
            let given = match heads.len() {
                0 => String::new(),
                n => say::fill("verify-given", &[("n", &n.to_string())]),
            };
            let (id, events, head) = (id.to_string(), v.events.to_string(), v.head_text());
            let fills = [
                ("id", id.as_str()),
                ("events", &events),
                ("witnessed", &witnessed),
                ("given", &given),
                ("head", &head),
            ];
            println!("{}", say::fill("verify-intact", &fills));
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            let (seq, why) = (b.seq.to_string(), safe(&b.reason));
            let chain = say::fill("chain-broken", &[("seq", &seq), ("why", &why)]);
            println!("{id}: {chain}");
            Ok(ExitCode::from(1))
        }
    }
}
