//! Colours and styles, chosen from what the terminal says it supports.
//!
//! Terminals over SSH and tmux often lose `COLORTERM`, and crossterm sends
//! 24-bit colour whenever it is asked to, so the capability is decided here
//! from the environment and the theme never asks for more. `NO_COLOR`
//! (non-empty, see no-color.org) turns colour off entirely. Every state
//! (selected, mandatory, error, LIVE...) also carries a modifier such as
//! bold or reverse, so nothing is shown by colour alone.

use ratatui::style::{Color, Modifier, Style};

/// The environment variables that decide colour, captured once at start so
/// the theme is a pure function of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSnapshot {
    pub no_color: Option<String>,
    pub colorterm: Option<String>,
    pub term: Option<String>,
}

impl EnvSnapshot {
    pub fn from_process() -> Self {
        let get = |name| std::env::var(name).ok();
        Self {
            no_color: get("NO_COLOR"),
            colorterm: get("COLORTERM"),
            term: get("TERM"),
        }
    }
}

/// How many colours the theme may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorSupport {
    /// No colour codes at all (NO_COLOR, or `TERM=dumb`).
    None,
    /// The 16 ANSI colours: safe on linux console, xterm, screen, tmux.
    Ansi16,
    /// The 256-colour palette (`TERM` ends in `256color`).
    Indexed256,
    /// 24-bit RGB (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
}

impl ColorSupport {
    pub fn detect(env: &EnvSnapshot) -> Self {
        if env.no_color.as_deref().is_some_and(|v| !v.is_empty()) {
            return Self::None;
        }
        let term = env.term.as_deref().unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return Self::None;
        }
        let colorterm = env.colorterm.as_deref().unwrap_or("").to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Self::TrueColor;
        }
        if term.contains("256color") {
            return Self::Indexed256;
        }
        Self::Ansi16
    }
}

/// The named styles every screen draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub support: ColorSupport,
    /// The top bar: incident, tree, phase, clock.
    pub header: Style,
    /// The node title.
    pub title: Style,
    /// The LIVE badge: a real tenant is being touched.
    pub badge_live: Style,
    /// The PRACTICE badge (practice, tabletop, training).
    pub badge_practice: Style,
    /// The highlighted row of a list or table.
    pub selected: Style,
    /// A mandatory checklist item that is still open.
    pub mandatory: Style,
    /// Secondary text: hints, breadcrumbs of the past, timestamps.
    pub muted: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    /// Keys in the footer and help (`q`, `Enter`).
    pub key: Style,
    /// Inline code and rendered queries.
    pub code: Style,
    /// `**bold**` in tree bodies.
    pub strong: Style,
    pub border: Style,
}

/// Monochrome: what tests and snapshots draw with.
impl Default for Theme {
    fn default() -> Self {
        Self::new(ColorSupport::None)
    }
}

impl Theme {
    pub fn from_env(env: &EnvSnapshot) -> Self {
        Self::new(ColorSupport::detect(env))
    }

    pub fn new(support: ColorSupport) -> Self {
        let p = Palette::for_support(support);
        let fg = |c: Option<Color>| match c {
            Some(c) => Style::new().fg(c),
            None => Style::new(),
        };
        let on = |f: Option<Color>, b: Option<Color>| {
            let s = fg(f);
            match b {
                Some(b) => s.bg(b),
                None => s,
            }
        };
        let bold = Modifier::BOLD;
        let code = if support == ColorSupport::None {
            Style::new().add_modifier(Modifier::UNDERLINED)
        } else {
            fg(p.code)
        };
        Self {
            support,
            header: on(p.header_fg, p.header_bg).add_modifier(bold),
            title: fg(p.accent).add_modifier(bold),
            // Reverse video turns the colour into the badge background and
            // still marks the badge when there is no colour.
            badge_live: fg(p.live).add_modifier(bold | Modifier::REVERSED),
            badge_practice: fg(p.practice).add_modifier(Modifier::REVERSED),
            selected: fg(p.accent).add_modifier(bold | Modifier::REVERSED),
            mandatory: fg(p.warning).add_modifier(bold),
            muted: fg(p.muted).add_modifier(Modifier::DIM),
            error: fg(p.error).add_modifier(bold),
            warning: fg(p.warning).add_modifier(bold),
            ok: fg(p.ok).add_modifier(bold),
            key: fg(p.accent).add_modifier(bold),
            code,
            strong: Style::new().add_modifier(bold),
            border: fg(p.muted),
        }
    }
}

/// The colours of one capability level; `None` means "terminal default".
struct Palette {
    accent: Option<Color>,
    muted: Option<Color>,
    error: Option<Color>,
    warning: Option<Color>,
    ok: Option<Color>,
    code: Option<Color>,
    live: Option<Color>,
    practice: Option<Color>,
    header_fg: Option<Color>,
    header_bg: Option<Color>,
}

impl Palette {
    fn for_support(support: ColorSupport) -> Self {
        use Color::*;
        match support {
            ColorSupport::None => Self {
                accent: None,
                muted: None,
                error: None,
                warning: None,
                ok: None,
                code: None,
                live: None,
                practice: None,
                header_fg: None,
                header_bg: None,
            },
            ColorSupport::Ansi16 => Self {
                accent: Some(Cyan),
                muted: Some(DarkGray),
                error: Some(LightRed),
                warning: Some(Yellow),
                ok: Some(Green),
                code: Some(Yellow),
                live: Some(Red),
                practice: Some(Blue),
                header_fg: Some(Black),
                header_bg: Some(Gray),
            },
            ColorSupport::Indexed256 => Self {
                accent: Some(Indexed(74)),
                muted: Some(Indexed(244)),
                error: Some(Indexed(203)),
                warning: Some(Indexed(214)),
                ok: Some(Indexed(114)),
                code: Some(Indexed(180)),
                live: Some(Indexed(160)),
                practice: Some(Indexed(25)),
                header_fg: Some(Indexed(16)),
                header_bg: Some(Indexed(250)),
            },
            ColorSupport::TrueColor => Self {
                accent: Some(Rgb(95, 175, 215)),
                muted: Some(Rgb(128, 128, 128)),
                error: Some(Rgb(255, 95, 95)),
                warning: Some(Rgb(255, 175, 0)),
                ok: Some(Rgb(135, 215, 135)),
                code: Some(Rgb(215, 175, 135)),
                live: Some(Rgb(215, 0, 0)),
                practice: Some(Rgb(0, 95, 175)),
                header_fg: Some(Rgb(0, 0, 0)),
                header_bg: Some(Rgb(188, 188, 188)),
            },
        }
    }
}

#[cfg(test)]
#[path = "theme_tests.rs"]
mod tests;
