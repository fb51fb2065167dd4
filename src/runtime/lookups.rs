//! The lookup executor: carries out `Effect::Lookup` off the screen loop.
//! Each run is one task with its request id; cancelling aborts the task at
//! once (the screen is already free), and whatever a cancelled run would
//! have returned never reaches the update. Results are parsed and hashed
//! on blocking threads so keys keep flowing while 100k rows arrive. Which
//! backend answers is chosen in `lookup_sources`, one run's answer becomes
//! rows and evidence in `lookup_answer`, copies are saved by `save_copy`;
//! all are re-exported here.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::lookup_answer::failed;
pub use super::lookup_answer::{run_lookup, run_lookup_fitted};
pub use super::lookup_sources::{backend_for, practice_replay};
pub use super::save_copy::save_copy;
use crate::app::Msg;
use crate::app::lookups::{LookupEffect, LookupMsg, Source};
use crate::lookup::action::{self, Verified};
use crate::lookup::auth::Credentials;
use crate::lookup::config::{self, Config};
use crate::lookup::error::{AuthKind, Fit};
use crate::lookup::http::{ApiClient, build_http};

/// The configured tenant connection, when there is one.
#[derive(Clone)]
pub struct Live {
    pub client: Arc<ApiClient>,
    /// How this connection signs in, so remedies fit it.
    pub auth: AuthKind,
    /// Set when the configured method can sign in interactively.
    pub credentials: Option<Arc<Credentials>>,
}

impl Live {
    /// The connection described by a configuration; tokens stay in memory.
    pub fn from_config(cfg: &Config) -> Result<Live, String> {
        let http = build_http(&cfg.http).map_err(|e| e.to_string())?;
        let credentials = Arc::new(Credentials::new(cfg, http.clone()));
        let client = ApiClient::new(cfg, http, credentials.clone());
        Ok(Live {
            auth: AuthKind::of(&cfg.auth),
            client: Arc::new(client),
            credentials: Some(credentials),
        })
    }
}

pub struct Executor {
    /// The live connection, or why there is none (shown when a live run fails).
    live: Result<Live, String>,
    tasks: HashMap<u64, JoinHandle<()>>,
    tx: mpsc::UnboundedSender<Msg>,
}

impl Executor {
    pub fn new(live: Result<Live, String>, tx: mpsc::UnboundedSender<Msg>) -> Self {
        Self {
            live,
            tasks: HashMap::new(),
            tx,
        }
    }

    /// How the live connection signs in (unknown without one).
    fn auth_kind(&self) -> AuthKind {
        self.live.as_ref().map_or(AuthKind::Unknown, |l| l.auth)
    }

    /// Live providers from `cairn config init`'s file, if it exists and is valid.
    pub fn from_default_config(tx: mpsc::UnboundedSender<Msg>) -> Self {
        let live = config::path()
            .and_then(|p| config::load(&p))
            .map_err(|e| e.to_string())
            .and_then(|cfg| Live::from_config(&cfg));
        Self::new(live, tx)
    }

    /// The Graph base URL actions are sent to.
    pub fn graph_base(&self) -> Option<String> {
        self.live
            .as_ref()
            .ok()
            .map(|l| l.client.endpoints.graph.clone())
    }

    /// Runs in flight (for tests and shutdown).
    pub fn running(&self) -> usize {
        self.tasks.values().filter(|t| !t.is_finished()).count()
    }

    pub fn execute(&mut self, effect: LookupEffect) {
        self.tasks.retain(|_, t| !t.is_finished());
        let tx = self.tx.clone();
        match effect {
            LookupEffect::Run {
                run,
                request,
                source,
                requires,
            } => {
                let backend = backend_for(&source, &self.live);
                let fit = Fit {
                    auth: self.auth_kind(),
                    requires,
                    graph: request.provider != crate::tree::Provider::LogAnalytics,
                };
                let task = tokio::spawn(async move {
                    let msg = match backend {
                        Ok(backend) => {
                            run_lookup_fitted(&backend, run, request, Some(&tx), &fit).await
                        }
                        Err(message) => failed(run, Utc::now(), message, false),
                    };
                    let _ = tx.send(Msg::Lookup(msg));
                });
                self.tasks.insert(run, task);
            }
            LookupEffect::Cancel { run } => {
                if let Some(task) = self.tasks.remove(&run) {
                    task.abort();
                }
            }
            LookupEffect::Act {
                requires,
                run,
                request,
                source,
            } => {
                let live = self.live.clone();
                let fit = Fit {
                    auth: self.auth_kind(),
                    requires,
                    graph: true,
                };
                tokio::spawn(async move {
                    let report = match (&source, live) {
                        // Outside live incidents nothing is ever sent.
                        (Source::Practice { .. }, _) => action::simulate(&request),
                        (Source::Live, Ok(live)) => {
                            action::perform_fitted(&live.client, &request, &fit).await
                        }
                        (Source::Live, Err(why)) => action::ActionReport {
                            status: crate::store::event::ActionStatus::Failed,
                            http_status: None,
                            detail: format!("not sent: {why}"),
                            verify: None,
                        },
                    };
                    let _ = tx.send(Msg::Lookup(LookupMsg::ActionDone { run, report }));
                });
            }
            LookupEffect::Verify { run, plan } => {
                let live = self.live.clone();
                tokio::spawn(async move {
                    let verified = match live {
                        Ok(live) => action::verify(&live.client, &plan).await,
                        Err(why) => Verified::StillUnknown(why),
                    };
                    let _ = tx.send(Msg::Lookup(LookupMsg::Verified { run, verified }));
                });
            }
            LookupEffect::Identify => {
                // Never interactive: a token already at hand names the user.
                let Ok(live) = &self.live else { return };
                let client = live.client.clone();
                tokio::spawn(async move {
                    let token = client
                        .tokens
                        .token(crate::lookup::auth::Resource::Graph, false)
                        .await;
                    if let Ok(claims) = token
                        .map_err(|e| e.to_string())
                        .and_then(|t| crate::lookup::auth::claims::TokenClaims::of(t.secret()))
                    {
                        let _ = tx.send(Msg::Lookup(LookupMsg::Identified {
                            oid: claims.oid,
                            upn: claims.upn,
                        }));
                    }
                });
            }
            LookupEffect::SignIn => {
                let creds = match &self.live {
                    Ok(Live {
                        credentials: Some(c),
                        ..
                    }) => Ok(c.clone()),
                    Ok(_) => Err("this connection has no interactive sign-in".to_string()),
                    Err(why) => Err(why.clone()),
                };
                tokio::spawn(async move {
                    let creds = match creds {
                        Ok(c) => c,
                        Err(e) => {
                            let _ = tx.send(Msg::Lookup(LookupMsg::SignedIn(Err(e))));
                            return;
                        }
                    };
                    let prompt = match creds.device_start().await {
                        Ok(p) => p,
                        Err(e) => {
                            let _ = tx.send(Msg::Lookup(LookupMsg::SignedIn(Err(e.to_string()))));
                            return;
                        }
                    };
                    let _ = tx.send(Msg::Lookup(LookupMsg::DeviceCode {
                        user_code: prompt.user_code.clone(),
                        verification_uri: prompt.verification_uri.clone(),
                        message: prompt.message.clone(),
                    }));
                    let done = creds
                        .device_finish(&prompt)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::Lookup(LookupMsg::SignedIn(done)));
                });
            }
            LookupEffect::Save {
                path,
                result,
                table,
                rows,
                json,
            } => {
                tokio::task::spawn_blocking(move || {
                    let saved = match result.tables.get(table) {
                        Some(t) => save_copy(&path, t, &rows, json).map(|()| path),
                        None => Err("nothing to save".to_string()),
                    };
                    let _ = tx.send(Msg::Lookup(LookupMsg::Saved(saved)));
                });
            }
        }
    }
}
