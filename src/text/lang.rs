//! The languages Cairn's own words are in: one message catalogue per
//! language, `assets/i18n/<code>.toml`, so a third language is a file. A
//! catalogue has tables of `Key = "text"`; a key a catalogue lacks falls
//! back to English, and one English lacks shows as `?` (tests keep both
//! from happening in what ships).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The folder of the message catalogues.
pub const CATALOGUES: &str = "assets/i18n";

/// A language with a catalogue. English is always there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(usize);

struct Catalogue {
    code: String,
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

/// English first, then the others by code. A catalogue that does not parse
/// is left out (the test of the shipped catalogues says which).
fn catalogues() -> &'static [Catalogue] {
    static ALL: OnceLock<Vec<Catalogue>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Catalogue> = crate::assets::dir(CATALOGUES)
            .into_iter()
            .filter_map(|(name, text)| {
                Some(Catalogue {
                    code: name.strip_suffix(".toml")?.to_string(),
                    tables: toml::from_str(text).ok()?,
                })
            })
            .collect();
        all.sort_by_key(|c| (c.code != "en", c.code.clone()));
        if all.first().is_none_or(|c| c.code != "en") {
            all.insert(
                0,
                Catalogue {
                    code: "en".into(),
                    tables: BTreeMap::new(),
                },
            );
        }
        all
    })
}

impl Lang {
    pub const EN: Lang = Lang(0);

    /// The language of `code` (`ja`, or a locale such as `ja_JP.UTF-8`);
    /// English when Cairn has no catalogue for it.
    pub fn of(code: &str) -> Lang {
        let base = code
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        catalogues()
            .iter()
            .position(|c| c.code == base)
            .map_or(Lang::EN, Lang)
    }

    /// Every language with a catalogue, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..catalogues().len()).map(Lang)
    }

    pub fn code(self) -> &'static str {
        &catalogues()[self.0].code
    }

    /// The text of `key` in `table`: this language's, else English's, else
    /// `?`.
    pub fn text(self, table: &str, key: &str) -> &'static str {
        let find = |c: &'static Catalogue| c.tables.get(table)?.get(key).map(String::as_str);
        let all = catalogues();
        find(&all[self.0]).or_else(|| find(&all[0])).unwrap_or("?")
    }

    /// Whether this language's catalogue has `key` in `table`.
    #[cfg(test)]
    pub fn has(self, table: &str, key: &str) -> bool {
        catalogues()[self.0]
            .tables
            .get(table)
            .is_some_and(|t| t.contains_key(key))
    }

    /// Whether this language's catalogue has the table `table`.
    #[cfg(test)]
    pub fn has_table(self, table: &str) -> bool {
        catalogues()[self.0].tables.contains_key(table)
    }

    /// [`Lang::text`] with each `{name}` replaced by its value.
    pub fn fill(self, table: &str, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.text(table, key).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// An enum of message keys read from one table of the catalogues; `ALL`
/// lets a test check that English has every key.
macro_rules! message_keys {
    ($(#[$meta:meta])* $name:ident in $table:literal { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            #[cfg(test)]
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            #[cfg(test)]
            pub const TABLE: &'static str = $table;
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),* }
            }
            pub fn text(self, lang: $crate::text::lang::Lang) -> &'static str {
                lang.text($table, self.key())
            }
        }
    };
}
pub(crate) use message_keys;

/// A catalogue key chosen at run time (from a match, an array), named with
/// its table where it is chosen: it expands to the key, and the catalogue
/// test (`catalogue_keys_tests`) checks every catalogue has it.
macro_rules! msg_key {
    ($table:literal, $key:literal) => {
        $key
    };
}
pub(crate) use msg_key;

impl From<&str> for Lang {
    fn from(code: &str) -> Lang {
        Lang::of(code)
    }
}

impl From<&String> for Lang {
    fn from(code: &String) -> Lang {
        Lang::of(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_locales_find_their_catalogue() {
        assert_eq!(Lang::of("ja").code(), "ja");
        assert_eq!(Lang::of("ja_JP.UTF-8").code(), "ja");
        assert_eq!(Lang::of("en_GB").code(), "en");
        assert_eq!(Lang::of("xx"), Lang::EN);
        assert_eq!(Lang::of(""), Lang::EN);
        assert_eq!(Lang::all().next(), Some(Lang::EN));
    }

    /// Every shipped catalogue parses and has exactly English's keys, so a
    /// language never shows English in the middle of its own words.
    #[test]
    fn every_catalogue_has_the_keys_of_english() {
        let files = crate::assets::dir(CATALOGUES);
        assert!(files.len() >= 2, "{files:?}");
        assert_eq!(Lang::all().count(), files.len(), "every catalogue parses");
        let en = &catalogues()[0];
        for c in &catalogues()[1..] {
            for (table, keys) in &en.tables {
                let theirs = c.tables.get(table);
                for key in keys.keys() {
                    assert!(
                        theirs.is_some_and(|t| t.contains_key(key)),
                        "{}: [{table}] {key} is missing",
                        c.code
                    );
                }
            }
            for (table, keys) in &c.tables {
                for key in keys.keys() {
                    assert!(
                        en.tables.get(table).is_some_and(|t| t.contains_key(key)),
                        "{}: [{table}] {key} is not an English key",
                        c.code
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_key_shows_as_a_question_mark_and_values_fill_in() {
        let ja = Lang::of("ja");
        assert_eq!(ja.text("no-such-table", "Nope"), "?");
        assert!(!ja.has("message", "no-such-key"));
        assert_eq!(ja.text("message", "quit-question"), "Cairn を終了しますか?");
        assert_eq!(
            Lang::EN.fill("message", "read-only", &[("key", "R"), ("unused", "x")]),
            "Closed: nothing can be recorded. R reopens it (recorded)."
        );
    }
}
