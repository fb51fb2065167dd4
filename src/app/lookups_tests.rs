//! Lookup runs, results and actions through `update`: keys and executor
//! messages in, state, records and effects out. No terminal, no network.

use std::sync::Arc;

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::actions::ActionPhase;
use crate::app::fixture::{Harness, code, ctrl, key, now};
use crate::app::results::ResultsMode;
use crate::app::{Effect, Msg, Screen};
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
            }) => Some((*run, request.clone(), source.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no run in {effects:?}"))
}

fn set_upn(h: &mut Harness, upn: &str) {
    let inc = h.state.incident.as_mut().unwrap();
    inc.walk.variables.insert("upn".into(), upn.into());
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

#[test]
fn unset_variables_are_asked_for_validated_by_type_then_the_run_starts() {
    let mut h = Harness::opened();
    open_run_form(&mut h);
    let Screen::RunForm(form) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(form.missing.len(), 1);
    assert_eq!(form.missing[0].0, "upn");
    assert_eq!(form.window.text(), "7d");

    typed(&mut h, "not a upn");
    let effects = h.send(code(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let Screen::RunForm(form) = &h.state.screen else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap().starts_with("upn:"));

    h.send(ctrl('u'));
    typed(&mut h, "Mallory@Contoso.example");
    // The window is adjustable per run.
    h.send(code(KeyCode::Tab));
    h.send(ctrl('u'));
    typed(&mut h, "12h");
    let effects = h.send(code(KeyCode::Enter));
    let (run, request, source) = run_effect(&effects);
    assert_eq!(
        request.text,
        "SigninLogs | where UserPrincipalName =~ 'Mallory@Contoso.example'"
    );
    assert_eq!(request.timespan.as_deref(), Some("PT12H"));
    assert!(matches!(source, Source::Practice { .. }));
    // The typed value is recorded, canonical.
    assert!(h.recorded.contains(&EventKind::VariableSet {
        name: "upn".into(),
        value: "Mallory@Contoso.example".into(),
        source: ValueSource::Typed,
    }));
    assert!(matches!(&h.state.screen, Screen::Results(v) if v.run == run));
    assert!(super::animating(&h.state));
}

#[test]
fn a_finished_run_is_recorded_with_its_evidence_and_shown() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    let rows = result(&[("a@b.co", "203.0.113.7"), ("a@b.co", "198.51.100.2")]);
    let effects = h.send(finished(run, rows.clone()));
    assert!(effects.is_empty());
    let [
        EventKind::LookupRun {
            query,
            status,
            row_count,
            result_sha256,
            variables,
            timespan,
            node,
            lookup,
            ..
        },
    ] = lookup_runs(&h)[..]
    else {
        panic!("{:?}", h.recorded)
    };
    assert_eq!(query, &request.text);
    assert_eq!(*status, LookupStatus::Succeeded);
    assert_eq!(*row_count, Some(2));
    let sha = canonical::sha256_hex(&canonical::canonical_json(&rows));
    assert_eq!(result_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(variables.get("upn").map(String::as_str), Some("a@b.co"));
    assert_eq!(timespan.as_deref(), Some("P7D"));
    assert_eq!(
        (node.as_str(), lookup.as_str()),
        ("triage", "recent-signins")
    );
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![0, 1]);
    assert!(!super::animating(&h.state));
    // Recorded seq is known, so cells can be bound.
    assert!(h.state.lookups.runs[&run].recorded_seq.is_some());
}

#[test]
fn a_rerun_cancels_the_older_run_and_its_late_answer_is_dropped() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (first, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    // Back to the node (q hides the spinner without cancelling), run again.
    h.send(key('q'));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    h.send(key('g'));
    let effects = h.send(code(KeyCode::Enter));
    let (second, _, _) = run_effect(&effects);
    assert_ne!(first, second);
    assert!(effects.contains(&Effect::Lookup(LookupEffect::Cancel { run: first })));
    assert!(matches!(
        lookup_runs(&h)[..],
        [EventKind::LookupRun {
            status: LookupStatus::Cancelled,
            ..
        }]
    ));
    // The first run's answer arrives late: nothing is recorded or shown.
    let effects = h.send(finished(first, result(&[("old@b.co", "192.0.2.1")])));
    assert!(effects.is_empty());
    assert_eq!(lookup_runs(&h).len(), 1);
    assert_eq!(h.state.lookups.runs[&first].state, RunState::Cancelled);
    h.send(finished(second, result(&[("new@b.co", "192.0.2.2")])));
    assert_eq!(lookup_runs(&h).len(), 2);
    let shown = h.state.lookups.runs[&second].result().unwrap();
    assert_eq!(shown.tables[0].rows[0][0], Cell::Str("new@b.co".into()));
}

#[test]
fn esc_cancels_a_running_lookup_frees_the_screen_and_records_it() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    let effects = h.send(code(KeyCode::Esc));
    assert_eq!(effects, vec![Effect::Lookup(LookupEffect::Cancel { run })]);
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(matches!(
        lookup_runs(&h)[..],
        [EventKind::LookupRun {
            status: LookupStatus::Cancelled,
            row_count: None,
            ..
        }]
    ));
    assert!(!super::animating(&h.state));
}

#[test]
fn progress_and_failures_are_kept_for_the_screen() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    let waiting = crate::lookup::retry::Progress::Waiting {
        attempt: 1,
        delay: std::time::Duration::from_secs(3),
        reason: 429,
        from_retry_after: true,
    };
    h.send(Msg::Lookup(LookupMsg::Progress {
        run,
        progress: waiting.clone(),
    }));
    assert_eq!(
        h.state.lookups.runs[&run].state,
        RunState::Running {
            progress: Some(waiting)
        }
    );
    h.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: now(),
        finished_at: now(),
        outcome: RunOutcome::Failed {
            status: LookupStatus::Failed,
            message: "HTTP 403 InsufficientAccessError: denied. Hint: grant Log Analytics Reader"
                .into(),
            sign_in: false,
        },
    }));
    let [
        EventKind::LookupRun {
            status, message, ..
        },
    ] = lookup_runs(&h)[..]
    else {
        panic!()
    };
    assert_eq!(*status, LookupStatus::Failed);
    assert!(message.as_deref().unwrap().contains("Hint:"));
}

#[test]
fn run_all_starts_the_ready_lookups_and_names_the_ones_waiting() {
    let mut h = Harness::opened();
    let effects = h.send(key('G'));
    assert!(effects.is_empty());
    assert_eq!(
        h.state.notice,
        Some(Notice::Lookups(LookupNotice::Started {
            started: 0,
            waiting: vec!["recent-signins".into()]
        }))
    );
    set_upn(&mut h, "a@b.co");
    let effects = h.send(key('G'));
    run_effect(&effects);
    assert!(h.state.lookups.any_running());
}

fn finished_results(h: &mut Harness, rows: &[(&str, &str)]) -> u64 {
    set_upn(h, "a@b.co");
    open_run_form(h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(finished(run, result(rows)));
    run
}

#[test]
fn a_cell_binds_to_a_variable_of_a_matching_type_and_records_where_it_came_from() {
    let mut h = Harness::opened();
    let run = finished_results(
        &mut h,
        &[("x@b.co", "192.0.2.1"), ("Eve@Evil.example", "203.0.113.9")],
    );
    let seq = h.state.lookups.runs[&run].recorded_seq.unwrap();
    // Second row, first column (UserPrincipalName).
    h.send(key('j'));
    h.send(key('='));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!("{:?}", view.mode)
    };
    assert_eq!(picker.options, vec!["upn".to_string()]);
    h.send(code(KeyCode::Enter));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::VariableSet {
            name: "upn".into(),
            value: "Eve@Evil.example".into(),
            source: ValueSource::Lookup {
                lookup_seq: seq,
                row: 1,
                column: "UserPrincipalName".into(),
            },
        })
    );
    assert_eq!(
        h.state.incident.as_ref().unwrap().walk.variables["upn"],
        "Eve@Evil.example"
    );

    // An IP is not a UPN: refused, nothing recorded.
    let before = h.recorded.len();
    h.send(key('l'));
    h.send(key('='));
    h.send(code(KeyCode::Enter));
    assert_eq!(h.recorded.len(), before);
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!()
    };
    assert!(picker.error.as_deref().unwrap().starts_with("upn:"));
}

#[test]
fn filter_sort_copy_and_save_work_on_the_view() {
    let mut h = Harness::opened();
    finished_results(
        &mut h,
        &[
            ("c@b.co", "192.0.2.3"),
            ("a@b.co", "203.0.113.1"),
            ("b@b.co", "192.0.2.1"),
        ],
    );
    h.send(key('s'));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![1, 2, 0]);
    h.send(key('s'));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![0, 2, 1]);
    h.send(key('/'));
    typed(&mut h, "192.0.2");
    h.send(code(KeyCode::Enter));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![0, 2], "filtered, still sorted descending");
    assert_eq!(h.send(key('y')), vec![Effect::Copy("c@b.co".into())]);
    let row = h.send(key('Y'));
    let [Effect::Copy(json)] = row.as_slice() else {
        panic!()
    };
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["IPAddress"], "192.0.2.3");
    let q = h.send(key('c'));
    assert!(matches!(&q[..], [Effect::Copy(t)] if t.contains("SigninLogs")));
    h.send(key('w'));
    h.send(ctrl('u'));
    typed(&mut h, "out.json");
    let effects = h.send(code(KeyCode::Enter));
    let [
        Effect::Lookup(LookupEffect::Save {
            path, rows, json, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (path.as_str(), rows.as_slice(), *json),
        ("out.json", &[0, 2][..], true)
    );
}

#[test]
fn a_hundred_thousand_rows_page_without_copying() {
    let mut h = Harness::opened();
    let many: Vec<(String, String)> = (0..100_000)
        .map(|i| (format!("u{i}@b.co"), format!("192.0.2.{}", i % 256)))
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    finished_results(&mut h, &refs);
    h.send(code(KeyCode::End));
    h.send(code(KeyCode::PageUp));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let page = crate::app::results::body_height(h.state.size);
    assert_eq!(view.row, 99_999 - page);
    assert!(view.scroll <= view.row && view.row < view.scroll + page);
}

fn at_contain(h: &mut Harness) {
    set_upn(h, "a@b.co");
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
}

#[test]
fn an_action_runs_only_after_the_typed_confirmation_and_its_intent_is_committed() {
    let mut h = Harness::opened();
    at_contain(&mut h);
    h.send(key('g'));
    let Screen::Action(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    let run = h.state.lookups.actions[&view.run].clone();
    assert_eq!(
        run.url,
        "https://graph.microsoft.com/v1.0/users/a%40b.co/revokeSignInSessions"
    );
    assert_eq!(run.expected, "a@b.co");
    assert!(run.simulated());

    typed(&mut h, "someone@else.co");
    let before = h.recorded.len();
    assert!(h.send(code(KeyCode::Enter)).is_empty());
    assert_eq!(
        h.recorded.len(),
        before,
        "a wrong confirmation records nothing"
    );

    h.send(ctrl('u'));
    typed(&mut h, "a@b.co");
    let effects = h.send(code(KeyCode::Enter));
    // The intent was recorded (and confirmed) before the call was asked for.
    let intent_seq = h.seq;
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionIntended { simulated: true, confirmation, .. }) if confirmation == "a@b.co"
    ));
    let [
        Effect::Lookup(LookupEffect::Act {
            run: id, source, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert!(matches!(source, Source::Practice { .. }));
    let report = crate::lookup::action::simulate(&run.request);
    h.send(Msg::Lookup(LookupMsg::ActionDone { run: *id, report }));
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionOutcome { intent, status: ActionStatus::Simulated, .. }) if *intent == intent_seq
    ));
}

#[test]
fn a_failed_intent_write_sends_nothing() {
    let mut h = Harness::opened();
    at_contain(&mut h);
    h.send(key('g'));
    typed(&mut h, "a@b.co");
    h.fail_writes = true;
    let effects = h.send(code(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let Screen::Action(view) = &h.state.screen else {
        panic!()
    };
    let run = &h.state.lookups.actions[&view.run];
    assert_eq!(run.phase, ActionPhase::Confirming);
    assert!(run.error.as_deref().unwrap().contains("nothing was sent"));
}

/// A live action confirmed at the contain node; its intent write is
/// returned still in flight.
fn confirmed_with_intent_in_flight(h: &mut Harness) -> (u64, Effect) {
    h.state.incident.as_mut().unwrap().meta.mode = Mode::Live;
    at_contain(h);
    h.send(key('g'));
    typed(h, "a@b.co");
    let held = h.hold(code(KeyCode::Enter));
    let [write @ Effect::Record { kind, .. }] = held.as_slice() else {
        panic!("{held:?}")
    };
    assert!(matches!(kind, EventKind::ActionIntended { .. }), "{kind:?}");
    let Screen::Action(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    (view.run, write.clone())
}

#[test]
fn backing_out_while_the_intent_is_recorded_sends_nothing_and_records_it_abandoned() {
    let mut h = Harness::opened();
    let (run, write) = confirmed_with_intent_in_flight(&mut h);
    assert!(matches!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Recording { .. }
    ));
    // Esc before the store's confirmation: the screen stays, saying so.
    assert!(h.send(code(KeyCode::Esc)).is_empty());
    assert!(matches!(h.state.screen, Screen::Action(_)));
    assert!(matches!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Abandoning { .. }
    ));
    // The intent commits: no call, and its outcome says why.
    let effects = h.commit(write);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Lookup(_))),
        "{effects:?}"
    );
    let intent = h.seq - 1;
    assert!(matches!(
        &h.recorded[h.recorded.len() - 2..],
        [
            EventKind::ActionIntended { simulated: false, .. },
            EventKind::ActionOutcome {
                intent: i,
                status: ActionStatus::Abandoned,
                http_status: None,
                detail: Some(d),
            },
        ] if *i == intent && d.contains("nothing was sent")
    ));
    assert_eq!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Abandoned { intent }
    );
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
}

#[test]
fn once_the_call_is_out_esc_only_leaves_the_screen() {
    let mut h = Harness::opened();
    let (run, write) = confirmed_with_intent_in_flight(&mut h);
    let effects = h.commit(write);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Lookup(LookupEffect::Act { .. })]
    ));
    let recorded = h.recorded.len();
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(matches!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Sending { .. }
    ));
    assert_eq!(h.recorded.len(), recorded, "nothing abandoned");
    // Before confirming, backing out records nothing at all.
    h.send(key('g'));
    typed(&mut h, "a@b.co");
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert_eq!(h.recorded.len(), recorded);
}

#[test]
fn an_unknown_outcome_offers_a_verifying_read_and_records_its_answer() {
    let mut h = Harness::opened();
    h.state.incident.as_mut().unwrap().meta.mode = Mode::Live;
    at_contain(&mut h);
    h.send(key('g'));
    typed(&mut h, "a@b.co");
    let effects = h.send(code(KeyCode::Enter));
    let [Effect::Lookup(LookupEffect::Act { run, source, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*source, Source::Live);
    let plan = VerifyPlan::SessionsRevoked {
        user_path: "/users/a%40b.co".into(),
        since: now(),
    };
    h.send(Msg::Lookup(LookupMsg::ActionDone {
        run: *run,
        report: ActionReport {
            status: ActionStatus::Unknown,
            http_status: None,
            detail: "outcome unknown: timed out".into(),
            verify: Some(plan.clone()),
        },
    }));
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionOutcome {
            status: ActionStatus::Unknown,
            ..
        })
    ));
    let effects = h.send(key('v'));
    assert_eq!(
        effects,
        vec![Effect::Lookup(LookupEffect::Verify { run: *run, plan })]
    );
    h.send(Msg::Lookup(LookupMsg::Verified {
        run: *run,
        verified: crate::lookup::action::Verified::Done,
    }));
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionOutcome { status: ActionStatus::Succeeded, detail: Some(d), .. }) if d.contains("verified by GET")
    ));
}

#[test]
fn run_on_anything_but_a_lookup_or_action_sends_nothing() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    // The cursor starts on a checklist item.
    assert!(h.send(key('g')).is_empty());
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(!h.state.lookups.any_running());
}

#[test]
fn a_graph_lookup_has_no_window_field() {
    let mut h = Harness::opened();
    let mut tree = (*h.state.incident.as_ref().unwrap().tree).clone();
    let lookup = &mut tree.nodes[0].lookups[0];
    lookup.provider = crate::tree::Provider::Graph;
    lookup.query = crate::tree::At::new("/users/{{upn}}".into(), 0..0);
    h.state.incident.as_mut().unwrap().tree = Arc::new(tree);
    open_run_form(&mut h);
    let Screen::RunForm(form) = &h.state.screen else {
        panic!()
    };
    assert!(!form.has_window);
    assert_eq!(form.fields(), 1);
    typed(&mut h, "a@b.co");
    let (_, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    assert_eq!(request.text, "/users/a%40b.co");
    assert_eq!(request.timespan, None);
}
