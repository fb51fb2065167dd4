//! Drives the app like the runtime does, without a terminal.

use std::sync::{Arc, Mutex};

use ratatui::crossterm::event::KeyCode;

use cairn::app::lookups::{LookupEffect, LookupMsg, Source};
use cairn::app::{Keymap, Msg, State};
use cairn::runtime::lookups;
use cairn::runtime::{Backend, MemoryBackend, Shared};
use cairn::test_app::{Handled, Lookups, TestApp};
use cairn::tree::{Tree, load};
use chrono::{DateTime, TimeDelta, Utc};

pub use cairn::test_app::{render, render_styles};

/// 2026-11-26 03:00 UTC: a night shift.
pub fn clock() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The trees in the repository's `trees/` (what the binary ships), read from
/// disk: the embedded copy depends on a build script whose output a shared
/// target directory may hold from another checkout.
pub fn shipped_trees() -> Vec<Arc<Tree>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("trees");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            Arc::new(load::parse(&p.display().to_string(), &text).expect("shipped tree loads"))
        })
        .collect()
}

/// The SQLite store in `dir`, with the repository's trees installed.
pub fn sqlite(dir: &std::path::Path) -> Box<dyn Backend> {
    let store = cairn::store::Store::open(dir).unwrap();
    let sources = shipped_trees()
        .iter()
        .map(|t| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("trees")
                .join(format!("{}.toml", t.id.value));
            let text = std::fs::read_to_string(path).unwrap();
            (t.id.value.clone(), t.version.clone(), text)
        })
        .collect::<Vec<_>>();
    Box::new(cairn::runtime::StoreBackend::new(store, sources))
}

/// Lookups as the runtime's executor answers them for a practice incident:
/// the shipped recordings through the same functions.
pub struct Practice {
    /// Keep lookup runs in flight (in `others`) instead of answering them.
    pub hold: bool,
}

impl Lookups for Practice {
    fn handle(&mut self, effect: LookupEffect) -> Handled {
        match effect {
            LookupEffect::Run {
                run,
                request,
                source,
                ..
            } if !self.hold => {
                let backend = lookups::backend_for(&source, &Err("no tenant in tests".into()))
                    .expect("practice data for the shipped tree");
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let msg = rt.block_on(lookups::run_lookup(&backend, run, request, None));
                Handled::Answer(Msg::Lookup(msg))
            }
            LookupEffect::Act {
                run,
                request,
                source: Source::Practice { .. },
                ..
            } => {
                let report = cairn::lookup::action::simulate(&request);
                Handled::Answer(Msg::Lookup(LookupMsg::ActionDone { run, report }))
            }
            other => Handled::Kept(other),
        }
    }
}

/// The app on the shipped trees with practice lookups.
pub struct Driver {
    pub app: TestApp<Practice>,
    /// The store's clock, when the test moves it (see `MemoryBackend::now`).
    pub clock: Option<Arc<Mutex<DateTime<Utc>>>>,
}

cairn::wraps_test_app!(Driver, Practice);

impl Driver {
    pub fn new(lang: &str) -> Driver {
        Driver::with_backend(lang, Box::new(MemoryBackend::with_clock(clock())))
    }

    pub fn with_backend(lang: &str, backend: Box<dyn Backend>) -> Driver {
        Driver::with_shared(lang, Arc::new(Mutex::new(backend)))
    }

    /// A second session on the same store, as after quitting and relaunching.
    pub fn with_shared(lang: &str, store: Shared) -> Driver {
        let trees = shipped_trees();
        let mut state = State::new(
            Keymap::load(None).unwrap(),
            trees.clone(),
            lang,
            clock() + TimeDelta::minutes(42),
        );
        let effects = state.start();
        let mut app = TestApp {
            state,
            store,
            trees,
            others: Vec::new(),
            lookups: Practice { hold: false },
        };
        app.run(effects);
        Driver { app, clock: None }
    }

    /// A practice incident on the token-theft tree, at its first node.
    pub fn practice(lang: &str) -> Driver {
        let mut d = Driver::new(lang);
        d.keys("p");
        d
    }

    /// Moves the walk to `node` as a responder would from the map: a jump
    /// with a reason, an outcome confirmed (or a backtrack, or nothing).
    pub fn go_to(&mut self, node: &str) {
        let effects = cairn::app::jump_to(&mut self.state, node);
        self.run(effects);
        self.finish_jump();
    }

    /// On the jump screen: gives a reason and confirms an outcome.
    pub fn finish_jump(&mut self) {
        if matches!(self.state.screen, cairn::app::Screen::Jump(_)) {
            self.keys("to test this node");
            self.key(KeyCode::Enter);
            if self.state.dialog.is_some() {
                self.keys("y");
            }
        }
    }
}
