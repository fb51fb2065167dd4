//! Quitting with a lookup or an action in flight: asked first, and what was
//! in flight is recorded before the process ends.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::fixture::event;
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

/// A live incident reopened with `events` on record.
fn reopened(events: Vec<crate::store::event::Event>) -> Harness {
    let mut h = Harness::new();
    let loaded = crate::app::LoadedIncident {
        meta: crate::app::IncidentMeta {
            id: "INC-1".into(),
            title: "Test".into(),
            tree_id: "mini".into(),
            mode: Mode::Live,
            language: "en".into(),
            created_at: now(),
        },
        tree: crate::app::fixture::mini_tree(),
        state: crate::store::IncidentState::from_events(&events),
        scenario: None,
    };
    h.send(Msg::IncidentOpened(Ok(Box::new(
        crate::app::LoadedIncidentMsg(loaded),
    ))));
    h
}

fn intended() -> EventKind {
    EventKind::ActionIntended {
        node: "contain".into(),
        action: "revoke-sessions".into(),
        method: "POST".into(),
        path: "/users/a%40b.co/revokeSignInSessions".into(),
        body: None,
        confirmation: "a@b.co".into(),
        simulated: false,
        approval: None,
    }
}

#[test]
fn reopening_after_an_unknown_outcome_offers_the_verifying_read() {
    let enter = |n: &str| EventKind::NodeEntered { node: n.into() };
    let unknown = EventKind::ActionOutcome {
        intent: 3,
        status: ActionStatus::Unknown,
        http_status: None,
        detail: Some("Cairn was stopped by SIGHUP while the call was in flight".into()),
    };
    // With an unknown outcome, and with none at all (killed mid-call).
    for tail in [vec![event(4, unknown)], vec![]] {
        let mut events = vec![event(1, enter("triage")), event(2, enter("contain"))];
        events.push(event(3, intended()));
        events.extend(tail);
        let mut h = reopened(events);
        let Screen::Action(view) = &h.state.screen else {
            panic!("{:?}", h.state.screen)
        };
        let run = h.state.lookups.actions[&view.run].clone();
        assert!(matches!(
            &run.phase,
            ActionPhase::Done { intent: 3, report }
                if report.status == ActionStatus::Unknown && report.verify.is_some()
        ));
        let effects = h.send(key('v'));
        assert!(
            matches!(
                effects.as_slice(),
                [Effect::Lookup(LookupEffect::Verify { run: r, .. })] if *r == run.id
            ),
            "{effects:?}"
        );
    }
}

#[test]
fn reopening_after_a_settled_outcome_shows_the_node() {
    let settled = EventKind::ActionOutcome {
        intent: 2,
        status: ActionStatus::Succeeded,
        http_status: Some(204),
        detail: None,
    };
    let enter = EventKind::NodeEntered {
        node: "contain".into(),
    };
    let h = reopened(vec![
        event(1, enter),
        event(2, intended()),
        event(3, settled),
    ]);
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(h.state.lookups.actions.is_empty());
}

#[test]
fn a_run_counting_down_a_retry_after_is_in_flight_for_quitting() {
    let mut h = Harness::opened();
    set_upn(&mut h, "a@b.co");
    open_run_form(&mut h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    let until = now() + TimeDelta::minutes(10);
    h.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: now(),
        finished_at: now(),
        outcome: RunOutcome::WaitAsked { status: 503, until },
    }));
    assert_eq!(
        h.state.lookups.runs[&run].state,
        RunState::Throttled { status: 503, until }
    );
    assert!(super::animating(&h.state), "the countdown ticks");
    assert!(lookup_runs(&h).is_empty());
    // A forced exit during the countdown records the run as cancelled.
    let effects = finish(&mut h.state, "Cairn was stopped by SIGTERM");
    h.send_effects(effects);
    assert!(matches!(
        lookup_runs(&h)[..],
        [EventKind::LookupRun {
            status: LookupStatus::Cancelled,
            message: Some(m),
            ..
        }] if m.contains("SIGTERM")
    ));
}
