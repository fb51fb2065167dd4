//! Streaming deserialisation of a Log Analytics table: when `columns` comes
//! before `rows` (as the service sends it), each value is read straight
//! into its typed cell with no intermediate row vectors. Tables that list
//! rows first still parse, through [`RawCell`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::cells::RawCell;
use super::table::{Cell, Column, ColumnType, ResultTable};

#[derive(Deserialize)]
struct RawColumn {
    name: String,
    #[serde(rename = "type", default)]
    col_type: String,
}

/// Wrapper so a `Vec<LaTable>` can be derived in the response struct.
pub(crate) struct LaTable(pub ResultTable);

impl<'de> Deserialize<'de> for LaTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TableVisitor).map(LaTable)
    }
}

struct TableVisitor;

impl<'de> Visitor<'de> for TableVisitor {
    type Value = ResultTable;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table with name, columns and rows")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResultTable, A::Error> {
        let mut name = String::new();
        let mut columns: Option<Vec<Column>> = None;
        let mut rows: Option<Vec<Vec<Cell>>> = None;
        let mut raw_rows: Option<Vec<Vec<RawCell>>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => name = map.next_value()?,
                "columns" => {
                    let raw: Vec<RawColumn> = map.next_value()?;
                    columns = Some(
                        raw.into_iter()
                            .map(|c| Column {
                                name: c.name,
                                col_type: ColumnType::parse(&c.col_type),
                            })
                            .collect(),
                    );
                }
                "rows" => match &columns {
                    Some(cols) => rows = Some(map.next_value_seed(RowsSeed(cols))?),
                    None => raw_rows = Some(map.next_value()?),
                },
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let columns = columns.ok_or_else(|| de::Error::missing_field("columns"))?;
        let rows = match (rows, raw_rows) {
            (Some(rows), _) => rows,
            (None, Some(raw)) => {
                let mut rows = Vec::with_capacity(raw.len());
                for (r, row) in raw.into_iter().enumerate() {
                    if row.len() != columns.len() {
                        return Err(de::Error::custom(format!(
                            "row {r} has {} values for {} columns",
                            row.len(),
                            columns.len()
                        )));
                    }
                    rows.push(
                        row.into_iter()
                            .zip(&columns)
                            .map(|(v, c)| v.into_cell(&c.col_type))
                            .collect(),
                    );
                }
                rows
            }
            (None, None) => Vec::new(),
        };
        Ok(ResultTable {
            name,
            columns,
            rows,
        })
    }
}

struct RowsSeed<'a>(&'a [Column]);

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = Vec<Vec<Cell>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = Vec<Vec<Cell>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(row) = seq.next_element_seed(RowSeed {
            columns: self.0,
            index: rows.len(),
        })? {
            rows.push(row);
        }
        Ok(rows)
    }
}

struct RowSeed<'a> {
    columns: &'a [Column],
    index: usize,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Vec<Cell>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Vec<Cell>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row (an array of values)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut cells = Vec::with_capacity(self.columns.len());
        for column in self.columns {
            match seq.next_element::<RawCell>()? {
                Some(raw) => cells.push(raw.into_cell(&column.col_type)),
                None => {
                    return Err(de::Error::custom(format!(
                        "row {} has {} values for {} columns",
                        self.index,
                        cells.len(),
                        self.columns.len()
                    )));
                }
            }
        }
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(format!(
                "row {} has more values than its {} columns",
                self.index,
                self.columns.len()
            )));
        }
        Ok(cells)
    }
}
