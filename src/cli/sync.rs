//! `cairn sync ID`: drains the incident's outbox into its Sentinel incident
//! now, waiting out throttling and outages for a while, then reads the
//! comments others wrote there, and says what is left. Safe to interrupt at any point: what was acknowledged is marked
//! sent, and whatever is sent again replaces itself (ids derive from events).

use std::path::Path;
use std::process::ExitCode;

use super::attach::connect;
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
                eprint!(
                    "\rcairn: {} sent, {} pending   ",
                    total.sent + p.sent,
                    p.pending
                );
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
                    eprintln!(
                        "\ncairn: {}; trying again in {} s",
                        safe(&e.to_string()),
                        wait.as_secs_f64().ceil()
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    });
    eprintln!();
    // On demand, the team's side too: comments others wrote.
    if outcome.is_ok() {
        match runtime.block_on(crate::sync::pull::pull(&mut store, &sentinel, &id)) {
            Ok(n) => eprintln!("cairn: {n} new remote comments"),
            Err(e) => eprintln!("cairn: remote comments not read: {}", safe(&e.to_string())),
        }
    }
    let state = store.outbox_state(&id)?;
    match outcome {
        Ok(()) => {
            println!(
                "{id}: synced ({} rows sent now, {} in all)",
                total.sent, state.sent
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "cairn: {id}: {} pending; failing: {}",
                state.pending,
                safe(&e.to_string())
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
