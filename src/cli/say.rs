//! The CLI's own words: every message a command prints itself comes from
//! the catalogues' `[cli]` table, in the language `--lang` names, else the
//! locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders
//! them), else English.

use std::sync::OnceLock;

use crate::text::lang::Lang;

/// The catalogues' table of the CLI's messages.
const CLI: &str = "cli";

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// The language of `--lang` (when given) or of the locale `var` reads.
pub fn resolve(flag: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(flag) = flag.filter(|f| !f.trim().is_empty()) {
        return Lang::of(flag);
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|v| !v.trim().is_empty())
        .map_or(Lang::EN, |v| Lang::of(&v))
}

/// Fixes the process's language for the CLI's messages (and the screen's
/// outside an incident), once, at start.
pub fn choose(flag: Option<&str>) -> Lang {
    let lang = resolve(flag, |name| std::env::var(name).ok());
    *CHOSEN.get_or_init(|| lang)
}

/// The language chosen at start (English before that).
pub fn lang() -> Lang {
    CHOSEN.get().copied().unwrap_or(Lang::EN)
}

/// The message `key`.
pub fn text(key: &str) -> &'static str {
    lang().text(CLI, key)
}

/// The message `key` with each `{name}` filled in.
pub fn fill(key: &str, values: &[(&str, &str)]) -> String {
    lang().fill(CLI, key, values)
}

/// The language of a tree's texts for a command: `explicit` (`--lang`,
/// which the command checks against the tree), else the chosen language
/// when the tree has it, else the tree's first.
pub fn content_lang(explicit: Option<&str>, available: &[String]) -> String {
    if let Some(lang) = explicit {
        return lang.to_string();
    }
    let chosen = lang().code();
    if available.iter().any(|l| l == chosen) {
        chosen.to_string()
    } else {
        available.first().cloned().unwrap_or_else(|| "en".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_flag_wins_then_lc_all_then_lc_messages_then_lang() {
        let ja = Lang::of("ja");
        let all = [
            ("LC_ALL", "ja_JP.UTF-8"),
            ("LC_MESSAGES", "en_US.UTF-8"),
            ("LANG", "en_US.UTF-8"),
        ];
        assert_eq!(resolve(Some("en"), env(&all)), Lang::EN);
        assert_eq!(resolve(None, env(&all)), ja);
        assert_eq!(
            resolve(None, env(&[("LC_MESSAGES", "ja_JP"), ("LANG", "en_GB")])),
            ja
        );
        assert_eq!(
            resolve(None, env(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")])),
            ja,
            "an empty variable does not count"
        );
        assert_eq!(resolve(None, env(&[("LANG", "C.UTF-8")])), Lang::EN);
        assert_eq!(resolve(None, env(&[])), Lang::EN);
        assert_eq!(resolve(Some("ja"), env(&[("LANG", "C")])), ja);
    }
}
