//! Actions: nothing is sent before the typed confirmation and the committed
//! intent; backing out, a failed intent write and an unknown outcome are
//! each recorded as what they are.

use ratatui::crossterm::event::KeyCode;

use super::*;

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

    h.type_text("someone@else.co");
    let before = h.recorded.len();
    assert!(h.send(code(KeyCode::Enter)).is_empty());
    assert_eq!(
        h.recorded.len(),
        before,
        "a wrong confirmation records nothing"
    );

    h.send(ctrl('u'));
    h.type_text("a@b.co");
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
    h.type_text("a@b.co");
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
pub(super) fn confirmed_with_intent_in_flight(h: &mut Harness) -> (u64, Effect) {
    h.state.incident.as_mut().unwrap().meta.mode = Mode::Live;
    at_contain(h);
    h.send(key('g'));
    h.type_text("a@b.co");
    let held = h.hold(code(KeyCode::Enter));
    let [write @ Effect::Record { kinds, .. }] = held.as_slice() else {
        panic!("{held:?}")
    };
    let [kind] = kinds.as_slice() else {
        panic!("{kinds:?}")
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
    h.type_text("a@b.co");
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
    h.type_text("a@b.co");
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
