//! Starting and cancelling lookup runs, and writing each run's `lookup_run`
//! event. Apart from the run types in `lookups` because this is the
//! bookkeeping of what is in flight, while the types are shared with the
//! runtime and the screens.

use chrono::{DateTime, Utc};

use super::lookups::{
    LookupEffect, LookupNotice, PRACTICE_SCENARIO, Prepared, Run, RunState, Source, missing_names,
    practice_variables, prepare,
};
use super::{Effect, Notice, State};
use crate::lookup::canonical::Evidence;
use crate::store::event::{EventKind, LookupStatus, ValueSource};
use crate::tree::Node;

/// Starts a run. A run of the same lookup still in flight is cancelled and
/// recorded as such: only the newest answer is shown.
pub fn start(state: &mut State, node: &str, prepared: Prepared) -> (u64, Vec<Effect>) {
    let Some(inc) = &state.incident else {
        return (0, Vec::new());
    };
    let incident = inc.meta.id.clone();
    let source = Source::for_incident(inc, &prepared.request.lookup_id);
    let requires = requires_of(Some(inc), node, &prepared.request.lookup_id);
    let mut effects = Vec::new();
    let older: Vec<u64> = state
        .lookups
        .runs
        .values()
        .filter(|r| r.incident == incident && r.node == node)
        .filter(|r| r.lookup == prepared.request.lookup_id)
        .map(|r| r.id)
        .collect();
    for id in older {
        effects.extend(cancel(state, id));
    }
    let key = (incident.as_str(), node, prepared.request.lookup_id.as_str());
    super::lookup_restore::release_rows(state, key, None);
    let id = state.lookups.next_id();
    let run = Run::new(
        id,
        incident,
        node.to_string(),
        prepared.request.clone(),
        prepared.variables,
        state.now,
    );
    state.lookups.runs.insert(id, run);
    effects.push(Effect::Lookup(LookupEffect::Run {
        run: id,
        request: prepared.request,
        source,
        requires,
    }));
    (id, effects)
}

/// Runs a run's request again exactly as it was sent (same query, window
/// and values); the new run replaces it. `None` while it still runs, or
/// when the incident is closed (the screen says so).
pub fn retry(state: &mut State, run: u64) -> Option<(u64, Vec<Effect>)> {
    let r = state.lookups.runs.get(&run)?;
    if r.is_running() {
        return None;
    }
    if super::closed::is_closed(state) {
        state.notice = Some(Notice::ReadOnly);
        return None;
    }
    let node = r.node.clone();
    let prepared = Prepared {
        request: r.request.clone(),
        variables: r.variables.clone(),
    };
    Some(start(state, &node, prepared))
}

/// Runs every lookup of the node whose values are set; says which need values.
pub fn run_all(state: &mut State, node: &Node) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let mut values = inc.walk.values.clone();
    let mut effects = Vec::new();
    // In practice, values the walk has not set yet come from the scenario
    // (recorded as such when a lookup uses them).
    if inc.meta.mode.simulates_actions() {
        let used: Vec<String> = node
            .lookups
            .iter()
            .flat_map(|l| missing_names(&tree, l, &values))
            .collect();
        for (name, value) in practice_variables(&tree) {
            if used.contains(&name) && !values.contains_key(&name) {
                values.insert(name.clone(), value.clone());
                let source = ValueSource::Scenario {
                    scenario: PRACTICE_SCENARIO.into(),
                };
                let kind = EventKind::VariableSet {
                    name,
                    value,
                    source,
                };
                effects.extend(state.record(kind).map(|(_, e)| e));
            }
        }
    }
    let mut waiting = Vec::new();
    let mut started = 0;
    for lookup in &node.lookups {
        match prepare(&tree, lookup, &values, None) {
            Ok(p) => {
                effects.extend(start(state, &node.id.value, p).1);
                started += 1;
            }
            Err(_) => waiting.push(lookup.id.value.clone()),
        }
    }
    state.notice = Some(Notice::Lookups(LookupNotice::Started { started, waiting }));
    effects
}

/// What a lookup declares it needs (for a failure's remedy); nothing when
/// its incident is no longer open.
fn requires_of(inc: Option<&super::Incident>, node: &str, lookup: &str) -> crate::tree::Requires {
    inc.and_then(|inc| inc.tree.lookup(node, lookup))
        .map(|l| l.requires.clone())
        .unwrap_or_default()
}

/// Runs whose asked-for wait (Retry-After) is over go on: the same run
/// with the same request, so it is recorded once, whatever its end.
pub fn resume_due(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let due: Vec<u64> = state
        .lookups
        .runs
        .values()
        .filter(|r| matches!(r.state, RunState::Throttled { until, .. } if until <= now))
        .map(|r| r.id)
        .collect();
    let mut effects = Vec::new();
    for id in due {
        let open = state.incident.as_ref();
        let Some(r) = state.lookups.runs.get_mut(&id) else {
            continue;
        };
        // Only a live call is ever throttled; an incident left meanwhile
        // was therefore live too.
        let open = open.filter(|inc| inc.meta.id == r.incident);
        let source = open.map_or(Source::Live, |inc| Source::for_incident(inc, &r.lookup));
        let requires = requires_of(open, &r.node, &r.lookup);
        r.state = RunState::Running { progress: None };
        effects.push(Effect::Lookup(LookupEffect::Run {
            run: id,
            request: r.request.clone(),
            source,
            requires,
        }));
    }
    effects
}

/// Cancels a run in flight: its task is dropped and the run recorded as cancelled.
pub fn cancel(state: &mut State, run: u64) -> Vec<Effect> {
    cancel_with(state, run, "cancelled by the responder".into())
}

/// Like [`cancel`], recording `why` (quitting, a signal) as its message.
pub fn cancel_with(state: &mut State, run: u64, why: String) -> Vec<Effect> {
    let Some(r) = state.lookups.runs.get_mut(&run) else {
        return Vec::new();
    };
    if !r.is_running() {
        return Vec::new();
    }
    r.state = RunState::Cancelled;
    let finished_at = state.now;
    let mut effects = vec![Effect::Lookup(LookupEffect::Cancel { run })];
    effects.extend(record_run(
        state,
        run,
        finished_at,
        LookupStatus::Cancelled,
        None,
        Some(why),
    ));
    effects
}

pub(super) fn record_run(
    state: &mut State,
    run: u64,
    finished_at: DateTime<Utc>,
    status: LookupStatus,
    evidence: Option<&Evidence>,
    message: Option<String>,
) -> Vec<Effect> {
    let Some(r) = state.lookups.runs.get(&run) else {
        return Vec::new();
    };
    let kind = EventKind::LookupRun {
        node: r.node.clone(),
        lookup: r.lookup.clone(),
        provider: r.request.provider.name().to_string(),
        query: r.request.text.clone(),
        variables: r.variables.clone(),
        timespan: r.request.timespan.clone(),
        started_at: r.started_at,
        finished_at,
        status,
        row_count: evidence.map(|e| e.row_count),
        result_sha256: evidence.map(|e| e.result_sha256.clone()),
        result: evidence.map(|e| e.result.clone()),
        result_bytes: evidence.map_or(0, |e| e.result_bytes),
        result_cap: evidence.map_or(0, |e| e.result_cap),
        result_truncated: evidence.is_some_and(|e| e.result_truncated),
        message,
    };
    let (req, effect) = state.record_to(r.incident.clone(), kind);
    if let Some(r) = state.lookups.runs.get_mut(&run) {
        r.record_req = Some(req);
    }
    vec![effect]
}
