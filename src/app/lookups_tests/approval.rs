//! Four eyes on the action screen: an action whose policy needs a second
//! person is proposed (with a reason) instead of sent; it runs only after
//! an approval of the exact request from another identity, confirmed
//! again, and the intent names the proposal; practice plays the approver.

use super::*;
use crate::store::approval::request_sha256;
use crate::store::event::{ApprovalSource, Signer};
use crate::tree::{ApprovalPolicy, At};

const URL: &str = "https://graph.microsoft.com/v1.0/users/a%40b.co/revokeSignInSessions";

fn guarded(policy: ApprovalPolicy) -> Harness {
    let mut tree = (*crate::app::fixture::mini_tree()).clone();
    tree.nodes[1].actions[0].approval = Some(At::new(policy, 0..0));
    let mut h = Harness::opened_on(Arc::new(tree));
    set_upn(&mut h, "a@b.co");
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
    h
}

fn live(h: &mut Harness) {
    h.state.incident.as_mut().unwrap().meta.mode = Mode::Live;
}

fn confirm(h: &mut Harness) -> Vec<Effect> {
    h.send(key('g'));
    h.type_text("a@b.co");
    h.send(code(KeyCode::Enter))
}

fn phase(h: &Harness) -> ActionPhase {
    let Screen::Action(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    h.state.lookups.actions[&view.run].phase.clone()
}

fn error(h: &Harness) -> Option<String> {
    let Screen::Action(view) = &h.state.screen else {
        return None;
    };
    h.state.lookups.actions[&view.run].error.clone()
}

fn acts(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Lookup(LookupEffect::Act { .. })))
}

#[test]
fn practice_proposes_the_exercise_approves_and_the_intent_names_the_proposal() {
    let mut h = guarded(ApprovalPolicy::SecondPerson);
    let effects = confirm(&mut h);
    assert!(!acts(&effects));
    assert!(matches!(phase(&h), ActionPhase::Proposing { .. }));
    assert!(
        h.recorded
            .iter()
            .all(|k| !matches!(k, EventKind::ActionIntended { .. }))
    );
    // No reason, no proposal.
    h.send(code(KeyCode::Enter));
    assert!(error(&h).unwrap().contains("a reason is required"));
    assert!(
        !h.recorded
            .iter()
            .any(|k| matches!(k, EventKind::ApprovalProposed { .. }))
    );
    h.type_text("two continents in one hour");
    h.send(code(KeyCode::Enter));
    let n = h.recorded.len();
    let [
        EventKind::ApprovalProposed {
            url,
            request_sha256: hash,
            reason,
            ..
        },
        EventKind::ApprovalDecided {
            approved: true,
            source: ApprovalSource::Simulated,
            request_sha256: approved_hash,
            ..
        },
    ] = &h.recorded[n - 2..]
    else {
        panic!("{:?}", h.recorded)
    };
    assert_eq!(url, URL);
    assert_eq!(*hash, request_sha256("POST", URL, None));
    assert_eq!(approved_hash, hash);
    assert_eq!(reason, "two continents in one hour");
    assert!(matches!(phase(&h), ActionPhase::Proposed { .. }));
    // Sent only after confirming again; the intent names the proposal.
    h.send(code(KeyCode::Enter));
    h.type_text("a@b.co");
    let effects = h.send(code(KeyCode::Enter));
    assert!(acts(&effects), "{effects:?}");
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionIntended {
            approval: Some(_),
            simulated: true,
            ..
        })
    ));
}

#[test]
fn live_nothing_is_sent_until_another_identity_approves_the_exact_request() {
    let mut h = guarded(ApprovalPolicy::SecondPerson);
    live(&mut h);
    confirm(&mut h);
    h.type_text("two continents");
    // Without a signed-in identity a second-person proposal cannot name its proposer.
    h.send(code(KeyCode::Enter));
    assert!(
        error(&h).unwrap().contains("sign in first"),
        "{:?}",
        error(&h)
    );
    h.state.lookups.approvals.oid = Some("11111111-1111-4111-8111-111111111111".into());
    h.state.lookups.approvals.actor = "kim@soc-1".into();
    h.send(code(KeyCode::Enter));
    assert!(matches!(phase(&h), ActionPhase::Proposed { .. }));
    assert!(
        !h.recorded
            .iter()
            .any(|k| matches!(k, EventKind::ApprovalDecided { .. }))
    );
    // Confirmed again while waiting: refused, nothing sent or intended.
    h.send(code(KeyCode::Enter));
    h.type_text("a@b.co");
    let effects = h.send(code(KeyCode::Enter));
    assert!(!acts(&effects));
    assert!(
        error(&h).unwrap().contains("waiting for a second person"),
        "{:?}",
        error(&h)
    );
    assert!(
        !h.recorded
            .iter()
            .any(|k| matches!(k, EventKind::ActionIntended { .. }))
    );

    // The teammate's approval arrives (as the pull records it); the proposer
    // approving their own proposal would not count.
    let hash = request_sha256("POST", URL, None);
    let proposal = h.state.incident.as_ref().unwrap().walk.proposals[0]
        .id
        .clone();
    let approval = |oid: &str, seq: u64| {
        crate::app::fixture::event(
            seq,
            EventKind::ApprovalDecided {
                proposal: proposal.clone(),
                request_sha256: hash.clone(),
                approved: true,
                approver: Signer {
                    oid: Some(oid.into()),
                    upn: None,
                    actor: "x@y".into(),
                },
                reason: "ok".into(),
                source: ApprovalSource::Here,
            },
        )
    };
    let walk = &mut h.state.incident.as_mut().unwrap().walk;
    walk.apply(&approval("11111111-1111-4111-8111-111111111111", h.seq + 1));
    h.seq += 1;
    h.send(code(KeyCode::Enter));
    let effects = h.send(code(KeyCode::Enter));
    assert!(!acts(&effects));
    assert!(error(&h).unwrap().contains("waiting"), "{:?}", error(&h));

    let walk = &mut h.state.incident.as_mut().unwrap().walk;
    walk.apply(&approval("22222222-2222-4222-8222-222222222222", h.seq + 1));
    h.seq += 1;
    h.send(ctrl('u'));
    h.type_text("a@b.co");
    let effects = h.send(code(KeyCode::Enter));
    assert!(acts(&effects), "{effects:?} {:?}", error(&h));
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::ActionIntended { approval: Some(p), simulated: false, .. }) if *p == proposal
    ));
}

#[test]
fn a_changed_request_needs_its_own_proposal() {
    let mut h = guarded(ApprovalPolicy::SecondPerson);
    confirm(&mut h);
    h.type_text("why");
    h.send(code(KeyCode::Enter));
    h.send(code(KeyCode::Esc));
    // Another user: another URL, another hash; the approval does not carry over.
    set_upn(&mut h, "c@d.co");
    h.send(key('g'));
    h.type_text("c@d.co");
    let effects = h.send(code(KeyCode::Enter));
    assert!(!acts(&effects));
    assert!(matches!(phase(&h), ActionPhase::Proposing { .. }));
}

#[test]
fn an_action_without_a_policy_runs_as_before_and_the_organisation_floor_raises_it() {
    let mut h = guarded(ApprovalPolicy::None);
    let effects = confirm(&mut h);
    assert!(acts(&effects));
    let mut h = guarded(ApprovalPolicy::None);
    h.state.lookups.approvals.floor = ApprovalPolicy::SecondPerson;
    let effects = confirm(&mut h);
    assert!(!acts(&effects));
    assert!(matches!(phase(&h), ActionPhase::Proposing { .. }));
}
