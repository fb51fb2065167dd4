//! The spanned TOML document the converter reads: only what a tree needs
//! (tables, arrays, strings, booleans; other scalars by type only), with the
//! byte span of every key and value.
//!
//! Well-formed trees are read by the fast reader in [`super::fast_toml`];
//! anything it does not accept goes through the `toml` crate and is turned
//! into this form by [`from_toml`], so both paths feed the same converter.

use std::borrow::Cow;

use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::Span;

/// A key as written, with the span of its token (quotes included).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key<'s> {
    pub name: Cow<'s, str>,
    pub span: Span,
}

impl Key<'_> {
    pub fn get_ref(&self) -> &str {
        &self.name
    }

    pub fn span(&self) -> Span {
        self.span.clone()
    }
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item<'s> {
    pub value: Value<'s>,
    pub span: Span,
}

impl<'s> Item<'s> {
    pub fn get_ref(&self) -> &Value<'s> {
        &self.value
    }

    pub fn span(&self) -> Span {
        self.span.clone()
    }
}

/// A TOML value. Numbers and datetimes are kept by type only: no tree field
/// takes one, and messages only name the type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'s> {
    String(Cow<'s, str>),
    Integer,
    Float,
    Boolean(bool),
    Datetime,
    Array(Vec<Item<'s>>),
    Table(Table<'s>),
}

impl<'s> Value<'s> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The type's name as TOML calls it, for messages.
    pub fn type_str(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer => "integer",
            Value::Float => "float",
            Value::Boolean(_) => "boolean",
            Value::Datetime => "datetime",
            Value::Array(_) => "array",
            Value::Table(_) => "table",
        }
    }
}

/// A table: its entries in source order. Tree tables hold a handful of
/// keys, so a scan beats hashing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table<'s> {
    pub entries: Vec<(Key<'s>, Item<'s>)>,
    /// How the fast reader made the table; it decides whether the table
    /// may still be extended. Not part of the document: equality ignores it.
    pub origin: Origin,
}

/// How a table came to be, as the TOML rules for extending it need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Created by a dotted key or a header path, not defined itself.
    pub implicit: bool,
    /// Created or extended by a dotted key.
    pub dotted: bool,
    /// An inline table (`{ ... }`): closed once written.
    pub inline: bool,
    /// An entry of an array of tables (`[[x]]`), which later headers extend.
    pub array_entry: bool,
}

impl PartialEq for Table<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<'s> Table<'s> {
    pub fn get(&self, key: &str) -> Option<&Item<'s>> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get_key_value(key).is_some()
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Key<'s>, &Item<'s>)> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Key<'s>, &Item<'s>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// The `toml` crate's document in this form.
pub(crate) fn from_toml<'s>(table: &DeTable<'s>) -> Table<'s> {
    Table {
        entries: table
            .iter()
            .map(|(k, v)| {
                let key = Key {
                    name: k.get_ref().clone(),
                    span: k.span(),
                };
                (key, item_from_toml(v))
            })
            .collect(),
        origin: Origin::default(),
    }
}

fn item_from_toml<'s>(item: &Spanned<DeValue<'s>>) -> Item<'s> {
    let value = match item.get_ref() {
        DeValue::String(s) => Value::String(s.clone()),
        DeValue::Integer(_) => Value::Integer,
        DeValue::Float(_) => Value::Float,
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Datetime(_) => Value::Datetime,
        DeValue::Array(items) => Value::Array(items.iter().map(item_from_toml).collect()),
        DeValue::Table(t) => Value::Table(from_toml(t)),
    };
    Item {
        value,
        span: item.span(),
    }
}
