//! Streaming deserialisation of a hunting answer: each row object is read
//! straight into its typed cells, keys matched to columns
//! case-insensitively (every key of the response is), with no
//! `serde_json::Value` tree of the whole answer (which held 200,000 rows at
//! twice the memory of the table). `schema` normally comes first; results
//! that come before it are kept as raw fields until it arrives.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::cells::RawCell;
use super::table::{Cell, Column, ColumnType, ResultTable};

/// The table of a hunting answer read from `body`; the error says what is
/// wrong with it.
pub(crate) fn read<R: std::io::Read>(body: R) -> Result<ResultTable, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(body);
    let table = de.deserialize_map(Root)?;
    de.end()?;
    Ok(table)
}

/// The columns a `schema` array declares.
fn columns_of(schema: &[serde_json::Value]) -> Result<Vec<Column>, String> {
    let get_ci = |map: &serde_json::Map<String, serde_json::Value>, key: &str| {
        map.get(key)
            .or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            })
            .cloned()
    };
    let mut columns = Vec::with_capacity(schema.len());
    for (i, col) in schema.iter().enumerate() {
        let col = col
            .as_object()
            .ok_or_else(|| format!("schema entry {i} is not an object"))?;
        let name = get_ci(col, "name")
            .and_then(|n| n.as_str().map(str::to_string))
            .ok_or_else(|| format!("schema entry {i} has no name"))?;
        let col_type = get_ci(col, "type");
        columns.push(Column {
            name,
            col_type: ColumnType::parse(col_type.as_ref().and_then(|t| t.as_str()).unwrap_or("")),
        });
    }
    Ok(columns)
}

/// Which column a result key names: exactly, else ignoring case.
fn column_at(columns: &[Column], key: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == key).or_else(|| {
        columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(key))
    })
}

struct Root;

impl<'de> Visitor<'de> for Root {
    type Value = ResultTable;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hunting answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut columns: Option<Vec<Column>> = None;
        let mut rows: Option<Vec<Vec<Cell>>> = None;
        // Results sent before the schema: each row's fields as sent.
        let mut early: Option<Vec<Vec<(String, RawCell)>>> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("schema") && columns.is_none() {
                let schema: serde_json::Value = map.next_value()?;
                let schema = schema
                    .as_array()
                    .ok_or_else(|| de::Error::custom("no schema"))?;
                columns = Some(columns_of(schema).map_err(de::Error::custom)?);
            } else if key.eq_ignore_ascii_case("results") && rows.is_none() && early.is_none() {
                match &columns {
                    Some(cols) => rows = Some(map.next_value_seed(Rows(Some(cols)))?.0),
                    None => early = Some(map.next_value_seed(Rows(None))?.1),
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let columns = columns.ok_or_else(|| de::Error::custom("no schema"))?;
        let rows = match (rows, early) {
            (Some(rows), _) => rows,
            (None, Some(early)) => early
                .into_iter()
                .map(|fields| {
                    let mut cells = vec![Cell::Null; columns.len()];
                    for (key, raw) in fields {
                        if let Some(i) = column_at(&columns, &key) {
                            cells[i] = raw.into_cell(&columns[i].col_type);
                        }
                    }
                    cells
                })
                .collect(),
            (None, None) => Vec::new(),
        };
        Ok(ResultTable {
            name: "HuntingResults".into(),
            columns,
            rows,
        })
    }
}

/// The `results` array: typed rows when the columns are known, else each
/// row's raw fields. `null` is no rows.
struct Rows<'a>(Option<&'a [Column]>);

type RowsRead = (Vec<Vec<Cell>>, Vec<Vec<(String, RawCell)>>);

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = RowsRead;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// The visits of anything that is not what `$what` expects: refused with
/// `$why`.
macro_rules! refuse_others {
    ($out:ty, $why:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$out, E> {
            Err(E::custom($why(&self)))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$out, E> {
            Err(E::custom($why(&self)))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$out, E> {
            Err(E::custom($why(&self)))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$out, E> {
            Err(E::custom($why(&self)))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$out, E> {
            Err(E::custom($why(&self)))
        }
    };
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = RowsRead;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of result objects")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((Vec::new(), Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom("results is not an array"))
    }

    refuse_others!(RowsRead, |_: &Self| "results is not an array");

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut typed = Vec::new();
        let mut early = Vec::new();
        let mut index = 0;
        while let Some(row) = seq.next_element_seed(Row {
            columns: self.0,
            index,
        })? {
            match row {
                RowRead::Cells(cells) => typed.push(cells),
                RowRead::Fields(fields) => early.push(fields),
            }
            index += 1;
        }
        Ok((typed, early))
    }
}

struct Row<'a> {
    columns: Option<&'a [Column]>,
    index: usize,
}

enum RowRead {
    Cells(Vec<Cell>),
    Fields(Vec<(String, RawCell)>),
}

impl<'de> DeserializeSeed<'de> for Row<'_> {
    type Value = RowRead;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Row<'_> {
    type Value = RowRead;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<RowRead, E> {
        Err(E::custom(not_an_object(&self)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<RowRead, A::Error> {
        Err(de::Error::custom(not_an_object(&self)))
    }

    refuse_others!(RowRead, not_an_object);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowRead, A::Error> {
        let Some(columns) = self.columns else {
            let mut fields = Vec::new();
            while let Some(entry) = map.next_entry::<String, RawCell>()? {
                fields.push(entry);
            }
            return Ok(RowRead::Fields(fields));
        };
        let mut cells = vec![Cell::Null; columns.len()];
        while let Some(key) = map.next_key::<String>()? {
            match column_at(columns, &key) {
                Some(i) => {
                    let raw: RawCell = map.next_value()?;
                    cells[i] = raw.into_cell(&columns[i].col_type);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(RowRead::Cells(cells))
    }
}

fn not_an_object(row: &Row<'_>) -> String {
    format!("result {} is not an object", row.index)
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
        // The service's order streams; results first are kept raw until
        // the schema comes.
        let streamed = format!(r#"{{"Schema":{SCHEMA},"Results":{ROWS},"Stats":{{}}}}"#);
        let reordered = format!(r#"{{"results":{ROWS},"schema":{SCHEMA}}}"#);
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
    fn a_malformed_answer_says_what_is_wrong() {
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
