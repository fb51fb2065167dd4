//! Running a node's lookups: the run form (exact query, time window, values
//! still missing), runs in flight with their request ids, and what comes
//! back from the runtime. Every finished, failed or cancelled run is
//! recorded as a `lookup_run` event.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use super::run_form::{
    Prepared, RunForm, form_key, form_request, form_values, lookup_of, missing_names, open_form,
    prepare,
};
use super::{Effect, Notice, Screen, State};
use crate::lookup::action::{ActionReport, ActionRequest, Verified, VerifyPlan};
use crate::lookup::canonical::Evidence;
use crate::lookup::retry::Progress;
use crate::lookup::run::LookupRequest;
use crate::lookup::table::LookupResult;
use crate::store::event::{Event, EventKind, LookupStatus, Mode, ValueSource};
use crate::tree::value::normalize;
use crate::tree::{Node, Tree};

/// The recorded practice data a practice incident's lookups are answered from.
pub const PRACTICE_SCENARIO: &str = "aitm";

/// The values a practice incident on `tree` starts with: those of the
/// shipped practice scenario, checked against the tree's variable types.
pub fn practice_variables(tree: &Tree) -> Vec<(String, String)> {
    let Some(replay) = crate::lookup::replay::Replay::shipped(PRACTICE_SCENARIO) else {
        return Vec::new();
    };
    if replay.manifest.tree != tree.id.value {
        return Vec::new();
    }
    replay
        .manifest
        .variables
        .iter()
        .filter_map(|(name, value)| {
            let var = tree.variables.iter().find(|v| v.name.value == *name)?;
            Some((name.clone(), normalize(var.var_type, value).ok()?))
        })
        .collect()
}

/// Where a run is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Recorded responses of a scenario (practice, training, tabletop);
    /// `swapped` is (lookup id, recording file) when an inject swapped in
    /// another recording for the lookup.
    Practice {
        scenario: String,
        tree: String,
        swapped: Option<(String, String)>,
    },
    /// The tenant, through the configured providers.
    Live,
}

impl Source {
    pub fn for_mode(mode: Mode, tree: &str) -> Self {
        if mode.simulates_actions() {
            Source::Practice {
                scenario: PRACTICE_SCENARIO.into(),
                tree: tree.into(),
                swapped: None,
            }
        } else {
            Source::Live
        }
    }

    /// Where `lookup` of `inc` is answered: an exercise uses its scenario's
    /// recordings, with whatever a released inject swapped in.
    pub fn for_incident(inc: &super::Incident, lookup: &str, now: DateTime<Utc>) -> Self {
        match &inc.exercise {
            Some(ex) => Source::Practice {
                scenario: ex
                    .scenario
                    .recordings
                    .as_ref()
                    .unwrap_or(&ex.scenario.id)
                    .value
                    .clone(),
                tree: inc.meta.tree_id.clone(),
                swapped: ex
                    .recording_for(lookup, now)
                    .map(|file| (lookup.to_string(), file)),
            },
            None => Self::for_mode(inc.meta.mode, &inc.meta.tree_id),
        }
    }
}

/// How a run ended, as the runtime reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// Rows (possibly none), with the evidence computed off the screen loop.
    Rows {
        result: Arc<LookupResult>,
        evidence: Evidence,
    },
    Failed {
        status: LookupStatus,
        /// Code, message and hint, as the lookup module words them.
        message: String,
        /// The credentials need a (new) sign-in.
        sign_in: bool,
    },
}

/// What the runtime's lookup executor sends back.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupMsg {
    Progress {
        run: u64,
        progress: Progress,
    },
    Finished {
        run: u64,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        outcome: RunOutcome,
    },
    ActionDone {
        run: u64,
        report: ActionReport,
    },
    Verified {
        run: u64,
        verified: Verified,
    },
    /// A device-code sign-in started: what the responder must type, where.
    DeviceCode {
        user_code: String,
        verification_uri: String,
        message: String,
    },
    SignedIn(Result<(), String>),
    Saved(Result<String, String>),
}

/// What the update asks the runtime's lookup executor to do.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupEffect {
    Run {
        run: u64,
        request: LookupRequest,
        source: Source,
    },
    /// Drop the run's task; nothing it returns later is used.
    Cancel {
        run: u64,
    },
    Act {
        run: u64,
        request: ActionRequest,
        source: Source,
    },
    Verify {
        run: u64,
        plan: VerifyPlan,
    },
    SignIn,
    /// Write a copy of rows to a new file (never over an existing one).
    Save {
        path: String,
        result: Arc<LookupResult>,
        table: usize,
        rows: Vec<usize>,
        json: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Running {
        progress: Option<Progress>,
    },
    Done {
        result: Arc<LookupResult>,
    },
    Failed {
        message: String,
        sign_in: bool,
    },
    Cancelled,
    /// A newer run of the same lookup replaced this one; its rows are gone.
    Superseded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u64,
    pub incident: String,
    pub node: String,
    pub lookup: String,
    pub request: LookupRequest,
    pub variables: BTreeMap<String, String>,
    pub started_at: DateTime<Utc>,
    pub state: RunState,
    /// The store request of its `lookup_run` event, then the event's seq.
    pub record_req: Option<u64>,
    pub recorded_seq: Option<u64>,
}

impl Run {
    pub fn is_running(&self) -> bool {
        matches!(self.state, RunState::Running { .. })
    }

    pub fn result(&self) -> Option<&Arc<LookupResult>> {
        match &self.state {
            RunState::Done { result } => Some(result),
            _ => None,
        }
    }
}

/// The device-code prompt shown while Cairn polls for the token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInView {
    pub user_code: Option<String>,
    pub verification_uri: Option<String>,
    pub message: Option<String>,
    pub result: Option<Result<(), String>>,
}

/// Lookup runs of the session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookups {
    pub runs: BTreeMap<u64, Run>,
    pub actions: BTreeMap<u64, super::actions::ActionRun>,
    next_run: u64,
    /// Graph base URL, to show an action's full URL.
    pub graph_base: String,
}

impl Lookups {
    pub fn new(graph_base: &str) -> Self {
        Self {
            runs: BTreeMap::new(),
            actions: BTreeMap::new(),
            next_run: 1,
            graph_base: graph_base.trim_end_matches('/').to_string(),
        }
    }

    pub fn next_id(&mut self) -> u64 {
        self.next_run = self.next_run.max(1);
        let id = self.next_run;
        self.next_run += 1;
        id
    }

    pub fn any_running(&self) -> bool {
        self.runs.values().any(Run::is_running)
    }

    /// The newest run of `lookup` at `node` of `incident`.
    pub fn latest(&self, incident: &str, node: &str, lookup: &str) -> Option<&Run> {
        self.runs
            .values()
            .rev()
            .find(|r| r.incident == incident && r.node == node && r.lookup == lookup)
    }
}

/// One-line messages of lookups and actions under the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupNotice {
    Started {
        started: usize,
        waiting: Vec<String>,
    },
    NotRunYet,
    Bound(String),
    Saved(Result<String, String>),
    NoSignInNeeded,
}

/// Something is in flight whose progress the screen shows (a spinner and
/// elapsed seconds): the runtime ticks only while this is true.
pub fn animating(state: &State) -> bool {
    use super::actions::ActionPhase;
    state.lookups.any_running()
        || state.lookups.actions.values().any(|a| {
            matches!(
                a.phase,
                ActionPhase::Recording { .. }
                    | ActionPhase::Sending { .. }
                    | ActionPhase::Verifying { .. }
            )
        })
        || matches!(&state.screen, Screen::SignIn(v) if v.result.is_none())
}

/// Starts a run. A run of the same lookup still in flight is cancelled and
/// recorded as such: only the newest answer is shown.
pub fn start(state: &mut State, node: &str, prepared: Prepared) -> (u64, Vec<Effect>) {
    let Some(inc) = &state.incident else {
        return (0, Vec::new());
    };
    let incident = inc.meta.id.clone();
    let source = Source::for_incident(inc, &prepared.request.lookup_id, state.now);
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
        if let Some(r) = state.lookups.runs.get_mut(&id)
            && r.result().is_some()
        {
            r.state = RunState::Superseded;
        }
    }
    let id = state.lookups.next_id();
    state.lookups.runs.insert(
        id,
        Run {
            id,
            incident,
            node: node.to_string(),
            lookup: prepared.request.lookup_id.clone(),
            request: prepared.request.clone(),
            variables: prepared.variables,
            started_at: state.now,
            state: RunState::Running { progress: None },
            record_req: None,
            recorded_seq: None,
        },
    );
    effects.push(Effect::Lookup(LookupEffect::Run {
        run: id,
        request: prepared.request,
        source,
    }));
    (id, effects)
}

/// Runs every lookup of the node whose values are set; says which need values.
pub fn run_all(state: &mut State, node: &Node) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let mut values = inc.walk.variables.clone();
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

/// Cancels a run in flight: its task is dropped and the run recorded as cancelled.
pub fn cancel(state: &mut State, run: u64) -> Vec<Effect> {
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
        Some("cancelled by the responder".into()),
    ));
    effects
}

fn record_run(
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

/// Handles a message from the lookup executor.
pub fn on_msg(state: &mut State, msg: LookupMsg) -> Vec<Effect> {
    match msg {
        LookupMsg::Progress { run, progress } => {
            if let Some(r) = state.lookups.runs.get_mut(&run)
                && let RunState::Running { progress: p } = &mut r.state
            {
                *p = Some(progress);
            }
            Vec::new()
        }
        LookupMsg::Finished {
            run,
            started_at,
            finished_at,
            outcome,
        } => finished(state, run, started_at, finished_at, outcome),
        LookupMsg::ActionDone { run, report } => super::actions::done(state, run, report),
        LookupMsg::Verified { run, verified } => super::actions::verified(state, run, verified),
        LookupMsg::DeviceCode {
            user_code,
            verification_uri,
            message,
        } => {
            if let Screen::SignIn(view) = &mut state.screen {
                view.user_code = Some(user_code);
                view.verification_uri = Some(verification_uri);
                view.message = Some(message);
            }
            Vec::new()
        }
        LookupMsg::SignedIn(result) => {
            if let Screen::SignIn(view) = &mut state.screen {
                view.result = Some(result);
            }
            Vec::new()
        }
        LookupMsg::Saved(result) => {
            state.notice = Some(Notice::Lookups(LookupNotice::Saved(result)));
            Vec::new()
        }
    }
}

fn finished(
    state: &mut State,
    run: u64,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
    outcome: RunOutcome,
) -> Vec<Effect> {
    // A run cancelled or replaced meanwhile: its answer is stale and dropped.
    let Some(r) = state.lookups.runs.get_mut(&run) else {
        return Vec::new();
    };
    if !r.is_running() {
        return Vec::new();
    }
    r.started_at = started_at;
    let effects = match outcome {
        RunOutcome::Rows { result, evidence } => {
            let status = if result.warning.is_some() {
                LookupStatus::Partial
            } else {
                LookupStatus::Succeeded
            };
            let warning = result.warning.clone();
            r.state = RunState::Done { result };
            record_run(state, run, finished_at, status, Some(&evidence), warning)
        }
        RunOutcome::Failed {
            status,
            message,
            sign_in,
        } => {
            r.state = RunState::Failed {
                message: message.clone(),
                sign_in,
            };
            record_run(state, run, finished_at, status, None, Some(message))
        }
    };
    if let Screen::Results(view) = &mut state.screen
        && view.run == run
    {
        view.reset(state.lookups.runs.get(&run));
    }
    effects
}

/// Called for every store confirmation before the walk applies it.
pub fn on_recorded(state: &mut State, req: u64, result: &Result<Event, String>) -> Vec<Effect> {
    if let Ok(event) = result
        && let Some(r) = state
            .lookups
            .runs
            .values_mut()
            .find(|r| r.record_req == Some(req))
    {
        r.recorded_seq = Some(event.seq);
        return Vec::new();
    }
    super::actions::on_recorded(state, req, result)
}

#[cfg(test)]
#[path = "lookups_tests.rs"]
mod tests;
