//! Lookup runs as the record has them: reopening an incident (or learning
//! of another responder's run) brings back every stored run with its rows,
//! so the results screen opens the latest one and an SSH drop costs no
//! re-query.

use std::sync::Arc;

use super::lookups::{Run, RunState};
use super::{Screen, State};
use crate::lookup::canonical::from_canonical;
use crate::lookup::run::LookupRequest;
use crate::store::event::{Event, EventKind, LookupStatus};
use crate::tree::model::Provider;

/// Adds the stored run `event` of `incident` to the session's runs, unless
/// the session already holds it (its own run, once recorded).
pub fn restore(state: &mut State, incident: &str, event: &Event) {
    let known = state
        .lookups
        .runs
        .values()
        .any(|r| r.incident == incident && r.recorded_seq == Some(event.seq));
    if known {
        return;
    }
    let id = state.lookups.next_id();
    let Some(run) = stored_run(id, incident, event) else {
        return;
    };
    // Newer runs of the same lookup supersede older ones, as in a session.
    let key = (run.incident.clone(), run.node.clone(), run.lookup.clone());
    release_rows(state, (&key.0, &key.1, &key.2), None);
    state.lookups.runs.insert(id, run);
}

/// Runs of (incident, node, lookup) other than `keep` and the one on the
/// results screen let go of their rows: they stay in the record and come
/// back when the run is chosen from its history.
pub(super) fn release_rows(state: &mut State, key: (&str, &str, &str), keep: Option<u64>) {
    let shown = match &state.screen {
        Screen::Results(view) => Some(view.run),
        _ => None,
    };
    let (incident, node, lookup) = key;
    for r in state.lookups.runs.values_mut() {
        let other = Some(r.id) != keep && Some(r.id) != shown;
        if other
            && r.incident == incident
            && r.node == node
            && r.lookup == lookup
            && r.result().is_some()
        {
            r.state = RunState::Superseded;
        }
    }
}

/// The session's run `id` for the stored `lookup_run` event: its request as
/// sent and its state as recorded, rows read back from the canonical JSON.
fn stored_run(id: u64, incident: &str, event: &Event) -> Option<Run> {
    let EventKind::LookupRun {
        node,
        lookup,
        provider,
        query,
        variables,
        timespan,
        started_at,
        ..
    } = &event.kind
    else {
        return None;
    };
    let request = LookupRequest {
        lookup_id: lookup.clone(),
        provider: Provider::parse(provider)?,
        text: query.clone(),
        timespan: timespan.clone(),
    };
    let mut run = Run::new(
        id,
        incident.to_string(),
        node.clone(),
        request,
        variables.clone(),
        *started_at,
    );
    run.state = stored_state(&event.kind)?;
    run.recorded_seq = Some(event.seq);
    Some(run)
}

/// The state a stored `lookup_run` event shows: its rows, or why not.
pub(super) fn stored_state(kind: &EventKind) -> Option<RunState> {
    let EventKind::LookupRun {
        status,
        result,
        result_truncated,
        message,
        ..
    } = kind
    else {
        return None;
    };
    Some(match (status, result.as_deref().map(from_canonical)) {
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
    })
}
