//! The lookup executor: carries out `Effect::Lookup` off the screen loop.
//! Each run is one task with its request id; cancelling aborts the task at
//! once (the screen is already free), and whatever a cancelled run would
//! have returned never reaches the update. Results are parsed and hashed
//! on blocking threads so keys keep flowing while 100k rows arrive.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::app::lookups::{LookupEffect, LookupMsg, RunOutcome, Source};
use crate::app::results::row_json;
use crate::lookup::action::{self, Verified};
use crate::lookup::auth::{AuthError, Credentials};
use crate::lookup::canonical;
use crate::lookup::config::{self, Config};
use crate::lookup::error::LookupError;
use crate::lookup::http::{ApiClient, build_http};
use crate::lookup::replay::Replay;
use crate::lookup::retry::Progress;
use crate::lookup::run::{Backend, LookupRequest};
use crate::lookup::table::{LookupResult, ResultTable};
use crate::store::RESULT_CAP;

/// The configured tenant connection, when there is one.
#[derive(Clone)]
pub struct Live {
    pub client: Arc<ApiClient>,
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

    /// Live providers from `cairn config init`'s file, if it exists and is valid.
    pub fn from_default_config(tx: mpsc::UnboundedSender<Msg>) -> Self {
        let live = config::default_path()
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
            } => {
                let backend = backend_for(&source, &self.live);
                let task = tokio::spawn(async move {
                    let msg = match backend {
                        Ok(backend) => run_lookup(&backend, run, request, Some(&tx)).await,
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
                run,
                request,
                source,
            } => {
                let live = self.live.clone();
                tokio::spawn(async move {
                    let report = match (&source, live) {
                        // Outside live incidents nothing is ever sent.
                        (Source::Practice { .. }, _) => action::simulate(&request),
                        (Source::Live, Ok(live)) => {
                            Backend::Live(live.client.clone()).act(&request).await
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

/// The backend a run's source asks for.
pub fn backend_for(source: &Source, live: &Result<Live, String>) -> Result<Backend, String> {
    match source {
        Source::Practice {
            scenario,
            tree,
            swapped,
        } => practice_replay(scenario, tree).and_then(|r| {
            let r = match swapped {
                Some((lookup, file)) => r.with_swapped(lookup, file).map_err(|e| e.to_string())?,
                None => r,
            };
            Ok(Backend::Replay(Arc::new(r)))
        }),
        Source::Live => match live {
            Ok(l) => Ok(Backend::Live(l.client.clone())),
            Err(why) => Err(format!("no live connection: {why}")),
        },
    }
}

/// Recordings for practice: a user's own copy of the scenario in
/// `<config dir>/scenarios/<id>/` (to rehearse with local data) wins over
/// the shipped one. Either must record lookups of `tree`.
pub fn practice_replay(scenario: &str, tree: &str) -> Result<Replay, String> {
    let user_dir = crate::tree::catalog::default_config_dir()
        .map(|d| d.join("scenarios").join(scenario))
        .filter(|d| d.join("scenario.toml").is_file());
    let replay = match user_dir {
        Some(dir) => Replay::load_dir(&dir).map_err(|e| e.to_string())?,
        None => Replay::shipped(scenario)
            .ok_or_else(|| format!("no recorded practice data named '{scenario}' is installed"))?,
    };
    if replay.manifest.tree != tree {
        return Err(format!(
            "the practice data '{scenario}' records the tree '{}', not '{tree}'",
            replay.manifest.tree
        ));
    }
    Ok(replay)
}

fn failed(
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
            message,
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
                    message: format!("the result could not be hashed: {e}"),
                    sign_in: false,
                },
            }
        }
        Err(e) => RunOutcome::Failed {
            status: e.status(),
            sign_in: matches!(
                e,
                LookupError::SignInAgain | LookupError::Auth(AuthError::NotSignedIn)
            ),
            message: e.to_string(),
        },
    };
    LookupMsg::Finished {
        run,
        started_at,
        finished_at: Utc::now(),
        outcome,
    }
}

/// Writes rows to a new file: CSV (RFC 4180 quoting) or a JSON array of
/// objects. An existing file is never replaced.
pub fn save_copy(
    path: &str,
    table: &ResultTable,
    rows: &[usize],
    json: bool,
) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{path} already exists; choose another name")
            }
            _ => format!("{path}: {e}"),
        })?;
    let mut out = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| format!("{path}: {e}");
    if json {
        out.write_all(b"[").map_err(io)?;
        for (i, &row) in rows.iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n").map_err(io)?;
            }
            let obj = row_json(table, row).unwrap_or_else(|| "{}".into());
            out.write_all(obj.as_bytes()).map_err(io)?;
        }
        out.write_all(b"]\n").map_err(io)?;
    } else {
        let header: Vec<String> = table.columns.iter().map(|c| csv_field(&c.name)).collect();
        writeln!(out, "{}", header.join(",")).map_err(io)?;
        for &row in rows {
            let Some(cells) = table.rows.get(row) else {
                continue;
            };
            let fields: Vec<String> = cells.iter().map(|c| csv_field(&c.text())).collect();
            writeln!(out, "{}", fields.join(",")).map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::table::{Cell, Column, ColumnType};

    #[test]
    fn saved_copies_never_overwrite_and_quote_csv() {
        let dir = tempfile::tempdir().unwrap();
        let table = ResultTable {
            name: "t".into(),
            columns: vec![
                Column {
                    name: "a".into(),
                    col_type: ColumnType::String,
                },
                Column {
                    name: "n".into(),
                    col_type: ColumnType::Long,
                },
            ],
            rows: vec![
                vec![Cell::Str("x,\"y\"".into()), Cell::Long(1)],
                vec![Cell::Str("plain".into()), Cell::Long(2)],
            ],
        };
        let csv = dir.path().join("r.csv");
        let csv = csv.to_str().unwrap();
        save_copy(csv, &table, &[1, 0], false).unwrap();
        assert_eq!(
            std::fs::read_to_string(csv).unwrap(),
            "a,n\nplain,2\n\"x,\"\"y\"\"\",1\n"
        );
        let again = save_copy(csv, &table, &[0], false).unwrap_err();
        assert!(again.contains("already exists"), "{again}");
        assert!(
            std::fs::read_to_string(csv)
                .unwrap()
                .starts_with("a,n\nplain")
        );
        let json = dir.path().join("r.json");
        save_copy(json.to_str().unwrap(), &table, &[0], true).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        assert_eq!(v[0]["a"], "x,\"y\"");
        assert_eq!(v[0]["n"], 1);
    }
}
