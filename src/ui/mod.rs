//! Rendering: pure functions from state to a frame. No I/O here; the
//! runtime's draw is the only place that writes to the terminal. This file
//! picks the screen to draw and holds the shared text and box helpers; the
//! header, status line, footer and dialogs around every screen are in
//! `chrome`.

pub(crate) mod action_screens;
pub(crate) mod approval;
pub(crate) mod chrome;
pub(crate) mod detail;
pub(crate) mod editors;
pub(crate) mod exercise;
pub(crate) mod facilitator;
pub(crate) mod footer;
pub(crate) mod home;
pub(crate) mod home_close;
pub(crate) mod i18n;
pub(crate) mod jump;
pub(crate) mod lists;
pub(crate) mod lookup_text;
pub(crate) mod lookups;
pub(crate) mod markdown;
pub(crate) mod markers;
pub(crate) mod node;
pub(crate) mod results;
pub(crate) mod run_history;
pub(crate) mod scorecard;
pub mod theme;
pub mod timeline;
pub(crate) mod wrap;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{Context, Screen, State};
use crate::text::{Medium, visible};
use chrome::{draw_dialog, draw_status};
pub use chrome::{draw_header, elapsed, popup};
use footer::draw_footer;
use i18n::{S, t};
use theme::Theme;

pub use crate::app::screen::{MIN_HEIGHT, MIN_WIDTH};

/// Every piece of tree or store text goes through here before it is drawn,
/// so control, invisible and direction-changing characters are shown as
/// visible markers instead of reaching the terminal. Line breaks stay (the
/// callers wrap by line; one-line places cut with `wrap::cut`, which shows
/// them).
pub fn safe(text: &str) -> Cow<'_, str> {
    visible(text, Medium::ScreenLines)
}

/// Box borders in ASCII: line-drawing characters are ambiguous-width and
/// some CJK terminals draw them two cells wide, breaking every box.
pub const ASCII_BORDER: ratatui::symbols::border::Set<'static> = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// Styles for places drawn without the theme (inputs, popups): modifiers
/// only, which read the same with and without colour.
pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The cell of a text field's insertion point. Blinking like a cursor, and
/// the one style nothing else draws with: after a frame is drawn the
/// terminal cursor is placed on it, so an input method's composition
/// appears where the text goes.
pub fn input_cursor() -> Style {
    selected().add_modifier(Modifier::SLOW_BLINK)
}

/// Shows the terminal cursor on the insertion point drawn in this frame,
/// when a text field has one (hidden otherwise).
fn place_cursor(frame: &mut Frame) {
    let buffer = frame.buffer_mut();
    let area = buffer.area;
    let at = area.positions().find(|p| {
        buffer
            .cell(*p)
            .is_some_and(|c| c.modifier.contains(Modifier::SLOW_BLINK))
    });
    if let Some(p) = at {
        frame.set_cursor_position(p);
    }
}

/// One line of a list with a cursor: drawn selected when it is the
/// cursor's.
pub fn item_line(text: String, selected: bool, th: &theme::Theme) -> Line<'static> {
    if selected {
        Line::styled(text, th.selected)
    } else {
        Line::from(text)
    }
}

pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn bordered() -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(ASCII_BORDER)
}

/// What every screen is drawn from: the state `update` keeps and the theme
/// the runtime chose at start. The theme lives here, not in `State`, because
/// `app` knows no screen; `Deref` lets the draw functions read the state's
/// fields as before.
pub struct Scene<'a> {
    pub state: &'a State,
    pub theme: Theme,
}

impl std::ops::Deref for Scene<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        self.state
    }
}

/// Draws the whole screen for `state` in `theme`.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let state = &Scene {
        state,
        theme: *theme,
    };
    let area = frame.area();
    let lang = state.language();
    if crate::app::screen::too_small((area.width, area.height)) {
        too_small(frame, area, lang);
        return;
    }
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    match &state.screen {
        Screen::Home(view) => home::draw_home(frame, main, state, view),
        Screen::NewIncident(form) => home::draw_form(frame, main, state, form),
        Screen::Node(view) => node::draw(frame, main, state, view),
        Screen::Map(view) => lists::draw_map(frame, main, state, view),
        Screen::Search(view) => lists::draw_search(frame, main, state, view),
        Screen::Help(view) => lists::draw_help(frame, main, state, view),
        Screen::Detail(view) => detail::draw(frame, main, state, view),
        Screen::NoteEditor(editor) => editors::draw_note(frame, main, state, editor),
        Screen::Reason(editor) => editors::draw_reason(frame, main, state, editor),
        Screen::Variables(view) => editors::draw_variables(frame, main, state, view),
        Screen::RunForm(form) => lookups::draw_form(frame, main, state, form),
        Screen::Results(view) => results::draw(frame, main, state, view),
        Screen::Action(view) => action_screens::draw_action(frame, main, state, view),
        Screen::SignIn(view) => action_screens::draw_sign_in(frame, main, state, view),
        Screen::Feedback(view) => exercise::draw_feedback(frame, main, state, view),
        Screen::Panel(view) => exercise::draw_panel(frame, main, state, view),
        Screen::Timeline(view) => timeline::draw(frame, main, state, view),
        Screen::Jump(view) => jump::draw(frame, main, state, view),
    }
    draw_status(frame, status, state);
    draw_footer(frame, footer, state);
    if state.context() == Context::Inject {
        exercise::draw_overlay(frame, main, state);
    }
    if let Some(dialog) = &state.dialog {
        draw_dialog(&state.theme, frame, main, lang, dialog);
    }
    markers::highlight(frame.buffer_mut(), area, state.theme.warning);
    place_cursor(frame);
}

fn too_small(frame: &mut Frame, area: Rect, lang: &str) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = format!(
        "{} ({}x{} < {MIN_WIDTH}x{MIN_HEIGHT})",
        t(lang, S::TooSmall),
        area.width,
        area.height
    );
    let lines: Vec<Line> = wrap::wrap(&text, area.width as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Rows `scroll..` of `lines` that keep row `focus` visible in `height` rows.
pub fn scroll_to(focus: usize, height: usize, current: usize) -> usize {
    if height == 0 {
        return 0;
    }
    if focus < current {
        focus
    } else if focus >= current + height {
        focus + 1 - height
    } else {
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_makes_control_and_bidi_characters_visible() {
        assert_eq!(safe("plain 日本"), "plain 日本");
        assert_eq!(safe("a\u{1b}[2Jb"), "a<U+001B>[2Jb");
        assert_eq!(safe("x\u{202E}y\u{200B}"), "x<U+202E>y<U+200B>");
        assert_eq!(safe("l1\nl2"), "l1\nl2");
    }

    #[test]
    fn elapsed_reads_in_minutes_hours_days() {
        assert_eq!(elapsed(chrono::TimeDelta::minutes(7)), "7m");
        assert_eq!(elapsed(chrono::TimeDelta::minutes(125)), "2h 05m");
        assert_eq!(elapsed(chrono::TimeDelta::minutes(1500)), "1d 01h");
        assert_eq!(elapsed(chrono::TimeDelta::minutes(-3)), "0m");
    }
}

#[cfg(test)]
mod cursor_tests;
#[cfg(test)]
mod reach_tests;
#[cfg(test)]
mod screen_tests;
