//! Reading a spanned TOML table field by field, so that every missing,
//! unknown or mistyped key becomes a positioned diagnostic and reading goes
//! on (all errors in one run, rather than serde's first-error stop).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diag::{Problem, with_suggestion};
use crate::tree::{At, Localized, Span};

/// Problems collected while reading one file.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub items: Vec<Problem>,
}

impl Problems {
    pub fn add(&mut self, span: Span, message: impl Into<String>) {
        self.items.push(Problem::new(span, message));
    }
}

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// One TOML table being read; keys not read by the end are reported.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    /// Where "missing key" errors point: the table's header or first key.
    pub span: Span,
    /// How the table is named in messages, e.g. `[scenario]`, `injects[2]`.
    pub name: String,
    known: &'static [&'static str],
}

pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(
        table: &'t DeTable<'i>,
        span: Span,
        name: impl Into<String>,
        known: &'static [&'static str],
        problems: &mut Problems,
    ) -> Self {
        let fields = Self {
            table,
            span,
            name: name.into(),
            known,
        };
        fields.report_unknown(problems);
        fields
    }

    fn report_unknown(&self, problems: &mut Problems) {
        for key in self.table.keys() {
            let k: &str = key.get_ref();
            if !self.known.contains(&k) {
                let message = with_suggestion(
                    format!("unknown key '{k}' in {}", self.name),
                    k,
                    self.known.iter().copied(),
                );
                problems.add(key.span(), message);
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&'t Value<'i>> {
        self.table.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    fn missing(&self, key: &str, problems: &mut Problems) {
        problems.add(
            self.span.clone(),
            format!("missing key '{key}' in {}", self.name),
        );
    }

    fn wrong_type(&self, key: &str, v: &Value<'_>, expected: &str, problems: &mut Problems) {
        problems.add(
            v.span(),
            format!(
                "'{key}' in {} must be {expected}, found {}",
                self.name,
                type_name(v.get_ref())
            ),
        );
    }

    /// A string value; `required` reports its absence.
    pub fn string(&self, key: &str, required: bool, problems: &mut Problems) -> Option<At<String>> {
        match self.get(key) {
            None => {
                if required {
                    self.missing(key, problems);
                }
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::String(s) => Some(At::new(s.to_string(), v.span())),
                _ => {
                    self.wrong_type(key, v, "a string", problems);
                    None
                }
            },
        }
    }

    /// A non-negative integer no larger than `max`.
    pub fn count(&self, key: &str, max: u32, problems: &mut Problems) -> Option<At<u32>> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => {
                self.wrong_type(key, v, "an integer", problems);
                return None;
            }
        };
        match parsed
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n <= max)
        {
            Some(n) => Some(At::new(n, v.span())),
            None => {
                problems.add(
                    v.span(),
                    format!("'{key}' in {} must be between 0 and {max}", self.name),
                );
                None
            }
        }
    }

    /// A table value with the span of its key (where errors about it point).
    pub fn table(
        &self,
        key: &str,
        required: bool,
        problems: &mut Problems,
    ) -> Option<(&'t DeTable<'i>, Span)> {
        match self.table.get_key_value(key) {
            None => {
                if required {
                    self.missing(key, problems);
                }
                None
            }
            Some((k, v)) => match v.get_ref() {
                DeValue::Table(t) => Some((t, k.span())),
                _ => {
                    self.wrong_type(key, v, "a table", problems);
                    None
                }
            },
        }
    }

    /// An array of tables (`[[key]]`), each with a span for its errors.
    pub fn tables(&self, key: &str, problems: &mut Problems) -> Vec<(&'t DeTable<'i>, Span)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of tables", problems);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, table_anchor(t, item.span()))),
                _ => problems.add(
                    item.span(),
                    format!(
                        "every entry of '{key}' must be a table, found {}",
                        type_name(item.get_ref())
                    ),
                ),
            }
        }
        out
    }

    /// Text per language: every language in `languages` must be present and
    /// no other. `None` (the tree is unknown) accepts any language.
    pub fn localized(
        &self,
        key: &str,
        languages: Option<&[String]>,
        required: bool,
        problems: &mut Problems,
    ) -> Option<Localized> {
        let (table, key_span) = self.table(key, required, problems)?;
        let what = format!("'{key}' in {}", self.name);
        Some(localized_table(table, key_span, &what, languages, problems))
    }
}

/// Reads `{ en = "...", ja = "..." }`; `what` names the field in messages.
pub(crate) fn localized_table(
    table: &DeTable<'_>,
    key_span: Span,
    what: &str,
    languages: Option<&[String]>,
    problems: &mut Problems,
) -> Localized {
    let mut loc = Localized {
        span: key_span.clone(),
        ..Localized::default()
    };
    for (lang, v) in table.iter() {
        let lang_name: &str = lang.get_ref();
        if let Some(languages) = languages.filter(|ls| !ls.iter().any(|l| l == lang_name)) {
            problems.add(
                lang.span(),
                format!(
                    "{what} has text in '{lang_name}', which the tree does not list (languages: {})",
                    languages.join(", ")
                ),
            );
            continue;
        }
        match v.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => {
                loc.texts.insert(lang_name, s);
            }
            DeValue::String(_) => {
                problems.add(v.span(), format!("{what} is empty in '{lang_name}'"))
            }
            other => problems.add(
                v.span(),
                format!(
                    "{what} in '{lang_name}' must be a string, found {}",
                    type_name(other)
                ),
            ),
        }
    }
    for lang in languages.unwrap_or_default() {
        if !table.contains_key(lang.as_str()) {
            problems.add(key_span.clone(), format!("{what} has no '{lang}' text"));
        }
    }
    loc
}

/// Where errors about a whole array-of-tables entry point: its first key,
/// which sits on the line after the `[[...]]` header.
fn table_anchor(table: &DeTable<'_>, fallback: Span) -> Span {
    table
        .keys()
        .map(|k| k.span())
        .min_by_key(|s| s.start)
        .filter(|s| s.start >= fallback.start)
        .unwrap_or(fallback)
}
