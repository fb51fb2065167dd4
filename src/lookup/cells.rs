//! Turning JSON values from a response into typed cells. Rows are read
//! through [`RawCell`], a small visitor that keeps integers as integers
//! (never through f64) and avoids building a `serde_json::Value` per cell.

use serde::de::{self, Deserializer, Visitor};

use super::table::{Cell, ColumnType, Dynamic};

/// One JSON value as it arrived, before the column type is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    /// An array or object (a dynamic value sent as JSON rather than text).
    Json(serde_json::Value),
}

impl<'de> de::Deserialize<'de> for RawCell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// Reads one JSON value as a [`RawCell`].
pub(crate) struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawCell;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<RawCell, E> {
        Ok(RawCell::Null)
    }
    fn visit_none<E>(self) -> Result<RawCell, E> {
        Ok(RawCell::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawCell, E> {
        Ok(RawCell::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawCell, E> {
        Ok(RawCell::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawCell, E> {
        // serde_json reports every non-negative integer as u64.
        Ok(match i64::try_from(v) {
            Ok(i) => RawCell::I64(i),
            Err(_) => RawCell::U64(v),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawCell, E> {
        Ok(RawCell::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawCell, E> {
        Ok(RawCell::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawCell, E> {
        Ok(RawCell::Str(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<RawCell, A::Error> {
        let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(RawCell::Json(v))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawCell, A::Error> {
        let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(RawCell::Json(v))
    }
}

use serde::Deserialize;

impl RawCell {
    /// The cell for a column of type `t`. Values that do not match the
    /// declared type are kept, as text, rather than dropped.
    pub fn into_cell(self, t: &ColumnType) -> Cell {
        match (t, self) {
            (_, RawCell::Null) => Cell::Null,
            (ColumnType::Dynamic, RawCell::Str(s)) => {
                match serde_json::from_str::<serde_json::Value>(&s) {
                    Ok(v) => Cell::Dynamic(Dynamic::from_value(&v)),
                    Err(_) => Cell::Dynamic(Dynamic::Raw(s.into_boxed_str())),
                }
            }
            (ColumnType::Dynamic, raw) => Cell::Dynamic(Dynamic::from_value(&raw.into_value())),
            (ColumnType::Bool, RawCell::Bool(b)) => Cell::Bool(b),
            (ColumnType::Bool, RawCell::I64(n)) => Cell::Bool(n != 0),
            (ColumnType::Long | ColumnType::Int, RawCell::I64(n)) => Cell::Long(n),
            (ColumnType::Long | ColumnType::Int, RawCell::U64(n)) => {
                Cell::Decimal(n.to_string().into_boxed_str())
            }
            (ColumnType::Long | ColumnType::Int, RawCell::Str(s)) => match s.parse::<i64>() {
                Ok(n) => Cell::Long(n),
                Err(_) => Cell::Str(s.into_boxed_str()),
            },
            (ColumnType::Real, RawCell::F64(x)) => Cell::Real(x),
            (ColumnType::Real, RawCell::I64(n)) => Cell::Real(n as f64),
            (ColumnType::Real, RawCell::U64(n)) => Cell::Real(n as f64),
            (ColumnType::Real, RawCell::Str(s)) => match s.as_str() {
                "NaN" => Cell::Real(f64::NAN),
                "Infinity" | "+Infinity" => Cell::Real(f64::INFINITY),
                "-Infinity" => Cell::Real(f64::NEG_INFINITY),
                other => other
                    .parse()
                    .map(Cell::Real)
                    .unwrap_or_else(|_| Cell::Str(s.into_boxed_str())),
            },
            (ColumnType::Datetime, RawCell::Str(s)) => Cell::Datetime(s.into_boxed_str()),
            (ColumnType::Timespan, RawCell::Str(s)) => Cell::Timespan(s.into_boxed_str()),
            (ColumnType::Guid, RawCell::Str(s)) => Cell::Guid(s.into_boxed_str()),
            (ColumnType::Decimal, RawCell::Str(s)) => Cell::Decimal(s.into_boxed_str()),
            (ColumnType::Decimal, RawCell::I64(n)) => Cell::Decimal(n.to_string().into_boxed_str()),
            (ColumnType::Decimal, RawCell::U64(n)) => Cell::Decimal(n.to_string().into_boxed_str()),
            (ColumnType::Decimal, RawCell::F64(x)) => Cell::Decimal(x.to_string().into_boxed_str()),
            (_, RawCell::Str(s)) => Cell::Str(s.into_boxed_str()),
            (_, RawCell::Bool(b)) => Cell::Bool(b),
            (_, RawCell::I64(n)) => Cell::Long(n),
            (_, RawCell::U64(n)) => Cell::Decimal(n.to_string().into_boxed_str()),
            (_, RawCell::F64(x)) => Cell::Real(x),
            (_, RawCell::Json(v)) => Cell::Dynamic(Dynamic::from_value(&v)),
        }
    }

    fn into_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            RawCell::Null => Value::Null,
            RawCell::Bool(b) => Value::Bool(b),
            RawCell::I64(n) => Value::from(n),
            RawCell::U64(n) => Value::from(n),
            RawCell::F64(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
            RawCell::Str(s) => Value::String(s),
            RawCell::Json(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dynamic(text: &str) -> Cell {
        RawCell::Str(text.into()).into_cell(&ColumnType::Dynamic)
    }

    #[test]
    fn dynamic_text_is_kept_compact_and_shows_as_the_parsed_value() {
        let cell = dynamic(r#"{ "b": [1, 2], "a": "x" }"#);
        assert_eq!(
            cell,
            Cell::Dynamic(Dynamic::Text(r#"{"a":"x","b":[1,2]}"#.into()))
        );
        assert_eq!(cell.text(), r#"{"a":"x","b":[1,2]}"#);
        assert_eq!(
            cell,
            Cell::Dynamic(Dynamic::Json(serde_json::json!({"a": "x", "b": [1, 2]})))
        );
        assert_ne!(
            cell,
            Cell::Dynamic(Dynamic::Json(serde_json::json!({"a": "y"})))
        );
    }

    #[test]
    fn a_dynamic_json_string_shows_its_content_and_raw_text_stays_raw() {
        assert_eq!(dynamic(r#""a\u0062""#).text(), "ab");
        let raw = dynamic("not json {");
        assert_eq!(raw, Cell::Dynamic(Dynamic::Raw("not json {".into())));
        assert_ne!(raw, Cell::Dynamic(Dynamic::Text("\"not json {\"".into())));
    }

    #[test]
    fn dynamic_detail_is_pretty_printed_from_the_text() {
        let cell = dynamic(r#"{"k":[1]}"#);
        assert_eq!(cell.detail(), "{\n  \"k\": [\n    1\n  ]\n}");
    }
}
