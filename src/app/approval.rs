//! Four eyes on the action screen: when an action's policy asks for a
//! second person, the typed confirmation either finds an approved proposal
//! for the exact request (the intent then names it), or asks for a reason
//! and records a proposal; practice and tabletop play the approver. The
//! judgement itself is `store::approval::gate`; this only asks it.

use ratatui::crossterm::event::KeyEvent;

use super::actions::{ActionPhase, ActionRun};
use super::input::LineInput;
use super::{Action, Effect, Screen, State};
use crate::store::Event;
use crate::store::approval::{DEFAULT_EXPIRY, MAX_REASON_CHARS, Refusal, gate, request_sha256};
use crate::store::event::{ApprovalSource, EventKind, Signer};
use crate::store::projection::proposal_id;
use crate::text::lang::{Lang, message_keys};
use crate::tree::ApprovalPolicy;

message_keys! {
    /// Words of the approval steps on the action screen: keys of the
    /// catalogues' `[approval]`.
    AW in "approval" {
        Needed,
        RequestHash,
        ReasonPrompt,
        Saving,
        Proposed,
        Waiting,
        Rejected,
        ReasonRequired,
        SignInFirst,
        Approved,
        HeaderPending,
        MarkPending,
        MarkApproved,
    }
}

/// What the screen knows about approvals: the organisation's floor, the
/// local actor, and the signed-in user once the token names them (set by
/// the runtime; the app reads no environment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Approvals {
    pub floor: ApprovalPolicy,
    pub actor: String,
    pub oid: Option<String>,
    pub upn: Option<String>,
}

/// What a correct confirmation leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// No approval needed.
    Free,
    /// Approved: the intent names this proposal.
    Approved(String),
    /// A reason is asked and a proposal recorded.
    Propose(ApprovalPolicy, String),
    Refused(String),
}

/// The policy of `run`'s action and the hash of its exact request.
pub fn policy_and_hash(state: &State, run: &ActionRun) -> (ApprovalPolicy, String) {
    let policy = state
        .incident
        .as_ref()
        .and_then(|inc| {
            let action = inc
                .tree
                .node(&run.node)?
                .actions
                .iter()
                .find(|a| a.id.value == run.action)?;
            Some(inc.tree.approval_for(action, state.lookups.approvals.floor))
        })
        .unwrap_or(state.lookups.approvals.floor);
    let hash = request_sha256(
        run.request.method.name(),
        &run.url,
        run.request.body.as_deref(),
    );
    (policy, hash)
}

pub fn step(state: &State, run: &ActionRun) -> Step {
    let (policy, hash) = policy_and_hash(state, run);
    if !policy.required() {
        return Step::Free;
    }
    let Some(inc) = &state.incident else {
        return Step::Free;
    };
    let lang = Lang::of(inc.language());
    match gate(&inc.walk, &hash, state.now) {
        Ok((p, _)) => Step::Approved(p.id.clone()),
        Err(Refusal::NotProposed(_) | Refusal::Expired(..) | Refusal::Used(..)) => {
            Step::Propose(policy, hash)
        }
        Err(Refusal::Pending(id, _)) => {
            Step::Refused(lang.fill("approval", AW::Waiting.key(), &[("id", &id)]))
        }
        Err(r @ Refusal::Rejected(..)) => {
            Step::Refused(format!("{} ({})", AW::Rejected.text(lang), r))
        }
    }
}

/// Keys the approval steps take before the confirmation's own handling;
/// `None` lets that handling go on (with `run.approval` set when approved).
pub fn intercept(state: &mut State, action: Option<Action>, key: &KeyEvent) -> Option<Vec<Effect>> {
    let Screen::Action(view) = &state.screen else {
        return None;
    };
    let id = view.run;
    let typed = view.input.text().trim().to_string();
    let run = state.lookups.actions.get(&id)?;
    match &run.phase {
        ActionPhase::Confirming if action == Some(Action::Run) && typed == run.expected => {
            let step = step(state, run);
            let run = state.lookups.actions.get_mut(&id)?;
            match step {
                Step::Free => None,
                Step::Approved(p) => {
                    run.approval = Some(p);
                    None
                }
                Step::Refused(why) => {
                    run.error = Some(why);
                    Some(Vec::new())
                }
                Step::Propose(policy, hash) => {
                    run.phase = ActionPhase::Proposing { policy, hash };
                    run.error = None;
                    clear_input(state);
                    Some(Vec::new())
                }
            }
        }
        ActionPhase::Proposing { .. } => Some(proposing_key(state, id, action, key)),
        ActionPhase::ProposalSaving { .. } | ActionPhase::Proposed { .. } => {
            match action {
                Some(Action::Back | Action::Cancel) => state.screen = state.node_screen(),
                // Confirm again once the approval has come: nothing runs
                // on an approval without a fresh typed confirmation.
                Some(Action::Run) if matches!(run.phase, ActionPhase::Proposed { .. }) => {
                    if let Some(run) = state.lookups.actions.get_mut(&id) {
                        run.phase = ActionPhase::Confirming;
                    }
                    clear_input(state);
                }
                _ => {}
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

fn clear_input(state: &mut State) {
    if let Screen::Action(view) = &mut state.screen {
        view.input = LineInput::default();
    }
}

fn proposing_key(
    state: &mut State,
    id: u64,
    action: Option<Action>,
    key: &KeyEvent,
) -> Vec<Effect> {
    let lang = Lang::of(
        state
            .incident
            .as_ref()
            .map(|i| i.language())
            .unwrap_or("en"),
    );
    let Screen::Action(view) = &mut state.screen else {
        return Vec::new();
    };
    let reason = view.input.text().trim().to_string();
    match action {
        Some(Action::Cancel) => {
            state.lookups.actions.remove(&id);
            state.screen = state.node_screen();
            return Vec::new();
        }
        Some(Action::Run) => {}
        _ => {
            view.input.handle(key);
            return Vec::new();
        }
    }
    let Some(run) = state.lookups.actions.get_mut(&id) else {
        return Vec::new();
    };
    let ActionPhase::Proposing { policy, hash } = run.phase.clone() else {
        return Vec::new();
    };
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        run.error = Some(AW::ReasonRequired.text(lang).to_string());
        return Vec::new();
    }
    let me = &state.lookups.approvals;
    if policy == ApprovalPolicy::SecondPerson && me.oid.is_none() && !run.simulated() {
        run.error = Some(AW::SignInFirst.text(lang).to_string());
        return Vec::new();
    }
    let kind = EventKind::ApprovalProposed {
        node: run.node.clone(),
        action: run.action.clone(),
        method: run.request.method.name().to_string(),
        url: run.url.clone(),
        body: run.request.body.clone(),
        request_sha256: hash.clone(),
        proposer: Signer {
            oid: me.oid.clone(),
            upn: me.upn.clone(),
            actor: me.actor.clone(),
        },
        policy: policy.name().to_string(),
        reason,
        expires_at: state.now + DEFAULT_EXPIRY,
    };
    let incident = run.incident.clone();
    let (req, effect) = state.record_to(incident, kind);
    if let Some(run) = state.lookups.actions.get_mut(&id) {
        run.phase = ActionPhase::ProposalSaving { req, hash };
        run.error = None;
    }
    vec![effect]
}

/// The proposal is committed: in practice and tabletop the scenario's
/// approver answers at once; live, the team's answer comes by the pull.
/// `None` when `req` is not a proposal of an action run.
pub fn on_recorded(
    state: &mut State,
    req: u64,
    result: &Result<Event, String>,
) -> Option<Vec<Effect>> {
    let run =
        state.lookups.actions.values_mut().find(
            |r| matches!(&r.phase, ActionPhase::ProposalSaving { req: q, .. } if *q == req),
        )?;
    let ActionPhase::ProposalSaving { hash, .. } = run.phase.clone() else {
        return None;
    };
    let event = match result {
        Ok(event) => event,
        Err(e) => {
            run.phase = ActionPhase::Confirming;
            run.error = Some(e.clone());
            return Some(Vec::new());
        }
    };
    let proposal = proposal_id(&event.hash);
    run.phase = ActionPhase::Proposed {
        proposal: proposal.clone(),
    };
    if !run.simulated() {
        return Some(Vec::new());
    }
    let (incident, action) = (run.incident.clone(), run.action.clone());
    // The scenario decides how the exercise answers; without a word it
    // approves at once. A late answer comes with the clock (`answer_due`).
    let approved = match scenario_answer(state, &action) {
        Some((_, Some(_))) => return Some(Vec::new()),
        Some((reject, None)) => !reject,
        None => true,
    };
    let kind = simulated_answer(proposal, hash, approved);
    Some(vec![state.record_to(incident, kind).1])
}

/// The scenario's answer for `action`: (reject, after).
fn scenario_answer(state: &State, action: &str) -> Option<(bool, Option<std::time::Duration>)> {
    let ex = state.incident.as_ref()?.exercise.as_ref()?;
    let a = ex.scenario.approval_for(action)?;
    Some((a.reject, a.after.as_ref().map(|d| d.value)))
}

/// The exercise's decision on `proposal`.
fn simulated_answer(proposal: String, request_sha256: String, approved: bool) -> EventKind {
    EventKind::ApprovalDecided {
        proposal,
        request_sha256,
        approved,
        approver: Signer {
            oid: None,
            upn: None,
            actor: SIMULATED_APPROVER.to_string(),
        },
        reason: "simulated: the exercise plays the second responder".into(),
        source: ApprovalSource::Simulated,
    }
}

/// On the clock: the exercise's late answers whose time has come
/// (exercise time since the proposal, pauses left out).
pub fn answer_due(state: &mut State) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Some(ex) = &inc.exercise else {
        return Vec::new();
    };
    let in_flight: Vec<String> = state
        .pending_kinds()
        .filter_map(|k| match k {
            EventKind::ApprovalDecided { proposal, .. } => Some(proposal.clone()),
            _ => None,
        })
        .collect();
    let incident = inc.meta.id.clone();
    let due: Vec<EventKind> = inc
        .walk
        .proposals
        .iter()
        .filter(|p| inc.walk.decisions_on(&p.id).next().is_none() && !in_flight.contains(&p.id))
        .filter_map(|p| {
            let a = ex.scenario.approval_for(&p.action)?;
            let after = a.after.as_ref()?.value;
            let waited =
                crate::store::projection::running_between(p.stamp.at, state.now, &inc.walk.pauses);
            (waited >= after)
                .then(|| simulated_answer(p.id.clone(), p.request_sha256.clone(), !a.reject))
        })
        .collect();
    due.into_iter()
        .map(|kind| state.record_to(incident.clone(), kind).1)
        .collect()
}

/// Proposals of the incident still waiting for a second person: the
/// header's badge.
pub fn pending(walk: &crate::store::IncidentState, now: chrono::DateTime<chrono::Utc>) -> usize {
    walk.proposals
        .iter()
        .filter(|p| {
            matches!(
                crate::store::approval::standing(walk, p, now),
                crate::store::approval::Standing::Pending { .. }
            )
        })
        .count()
}

/// The node screen's mark for an action with a live proposal: waiting, or
/// approved and not yet sent.
pub fn mark(
    walk: &crate::store::IncidentState,
    node: &str,
    action: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<AW> {
    use crate::store::approval::Standing;
    walk.proposals
        .iter()
        .rev()
        .filter(|p| p.node == node && p.action == action)
        .find_map(|p| match crate::store::approval::standing(walk, p, now) {
            Standing::Pending { .. } => Some(AW::MarkPending),
            Standing::Approved(_) => Some(AW::MarkApproved),
            _ => None,
        })
}

/// Who approves in practice and tabletop.
pub const SIMULATED_APPROVER: &str = "simulated approver";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_approval_word() {
        for lang in [Lang::EN, Lang::of("ja")] {
            for w in AW::ALL {
                assert!(
                    lang.has(AW::TABLE, w.key()),
                    "{lang:?} [approval] {}",
                    w.key()
                );
            }
        }
        assert_ne!(AW::Needed.text(Lang::of("ja")), AW::Needed.text(Lang::EN));
    }
}
