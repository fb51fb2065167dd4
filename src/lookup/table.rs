//! The result of a lookup as typed columns and cells, independent of the
//! provider that produced it and of the screen that shows it.

use std::borrow::Cow;

use crate::text::{Medium, visible};

/// A column's declared type, as the APIs name them (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    Bool,
    Datetime,
    Dynamic,
    Int,
    Long,
    Real,
    String,
    Guid,
    Decimal,
    Timespan,
    /// A type this version does not know; cells are kept as given.
    Other(String),
}

impl ColumnType {
    /// Parses Log Analytics names (`long`) and hunting names (`Int64`, `DateTime`).
    pub fn parse(name: &str) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "bool" | "boolean" => ColumnType::Bool,
            "datetime" | "date" => ColumnType::Datetime,
            "dynamic" | "object" => ColumnType::Dynamic,
            "int" | "int32" => ColumnType::Int,
            "long" | "int64" => ColumnType::Long,
            "real" | "double" => ColumnType::Real,
            "string" => ColumnType::String,
            "guid" => ColumnType::Guid,
            "decimal" => ColumnType::Decimal,
            "timespan" => ColumnType::Timespan,
            _ => ColumnType::Other(name.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            ColumnType::Bool => "bool",
            ColumnType::Datetime => "datetime",
            ColumnType::Dynamic => "dynamic",
            ColumnType::Int => "int",
            ColumnType::Long => "long",
            ColumnType::Real => "real",
            ColumnType::String => "string",
            ColumnType::Guid => "guid",
            ColumnType::Decimal => "decimal",
            ColumnType::Timespan => "timespan",
            ColumnType::Other(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub col_type: ColumnType,
}

/// A `dynamic` value. Values read from a response are kept as compact JSON
/// text (a parsed tree costs several times the memory, and 100k rows of
/// them do not fit the budget); they are parsed again only for a row
/// detail, a sort, a copy or the evidence.
#[derive(Debug, Clone)]
pub enum Dynamic {
    /// A parsed value, as code builds one.
    Json(serde_json::Value),
    /// Valid JSON in serde_json's compact form (object keys sorted), so it
    /// shows exactly as the parsed value would.
    Text(Box<str>),
    /// Text sent for a dynamic column that is not JSON.
    Raw(Box<str>),
}

impl Dynamic {
    /// Keeps a parsed value as compact text.
    pub fn from_value(v: &serde_json::Value) -> Self {
        Dynamic::Text(v.to_string().into_boxed_str())
    }

    /// The JSON value, or `None` for text that is not JSON.
    pub fn json(&self) -> Option<Cow<'_, serde_json::Value>> {
        match self {
            Dynamic::Json(v) => Some(Cow::Borrowed(v)),
            // Text is only ever built from a value, so it parses back.
            Dynamic::Text(s) => serde_json::from_str(s).ok().map(Cow::Owned),
            Dynamic::Raw(_) => None,
        }
    }

    /// True for a JSON object or array (shown pretty-printed in details).
    pub fn is_structured(&self) -> bool {
        match self {
            Dynamic::Json(v) => v.is_object() || v.is_array(),
            Dynamic::Text(s) => s.starts_with('{') || s.starts_with('['),
            Dynamic::Raw(_) => false,
        }
    }
}

/// Equal when they hold the same JSON value (whatever its form), or the
/// same non-JSON text.
impl PartialEq for Dynamic {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Dynamic::Raw(a), Dynamic::Raw(b)) => a == b,
            (Dynamic::Raw(_), _) | (_, Dynamic::Raw(_)) => false,
            (Dynamic::Text(a), Dynamic::Text(b)) => a == b,
            (a, b) => a.json() == b.json(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Long(i64),
    /// Includes NaN and the infinities, which Log Analytics sends as strings.
    Real(f64),
    Str(Box<str>),
    /// RFC 3339 as sent (UTC, up to 7 fractional digits).
    Datetime(Box<str>),
    Dynamic(Dynamic),
    /// `[d.]hh:mm:ss[.fffffff]` as sent.
    Timespan(Box<str>),
    Guid(Box<str>),
    /// Exact decimal text (up to 29 digits; never through f64).
    Decimal(Box<str>),
}

impl Cell {
    /// The raw text of the cell, before making hidden characters visible.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Null => Cow::Borrowed(""),
            Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Cell::Long(n) => Cow::Owned(n.to_string()),
            Cell::Real(x) => Cow::Owned(format_real(*x)),
            Cell::Str(s)
            | Cell::Datetime(s)
            | Cell::Timespan(s)
            | Cell::Guid(s)
            | Cell::Decimal(s)
            | Cell::Dynamic(Dynamic::Raw(s)) => Cow::Borrowed(s),
            Cell::Dynamic(Dynamic::Json(v)) => match v {
                serde_json::Value::String(s) => Cow::Borrowed(s),
                other => Cow::Owned(other.to_string()),
            },
            // A JSON string shows as its content, like a parsed one.
            Cell::Dynamic(Dynamic::Text(s)) if s.starts_with('"') => {
                Cow::Owned(serde_json::from_str::<String>(s).unwrap_or_else(|_| s.to_string()))
            }
            Cell::Dynamic(Dynamic::Text(s)) => Cow::Borrowed(s),
        }
    }

    /// One-line text safe for the terminal: hidden characters made visible.
    pub fn display(&self) -> String {
        visible(&self.text(), Medium::Screen).into_owned()
    }

    /// The value as a variable could take it (bind a cell to a variable).
    pub fn bind_value(&self) -> Option<String> {
        match self {
            Cell::Null => None,
            other => Some(other.text().into_owned()),
        }
    }

    /// Multi-line text for a row-detail view: dynamic values pretty-printed.
    pub fn detail(&self) -> String {
        match self {
            Cell::Dynamic(d @ (Dynamic::Json(_) | Dynamic::Text(_))) => {
                let v = d.json().unwrap_or_default();
                let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
                pretty
                    .lines()
                    .map(|l| visible(l, Medium::Screen).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            other => other.display(),
        }
    }
}

/// Reals the way Log Analytics spells them: `NaN`, `Infinity`, `-Infinity`.
pub fn format_real(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x == f64::INFINITY {
        "Infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-Infinity".into()
    } else {
        x.to_string()
    }
}

/// One table of a result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultTable {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl ResultTable {
    /// The index of a column, matched case-insensitively (an exact match wins).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.to_lowercase() == name.to_lowercase())
            })
    }

    pub fn cell(&self, row: usize, column: usize) -> Option<&Cell> {
        self.rows.get(row).and_then(|r| r.get(column))
    }
}

/// Everything a lookup returned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookupResult {
    pub tables: Vec<ResultTable>,
    /// A non-fatal problem reported beside the rows (Log Analytics
    /// `PartialError`), shown as a warning.
    pub warning: Option<String>,
}

impl LookupResult {
    /// The table a screen shows first.
    pub fn primary(&self) -> Option<&ResultTable> {
        self.tables.first()
    }

    pub fn row_count(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }

    /// True when the service said "no data" (204, empty body, no tables).
    pub fn is_empty(&self) -> bool {
        self.row_count() == 0
    }
}
