//! The result of a lookup as typed columns and cells, independent of the
//! provider that produced it and of the screen that shows it.

use std::borrow::Cow;

use super::visible::visible;

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

/// A `dynamic` value: parsed JSON when it parses, else the raw text.
#[derive(Debug, Clone, PartialEq)]
pub enum Dynamic {
    Json(serde_json::Value),
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Long(i64),
    /// Includes NaN and the infinities, which Log Analytics sends as strings.
    Real(f64),
    Str(String),
    /// RFC 3339 as sent (UTC, up to 7 fractional digits).
    Datetime(String),
    Dynamic(Dynamic),
    /// `[d.]hh:mm:ss[.fffffff]` as sent.
    Timespan(String),
    Guid(String),
    /// Exact decimal text (up to 29 digits; never through f64).
    Decimal(String),
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
        }
    }

    /// One-line text safe for the terminal: hidden characters made visible.
    pub fn display(&self) -> String {
        visible(&self.text()).into_owned()
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
            Cell::Dynamic(Dynamic::Json(v)) => {
                let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
                pretty
                    .lines()
                    .map(|l| visible(l).into_owned())
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
