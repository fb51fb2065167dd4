//! After an action is confirmed: the committed intent releases the call (or
//! records an abandoned one), and the executor's outcome and any verifying
//! read are recorded against that intent. Apart from the confirm screen in
//! `actions` because this half answers the store and the executor, not keys.

use super::actions::ActionPhase;
use super::lookups::LookupEffect;
use super::{Effect, State};
use crate::lookup::action::{ActionReport, Verified};
use crate::store::event::{ActionStatus, Event, EventKind};

/// The intent is committed: only now is the call sent, unless the
/// responder backed out meanwhile.
pub fn on_recorded(state: &mut State, req: u64, result: &Result<Event, String>) -> Vec<Effect> {
    if let Some(effects) = super::approval::on_recorded(state, req, result) {
        return effects;
    }
    let Some(run) = state.lookups.actions.values_mut().find(|r| {
        r.phase == ActionPhase::Recording { req } || r.phase == ActionPhase::Abandoning { req }
    }) else {
        return Vec::new();
    };
    match result {
        Ok(event) if matches!(run.phase, ActionPhase::Abandoning { .. }) => {
            let intent = event.seq;
            run.phase = ActionPhase::Abandoned { intent };
            let kind = EventKind::ActionOutcome {
                intent,
                status: ActionStatus::Abandoned,
                http_status: None,
                detail: Some(ABANDONED_DETAIL.to_string()),
            };
            let incident = run.incident.clone();
            vec![state.record_to(incident, kind).1]
        }
        Ok(event) => {
            run.phase = ActionPhase::Sending { intent: event.seq };
            let requires = state
                .incident
                .as_ref()
                .and_then(|inc| inc.tree.node(&run.node))
                .and_then(|n| n.actions.iter().find(|a| a.id.value == run.action))
                .map(|a| a.requires.clone())
                .unwrap_or_default();
            vec![Effect::Lookup(LookupEffect::Act {
                requires,
                run: run.id,
                request: run.request.clone(),
                source: run.source.clone(),
            })]
        }
        Err(e) => {
            run.phase = ActionPhase::Confirming;
            run.error = Some(format!(
                "the intent could not be recorded, so nothing was sent: {e}"
            ));
            Vec::new()
        }
    }
}

/// Why an abandoned intent has no call.
pub const ABANDONED_DETAIL: &str =
    "the responder backed out after confirming, before the call was sent; nothing was sent";

fn outcome(intent: u64, report: &ActionReport, detail: String) -> EventKind {
    EventKind::ActionOutcome {
        intent,
        status: report.status,
        http_status: report.http_status,
        detail: Some(detail),
    }
}

pub fn done(state: &mut State, id: u64, report: ActionReport) -> Vec<Effect> {
    let Some(run) = state.lookups.actions.get_mut(&id) else {
        return Vec::new();
    };
    let ActionPhase::Sending { intent } = run.phase else {
        return Vec::new();
    };
    let kind = outcome(intent, &report, report.detail.clone());
    let incident = run.incident.clone();
    run.phase = ActionPhase::Done { intent, report };
    vec![state.record_to(incident, kind).1]
}

/// A verifying read settled (or not) an unknown outcome: recorded as a
/// further outcome of the same intent.
pub fn verified(state: &mut State, id: u64, verified: Verified) -> Vec<Effect> {
    let Some(run) = state.lookups.actions.get_mut(&id) else {
        return Vec::new();
    };
    let ActionPhase::Verifying { intent, report } = run.phase.clone() else {
        return Vec::new();
    };
    let get = report
        .verify
        .as_ref()
        .map(|p| p.get_path())
        .unwrap_or_default();
    let (status, detail) = match &verified {
        Verified::Done => (
            ActionStatus::Succeeded,
            format!("verified by GET {get}: it took effect"),
        ),
        Verified::NotDone => (
            ActionStatus::Failed,
            format!("verified by GET {get}: it did not take effect"),
        ),
        Verified::StillUnknown(why) => (
            ActionStatus::Unknown,
            format!("GET {get} could not tell: {why}"),
        ),
    };
    let kind = EventKind::ActionOutcome {
        intent,
        status,
        http_status: None,
        detail: Some(detail),
    };
    let incident = run.incident.clone();
    run.phase = ActionPhase::Verified {
        intent,
        report,
        verified,
    };
    vec![state.record_to(incident, kind).1]
}
