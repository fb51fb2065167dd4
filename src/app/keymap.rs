//! Key bindings as data: `assets/keymap.toml`, overridable per action from
//! the user's config directory. Conflicts are errors, reported with the file
//! and line, so a typo in a user file never silently steals a key. The
//! contexts bindings belong to are in `context`, key names in `key`.

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyEvent;
use serde_spanned::Spanned;

pub use super::context::Context;
pub use super::key::Key;

const DEFAULT_FILE: &str = "assets/keymap.toml";

/// The keymap shipped with Cairn.
pub fn default_keymap() -> &'static str {
    crate::assets::file(DEFAULT_FILE).expect("build.rs embeds every file of assets/")
}

macro_rules! actions {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// A named thing a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    Quit = "quit",
    Suspend = "suspend",
    Help = "help",
    Up = "up",
    Down = "down",
    Left = "left",
    Right = "right",
    PageUp = "page-up",
    PageDown = "page-down",
    Select = "select",
    Toggle = "toggle",
    Choose1 = "choose-1",
    Choose2 = "choose-2",
    Choose3 = "choose-3",
    Choose4 = "choose-4",
    Choose5 = "choose-5",
    Choose6 = "choose-6",
    Choose7 = "choose-7",
    Choose8 = "choose-8",
    Choose9 = "choose-9",
    ChooseWithReason = "choose-with-reason",
    Backtrack = "backtrack",
    Copy = "copy",
    Map = "map",
    Search = "search",
    Note = "note",
    Variables = "variables",
    Language = "language",
    Home = "home",
    Back = "back",
    NewIncident = "new-incident",
    Practice = "practice",
    Refresh = "refresh",
    NextField = "next-field",
    PrevField = "prev-field",
    Submit = "submit",
    Cancel = "cancel",
    Save = "save",
    Attach = "attach",
    AttachSentinel = "attach-sentinel",
    Yes = "yes",
    No = "no",
    Run = "run",
    RunAll = "run-all",
    Results = "results",
    First = "first",
    Last = "last",
    Filter = "filter",
    Sort = "sort",
    Bind = "bind",
    CopyRow = "copy-row",
    CopyQuery = "copy-query",
    SaveFile = "save-file",
    Verify = "verify",
    SignIn = "sign-in",
    Hint = "hint",
    Exercise = "exercise",
    ReleaseInject = "release-inject",
    Tag = "tag",
    Reopen = "reopen",
    Timeline = "timeline",
    NodeFilter = "node-filter",
    Retry = "retry",
    Pause = "pause",
    EndExercise = "end-exercise",
    History = "history",
    MarkEvidence = "mark-evidence",
    CloseIncident = "close-incident",
}

impl Action {
    /// For `choose-N`, the 0-based choice index.
    pub fn choice_index(self) -> Option<usize> {
        let n = self.name().strip_prefix("choose-")?;
        n.parse::<usize>().ok().map(|n| n - 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Resolved bindings: per context, key to action, and action to keys (for help).
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<(Context, Key), Action>,
    keys: BTreeMap<(Context, Action), Vec<Key>>,
}

type RawFile = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Vec<Spanned<String>>>>;

/// Where a binding was written, for conflict messages.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    line: usize,
}

impl Keymap {
    /// The shipped keymap, with a user file's actions replacing the defaults.
    pub fn load(user: Option<(&str, &str)>) -> Result<Keymap, KeymapError> {
        let mut entries = parse_file(DEFAULT_FILE, default_keymap())?;
        if let Some((file, text)) = user {
            for (slot, value) in parse_file(file, text)? {
                entries.insert(slot, value);
            }
        }
        let mut map = Keymap::default();
        let mut origins: BTreeMap<(Context, Key), (Action, Origin)> = BTreeMap::new();
        for ((ctx, action), keys) in entries {
            for (key, origin) in keys {
                if let Some((other, first)) = origins.get(&(ctx, key)) {
                    if *other != action {
                        // Point at the user's file when it is one side of the conflict.
                        let (here, there, a, b) = if origin.file != DEFAULT_FILE {
                            (origin, first.clone(), action, *other)
                        } else {
                            (first.clone(), origin, *other, action)
                        };
                        return Err(KeymapError {
                            message: format!(
                                "key '{key}' in [{}] is bound to '{}' here and to '{}' at {}:{}",
                                ctx.name(),
                                a.name(),
                                b.name(),
                                there.file,
                                there.line,
                            ),
                            file: here.file,
                            line: here.line,
                        });
                    }
                    continue;
                }
                origins.insert((ctx, key), (action, origin));
                map.bindings.insert((ctx, key), action);
                map.keys.entry((ctx, action)).or_default().push(key);
            }
        }
        Ok(map)
    }

    /// The action `ev` triggers in `ctx`, falling back to the global bindings.
    pub fn resolve(&self, ctx: Context, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev)?;
        if let Some(a) = self.bindings.get(&(ctx, key)) {
            return Some(*a);
        }
        if ctx.takes_text() && key.is_printable() {
            return None;
        }
        self.bindings.get(&(Context::Global, key)).copied()
    }

    /// The keys bound to `action` in `ctx` (or globally), for hints and help.
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<Key> {
        self.keys
            .get(&(ctx, action))
            .or_else(|| self.keys.get(&(Context::Global, action)))
            .cloned()
            .unwrap_or_default()
    }

    /// Every binding of a context, in action order, for the help screen.
    pub fn bindings_of(&self, ctx: Context) -> Vec<(Action, Vec<Key>)> {
        self.keys
            .iter()
            .filter(|((c, _), _)| *c == ctx)
            .map(|((_, a), keys)| (*a, keys.clone()))
            .collect()
    }
}

type Entries = BTreeMap<(Context, Action), Vec<(Key, Origin)>>;

fn parse_file(file: &str, text: &str) -> Result<Entries, KeymapError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let err = |offset: usize, message: String| KeymapError {
        file: file.to_string(),
        line: line_of(offset),
        message,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        err(offset, e.message().trim().to_string())
    })?;
    let mut entries = Entries::new();
    for (ctx_name, actions) in raw {
        let ctx = Context::parse(ctx_name.get_ref()).ok_or_else(|| {
            err(
                ctx_name.span().start,
                format!("unknown context [{}]", ctx_name.get_ref()),
            )
        })?;
        for (action_name, keys) in actions {
            let action = Action::parse(action_name.get_ref()).ok_or_else(|| {
                err(
                    action_name.span().start,
                    format!("unknown action '{}'", action_name.get_ref()),
                )
            })?;
            let mut parsed = Vec::new();
            for key in keys {
                let k = Key::parse(key.get_ref()).ok_or_else(|| {
                    err(
                        key.span().start,
                        format!("'{}' is not a key", key.get_ref()),
                    )
                })?;
                let origin = Origin {
                    file: file.to_string(),
                    line: line_of(key.span().start),
                };
                parsed.push((k, origin));
            }
            entries.insert((ctx, action), parsed);
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn default_keymap_loads_and_resolves() {
        let km = Keymap::load(None).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.resolve(Context::Node, &ev(KeyCode::Char('j'), none)),
            Some(Action::Down)
        );
        assert_eq!(
            km.resolve(Context::Node, &ev(KeyCode::Char('L'), KeyModifiers::SHIFT)),
            Some(Action::Language)
        );
        assert_eq!(
            km.resolve(
                Context::Notes,
                &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
        // Typed text is not a command where text is entered.
        assert_eq!(
            km.resolve(Context::Notes, &ev(KeyCode::Char('q'), none)),
            None
        );
        // Global bindings apply everywhere.
        assert_eq!(
            km.resolve(
                Context::Notes,
                &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
    }

    #[test]
    fn user_file_replaces_an_action_and_conflicts_name_file_and_line() {
        let ok = Keymap::load(Some(("user.toml", "[node]\ndown = [\"s\"]\n"))).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            ok.resolve(Context::Node, &ev(KeyCode::Char('s'), none)),
            Some(Action::Down)
        );
        assert_eq!(
            ok.resolve(Context::Node, &ev(KeyCode::Char('j'), none)),
            None
        );

        let bad = Keymap::load(Some(("user.toml", "[node]\n\nbacktrack = [\"m\"]\n"))).unwrap_err();
        assert_eq!(bad.file, "user.toml");
        assert_eq!(bad.line, 3);
        assert!(bad.message.contains("'m'"), "{}", bad.message);
        assert!(bad.message.contains("map"), "{}", bad.message);
    }

    #[test]
    fn bad_names_are_errors_with_lines() {
        let e = Keymap::load(Some(("u.toml", "[node]\nfly = [\"f\"]\n"))).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "unknown action 'fly'"));
        let e = Keymap::load(Some(("u.toml", "[nod]\n"))).unwrap_err();
        assert_eq!(e.line, 1);
        let e = Keymap::load(Some(("u.toml", "[node]\nup = [\"hyper+x\"]\n"))).unwrap_err();
        assert!(e.message.contains("not a key"));
        let e = Keymap::load(Some(("u.toml", "[node\n"))).unwrap_err();
        assert_eq!(e.file, "u.toml");
    }

    /// The README's key table is the shipped keymap: every binding of the
    /// contexts it lists, and nothing else.
    #[test]
    fn the_readme_key_table_matches_the_keymap() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("<!-- keys:start -->")
            .nth(1)
            .and_then(|rest| rest.split("<!-- keys:end -->").next())
            .expect("README has a key table between keys:start and keys:end");
        let rows: Vec<String> = table
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(str::to_string)
            .collect();
        let km = Keymap::load(None).unwrap();
        let mut expected = Vec::new();
        for ctx in [
            Context::Global,
            Context::Home,
            Context::Node,
            Context::Results,
            Context::RunHistory,
        ] {
            for (action, keys) in km.bindings_of(ctx) {
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                expected.push(format!(
                    "| `{}` | `{}` | {} |",
                    ctx.name(),
                    action.name(),
                    keys.join(", ")
                ));
            }
        }
        assert_eq!(rows, expected, "expected table:\n{}", expected.join("\n"));
    }
}
