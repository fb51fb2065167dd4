//! Typed reading of spanned TOML tables: each getter reports a missing key,
//! a wrong type or an unknown key as a [`Problem`] and carries on, so one run
//! finds every structural mistake of a file.

use std::fmt;

use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::Problem;
use super::model::{At, Localized, Span, Texts};
use super::suggest::did_you_mean;

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// How a table is named in messages (`node 'triage'`, `choice 2 of node
/// 'contain'`), formatted only when a message is written: building the
/// phrase for every table of a 10,000-node tree would cost more than
/// checking it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Name<'a> {
    Fixed(&'static str),
    Item {
        label: &'static str,
        /// Named by id when it has one, else by 1-based position.
        id: Option<&'a str>,
        index: usize,
        owner: Option<&'a Name<'a>>,
    },
    /// A table under a key of another (`'requires' of lookup 'x'`).
    Key {
        key: &'static str,
        owner: &'a Name<'a>,
    },
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Fixed(text) => f.write_str(text),
            Name::Item {
                label,
                id,
                index,
                owner,
            } => {
                match id {
                    Some(id) => write!(f, "{label} '{id}'")?,
                    None => write!(f, "{label} {}", index + 1)?,
                }
                match owner {
                    Some(owner) => write!(f, " of {owner}"),
                    None => Ok(()),
                }
            }
            Name::Key { key, owner } => write!(f, "'{key}' of {owner}"),
        }
    }
}

/// A table being read, with its name for messages.
pub(crate) struct Obj<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Span,
    pub what: Name<'a>,
}

impl<'a, 'i> Obj<'a, 'i> {
    /// An entry of an array of tables; `id_key` names the key whose string
    /// value names it (choices and binds go by position).
    pub fn item(
        table: &'a DeTable<'i>,
        span: Span,
        label: &'static str,
        index: usize,
        id_key: Option<&str>,
        owner: Option<&'a Name<'a>>,
    ) -> Self {
        let id = id_key
            .and_then(|k| table.get(k))
            .and_then(|v| v.get_ref().as_str())
            .filter(|id| !id.is_empty());
        Obj {
            table,
            span,
            what: Name::Item {
                label,
                id,
                index,
                owner,
            },
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.table.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// The span of `key` itself, for "does not belong here" messages.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.table.get_key_value(key).map(|(k, _)| k.span())
    }
}

pub(crate) struct Reader<'s> {
    pub source: &'s str,
    pub problems: Vec<Problem>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s str) -> Self {
        Self {
            source,
            problems: Vec::new(),
        }
    }

    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.problems.push(Problem::new(span, message));
    }

    /// Reports every key of `obj` not in `allowed`.
    pub fn known_keys(&mut self, obj: &Obj, allowed: &[&str]) {
        for (key, _) in obj.table.iter() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                let hint = did_you_mean(name, allowed.iter().copied())
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_else(|| format!(" (expected one of: {})", allowed.join(", ")));
                self.report(
                    key.span(),
                    format!("unknown key '{name}' in {}{hint}", obj.what),
                );
            }
        }
    }

    fn missing(&mut self, obj: &Obj, key: &str) {
        self.report(
            obj.span.clone(),
            format!("{} is missing required key '{key}'", obj.what),
        );
    }

    fn wrong_type(&mut self, obj: &Obj, key: &str, value: &Value, expected: &str) {
        self.report(
            value.span(),
            format!(
                "key '{key}' of {} must be {expected}, found {}",
                obj.what,
                article(value.get_ref().type_str())
            ),
        );
    }

    /// The string at `key`, its span narrowed to the text between the quotes
    /// when the source spells it without escapes.
    pub fn opt_str(&mut self, obj: &Obj, key: &str) -> Option<At<String>> {
        let value = obj.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                let span = self.content_span(value.span(), s);
                Some(At::new(s.to_string(), span))
            }
            _ => {
                self.wrong_type(obj, key, value, "a string");
                None
            }
        }
    }

    /// A required string; when missing, an empty value with an empty span,
    /// which later checks recognise as already reported.
    pub fn req_str(&mut self, obj: &Obj, key: &str) -> At<String> {
        if !obj.has(key) {
            self.missing(obj, key);
        }
        self.opt_str(obj, key)
            .unwrap_or_else(|| At::new(String::new(), 0..0))
    }

    pub fn opt_bool(&mut self, obj: &Obj, key: &str) -> bool {
        match obj.get(key) {
            None => false,
            Some(value) => match value.get_ref() {
                DeValue::Boolean(b) => *b,
                _ => {
                    self.wrong_type(obj, key, value, "true or false");
                    false
                }
            },
        }
    }

    /// A required enumerated value: its parse, or a problem naming the
    /// allowed values (and the closest one).
    pub fn req_enum<T>(
        &mut self,
        obj: &Obj,
        key: &str,
        label: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let Some(value) = obj.get(key) else {
            self.missing(obj, key);
            return None;
        };
        let DeValue::String(text) = value.get_ref() else {
            self.wrong_type(obj, key, value, "a string");
            return None;
        };
        let parsed = parse(text);
        if parsed.is_none() {
            let hint = match did_you_mean(text, names.iter().copied()) {
                Some(s) => format!("did you mean '{s}'?"),
                None => format!("expected one of: {}", names.join(", ")),
            };
            let span = self.content_span(value.span(), text);
            self.report(
                span,
                format!("{} has unknown {label} '{text}' ({hint})", obj.what),
            );
        }
        parsed
    }

    /// An optional enumerated value: absent is `None`, otherwise as
    /// [`Reader::req_enum`], with the value's span.
    pub fn opt_enum<T>(
        &mut self,
        obj: &Obj,
        key: &str,
        label: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<At<T>> {
        let span = obj.get(key)?.span();
        self.req_enum(obj, key, label, names, parse)
            .map(|v| At::new(v, span))
    }

    /// Text per language. Absent optional text is an empty `Localized` with
    /// an empty span.
    pub fn localized(&mut self, obj: &Obj, key: &str, required: bool) -> Localized {
        let Some(value) = obj.get(key) else {
            if required {
                self.missing(obj, key);
            }
            return Localized::default();
        };
        let DeValue::Table(table) = value.get_ref() else {
            self.report(
                value.span(),
                format!(
                    "{key} of {} must be text per language ({key}.en = \"...\"), found {}",
                    obj.what,
                    article(value.get_ref().type_str())
                ),
            );
            return Localized::default();
        };
        let mut texts = Texts::new();
        for (lang, text) in table.iter() {
            match text.get_ref() {
                DeValue::String(s) => texts.insert(lang.get_ref(), s),
                other => self.report(
                    text.span(),
                    format!(
                        "{key}.{} of {} must be a string, found {}",
                        lang.get_ref(),
                        obj.what,
                        article(other.type_str())
                    ),
                ),
            }
        }
        Localized {
            texts,
            span: value.span(),
        }
    }

    /// The tables of an array of tables (`[[nodes]]`, or an inline array of
    /// inline tables), each with its span.
    pub fn tables<'a, 'i>(&mut self, obj: &Obj<'a, 'i>, key: &str) -> Vec<(&'a DeTable<'i>, Span)> {
        let Some(value) = obj.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(obj, key, value, &format!("an array of tables ([[{key}]])"));
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                other => self.report(
                    item.span(),
                    format!(
                        "each entry of '{key}' in {} must be a table, found {}",
                        obj.what,
                        article(other.type_str())
                    ),
                ),
            }
        }
        out
    }

    /// An array of strings.
    pub fn strings(&mut self, obj: &Obj, key: &str) -> Vec<At<String>> {
        let Some(value) = obj.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(obj, key, value, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let span = self.content_span(item.span(), s);
                    out.push(At::new(s.to_string(), span));
                }
                other => self.report(
                    item.span(),
                    format!(
                        "each entry of '{key}' in {} must be a string, found {}",
                        obj.what,
                        article(other.type_str())
                    ),
                ),
            }
        }
        out
    }

    /// The span of a string's text without its quotes, when the source holds
    /// exactly that text (no escapes); otherwise the whole value's span.
    /// Later checks rely on this: a span as long as the value is exact.
    fn content_span(&self, span: Span, value: &str) -> Span {
        let Some(raw) = self.source.get(span.clone()) else {
            return span;
        };
        for delim in ["\"\"\"", "'''", "\"", "'"] {
            if raw.len() >= 2 * delim.len() && raw.starts_with(delim) && raw.ends_with(delim) {
                let mut start = delim.len();
                let inner_end = raw.len() - delim.len();
                if delim.len() == 3 {
                    // A newline right after the opening quotes is not part of the text.
                    if raw[start..inner_end].starts_with("\r\n") {
                        start += 2;
                    } else if raw[start..inner_end].starts_with('\n') {
                        start += 1;
                    }
                }
                if start <= inner_end && &raw[start..inner_end] == value {
                    return span.start + start..span.start + inner_end;
                }
                break;
            }
        }
        span
    }
}

/// `a string`, `an integer`, `an array`.
fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}
