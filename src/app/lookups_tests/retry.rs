//! `r` runs a lookup again exactly as it was sent: on the node screen (on
//! a lookup that has run) and on the results screen of a failed run.

use ratatui::crossterm::event::KeyCode;

use super::*;

fn failed(run: u64) -> Msg {
    failed_with(run, "HTTP 503 ServiceUnavailable: try later\nmore detail")
}

/// Runs the triage lookup with a typed UPN and fails it; returns its run.
fn failed_run(h: &mut Harness) -> (u64, LookupRequest) {
    open_run_form(h);
    h.type_text("mallory@contoso.example");
    let (run, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(failed(run));
    (run, request)
}

#[test]
fn r_on_the_results_of_a_failed_run_runs_the_same_request_again() {
    let mut h = Harness::opened();
    let (run, request) = failed_run(&mut h);
    let effects = h.send(key('r'));
    let (again, retried, _) = run_effect(&effects);
    assert_ne!(again, run);
    assert_eq!(retried, request);
    assert!(matches!(&h.state.screen, Screen::Results(v) if v.run == again));
    // While it runs, r does nothing more.
    assert!(h.send(key('r')).is_empty());
}

#[test]
fn r_on_a_lookup_that_ran_retries_it_and_elsewhere_chooses_with_a_reason() {
    let mut h = Harness::opened();
    let (_, request) = failed_run(&mut h);
    h.send(key('q'));
    let Screen::Node(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(view.cursor, 2, "the cursor is on the lookup");
    let (_, retried, _) = run_effect(&h.send(key('r')));
    assert_eq!(retried, request);
    assert!(matches!(h.state.screen, Screen::Node(_)));
    // On a choice, r still asks for the reason.
    h.send(key('j'));
    h.send(key('r'));
    assert!(matches!(h.state.screen, Screen::Reason(_)));
}

#[test]
fn a_lookup_that_never_ran_is_not_retried_by_r() {
    let mut h = Harness::opened();
    h.send(key('j'));
    h.send(key('j'));
    let effects = h.send(key('r'));
    assert!(effects.is_empty());
    assert!(matches!(h.state.screen, Screen::Reason(_)));
}

/// On a failed run's results screen the copy key takes the whole error,
/// request ids and all (there is no cell to copy).
#[test]
fn y_on_a_failed_run_copies_its_error_with_the_ids() {
    let mut h = Harness::opened();
    open_run_form(&mut h);
    h.type_text("mallory@contoso.example");
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(failed_with(
        run,
        "HTTP 429 TooManyRequests: later [request-id 94fb]",
    ));
    assert_eq!(
        h.send(key('y')),
        vec![Effect::Copy(
            "HTTP 429 TooManyRequests: later [request-id 94fb]".into()
        )]
    );
}
