//! Graph pages streamed into one typed table: each entity of a page's
//! `value` array becomes a row of cells as it is read, columns in order of
//! first appearance, a column's type that of its first non-null value. No
//! `serde_json::Value` tree of a page is built (a 200,000-entity page held
//! that tree and an ordered copy of it at once).

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::cells::{RawCell, RawVisitor};
use super::error::LookupError;
use super::table::{Cell, Column, ColumnType, ResultTable};

/// The rows of every page read so far.
#[derive(Debug, Default)]
pub struct GraphRows {
    columns: Vec<Column>,
    /// False while a column has seen only nulls (its type is not known).
    typed: Vec<bool>,
    index: HashMap<String, usize>,
    /// Rows read before a column appeared are shorter; `table` pads them.
    rows: Vec<Vec<Cell>>,
}

impl GraphRows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds a page held in memory (a recording); see [`GraphRows::absorb_from`].
    pub fn absorb(&mut self, body: &[u8]) -> Result<Option<String>, LookupError> {
        self.absorb_from(body)
    }

    /// Adds a page's entities (or the single entity or scalar a non-collection
    /// answer holds) as `body` is read; returns the page's next link, if
    /// any. A page that fails part-way adds nothing, so a retried page is
    /// not counted twice.
    pub fn absorb_from<R: std::io::Read>(
        &mut self,
        body: R,
    ) -> Result<Option<String>, LookupError> {
        let bad = |m: String| LookupError::Malformed(format!("Graph response: {m}"));
        let (rows, columns) = (self.rows.len(), self.columns.len());
        let mut de = serde_json::Deserializer::from_reader(body);
        let read = de
            .deserialize_map(Page(self))
            .and_then(|next| de.end().map(|()| next));
        read.map_err(|e| {
            self.rows.truncate(rows);
            for gone in self.columns.drain(columns..) {
                self.index.remove(&gone.name);
            }
            self.typed.truncate(columns);
            bad(e.to_string())
        })
    }

    /// The table of everything absorbed; a column that held only nulls is text.
    pub fn table(self) -> ResultTable {
        let width = self.columns.len();
        let rows = self
            .rows
            .into_iter()
            .map(|mut r| {
                r.resize(width, Cell::Null);
                r
            })
            .collect();
        ResultTable {
            name: "value".into(),
            columns: self.columns,
            rows,
        }
    }

    fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.columns.push(Column {
            name: name.to_string(),
            col_type: ColumnType::String,
        });
        self.typed.push(false);
        self.index.insert(name.to_string(), self.columns.len() - 1);
        self.columns.len() - 1
    }

    /// Sets column `name` of `row` to `raw`, typing the column on its first
    /// non-null value.
    fn set(&mut self, row: &mut Vec<Cell>, name: &str, raw: RawCell) {
        // Paging metadata inside an entity is not data.
        if name == "@odata.context" || name == "@odata.nextLink" {
            return;
        }
        let i = self.column(name);
        if !self.typed[i]
            && let Some(t) = infer(&raw)
        {
            self.columns[i].col_type = t;
            self.typed[i] = true;
        }
        if row.len() <= i {
            row.resize(i + 1, Cell::Null);
        }
        row[i] = raw.into_cell(&self.columns[i].col_type);
    }

    fn push(&mut self, fields: Vec<(String, RawCell)>) {
        let mut row = Vec::with_capacity(self.columns.len());
        for (name, raw) in fields {
            self.set(&mut row, &name, raw);
        }
        self.rows.push(row);
    }
}

fn infer(raw: &RawCell) -> Option<ColumnType> {
    match raw {
        RawCell::Null => None,
        RawCell::Bool(_) => Some(ColumnType::Bool),
        RawCell::I64(_) | RawCell::U64(_) => Some(ColumnType::Long),
        RawCell::F64(_) => Some(ColumnType::Real),
        RawCell::Str(_) => Some(ColumnType::String),
        RawCell::Json(_) => Some(ColumnType::Dynamic),
    }
}

/// The scalar visits of a visitor that takes any scalar as one cell:
/// `RawVisitor` reads it, `$wrap` wraps it.
macro_rules! scalars_as_raw_cell {
    ($out:ty, $wrap:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
            RawVisitor.visit_unit().map($wrap)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<$out, E> {
            RawVisitor.visit_bool(v).map($wrap)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<$out, E> {
            RawVisitor.visit_i64(v).map($wrap)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<$out, E> {
            RawVisitor.visit_u64(v).map($wrap)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<$out, E> {
            RawVisitor.visit_f64(v).map($wrap)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<$out, E> {
            RawVisitor.visit_str(v).map($wrap)
        }
    };
}

/// A page's root object.
struct Page<'a>(&'a mut GraphRows);

impl<'de> Visitor<'de> for Page<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut next = None;
        let mut value = None;
        // Kept for an answer that is one entity rather than a collection.
        let mut root: Vec<(String, RawCell)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "@odata.nextLink" => {
                    next = map
                        .next_value::<Option<String>>()
                        .map_err(|_| de::Error::custom("@odata.nextLink is not a string"))?;
                }
                "@odata.context" => {
                    map.next_value::<de::IgnoredAny>()?;
                }
                "value" => value = Some(map.next_value_seed(ValueSeed(&mut *self.0))?),
                _ => root.push((key, map.next_value()?)),
            }
        }
        match value {
            Some(ValueField::Collection) => {}
            // A scalar such as `{"value": true}`.
            Some(ValueField::Scalar(raw)) => {
                root.push(("value".into(), raw));
                self.0.push(root);
            }
            None => self.0.push(root),
        }
        Ok(next)
    }
}

enum ValueField {
    /// An array: its items are already rows.
    Collection,
    Scalar(RawCell),
}

struct ValueSeed<'a>(&'a mut GraphRows);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ValueField;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ValueField, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ValueField;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a collection or a value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueField, A::Error> {
        while let Some(item) = seq.next_element::<Item>()? {
            match item {
                Item::Entity(fields) => self.0.push(fields),
                // A collection of scalars: one column named "value".
                Item::Scalar(raw) => self.0.push(vec![("value".into(), raw)]),
            }
        }
        Ok(ValueField::Collection)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ValueField, A::Error> {
        RawCell::deserialize(de::value::MapAccessDeserializer::new(map)).map(ValueField::Scalar)
    }

    scalars_as_raw_cell!(ValueField, ValueField::Scalar);
}

/// One item of a `value` array: an entity's fields in the order sent, or
/// anything else as one cell.
enum Item {
    Entity(Vec<(String, RawCell)>),
    Scalar(RawCell),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        d.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an entity or a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(entry) = map.next_entry::<String, RawCell>()? {
            fields.push(entry);
        }
        Ok(Item::Entity(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item, A::Error> {
        RawCell::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Item::Scalar)
    }

    scalars_as_raw_cell!(Item, Item::Scalar);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pages: &[&str]) -> (ResultTable, Vec<Option<String>>) {
        let mut rows = GraphRows::default();
        let links = pages
            .iter()
            .map(|p| rows.absorb(p.as_bytes()).unwrap())
            .collect();
        (rows.table(), links)
    }

    #[test]
    fn pages_become_one_table_in_the_order_keys_first_appear() {
        let (t, links) = table(&[
            r#"{"@odata.context":"x","value":[{"id":"1","n":null},{"id":"2","n":5,"@odata.context":"y"}],"@odata.nextLink":"https://g/next"}"#,
            r#"{"value":[{"z":{"a":[1]},"id":"3","n":7.5}]}"#,
        ]);
        assert_eq!(links, vec![Some("https://g/next".to_string()), None]);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "n", "z"]);
        // Typed by the first non-null value; later values of another type kept.
        assert_eq!(t.columns[1].col_type, ColumnType::Long);
        assert_eq!(t.columns[2].col_type, ColumnType::Dynamic);
        assert_eq!(
            t.rows[0],
            vec![Cell::Str("1".into()), Cell::Null, Cell::Null]
        );
        assert_eq!(t.rows[1][1], Cell::Long(5));
        assert_eq!(t.rows[2][1], Cell::Real(7.5));
        assert_eq!(t.rows[2][2].text(), r#"{"a":[1]}"#);
    }

    #[test]
    fn an_entity_a_scalar_and_a_scalar_collection_are_tables_too() {
        let (t, _) = table(&[r#"{"@odata.context":"x","id":"u1","accountEnabled":true}"#]);
        assert_eq!(t.rows, vec![vec![Cell::Str("u1".into()), Cell::Bool(true)]]);
        let (t, _) = table(&[r#"{"@odata.context":"x","value":true}"#]);
        assert_eq!(t.columns[0].name, "value");
        assert_eq!(t.rows, vec![vec![Cell::Bool(true)]]);
        let (t, _) = table(&[r#"{"value":["a","b"]}"#]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1], vec![Cell::Str("b".into())]);
        let (t, _) = table(&[r#"{"value":[{"only":null}]}"#]);
        assert_eq!(
            t.columns[0].col_type,
            ColumnType::String,
            "never typed: text"
        );
    }

    #[test]
    fn a_malformed_page_is_refused_with_the_reason() {
        let mut rows = GraphRows::default();
        let err = rows
            .absorb(br#"{"value":[1],"@odata.nextLink":5}"#)
            .unwrap_err();
        assert!(
            err.to_string().contains("@odata.nextLink is not a string"),
            "{err}"
        );
        assert!(rows.absorb(b"[1]").is_err());
        assert!(rows.absorb(br#"{"value":[]} trailing"#).is_err());
    }

    #[test]
    fn a_page_that_fails_part_way_adds_nothing() {
        let mut rows = GraphRows::default();
        rows.absorb(br#"{"value":[{"id":"1"}]}"#).unwrap();
        // Two good entities, a new column, then the body breaks off.
        let cut = br#"{"value":[{"id":"2","extra":1},{"id":"3"},{"id":"#;
        assert!(rows.absorb(cut).is_err());
        rows.absorb(br#"{"value":[{"id":"2","other":true}]}"#)
            .unwrap();
        let t = rows.table();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "other"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.columns[1].col_type, ColumnType::Bool);
    }
}
