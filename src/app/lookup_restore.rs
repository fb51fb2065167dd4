//! Lookup runs as the record has them: reopening an incident (or learning
//! of another responder's run) brings back every stored run with its rows,
//! so the results screen opens the latest one and an SSH drop costs no
//! re-query.

use std::sync::Arc;

use super::State;
use super::lookups::{Run, RunState};
use crate::lookup::canonical::from_canonical;
use crate::lookup::run::LookupRequest;
use crate::store::event::{Event, EventKind, LookupStatus};
use crate::tree::model::Provider;

/// Adds the stored run `event` of `incident` to the session's runs, unless
/// the session already holds it (its own run, once recorded).
pub fn restore(state: &mut State, incident: &str, event: &Event) {
    let EventKind::LookupRun {
        node,
        lookup,
        provider,
        query,
        variables,
        timespan,
        started_at,
        status,
        result,
        result_truncated,
        message,
        ..
    } = &event.kind
    else {
        return;
    };
    let known = state
        .lookups
        .runs
        .values()
        .any(|r| r.incident == incident && r.recorded_seq == Some(event.seq));
    let Some(provider) = Provider::parse(provider) else {
        return;
    };
    if known {
        return;
    }
    let run_state = match (status, result.as_deref().map(from_canonical)) {
        (LookupStatus::Succeeded | LookupStatus::Partial, Some(Some(rows))) => RunState::Done {
            result: Arc::new(rows),
        },
        (LookupStatus::Succeeded | LookupStatus::Partial, _) => RunState::Failed {
            message: if *result_truncated {
                "the stored copy of this result was cut at the store's size cap; run it again for every row".into()
            } else {
                "the stored result cannot be read; run it again".into()
            },
            sign_in: false,
        },
        (LookupStatus::Cancelled, _) => RunState::Cancelled,
        (LookupStatus::Failed | LookupStatus::TimedOut, _) => RunState::Failed {
            message: message.clone().unwrap_or_default(),
            sign_in: false,
        },
    };
    // Newer runs of the same lookup supersede older ones, as in a session.
    for r in state.lookups.runs.values_mut() {
        if r.incident == incident && &r.node == node && &r.lookup == lookup && r.result().is_some()
        {
            r.state = RunState::Superseded;
        }
    }
    let id = state.lookups.next_id();
    state.lookups.runs.insert(
        id,
        Run {
            id,
            incident: incident.to_string(),
            node: node.clone(),
            lookup: lookup.clone(),
            request: LookupRequest {
                lookup_id: lookup.clone(),
                provider,
                text: query.clone(),
                timespan: timespan.clone(),
            },
            variables: variables.clone(),
            started_at: *started_at,
            state: run_state,
            waited: false,
            record_req: None,
            recorded_seq: Some(event.seq),
        },
    );
}
