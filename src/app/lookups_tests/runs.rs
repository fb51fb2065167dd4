//! Starting runs (values asked for and checked first), cancelling and
//! superseding them, and recording every run with its evidence.

use ratatui::crossterm::event::KeyCode;

use super::*;

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

    h.type_text("not a upn");
    let effects = h.send(code(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let Screen::RunForm(form) = &h.state.screen else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap().starts_with("upn:"));

    h.send(ctrl('u'));
    h.type_text("Mallory@Contoso.example");
    // The window is adjustable per run.
    h.send(code(KeyCode::Tab));
    h.send(ctrl('u'));
    h.type_text("12h");
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
    h.send(failed_with(
        run,
        "HTTP 403 InsufficientAccessError: denied. Hint: grant Log Analytics Reader",
    ));
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
    h.type_text("a@b.co");
    let (_, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    assert_eq!(request.text, "/users/a%40b.co");
    assert_eq!(request.timespan, None);
}

#[test]
fn a_run_resumed_after_a_countdown_records_when_it_was_first_sent() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    let first = now() + TimeDelta::seconds(1);
    let until = first + TimeDelta::minutes(10);
    h.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: first,
        finished_at: first,
        outcome: RunOutcome::WaitAsked { status: 429, until },
    }));
    let resumed = until + TimeDelta::seconds(1);
    let effects = h.send(Msg::Tick(resumed));
    assert_eq!(run_effect(&effects).0, run, "the same run goes on");
    let rows = result(&[("a@b.co", "203.0.113.7")]);
    h.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: resumed,
        finished_at: resumed + TimeDelta::seconds(2),
        outcome: RunOutcome::Rows {
            evidence: canonical::evidence(&rows, 1024),
            result: rows,
        },
    }));
    let [
        EventKind::LookupRun {
            started_at,
            finished_at,
            ..
        },
    ] = lookup_runs(&h)[..]
    else {
        panic!("{:?}", lookup_runs(&h))
    };
    assert_eq!(
        *started_at, first,
        "the run's real start, not its last attempt's"
    );
    assert_eq!(*finished_at, resumed + TimeDelta::seconds(2));
}

#[test]
fn a_run_recorded_with_an_owed_start_entry_keeps_its_own_event() {
    let mut h = Harness::opened_while_writes_fail();
    h.fail_writes = false;
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    assert!(h.recorded.is_empty(), "{:?}", h.recorded);
    h.send(finished(run, result(&[("a@b.co", "203.0.113.7")])));
    // The run's write carried the start node's entry before its own event.
    assert!(matches!(
        h.recorded[..],
        [EventKind::NodeEntered { .. }, EventKind::LookupRun { .. }]
    ));
    assert_eq!(h.state.lookups.runs[&run].recorded_seq, Some(2));
}

/// The form says an empty window is the service's default: emptying the
/// field sends no timespan at all (not the lookup's own window).
#[test]
fn an_emptied_window_field_sends_no_timespan() {
    let mut h = Harness::opened();
    open_run_form(&mut h);
    h.type_text("mallory@contoso.example");
    h.send(code(KeyCode::Tab));
    h.send(ctrl('u'));
    let (_, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    assert_eq!(request.timespan, None);
    // Left as it was, the lookup's window is sent.
    let mut h = Harness::opened();
    open_run_form(&mut h);
    h.type_text("mallory@contoso.example");
    let (_, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    assert_eq!(request.timespan.as_deref(), Some("P7D"));
}
