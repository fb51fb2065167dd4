//! The one loop that owns the terminal: it reads keys, feeds `update`, runs
//! the effects (store calls off the loop, in order), and draws only when
//! something changed, so an idle screen writes nothing. What a store effect
//! does is in `store_effects`; lookups and actions run in `lookups`.

pub mod attach;
pub(crate) mod backend;
pub(crate) mod clipboard;
pub mod log;
pub(crate) mod lookup_answer;
pub(crate) mod lookup_sources;
pub mod lookups;
#[cfg(any(test, feature = "test-hooks"))]
mod memory_backend;
pub(crate) mod private_file;
pub mod push;
pub(crate) mod resize;
pub(crate) mod save_copy;
pub mod signals;
mod steps;
pub(crate) mod store_backend;
pub(crate) mod store_effects;
pub mod terminal;
pub(crate) mod tty;

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Timelike, Utc};
use ratatui::crossterm::event::{self, Event as TermEvent};
use tokio::sync::mpsc;

use crate::app::{self, Effect, Keymap, Msg, State};
use crate::tree::Tree;
pub use backend::{Backend, Opened};
#[cfg(any(test, feature = "test-hooks"))]
pub use memory_backend::MemoryBackend;
pub use steps::to_messages;
use steps::{Next, copy_to_file, dispatch, draw, suspend};
pub use store_backend::StoreBackend;
pub use store_effects::{Shared, run_store_effect, run_store_effect_with};

/// Everything the loop needs to start.
pub struct Options {
    pub backend: Box<dyn Backend>,
    pub trees: Vec<Arc<Tree>>,
    pub keymap: Keymap,
    /// Language of the home screen.
    pub lang: String,
    /// Open this incident at once (`cairn open ID`, `cairn new --open`).
    pub open: Option<String>,
    /// The scenario `cairn train`/`cairn tabletop` just started, used when
    /// the catalog cannot find it again (a scenario given as a file).
    pub scenario: Option<Arc<crate::scenario::Scenario>>,
    /// The store's data directory, for the background sync of incidents
    /// attached to Sentinel (None: nothing is synced, e.g. in memory).
    pub data_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
}

/// How the screen ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exited {
    /// 0, or 128 + n after signal n (129 when the terminal hung up).
    pub code: i32,
    /// The incident open at the end, to print how to resume it.
    pub incident: Option<String>,
}

/// Runs the screen until the responder quits. Every way out restores the
/// terminal.
pub fn run(options: Options) -> Result<Exited, RuntimeError> {
    if let Some(dir) = log::state_dir() {
        // No log is no reason not to work; the screen is what matters.
        let _ = log::init(&dir);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .enable_io()
        .build()?;
    let (mut terminal, guard) = terminal::enter()?;
    let result = rt.block_on(event_loop(&mut terminal, options));
    // ratatui's drop shows the cursor and reports a failure with
    // `eprintln!`, which panics on a terminal that hung up (and blocks on
    // one that stalled): show it here, and on failure never run that drop.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    drop(guard);
    if let Err(e) = &result {
        tracing::error!("the screen stopped: {e}");
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn event_loop(
    terminal: &mut terminal::Tui,
    options: Options,
) -> Result<Exited, RuntimeError> {
    let size = terminal.size()?;
    let mut state = State::new(
        options.keymap,
        options.trees.clone(),
        &options.lang,
        Utc::now(),
    );
    state.size = (size.width, size.height);
    // Decided once from NO_COLOR, TERM and COLORTERM; `update` never sees it.
    let theme = crate::ui::theme::Theme::from_env(&crate::ui::theme::EnvSnapshot::from_process());

    // Keys come from a blocking reader thread; it ends with the process.
    let (key_tx, mut key_rx) = mpsc::unbounded_channel::<TermEvent>();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if key_tx.send(ev).is_err() {
                break;
            }
        }
    });

    // One store worker runs effects in order, each on a blocking thread.
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
    let lookup_tx = msg_tx.clone();
    let push_tx = msg_tx.clone();
    let attach_tx = msg_tx.clone();
    let (job_tx, mut job_rx) = mpsc::unbounded_channel::<Effect>();
    state.store_read_only = options.backend.read_only();
    let backend: Shared = Arc::new(Mutex::new(options.backend));
    let trees = options.trees.clone();
    let known = options.scenario.clone();
    let worker = tokio::spawn(async move {
        while let Some(effect) = job_rx.recv().await {
            let backend = backend.clone();
            let trees = trees.clone();
            let known = known.clone();
            let msgs = tokio::task::spawn_blocking(move || {
                let msg = run_store_effect_with(&backend, &trees, known.as_ref(), effect);
                // A commit the head log missed is said on the screen.
                let unwitnessed = backend
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take_unwitnessed()
                    .map(Msg::Unwitnessed);
                msg.into_iter().chain(unwitnessed)
            })
            .await
            .into_iter()
            .flatten();
            for msg in msgs {
                let _ = msg_tx.send(msg);
            }
        }
    });

    // The open incident's push to Sentinel runs on a thread of its own.
    let mut push = push::PushWorker::new(options.data_dir.clone(), push_tx);
    // Lookups run on their own tasks; their answers come back as messages.
    let mut executor = lookups::Executor::from_default_config(lookup_tx);
    if let Some(base) = executor.graph_base() {
        state.lookups = app::lookups::Lookups::new(&base);
    }
    state.lookups.approvals = app::approval::Approvals {
        floor: crate::lookup::config::path()
            .and_then(|p| crate::lookup::config::load(&p))
            .map(|c| c.approval_floor)
            .unwrap_or_default(),
        actor: crate::store::Actor::from_env().label(),
        oid: None,
        upn: None,
    };

    let mut effects = state.start();
    effects.push(Effect::Lookup(app::lookups::LookupEffect::Identify));
    let opening = options.open.is_some();
    if let Some(id) = options.open {
        state.loading = true;
        effects.push(Effect::OpenIncident { id });
    }
    let mut clipboard: Vec<String> = Vec::new();
    let mux = clipboard::Multiplexer::from_env();
    let attacher = attach::Attacher {
        dir: options.data_dir.clone(),
        tx: attach_tx,
        client: None,
    };
    let mut quit =
        dispatch(effects, &job_tx, &mut executor, &mut clipboard, &attacher) == Next::Quit;
    let mut dirty = true;
    // `cairn open ID` and the exercise commands show the incident first,
    // not a flash of the home screen while it loads.
    let mut awaiting_open = opening;
    let mut minute = state.now.minute();
    let mut queue: VecDeque<Msg> = VecDeque::new();
    let mut shutdown = signals::listen()?;
    let mut exit = 0;
    // What ended the session when the responder did not: recorded with
    // whatever was still in flight.
    let mut forced: Option<String> = None;
    let mut failure = None;
    let mut resizes = resize::ResizeDebounce::default();
    // Other processes' commits are looked for twice a second, and only while
    // an incident is on screen; a check that finds nothing sends no message,
    // so an idle screen still writes nothing.
    let mut watch = tokio::time::interval(WATCH_TICK);
    watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    while !quit {
        let Some(msg) = queue.pop_front() else {
            // Everything that arrived together is handled before one draw,
            // and a burst of resizes only once it pauses.
            if resizes.take(std::time::Instant::now()) {
                // The terminal may have cut the screen at a size in between,
                // even if it ends at the size last drawn: redraw in full
                // (not with `clear()`, which asks the terminal for the cursor).
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            }
            if dirty && !awaiting_open && resizes.deadline().is_none() {
                if let Err(e) = draw(terminal, &state, &theme, &mut clipboard, mux) {
                    // A dead terminal: stop drawing, but let the writes finish.
                    if tty::is_hang_up(&e) {
                        // It hung up: exit as for the hang-up signal that
                        // comes with it, whether or not it arrived yet.
                        exit = signals::Shutdown(signals::Signal::Hangup).exit_code();
                        forced = Some("the terminal hung up".into());
                    } else {
                        failure = Some(e);
                    }
                    break;
                }
                dirty = false;
            }
            tokio::select! {
                ev = key_rx.recv() => match ev {
                    Some(ev) => {
                        let mut events = vec![ev];
                        while let Ok(ev) = key_rx.try_recv() {
                            events.push(ev);
                        }
                        queue.extend(to_messages(events));
                    }
                    // The terminal is gone: nothing more can be typed. A
                    // hangup usually comes with it: exit as for the signal.
                    None => {
                        let wait = std::time::Duration::from_millis(200);
                        exit = match tokio::time::timeout(wait, shutdown.recv()).await {
                            Ok(Some(signal)) => signal.exit_code(),
                            _ => signals::Shutdown(signals::Signal::Hangup).exit_code(),
                        };
                        forced = Some("the terminal hung up".into());
                        break;
                    }
                },
                Some(msg) = msg_rx.recv() => queue.push_back(msg),
                Some(signal) = shutdown.recv() => {
                    exit = signal.exit_code();
                    forced = Some(format!("Cairn was stopped by {}", signal.0.name()));
                    break;
                }
                () = resize::sleep_until(resizes.deadline()), if resizes.deadline().is_some() => {}
                // A spinner moves only while something runs: idle, nothing is written.
                _ = tokio::time::sleep(SPINNER_TICK), if app::lookups::animating(&state) => {
                    queue.push_back(Msg::Tick(Utc::now()));
                }
                _ = watch.tick(), if app::sync::watching(&state) => {
                    if let Some(check) = app::sync::check_changes(&state) {
                        let _ = job_tx.send(check);
                    }
                }
                // An exercise's clock (and its timed injects) moves by the second.
                _ = tokio::time::sleep(until_next_second()), if app::exercise::clock_running(&state) => {
                    queue.push_back(Msg::Tick(Utc::now()));
                }
                _ = tokio::time::sleep(until_next_minute()) => {
                    let now = Utc::now();
                    // The header shows minutes: redraw only when the minute changed.
                    if now.minute() != minute {
                        minute = now.minute();
                        queue.push_back(Msg::Tick(now));
                    }
                }
            }
            continue;
        };
        // Run times and elapsed counters read the clock the key was pressed at.
        if !matches!(msg, Msg::Tick(_)) {
            state.now = Utc::now();
        }
        if let Msg::Resize(..) = msg {
            resizes.resized(std::time::Instant::now());
        }
        if matches!(msg, Msg::IncidentOpened(_) | Msg::Key(_) | Msg::Paste(_)) {
            awaiting_open = false;
        }
        let effects = app::update(&mut state, msg);
        push.follow(app::push::followed(&state));
        let copies = clipboard.len();
        let next = dispatch(effects, &job_tx, &mut executor, &mut clipboard, &attacher);
        if let (Some(mux), Some(text)) = (mux, clipboard.get(copies..).and_then(<[String]>::last)) {
            queue.push_back(Msg::CopyFiled {
                via: mux.name(),
                file: copy_to_file(text),
            });
        }
        match next {
            Next::Quit => quit = true,
            Next::Suspend => {
                suspend()?;
                // The shell drew over the screen meanwhile.
                resizes.resized(std::time::Instant::now());
            }
            Next::Continue => {}
        }
        dirty = true;
    }
    // A signal or a hang-up: what is in flight is recorded as the quit
    // key would have, before the process ends.
    if let Some(why) = &forced {
        let effects = app::quit::finish(&mut state, why);
        dispatch(effects, &job_tx, &mut executor, &mut clipboard, &attacher);
    }
    // Writes already sent finish before the terminal is given back (within
    // the signal watchdog's grace period); their confirmations may ask for
    // more (an abandoned intent's outcome), which are sent too.
    let deadline = tokio::time::Instant::now() + signals::GRACE / 2;
    while !state.pending.is_empty() {
        let Ok(Some(msg)) = tokio::time::timeout_at(deadline, msg_rx.recv()).await else {
            break;
        };
        let effects = app::update(&mut state, msg);
        for effect in effects {
            if let Effect::Record { .. } = effect {
                let _ = job_tx.send(effect);
            }
        }
    }
    drop(job_tx);
    let _ = tokio::time::timeout_at(deadline, worker).await;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(Exited {
            code: exit,
            incident: state.incident.as_ref().map(|i| i.meta.id.clone()),
        }),
    }
}

/// How often an open incident looks for other processes' commits: a
/// change shows within a second.
const WATCH_TICK: Duration = Duration::from_millis(500);

/// Spinner frame interval while a lookup, action or sign-in is in flight.
const SPINNER_TICK: Duration = Duration::from_millis(250);

fn until_next_second() -> Duration {
    let nanos = u64::from(Utc::now().timestamp_subsec_nanos());
    Duration::from_nanos(1_000_000_000u64.saturating_sub(nanos).max(1_000_000))
}

fn until_next_minute() -> Duration {
    let now = Utc::now();
    let secs = 60 - u64::from(now.second());
    Duration::from_secs(secs.max(1))
}

#[cfg(test)]
mod tests;
