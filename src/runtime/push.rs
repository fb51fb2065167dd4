//! The background sync: while an attached incident is on screen, a thread
//! of its own drains the incident's outbox into Sentinel (its own store
//! connection, its own client), looks for new rows every second, waits out
//! failures (Retry-After, else doubling back-off), and reports the header
//! badge as `Msg::Pushed` only when it changes; every 30 s it also keeps
//! the comments and `[cairn]` tasks others wrote (shown by `cairn show`),
//! and reports teammates' choices read from them as `Msg::Teammates`. Stopped when the incident
//! leaves the screen; a drain cut short by that is harmless (ids derive
//! from events, rows are marked only once acknowledged).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::push::Badge;
use crate::lookup::auth::Credentials;
use crate::lookup::config;
use crate::lookup::http::{ApiClient, build_http};
use crate::lookup::sentinel::{Sentinel, SentinelError, SentinelWorkspace};
use crate::store::{IncidentId, Store};
use crate::sync::drain::{SyncError, drain};

/// How often the outbox is looked at while nothing is pending.
const POLL: Duration = Duration::from_secs(1);

/// How often the comments others wrote are fetched: a modest interval.
const PULL: Duration = Duration::from_secs(30);

struct Following {
    incident: String,
    stop: Arc<AtomicBool>,
}

/// How the sync thread reaches Sentinel.
#[derive(Clone)]
enum Connect {
    /// Through the configuration file, as the screen does.
    Config,
    /// Through a given client and workspace (a loopback mock in tests).
    Client(Box<ApiClient>, SentinelWorkspace),
}

pub struct PushWorker {
    dir: Option<PathBuf>,
    tx: mpsc::UnboundedSender<Msg>,
    current: Option<Following>,
    connect: Connect,
}

impl PushWorker {
    /// `dir`: the store's data directory (None: nothing is ever synced).
    pub fn new(dir: Option<PathBuf>, tx: mpsc::UnboundedSender<Msg>) -> Self {
        Self {
            dir,
            tx,
            current: None,
            connect: Connect::Config,
        }
    }

    /// A worker that reaches Sentinel through `api` rather than the
    /// configuration file (the same loop, driven against a mock).
    pub fn with_client(
        dir: PathBuf,
        tx: mpsc::UnboundedSender<Msg>,
        api: ApiClient,
        workspace: SentinelWorkspace,
    ) -> Self {
        let mut worker = Self::new(Some(dir), tx);
        worker.connect = Connect::Client(Box::new(api), workspace);
        worker
    }

    /// Follows `incident` (or nothing): starts or stops the sync thread.
    pub fn follow(&mut self, incident: Option<&str>) {
        if self.current.as_ref().map(|f| f.incident.as_str()) == incident {
            return;
        }
        if let Some(old) = self.current.take() {
            old.stop.store(true, Ordering::Relaxed);
        }
        let (Some(incident), Some(dir)) = (incident, self.dir.clone()) else {
            return;
        };
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, tx, id) = (stop.clone(), self.tx.clone(), incident.to_string());
        let connect = self.connect.clone();
        std::thread::spawn(move || run(&dir, &id, &flag, &tx, connect));
        self.current = Some(Following {
            incident: incident.to_string(),
            stop,
        });
    }
}

impl Drop for PushWorker {
    fn drop(&mut self) {
        self.follow(None);
    }
}

fn run(
    dir: &Path,
    incident: &str,
    stop: &AtomicBool,
    tx: &mpsc::UnboundedSender<Msg>,
    connect: Connect,
) {
    let mut last: Option<Badge> = None;
    let mut report = |badge: Badge| {
        if last.as_ref() != Some(&badge) {
            last = Some(badge.clone());
            let _ = tx.send(Msg::Pushed {
                incident: incident.to_string(),
                badge,
            });
        }
    };
    let setup = || -> Result<_, String> {
        let id = IncidentId::parse(incident).map_err(|e| e.to_string())?;
        let store = Store::open(dir).map_err(|e| e.to_string())?;
        let (api, workspace) = match connect {
            Connect::Client(api, workspace) => (*api, workspace),
            Connect::Config => configured().map(|(api, workspace, _)| (api, workspace))?,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok((id, store, api, workspace, runtime))
    };
    let (id, mut store, api, workspace, runtime) = match setup() {
        Ok(parts) => parts,
        Err(why) => {
            report(Badge::Failing { pending: 0, why });
            return;
        }
    };
    let sentinel = Sentinel::new(&api, &workspace);
    runtime.block_on(async {
        let mut failures = 0u32;
        let mut known = None;
        let mut next_pull = tokio::time::Instant::now();
        while !stop.load(Ordering::Relaxed) {
            if tokio::time::Instant::now() >= next_pull {
                next_pull = tokio::time::Instant::now() + PULL;
                // A failed read is tried at the next interval; the push's
                // badge says what is wrong with the connection.
                let _ = crate::sync::pull::pull(&mut store, &sentinel, &id).await;
                teammates(&store, &id, &mut known, tx);
            }
            let pending = store.outbox_state(&id).map(|s| s.pending).unwrap_or(0);
            let mut wait = POLL;
            if pending == 0 && failures == 0 {
                report(Badge::Synced);
            } else {
                let result = drain(&mut store, &sentinel, &id, &mut |p| {
                    if p.pending > 0 {
                        report(Badge::Pending(p.pending));
                    }
                })
                .await;
                match result {
                    Ok(_) => {
                        failures = 0;
                        report(Badge::Synced);
                    }
                    Err(e) => {
                        failures += 1;
                        let pending = store.outbox_state(&id).map(|s| s.pending).unwrap_or(0);
                        let why = crate::text::visible(&e.to_string(), crate::text::Medium::Cli)
                            .into_owned();
                        report(Badge::Failing { pending, why });
                        // A fault that needs a human is retried slowly.
                        wait = match e {
                            SyncError::NotAttached(_) => return,
                            e if e.is_transient() => e.wait(failures),
                            _ => Duration::from_secs(60),
                        };
                    }
                }
            }
            // Sleep in short steps so leaving the incident stops the thread soon.
            let until = tokio::time::Instant::now() + wait;
            while tokio::time::Instant::now() < until && !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(200).min(wait)).await;
            }
        }
    });
}

/// Reports teammates' choices read from the kept remote comments, when
/// they differ from what was last reported.
fn teammates(
    store: &Store,
    id: &IncidentId,
    known: &mut Option<crate::app::teammates::Choices>,
    tx: &mpsc::UnboundedSender<Msg>,
) {
    let Ok(meta) = store.incident(id) else { return };
    let Ok(tree) = crate::tree::load::parse(&meta.tree_id, &meta.tree_source) else {
        return;
    };
    let Ok(remote) = store.remote_comments(id) else {
        return;
    };
    let choices = crate::sync::teammates::choices(&tree, &remote);
    if known.as_ref() != Some(&choices) {
        *known = Some(choices.clone());
        let _ = tx.send(Msg::Teammates {
            incident: id.to_string(),
            choices,
        });
    }
}

/// The configured Sentinel workspace and a client for it (the ARM token by
/// the configured auth method), with the configured overall time limit.
pub(super) fn configured() -> Result<(ApiClient, SentinelWorkspace, Duration), String> {
    let cfg = config::path()
        .and_then(|p| config::load(&p))
        .map_err(|e| e.to_string())?;
    let workspace = cfg
        .sentinel
        .clone()
        .ok_or_else(|| SentinelError::NotConfigured.to_string())?;
    let http = build_http(&cfg.http).map_err(|e| e.to_string())?;
    let credentials = Arc::new(Credentials::new(&cfg, http.clone()));
    Ok((
        ApiClient::new(&cfg, http, credentials),
        workspace,
        cfg.http.total_timeout,
    ))
}
