//! The one loop that owns the terminal: it reads keys, feeds `update`, runs
//! the effects (store calls off the loop, in order), and draws only when
//! something changed, so an idle screen writes nothing.

pub mod backend;
pub mod clipboard;
pub mod log;
pub mod lookups;
pub mod resize;
pub mod signals;
pub mod store_backend;
pub mod terminal;
pub mod tty;

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Timelike, Utc};
use ratatui::crossterm::event::{self, Event as TermEvent, KeyEventKind};
use tokio::sync::mpsc;

use crate::app::{self, Effect, Keymap, LoadedIncident, LoadedIncidentMsg, Msg, State};
use crate::tree::Tree;
pub use backend::{Backend, MemoryBackend, Opened};
pub use store_backend::StoreBackend;

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
}

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
}

/// The backend as the store worker shares it.
pub type Shared = Arc<Mutex<Box<dyn Backend>>>;

/// Carries out one store effect and returns the message with its result.
/// Runs on a blocking thread; never touches the terminal.
pub fn run_store_effect(backend: &Shared, trees: &[Arc<Tree>], effect: Effect) -> Option<Msg> {
    let mut store = match backend.lock() {
        Ok(guard) => guard,
        // A panic inside a store call must not take the session down with it.
        Err(poisoned) => poisoned.into_inner(),
    };
    let opened = |result: Result<Opened, String>| {
        let msg = result.and_then(|opened| {
            let tree = incident_tree(&opened, trees)?;
            let scenario = incident_scenario(&opened.events, &tree);
            Ok(Box::new(LoadedIncidentMsg(LoadedIncident {
                meta: opened.meta,
                tree,
                events: opened.events,
                scenario,
            })))
        });
        Some(Msg::IncidentOpened(msg))
    };
    match effect {
        Effect::LoadIncidents => Some(Msg::IncidentsLoaded(store.list())),
        Effect::CreateIncident(new) => opened(store.create(&new)),
        Effect::OpenIncident { id } => opened(store.load(&id)),
        Effect::Record {
            req,
            incident,
            kind,
        } => Some(Msg::Recorded {
            req,
            result: store.append(&incident, kind),
        }),
        Effect::Copy(_) | Effect::Quit | Effect::Lookup(_) => None,
    }
}

/// The tree an incident walks: the copy stored with it when there is one
/// (so a changed tree file does not change a running incident), else the
/// installed tree with its id.
fn incident_tree(opened: &Opened, trees: &[Arc<Tree>]) -> Result<Arc<Tree>, String> {
    if let Some(source) = &opened.tree_source {
        let label = format!("tree of {}", opened.meta.id);
        return crate::tree::load::parse(&label, source)
            .map(Arc::new)
            .map_err(|e| format!("the tree stored with {} does not load: {e}", opened.meta.id));
    }
    trees
        .iter()
        .find(|t| t.id.value == opened.meta.tree_id)
        .cloned()
        .ok_or_else(|| {
            format!(
                "the tree '{}' of {} is not installed",
                opened.meta.tree_id, opened.meta.id
            )
        })
}

/// The scenario a training run or tabletop was started from (user
/// scenarios first, then the shipped ones), checked against the incident's
/// own tree; `None` for an incident that is not an exercise.
fn incident_scenario(
    events: &[crate::store::event::Event],
    tree: &Tree,
) -> Option<Result<Arc<crate::scenario::Scenario>, String>> {
    let id = crate::scenario::aar::scenario_id(events)?;
    let config = crate::tree::catalog::default_config_dir();
    Some(
        crate::scenario::catalog::find(id, &[tree], config.as_deref())
            .map(Arc::new)
            .map_err(|e| format!("scenario '{id}' is not available ({e}); walking without it")),
    )
}

/// Runs the screen until the responder quits; returns the exit status
/// (0, or 128 + n after signal n). Every way out restores the terminal.
pub fn run(options: Options) -> Result<i32, RuntimeError> {
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
    drop(guard);
    if let Err(e) = &result {
        log::error(format_args!("the screen stopped: {e}"));
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn event_loop(terminal: &mut terminal::Tui, options: Options) -> Result<i32, RuntimeError> {
    let size = terminal.size()?;
    let mut state = State::new(
        options.keymap,
        options.trees.clone(),
        &options.lang,
        Utc::now(),
    );
    state.size = (size.width, size.height);
    let tree_refs: Vec<&Tree> = options.trees.iter().map(|t| t.as_ref()).collect();
    let config_dir = crate::tree::catalog::default_config_dir();
    state.scenarios = crate::scenario::catalog::available(&tree_refs, config_dir.as_deref())
        .into_iter()
        .map(Arc::new)
        .collect();
    state.theme = crate::ui::theme::Theme::from_env(&crate::ui::theme::EnvSnapshot::from_process());

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
    let (job_tx, mut job_rx) = mpsc::unbounded_channel::<Effect>();
    let backend: Shared = Arc::new(Mutex::new(options.backend));
    let trees = options.trees.clone();
    let worker = tokio::spawn(async move {
        while let Some(effect) = job_rx.recv().await {
            let backend = backend.clone();
            let trees = trees.clone();
            let msg =
                tokio::task::spawn_blocking(move || run_store_effect(&backend, &trees, effect))
                    .await
                    .ok()
                    .flatten();
            if let Some(msg) = msg {
                let _ = msg_tx.send(msg);
            }
        }
    });

    // Lookups run on their own tasks; their answers come back as messages.
    let mut executor = lookups::Executor::from_default_config(lookup_tx);
    if let Some(base) = executor.graph_base() {
        state.lookups = app::lookups::Lookups::new(&base);
    }

    let mut effects = state.start();
    let opening = options.open.is_some();
    if let Some(id) = options.open {
        state.loading = true;
        effects.push(Effect::OpenIncident { id });
    }
    let mut clipboard: Vec<String> = Vec::new();
    let mut quit = dispatch(effects, &job_tx, &mut executor, &mut clipboard);
    let mut dirty = true;
    // `cairn open ID` and the exercise commands show the incident first,
    // not a flash of the home screen while it loads.
    let mut awaiting_open = opening;
    let mut minute = state.now.minute();
    let mut queue: VecDeque<Msg> = VecDeque::new();
    let mut shutdown = signals::listen()?;
    let mut exit = 0;
    let mut failure = None;
    let mut resizes = resize::ResizeDebounce::default();
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
                if let Err(e) = draw(terminal, &state, &mut clipboard) {
                    // A dead terminal: stop drawing, but let the writes finish.
                    failure = Some(e);
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
                        if let Ok(Some(signal)) = tokio::time::timeout(wait, shutdown.recv()).await {
                            exit = signal.exit_code();
                        }
                        break;
                    }
                },
                Some(msg) = msg_rx.recv() => queue.push_back(msg),
                Some(signal) = shutdown.recv() => {
                    exit = signal.exit_code();
                    break;
                }
                () = resize::sleep_until(resizes.deadline()), if resizes.deadline().is_some() => {}
                // A spinner moves only while something runs: idle, nothing is written.
                _ = tokio::time::sleep(SPINNER_TICK), if app::lookups::animating(&state) => {
                    queue.push_back(Msg::Tick(Utc::now()));
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
        let msg = with_known_scenario(msg, options.scenario.as_ref());
        if matches!(msg, Msg::IncidentOpened(_) | Msg::Key(_)) {
            awaiting_open = false;
        }
        let effects = app::update(&mut state, msg);
        quit = dispatch(effects, &job_tx, &mut executor, &mut clipboard);
        dirty = true;
    }
    // Writes already sent finish before the terminal is given back (within
    // the signal watchdog's grace period).
    drop(job_tx);
    let _ = tokio::time::timeout(signals::GRACE / 2, worker).await;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(exit),
    }
}

/// An exercise whose scenario the catalog could not find gets the one the
/// command line loaded, when the ids match.
fn with_known_scenario(msg: Msg, known: Option<&Arc<crate::scenario::Scenario>>) -> Msg {
    let (Some(known), Msg::IncidentOpened(Ok(mut loaded))) = (known, msg.clone()) else {
        return msg;
    };
    let started = crate::scenario::aar::scenario_id(&loaded.0.events);
    if matches!(loaded.0.scenario, Some(Err(_))) && started == Some(known.id.value.as_str()) {
        loaded.0.scenario = Some(Ok(known.clone()));
        return Msg::IncidentOpened(Ok(loaded));
    }
    msg
}

/// One frame, then any clipboard copies: the only writes to the terminal.
fn draw(
    terminal: &mut terminal::Tui,
    state: &State,
    clipboard: &mut Vec<String>,
) -> io::Result<()> {
    terminal.draw(|f| crate::ui::draw(f, state))?;
    for text in clipboard.drain(..) {
        let out = terminal.backend_mut();
        out.write_all(clipboard::osc52(&text).as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Sends store effects to the worker, queues clipboard writes for the next
/// draw, and reports whether the loop should end.
fn dispatch(
    effects: Vec<Effect>,
    jobs: &mpsc::UnboundedSender<Effect>,
    executor: &mut lookups::Executor,
    clipboard: &mut Vec<String>,
) -> bool {
    let mut quit = false;
    for effect in effects {
        match effect {
            Effect::Quit => quit = true,
            Effect::Copy(text) => clipboard.push(text),
            Effect::Lookup(e) => executor.execute(e),
            other => {
                let _ = jobs.send(other);
            }
        }
    }
    quit
}

/// Terminal events to messages; a run of resizes becomes its last one, so a
/// resize storm costs one layout and one draw.
pub fn to_messages(events: Vec<TermEvent>) -> Vec<Msg> {
    let mut out: Vec<Msg> = Vec::new();
    for ev in events {
        let msg = match ev {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => Msg::Key(key),
            TermEvent::Resize(w, h) => Msg::Resize(w, h),
            _ => continue,
        };
        if let (Msg::Resize(..), Some(Msg::Resize(..))) = (&msg, out.last()) {
            out.pop();
        }
        out.push(msg);
    }
    out
}

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
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn resize_storms_collapse_and_keys_survive() {
        let key = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        let events = vec![
            TermEvent::Resize(10, 10),
            TermEvent::Resize(0, 0),
            TermEvent::Resize(80, 24),
            TermEvent::Key(key),
            TermEvent::Resize(1, 1),
            TermEvent::FocusGained,
            TermEvent::Resize(100, 30),
        ];
        assert_eq!(
            to_messages(events),
            vec![Msg::Resize(80, 24), Msg::Key(key), Msg::Resize(100, 30)]
        );
    }

    #[test]
    fn store_effects_run_against_the_backend_in_order() {
        let backend: Shared = Arc::new(Mutex::new(Box::new(MemoryBackend::default())));
        let tree = crate::app::fixture::mini_tree();
        let trees = vec![tree];
        let new = app::NewIncident {
            tree_id: "mini".into(),
            title: "t".into(),
            language: "en".into(),
            mode: crate::store::event::Mode::Practice,
            variables: vec![("upn".into(), "a@b.co".into())],
            variable_source: crate::store::event::ValueSource::Typed,
            opening: Vec::new(),
        };
        let Some(Msg::IncidentOpened(Ok(loaded))) =
            run_store_effect(&backend, &trees, Effect::CreateIncident(new))
        else {
            panic!("not opened")
        };
        assert_eq!(loaded.0.events.len(), 1);
        let id = loaded.0.meta.id.clone();
        let msg = run_store_effect(
            &backend,
            &trees,
            Effect::Record {
                req: 7,
                incident: id.clone(),
                kind: crate::store::event::EventKind::NodeEntered {
                    node: "triage".into(),
                },
            },
        );
        assert!(matches!(msg, Some(Msg::Recorded { req: 7, result: Ok(ref e) }) if e.seq == 2));
        let missing = run_store_effect(&backend, &[], Effect::OpenIncident { id });
        let Some(Msg::IncidentOpened(Err(e))) = missing else {
            panic!()
        };
        assert!(e.contains("not installed"), "{e}");
    }
}
