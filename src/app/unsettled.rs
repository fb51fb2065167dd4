//! Actions left unsettled by an earlier session: a live call whose last
//! recorded outcome is `unknown`, or that has no outcome at all (Cairn was
//! killed while it was in flight). Opening the incident brings back the
//! first of them on the action screen, where `v` runs the verifying read.

use super::actions::{ActionPhase, ActionRun, ActionView};
use super::input::LineInput;
use super::lookups::Source;
use super::{Screen, State};
use crate::lookup::action::{ActionReport, ActionRequest, verify_plan};
use crate::store::event::{ActionStatus, Event, EventKind};
use crate::tree::HttpMethod;

/// Restores the unsettled actions of the open incident as action runs and
/// shows the first one; returns how many there were.
pub fn offer(state: &mut State, events: &[Event]) -> usize {
    let Some(incident) = state.incident.as_ref().map(|i| i.meta.id.clone()) else {
        return 0;
    };
    let mut first = None;
    let mut count = 0;
    for (event, last) in unsettled(events) {
        let EventKind::ActionIntended {
            node,
            action,
            method,
            path,
            body,
            confirmation,
            ..
        } = &event.kind
        else {
            continue;
        };
        let Some(method) = HttpMethod::parse(method) else {
            continue;
        };
        let request = ActionRequest {
            method,
            path: path.clone(),
            body: body.clone(),
        };
        let detail = last.unwrap_or_else(|| {
            "no outcome was recorded: Cairn ended while the call was in flight".into()
        });
        let report = ActionReport {
            status: ActionStatus::Unknown,
            http_status: None,
            verify: verify_plan(&request, event.at),
            detail,
        };
        let id = state.lookups.next_id();
        state.lookups.actions.insert(
            id,
            ActionRun {
                id,
                incident: incident.clone(),
                node: node.clone(),
                action: action.clone(),
                url: format!("{}{path}", state.lookups.graph_base),
                request,
                expected: confirmation.clone(),
                confirm_var: None,
                source: Source::Live,
                phase: ActionPhase::Done {
                    intent: event.seq,
                    report,
                },
                error: None,
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

/// Live intents whose latest outcome is `unknown` or missing, each with
/// the detail of that outcome.
fn unsettled(events: &[Event]) -> Vec<(&Event, Option<String>)> {
    events
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::ActionIntended {
                    simulated: false,
                    ..
                }
            )
        })
        .filter_map(|intent| {
            let latest = events.iter().rev().find_map(|e| match &e.kind {
                EventKind::ActionOutcome {
                    intent: i,
                    status,
                    detail,
                    ..
                } if *i == intent.seq => Some((*status, detail.clone())),
                _ => None,
            });
            match latest {
                None => Some((intent, None)),
                Some((ActionStatus::Unknown, detail)) => Some((intent, detail)),
                Some(_) => None,
            }
        })
        .collect()
}
