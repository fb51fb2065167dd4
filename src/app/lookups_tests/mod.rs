//! Lookup runs, results and actions through `update`: keys and executor
//! messages in, state, records and effects out. No terminal, no network.
//! The helpers shared by all are here; the tests are split by what they
//! exercise: `runs` (starting, cancelling, recording runs), `results` (the
//! results screen) and `actions` (confirmed, abandoned and verified actions).

mod actions;
mod approval;
mod copy;
mod history;
mod quitting;
mod results;
mod resume;
mod retry;
mod runs;

use std::sync::Arc;

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::NodeView;
use crate::app::actions::ActionPhase;
use crate::app::fixture::{Harness, code, ctrl, key, now};
use crate::app::results::ResultsMode;
use crate::app::{Effect, Msg, Notice, Screen};
use crate::lookup::action::{ActionReport, VerifyPlan};
use crate::lookup::canonical;
use crate::lookup::table::{Cell, Column, ColumnType, ResultTable};
use crate::store::event::{ActionStatus, EventKind, LookupStatus, Mode, ValueSource};

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

/// The `Finished` message of run `run` failing with `message`.
fn failed_with(run: u64, message: &str) -> Msg {
    Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: now(),
        finished_at: now(),
        outcome: RunOutcome::Failed {
            status: LookupStatus::Failed,
            message: message.into(),
            sign_in: false,
        },
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

/// Two runs of the triage lookup, ten minutes apart: one row, then two.
pub(super) fn two_runs() -> Harness {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    for rows in [
        &[("old@b.co", "192.0.2.1")][..],
        &[("x@b.co", "192.0.2.7"), ("y@b.co", "203.0.113.9")][..],
    ] {
        open_run_form(&mut h);
        let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
        let mut done = finished(run, result(rows));
        if let Msg::Lookup(LookupMsg::Finished { started_at, .. }) = &mut done {
            *started_at = h.state.now;
        }
        h.send(done);
        h.send(code(KeyCode::Esc));
        h.state.screen = Screen::Node(NodeView::default());
        h.state.now += TimeDelta::minutes(10);
    }
    h
}
