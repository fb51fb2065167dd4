//! What comes back to a lookup run: the executor's progress, rows and
//! failures, action outcomes and sign-in steps, and the store's
//! confirmation of a run's event. Apart from starting runs because this is
//! the other direction of the conversation with the runtime.

use chrono::{DateTime, Utc};

use super::lookup_runs::record_run;
use super::lookups::{LookupMsg, LookupNotice, RunOutcome, RunState};
use super::{Effect, Notice, Screen, State};
use crate::store::event::{Event, LookupStatus};
use crate::text::lang::Lang;

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
            let signed_in = result.is_ok();
            if let Screen::SignIn(view) = &mut state.screen {
                view.result = Some(result);
            }
            // Now the token can name who proposes.
            if signed_in {
                vec![Effect::Lookup(super::lookups::LookupEffect::Identify)]
            } else {
                Vec::new()
            }
        }
        LookupMsg::Identified { oid, upn } => {
            state.lookups.approvals.oid = oid;
            state.lookups.approvals.upn = upn;
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
    // The executor's clock for the start, but only of the first attempt:
    // after a countdown the run began when it was first sent.
    if !r.waited {
        r.started_at = started_at;
    }
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
            // Shown in the screen's language, recorded in English.
            r.state = RunState::Failed {
                message: message.worded(Lang::of(&state.lang)),
                sign_in,
            };
            let recorded = message.worded(Lang::EN);
            record_run(state, run, finished_at, status, None, Some(recorded))
        }
        // Not recorded yet: the run is still in flight, only waiting.
        RunOutcome::WaitAsked { status, until } => {
            r.state = RunState::Throttled { status, until };
            r.waited = true;
            Vec::new()
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
