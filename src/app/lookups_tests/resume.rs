//! Reopening an incident brings back its stored lookup runs: the results
//! screen opens the latest run's rows without asking the tenant again.

use ratatui::crossterm::event::KeyCode;

use super::*;

#[test]
fn a_reopened_incident_shows_the_stored_rows_of_the_latest_run() {
    let first = two_runs();
    assert_eq!(lookup_runs(&first).len(), 2);

    let mut again = Harness::reopened(first.recorded.clone());
    assert!(again.state.pending.is_empty(), "resuming records nothing");
    let stored = again
        .state
        .lookups
        .latest("INC-1", "triage", "recent-signins")
        .expect("the stored run is back");
    assert_eq!(
        stored.result(),
        Some(&result(&[
            ("x@b.co", "192.0.2.7"),
            ("y@b.co", "203.0.113.9")
        ]))
    );
    assert_eq!(stored.recorded_seq, Some(first.seq));
    // The results key opens it at once: no "not run yet", no new query.
    again.send(key('j'));
    again.send(key('j'));
    let effects = again.send(key('o'));
    assert!(effects.is_empty(), "{effects:?}");
    let Screen::Results(view) = &again.state.screen else {
        panic!("{:?} {:?}", again.state.screen, again.state.notice)
    };
    assert_eq!(view.rows.len(), 2);
}

#[test]
fn a_stored_result_cut_at_the_cap_says_so_instead_of_showing_part_of_it() {
    let mut first = Harness::opened();
    set_upn(&mut first, "a@b.co");
    open_run_form(&mut first);
    let (run, _, _) = run_effect(&first.send(code(KeyCode::Enter)));
    first.send(finished(run, result(&[("x@b.co", "192.0.2.7")])));
    let mut recorded = first.recorded.clone();
    for kind in &mut recorded {
        if let EventKind::LookupRun {
            result: Some(text),
            result_truncated,
            ..
        } = kind
        {
            text.truncate(text.len() / 2);
            *result_truncated = true;
        }
    }
    let again = Harness::reopened(recorded);
    let stored = again
        .state
        .lookups
        .latest("INC-1", "triage", "recent-signins")
        .unwrap();
    let RunState::Failed { message, .. } = &stored.state else {
        panic!("{:?}", stored.state)
    };
    assert!(message.contains("cut at the store's size cap"), "{message}");
}
