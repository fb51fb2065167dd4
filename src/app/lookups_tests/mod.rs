//! Lookup runs, results and actions through `update`: keys and executor
//! messages in, state, records and effects out. No terminal, no network.
//! The helpers shared by all are here; the tests are split by what they
//! exercise: `runs` (starting, cancelling, recording runs), `results` (the
//! results screen) and `actions` (confirmed, abandoned and verified actions).

mod actions;
mod copy;
mod quitting;
mod results;
mod resume;
mod retry;
mod runs;

use std::sync::Arc;

use chrono::TimeDelta;

use super::*;
use crate::app::actions::ActionPhase;
use crate::app::fixture::{Harness, code, ctrl, key, now};
use crate::app::results::ResultsMode;
use crate::app::{Effect, Msg, Notice, Screen};
use crate::lookup::action::{ActionReport, VerifyPlan};
use crate::lookup::canonical;
use crate::lookup::table::{Cell, Column, ColumnType, ResultTable};
use crate::store::event::{ActionStatus, EventKind, LookupStatus, Mode, ValueSource};

fn typed(h: &mut Harness, text: &str) {
    for c in text.chars() {
        h.send(key(c));
    }
}

fn result(rows: &[(&str, &str)]) -> Arc<LookupResult> {
    Arc::new(LookupResult {
        tables: vec![ResultTable {
            name: "PrimaryResult".into(),
            columns: vec![
                Column {
                    name: "UserPrincipalName".into(),
                    col_type: ColumnType::String,
                },
                Column {
                    name: "IPAddress".into(),
                    col_type: ColumnType::String,
                },
            ],
            rows: rows
                .iter()
                .map(|(u, ip)| {
                    vec![
                        Cell::Str(u.to_string().into()),
                        Cell::Str(ip.to_string().into()),
                    ]
                })
                .collect(),
        }],
        warning: None,
    })
}

fn finished(run: u64, result: Arc<LookupResult>) -> Msg {
    let evidence = canonical::evidence(&result, 1024);
    Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: now(),
        finished_at: now() + TimeDelta::seconds(2),
        outcome: RunOutcome::Rows { result, evidence },
    })
}

fn run_effect(effects: &[Effect]) -> (u64, LookupRequest, Source) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Lookup(LookupEffect::Run {
                run,
                request,
                source,
                ..
            }) => Some((*run, request.clone(), source.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no run in {effects:?}"))
}

fn set_upn(h: &mut Harness, upn: &str) {
    let inc = h.state.incident.as_mut().unwrap();
    inc.walk.values.insert("upn".into(), upn.into());
}

fn lookup_runs(h: &Harness) -> Vec<&EventKind> {
    h.recorded
        .iter()
        .filter(|k| matches!(k, EventKind::LookupRun { .. }))
        .collect()
}

/// The mini tree's triage node: two checks, then the lookup.
fn open_run_form(h: &mut Harness) {
    h.send(key('j'));
    h.send(key('j'));
    h.send(key('g'));
}
