//! The one interface the screen drives: run a rendered lookup or action on a
//! backend (the live tenant or recorded practice data).
//!
//! Runs are plain futures: dropping one cancels it on the client side (the
//! service may still finish the query). Progress goes to an optional
//! `watch` channel.

use std::sync::Arc;

use super::action::{self, ActionReport, ActionRequest};
use super::error::{LookupError, TimeoutKind};
use super::http::ApiClient;
use super::replay::Replay;
use super::retry::{Progress, ProgressSender, report};
use super::table::LookupResult;
use super::{graph, hunting, loganalytics};
use crate::tree::model::Provider;

/// A lookup ready to run: the exact text that will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRequest {
    pub lookup_id: String,
    pub provider: Provider,
    /// KQL, or a Graph path with query string.
    pub text: String,
    /// ISO 8601 timespan (KQL providers only).
    pub timespan: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Backend {
    Live(Arc<ApiClient>),
    Replay(Arc<Replay>),
}

impl Backend {
    /// True when actions are simulated rather than sent.
    pub fn simulates_actions(&self) -> bool {
        matches!(self, Backend::Replay(_))
    }

    /// Runs a lookup, bounded by the total timeout.
    pub async fn run(
        &self,
        req: &LookupRequest,
        progress: Option<&ProgressSender>,
    ) -> Result<LookupResult, LookupError> {
        let result = match self {
            Backend::Replay(replay) => replay.answer(req),
            Backend::Live(client) => {
                let work = async {
                    match req.provider {
                        Provider::LogAnalytics => {
                            loganalytics::query(
                                client,
                                &req.text,
                                req.timespan.as_deref(),
                                progress,
                            )
                            .await
                        }
                        Provider::Hunting => {
                            hunting::query(client, &req.text, req.timespan.as_deref(), progress)
                                .await
                        }
                        Provider::Graph => graph::get(client, &req.text, progress).await,
                    }
                };
                match tokio::time::timeout(client.settings.total_timeout, work).await {
                    Ok(r) => r,
                    Err(_) => Err(LookupError::Timeout(TimeoutKind::Total)),
                }
            }
        };
        report(progress, Progress::Finished);
        result
    }

    /// Performs a Graph write, or simulates it in practice.
    pub async fn act(&self, req: &ActionRequest) -> ActionReport {
        match self {
            Backend::Replay(_) => action::simulate(req),
            Backend::Live(client) => action::perform(client, req).await,
        }
    }
}
