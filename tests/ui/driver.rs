//! Drives the app like the runtime does, without a terminal.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use cairn::app::lookups::{LookupEffect, LookupMsg, Source};
use cairn::app::{Effect, Keymap, Msg, State, update};
use cairn::runtime::lookups;
use cairn::runtime::{Backend, MemoryBackend, Shared, run_store_effect};
use cairn::store::event::EventKind;
use cairn::tree::{Tree, load};

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

pub struct Driver {
    pub state: State,
    pub backend: Shared,
    pub trees: Vec<Arc<Tree>>,
    /// Effects other than store calls (copy, quit), in order.
    pub others: Vec<Effect>,
    /// Keep lookup runs in flight (in `others`) instead of answering them.
    pub hold_lookups: bool,
    /// The store's clock, when the test moves it (see `MemoryBackend::now`).
    pub clock: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Driver {
    pub fn new(lang: &str) -> Driver {
        Driver::with_backend(lang, Box::new(MemoryBackend::with_clock(clock())))
    }

    pub fn with_backend(lang: &str, backend: Box<dyn Backend>) -> Driver {
        Driver::with_shared(lang, Arc::new(Mutex::new(backend)))
    }

    /// A second session on the same store, as after quitting and relaunching.
    pub fn with_shared(lang: &str, backend: Shared) -> Driver {
        let trees = shipped_trees();
        let mut state = State::new(
            Keymap::load(None).unwrap(),
            trees.clone(),
            lang,
            clock() + TimeDelta::minutes(42),
        );
        let effects = state.start();
        let mut d = Driver {
            state,
            backend,
            trees,
            others: Vec::new(),
            hold_lookups: false,
            clock: None,
        };
        d.run(effects);
        d
    }

    /// A practice incident on the token-theft tree, at its first node.
    pub fn practice(lang: &str) -> Driver {
        let mut d = Driver::new(lang);
        d.keys("p");
        d
    }

    pub fn send(&mut self, msg: Msg) {
        let effects = update(&mut self.state, msg);
        self.run(effects);
    }

    /// Runs effects like the runtime: store calls in order, results fed back.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Copy(_) | Effect::Quit => self.others.push(effect),
                Effect::Lookup(e) => self.lookup(e),
                store => {
                    if let Some(msg) = run_store_effect(&self.backend, &self.trees, store) {
                        self.send(msg);
                    }
                }
            }
        }
    }

    /// Lookups as the runtime's executor answers them for a practice
    /// incident: the shipped recordings through the same functions.
    fn lookup(&mut self, effect: LookupEffect) {
        match effect {
            LookupEffect::Run {
                run,
                request,
                source,
                ..
            } if !self.hold_lookups => {
                let backend = lookups::backend_for(&source, &Err("no tenant in tests".into()))
                    .expect("practice data for the shipped tree");
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let msg = rt.block_on(lookups::run_lookup(&backend, run, request, None));
                self.send(Msg::Lookup(msg));
            }
            LookupEffect::Act {
                run,
                request,
                source: Source::Practice { .. },
                ..
            } => {
                let report = cairn::lookup::action::simulate(&request);
                self.send(Msg::Lookup(LookupMsg::ActionDone { run, report }));
            }
            other => self.others.push(Effect::Lookup(other)),
        }
    }

    /// Types each character as a key press.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    /// The events the store holds for `id`.
    pub fn events(&self, id: &str) -> Vec<EventKind> {
        let opened = self.backend.lock().unwrap().load(id).unwrap();
        opened.events.into_iter().map(|e| e.kind).collect()
    }

    pub fn current(&self) -> String {
        self.state
            .incident
            .as_ref()
            .map(|i| i.current_node_id().to_string())
            .unwrap_or_default()
    }

    pub fn screen(&self) -> String {
        render(&self.state, 80, 24)
    }
}

/// The screen as text, one line per row; the second cell of a wide
/// character is skipped, and anything drawn over it is flagged.
pub fn render(state: &State, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| cairn::ui::draw(f, state, &Default::default()))
        .unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..w {
            let symbol = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                assert_eq!(symbol, " ", "cell ({x},{y}) drawn over a wide character");
                continue;
            }
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The rows `rows` of the screen drawn in `theme`, each followed by its
/// styled runs (`  3..12 fg=Cyan +BOLD`): what a text snapshot cannot show,
/// that the badge, the selection and the warnings are marked.
pub fn render_styles(
    state: &State,
    theme: &cairn::ui::theme::Theme,
    rows: std::ops::Range<u16>,
) -> String {
    let (w, h) = (80, 24);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| cairn::ui::draw(f, state, theme)).unwrap();
    let buf = terminal.backend().buffer();
    let text = render(state, w, h);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for y in rows {
        out.push_str(&format!("{y:2}|{}\n", lines[y as usize]));
        let mut x = 0;
        while x < w {
            let style = buf[(x, y)].style();
            let start = x;
            while x < w && buf[(x, y)].style() == style {
                x += 1;
            }
            let mut parts = Vec::new();
            if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
                parts.push(format!("fg={fg:?}"));
            }
            if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
                parts.push(format!("bg={bg:?}"));
            }
            for (name, _) in style.add_modifier.iter_names() {
                parts.push(format!("+{name}"));
            }
            if !parts.is_empty() {
                out.push_str(&format!("  {start}..{x} {}\n", parts.join(" ")));
            }
        }
    }
    out
}
