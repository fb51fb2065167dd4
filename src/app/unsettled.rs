//! Actions left unsettled by an earlier session: a live call whose last
//! recorded outcome is `unknown`, or that has no outcome at all (Cairn was
//! killed while it was in flight). Opening the incident brings back the
//! first of them on the action screen, where `v` runs the verifying read.

use super::actions::{ActionPhase, ActionRun, ActionView};
use super::input::LineInput;
use super::lookups::Source;
use super::{Screen, State};
use crate::lookup::action::{ActionReport, ActionRequest, verify_plan};
use crate::store::event::ActionStatus;
use crate::store::projection::ActionRecord;
use crate::tree::HttpMethod;

/// Restores the unsettled actions of the open incident as action runs and
/// shows the first one; returns how many there were.
pub fn offer(state: &mut State, actions: Vec<(ActionRecord, String)>) -> usize {
    let Some(incident) = state.incident.as_ref().map(|i| i.meta.id.clone()) else {
        return 0;
    };
    let mut first = None;
    let mut count = 0;
    for (record, detail) in actions {
        let Some(method) = HttpMethod::parse(&record.method) else {
            continue;
        };
        let request = ActionRequest {
            method,
            path: record.path.clone(),
            body: record.body.clone(),
        };
        let report = ActionReport {
            status: ActionStatus::Unknown,
            http_status: None,
            verify: verify_plan(&request, record.intent.at),
            detail,
        };
        let id = state.lookups.next_id();
        state.lookups.actions.insert(
            id,
            ActionRun {
                id,
                incident: incident.clone(),
                node: record.node,
                action: record.action,
                url: format!("{}{}", state.lookups.graph_base, record.path),
                request,
                expected: record.confirmation,
                confirm_var: None,
                source: Source::Live,
                phase: ActionPhase::Done {
                    intent: record.intent.seq,
                    report,
                },
                error: None,
                approval: record.approval.clone(),
            },
        );
        first.get_or_insert(id);
        count += 1;
    }
    if let Some(run) = first {
        state.screen = Screen::Action(ActionView {
            run,
            input: LineInput::default(),
        });
    }
    count
}

/// Live intents (as the projection pairs them) whose latest outcome is
/// `unknown` or missing, each with the detail to show.
pub fn unsettled(actions: &[ActionRecord]) -> Vec<(ActionRecord, String)> {
    actions
        .iter()
        .filter(|a| !a.simulated)
        .filter_map(|a| {
            let detail = match &a.outcome {
                None => None,
                Some(o) if o.status == ActionStatus::Unknown => o.detail.clone(),
                Some(_) => return None,
            };
            let detail = detail.unwrap_or_else(|| {
                "no outcome was recorded: Cairn ended while the call was in flight".into()
            });
            Some((a.clone(), detail))
        })
        .collect()
}
