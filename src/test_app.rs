//! One driver of the app for Cairn's own tests (the `test-hooks` feature):
//! messages through `update`, store effects through the runtime's
//! `run_store_effect`, lookups to whatever executor the test supplies.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use crate::app::lookups::LookupEffect;
use crate::app::{Effect, Msg, State, update};
use crate::runtime::{Shared, run_store_effect};
use crate::store::event::EventKind;
use crate::tree::Tree;

/// What a test's lookup executor did with a lookup effect.
pub enum Handled {
    /// Answered at once: the message goes back to `update`.
    Answer(Msg),
    /// Taken (an executor answers later, through the test's channel).
    Taken,
    /// Left to the test: kept in `others`.
    Kept(LookupEffect),
}

/// Carries out lookup effects for a `TestApp`.
pub trait Lookups {
    fn handle(&mut self, effect: LookupEffect) -> Handled;
}

/// Lets a test's wrapper (`$outer { app: TestApp<$lookups>, .. }`) be used
/// as its `TestApp`.
#[macro_export]
macro_rules! wraps_test_app {
    ($outer:ty, $lookups:ty) => {
        impl std::ops::Deref for $outer {
            type Target = $crate::test_app::TestApp<$lookups>;
            fn deref(&self) -> &Self::Target {
                &self.app
            }
        }
        impl std::ops::DerefMut for $outer {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.app
            }
        }
    };
}

/// The runtime's loop without a terminal.
pub struct TestApp<L> {
    pub state: State,
    pub store: Shared,
    pub trees: Vec<Arc<Tree>>,
    /// Effects neither the store nor `lookups` carried out (copy, quit), in order.
    pub others: Vec<Effect>,
    pub lookups: L,
}

impl<L: Lookups> TestApp<L> {
    /// Feeds a message to `update` and carries out its effects like the runtime.
    pub fn send(&mut self, msg: Msg) {
        let effects = update(&mut self.state, msg);
        self.run(effects);
    }

    /// Runs effects like the runtime: store calls in order, results fed back.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Copy(_) | Effect::Quit => self.others.push(effect),
                Effect::Lookup(e) => match self.lookups.handle(e) {
                    Handled::Answer(msg) => self.send(msg),
                    Handled::Taken => {}
                    Handled::Kept(e) => self.others.push(Effect::Lookup(e)),
                },
                store => {
                    if let Some(msg) = run_store_effect(&self.store, &self.trees, store) {
                        self.send(msg);
                    }
                }
            }
        }
    }

    /// Types each character as a key press.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.send(key(c));
        }
    }

    pub fn key(&mut self, c: KeyCode) {
        self.send(code(c));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(ctrl(c));
    }
}

/// The press of character `c`.
pub fn key(c: char) -> Msg {
    code(KeyCode::Char(c))
}

pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

impl<L> TestApp<L> {
    /// The events the store holds for `id`.
    pub fn events(&self, id: &str) -> Vec<EventKind> {
        let opened = self.store.lock().unwrap().load(id).unwrap();
        opened.events.into_iter().map(|e| e.kind).collect()
    }

    /// The open incident's node, or "" on the home screen.
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
        .draw(|f| crate::ui::draw(f, state, &Default::default()))
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
    theme: &crate::ui::theme::Theme,
    rows: std::ops::Range<u16>,
) -> String {
    let (w, h) = (80, 24);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::ui::draw(f, state, theme)).unwrap();
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
