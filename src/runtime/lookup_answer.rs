//! Running one lookup and turning its answer into the message the screen
//! gets: rows with their evidence (canonical JSON, hash and capped copy,
//! computed on a blocking thread), or the error worded for the responder.
//! Apart from the executor, which only decides when and where this runs.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use crate::app::Msg;
use crate::app::lookups::{LookupMsg, RunOutcome};
use crate::lookup::auth::AuthError;
use crate::lookup::canonical;
use crate::lookup::error::{AuthKind, Fit, LookupError};
use crate::lookup::retry::Progress;
use crate::lookup::run::{Backend, LookupRequest};
use crate::lookup::table::LookupResult;
use crate::store::RESULT_CAP;
use crate::tree::Provider;

pub(super) fn failed(
    run: u64,
    started_at: chrono::DateTime<Utc>,
    message: String,
    sign_in: bool,
) -> LookupMsg {
    LookupMsg::Finished {
        run,
        started_at,
        finished_at: Utc::now(),
        outcome: RunOutcome::Failed {
            status: crate::store::event::LookupStatus::Failed,
            message: message.into(),
            sign_in,
        },
    }
}

/// Runs one lookup on `backend` and turns the answer into the message the
/// screen gets: rows with their evidence (canonical JSON, hash, capped
/// copy), or the error with code, message and hint. Progress goes to `tx`.
pub async fn run_lookup(
    backend: &Backend,
    run: u64,
    request: LookupRequest,
    tx: Option<&mpsc::UnboundedSender<Msg>>,
) -> LookupMsg {
    let fit = Fit {
        graph: request.provider != Provider::LogAnalytics,
        ..Fit::default()
    };
    run_lookup_fitted(backend, run, request, tx, &fit).await
}

/// `run_lookup` with the error's remedy fitted to the sign-in in use and
/// the lookup's declared permissions; the device-code sign-in is offered
/// only when that is how Cairn signs in.
pub async fn run_lookup_fitted(
    backend: &Backend,
    run: u64,
    request: LookupRequest,
    tx: Option<&mpsc::UnboundedSender<Msg>>,
    fit: &Fit,
) -> LookupMsg {
    let started_at = Utc::now();
    let (progress_tx, mut progress_rx) = watch::channel(Progress::Sending { attempt: 1 });
    let work = backend.run(&request, Some(&progress_tx));
    tokio::pin!(work);
    let answer: Result<LookupResult, LookupError> = loop {
        tokio::select! {
            r = &mut work => break r,
            Ok(()) = progress_rx.changed() => {
                let progress = progress_rx.borrow_and_update().clone();
                if let Some(tx) = tx && progress != Progress::Finished {
                    let _ = tx.send(Msg::Lookup(LookupMsg::Progress { run, progress }));
                }
            }
        }
    };
    let outcome = match answer {
        Ok(result) => {
            let result = Arc::new(result);
            let for_hash = result.clone();
            let evidence = tokio::task::spawn_blocking(move || {
                canonical::evidence(&for_hash, RESULT_CAP as usize)
            })
            .await;
            match evidence {
                Ok(evidence) => RunOutcome::Rows { result, evidence },
                Err(e) => RunOutcome::Failed {
                    status: crate::store::event::LookupStatus::Failed,
                    message: format!("the result could not be hashed: {e}").into(),
                    sign_in: false,
                },
            }
        }
        // A wait longer than Cairn takes on its own: the screen counts it down.
        Err(LookupError::WaitTooLong { status, until, .. }) => {
            RunOutcome::WaitAsked { status, until }
        }
        Err(e) => RunOutcome::Failed {
            status: e.status(),
            sign_in: matches!(fit.auth, AuthKind::DeviceCode | AuthKind::Unknown)
                && matches!(
                    e,
                    LookupError::SignInAgain | LookupError::Auth(AuthError::NotSignedIn)
                ),
            message: e.fit(fit).into(),
        },
    };
    LookupMsg::Finished {
        run,
        started_at,
        finished_at: Utc::now(),
        outcome,
    }
}
