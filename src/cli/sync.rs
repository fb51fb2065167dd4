//! `cairn sync ID`: drains the incident's outbox into its Sentinel incident
//! now, waiting out throttling and outages for a while, then reads the
//! comments others wrote there, and says what is left. Safe to interrupt at any point: what was acknowledged is marked
//! sent, and whatever is sent again replaces itself (ids derive from events).

use std::path::Path;
use std::process::ExitCode;

use super::attach::connect;
use super::say;
use super::store_access::{incident_id, open_store, safe};
use crate::lookup::sentinel::Sentinel;
use crate::sync::drain::{Progress, drain};

/// Failed drains in a row before the command gives up (the rows stay
/// pending for the next `sync` or the open screen).
const ATTEMPTS: u32 = 6;

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir)?;
    let conn = connect()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let sentinel = Sentinel::new(&conn.api, &conn.workspace);
    let mut total = Progress::default();
    let mut failures = 0;
    let outcome = runtime.block_on(async {
        loop {
            let result = drain(&mut store, &sentinel, &id, &mut |p| {
                let (sent, pending) = ((total.sent + p.sent).to_string(), p.pending.to_string());
                let fills = [("sent", sent.as_str()), ("pending", &pending)];
                eprint!("\r{}   ", say::fill("sync-progress", &fills));
            })
            .await;
            match result {
                Ok(p) => {
                    total.sent += p.sent;
                    total.pending = p.pending;
                    return Ok(());
                }
                Err(e) => {
                    failures += 1;
                    if !e.is_transient() || failures >= ATTEMPTS {
                        return Err(e);
                    }
                    let wait = e.wait(failures);
                    let (why, secs) = (safe(&e.to_string()), wait.as_secs_f64().ceil().to_string());
                    let fills = [("why", why.as_str()), ("secs", &secs)];
                    eprintln!("\n{}", say::fill("sync-retry", &fills));
                    tokio::time::sleep(wait).await;
                }
            }
        }
    });
    eprintln!();
    // On demand, the team's side too: comments others wrote.
    if outcome.is_ok() {
        match runtime.block_on(crate::sync::pull::pull(&mut store, &sentinel, &id)) {
            Ok(n) => eprintln!("{}", say::fill("sync-pulled", &[("n", &n.to_string())])),
            Err(e) => {
                let why = safe(&e.to_string());
                eprintln!("{}", say::fill("sync-pull-failed", &[("why", &why)]));
            }
        }
    }
    let state = store.outbox_state(&id)?;
    match outcome {
        Ok(()) => {
            let (id, now, all) = (
                id.to_string(),
                total.sent.to_string(),
                state.sent.to_string(),
            );
            let fills = [("id", id.as_str()), ("now", &now), ("all", &all)];
            println!("{}", say::fill("synced", &fills));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let (id, n, why) = (
                id.to_string(),
                state.pending.to_string(),
                safe(&e.to_string()),
            );
            let fills = [("id", id.as_str()), ("n", &n), ("why", &why)];
            eprintln!("{}", say::fill("sync-failing", &fills));
            Ok(ExitCode::FAILURE)
        }
    }
}
