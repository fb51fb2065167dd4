//! Running a node's lookups: where a run is answered (`Source`), the runs
//! of the session and their states, and the messages and effects exchanged
//! with the runtime's executor. Starting and cancelling runs lives in
//! `lookup_runs`, handling what comes back in `lookup_replies`, the run form
//! in `run_form`; all are re-exported here. Every finished, failed or
//! cancelled run is recorded as a `lookup_run` event.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use super::lookup_replies::{on_msg, on_recorded};
pub use super::lookup_runs::{cancel, resume_due, run_all, start};
pub use super::run_form::{
    Prepared, RunForm, form_key, form_request, form_values, lookup_of, missing_names, open_form,
    prepare,
};
use super::{Screen, State};
use crate::lookup::action::{ActionReport, ActionRequest, Verified, VerifyPlan};
use crate::lookup::canonical::Evidence;
use crate::lookup::retry::Progress;
use crate::lookup::run::LookupRequest;
use crate::lookup::table::LookupResult;
use crate::store::event::{LookupStatus, Mode};
use crate::tree::Tree;
use crate::tree::value::normalize;

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
    pub fn for_incident(inc: &super::Incident, lookup: &str) -> Self {
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
                    .recording_for(lookup, &inc.walk)
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
        /// Code, message and hint, worded by the lookup module in the
        /// screen's language when the answer arrives.
        message: crate::lookup::remedy::Failure,
        /// The credentials need a (new) sign-in.
        sign_in: bool,
    },
    /// The service asked (Retry-After) to wait longer than Cairn waits on
    /// its own: the screen counts down to `until` and runs it again then,
    /// unless the responder cancels.
    WaitAsked { status: u16, until: DateTime<Utc> },
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
    /// Who the token names (for proposals): object id and upn.
    Identified {
        oid: Option<String>,
        upn: Option<String>,
    },
}

/// What the update asks the runtime's lookup executor to do.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupEffect {
    Run {
        run: u64,
        request: LookupRequest,
        source: Source,
        /// What the lookup declares it needs, for a failure's remedy.
        requires: crate::tree::Requires,
    },
    /// Drop the run's task; nothing it returns later is used.
    Cancel {
        run: u64,
    },
    Act {
        /// What the action declares it needs, for a refusal's remedy.
        requires: crate::tree::Requires,
        run: u64,
        request: ActionRequest,
        source: Source,
    },
    Verify {
        run: u64,
        plan: VerifyPlan,
    },
    SignIn,
    /// Read who the token names, without signing in (for proposals).
    Identify,
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
    /// The service asked to wait until `until` (HTTP `status`, Retry-After
    /// above the cap): nothing is sent until then; the run goes on by
    /// itself when the countdown ends, or is cancelled like a running one.
    Throttled {
        status: u16,
        until: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u64,
    pub incident: String,
    pub node: String,
    pub lookup: String,
    pub request: LookupRequest,
    pub variables: BTreeMap<String, String>,
    /// When the run's first attempt started: a run resumed after a wait
    /// the service asked for keeps it (the run's real start).
    pub started_at: DateTime<Utc>,
    pub state: RunState,
    /// The service asked to wait at least once: `started_at` is then the
    /// first attempt's and later attempts leave it alone.
    pub waited: bool,
    /// The store request of its `lookup_run` event, then the event's seq.
    pub record_req: Option<u64>,
    pub recorded_seq: Option<u64>,
}

impl Run {
    /// A run of `request` at `node`, in flight and not yet recorded: a new
    /// run starts so, and a stored one is this plus its recorded state.
    pub fn new(
        id: u64,
        incident: String,
        node: String,
        request: LookupRequest,
        variables: BTreeMap<String, String>,
        started_at: DateTime<Utc>,
    ) -> Run {
        Run {
            id,
            incident,
            node,
            lookup: request.lookup_id.clone(),
            request,
            variables,
            started_at,
            state: RunState::Running { progress: None },
            waited: false,
            record_req: None,
            recorded_seq: None,
        }
    }

    /// In flight: on the wire, or counting down to a wait the service asked
    /// for (quitting or cancelling records either as cancelled).
    pub fn is_running(&self) -> bool {
        matches!(
            self.state,
            RunState::Running { .. } | RunState::Throttled { .. }
        )
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
    /// Approval policy floor and who would propose (`approval`).
    pub approvals: super::approval::Approvals,
}

impl Lookups {
    pub fn new(graph_base: &str) -> Self {
        Self {
            runs: BTreeMap::new(),
            actions: BTreeMap::new(),
            next_run: 1,
            graph_base: graph_base.trim_end_matches('/').to_string(),
            approvals: Default::default(),
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

#[cfg(test)]
#[path = "lookups_tests/mod.rs"]
mod tests;
