//! Quitting with a lookup or an action in flight: asked first, and what was
//! in flight is recorded before the process ends.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::quit::{AtStake, finish};

#[test]
fn quitting_with_a_running_lookup_asks_then_records_it_cancelled() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(key('Q'));
    assert_eq!(
        h.state.dialog,
        Some(crate::app::ConfirmDialog::Quit(AtStake {
            draft: false,
            lookups: 1,
            actions: 0
        }))
    );
    assert!(lookup_runs(&h).is_empty());
    let effects = h.send(key('y'));
    assert_eq!(
        effects,
        vec![Effect::Lookup(LookupEffect::Cancel { run }), Effect::Quit]
    );
    assert!(matches!(
        lookup_runs(&h)[..],
        [EventKind::LookupRun {
            status: LookupStatus::Cancelled,
            message: Some(m),
            ..
        }] if m.contains("quit")
    ));
}

#[test]
fn a_forced_exit_records_a_call_in_flight_as_unknown() {
    let mut h = Harness::opened();
    let (run, write) = super::actions::confirmed_with_intent_in_flight(&mut h);
    h.commit(write);
    let intent = h.seq;
    assert_eq!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Sending { intent }
    );
    let effects = finish(&mut h.state, "Cairn was stopped by SIGHUP");
    let effects = h.send_effects(effects);
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionOutcome {
            intent: i,
            status: ActionStatus::Unknown,
            detail: Some(d),
            ..
        }) if *i == intent && d.contains("SIGHUP") && d.contains("verifying read")
    ));
}

#[test]
fn a_forced_exit_before_the_intent_commits_sends_nothing_and_records_it_abandoned() {
    let mut h = Harness::opened();
    let (run, write) = super::actions::confirmed_with_intent_in_flight(&mut h);
    let effects = finish(&mut h.state, "the terminal hung up");
    assert_eq!(effects, vec![Effect::Quit]);
    let effects = h.commit(write);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Lookup(_))),
        "{effects:?}"
    );
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionOutcome {
            status: ActionStatus::Abandoned,
            ..
        })
    ));
    assert!(matches!(
        h.state.lookups.actions[&run].phase,
        ActionPhase::Abandoned { .. }
    ));
}
