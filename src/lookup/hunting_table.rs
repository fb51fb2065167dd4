//! Streaming deserialisation of a hunting answer: when `schema` comes
//! before `results` (as the service sends it), each row object is read
//! straight into its typed cells, keys matched to columns
//! case-insensitively, with no `serde_json::Value` tree of the whole
//! answer (which held 200,000 rows at twice the memory of the table).
//! Anything else (results first, a malformed body) returns `None` and the
//! caller reads the body as a tree, which words its errors.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::cells::RawCell;
use super::hunting::columns_of;
use super::table::{Cell, Column, ResultTable};

/// The table, when the body streams in the expected order.
pub(crate) fn stream(body: &[u8]) -> Option<ResultTable> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let table = de.deserialize_map(Root).ok()??;
    de.end().ok()?;
    Some(table)
}

struct Root;

/// Why streaming gave up: the tree parser takes over.
const GIVE_UP: &str = "not in streaming order";

impl<'de> Visitor<'de> for Root {
    type Value = Option<ResultTable>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hunting answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut columns: Option<Vec<Column>> = None;
        let mut rows: Option<Vec<Vec<Cell>>> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("schema") && columns.is_none() {
                let schema: Vec<serde_json::Value> = map.next_value()?;
                let cols = columns_of(&schema).map_err(|_| de::Error::custom(GIVE_UP))?;
                columns = Some(cols);
            } else if key.eq_ignore_ascii_case("results") && rows.is_none() {
                let Some(cols) = &columns else {
                    return Err(de::Error::custom(GIVE_UP));
                };
                rows = Some(map.next_value_seed(Rows(cols))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let Some(columns) = columns else {
            return Ok(None);
        };
        Ok(Some(ResultTable {
            name: "HuntingResults".into(),
            columns,
            rows: rows.unwrap_or_default(),
        }))
    }
}

struct Rows<'a>(&'a [Column]);

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = Vec<Vec<Cell>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = Vec<Vec<Cell>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of result objects")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(row) = seq.next_element_seed(Row(self.0))? {
            rows.push(row);
        }
        Ok(rows)
    }
}

struct Row<'a>(&'a [Column]);

impl<'de> DeserializeSeed<'de> for Row<'_> {
    type Value = Vec<Cell>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Row<'_> {
    type Value = Vec<Cell>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cells = vec![Cell::Null; self.0.len()];
        while let Some(key) = map.next_key::<String>()? {
            let at = self.0.iter().position(|c| c.name == key).or_else(|| {
                self.0
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(&key))
            });
            match at {
                Some(i) => {
                    let raw: RawCell = map.next_value()?;
                    cells[i] = raw.into_cell(&self.0[i].col_type);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(cells)
    }
}

#[cfg(test)]
mod tests {
    use crate::lookup::hunting::parse_response;
    use crate::lookup::table::{Cell, ColumnType};

    const ROWS: &str = r#"[
        {"Timestamp":"2026-11-26T03:00:00Z","accountupn":"a@b.co","Extra":1,"Fields":{"k":[1,2]}},
        {"Timestamp":null,"AccountUpn":"c@d.co"}
    ]"#;
    const SCHEMA: &str = r#"[{"Name":"Timestamp","Type":"DateTime"},{"name":"AccountUpn","type":"String"},{"name":"Fields","type":"Dynamic"}]"#;

    #[test]
    fn streamed_and_tree_parsed_answers_are_the_same_table() {
        // The service's order streams; results first falls back to the tree.
        let streamed = format!(r#"{{"Schema":{SCHEMA},"Results":{ROWS},"Stats":{{}}}}"#);
        let reordered = format!(r#"{{"results":{ROWS},"schema":{SCHEMA}}}"#);
        assert!(super::stream(streamed.as_bytes()).is_some());
        assert!(super::stream(reordered.as_bytes()).is_none());
        let a = parse_response(streamed.as_bytes()).unwrap();
        let b = parse_response(reordered.as_bytes()).unwrap();
        assert_eq!(a, b);
        let t = &a.tables[0];
        assert_eq!(t.columns[0].col_type, ColumnType::Datetime);
        assert_eq!(t.rows.len(), 2);
        // Keys match columns whatever their case; a missing key is null.
        assert_eq!(t.rows[0][1], Cell::Str("a@b.co".into()));
        assert_eq!(t.rows[1][0], Cell::Null);
        assert_eq!(t.rows[1][2], Cell::Null);
        assert_eq!(t.rows[0][2].text(), r#"{"k":[1,2]}"#);
    }

    #[test]
    fn a_malformed_answer_is_worded_by_the_tree_parser() {
        let err = parse_response(br#"{"schema":[],"results":[1]}"#).unwrap_err();
        assert!(
            err.to_string().contains("result 0 is not an object"),
            "{err}"
        );
        let err = parse_response(br#"{"results":[]}"#).unwrap_err();
        assert!(err.to_string().contains("no schema"), "{err}");
        let empty = parse_response(br#"{"schema":[{"name":"A","type":"string"}],"results":null}"#);
        assert_eq!(empty.unwrap().tables[0].rows.len(), 0);
    }
}
