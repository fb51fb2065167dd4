//! A fast reader for the TOML that tree files are written in: comments, bare,
//! quoted and dotted keys, `[table]` and `[[array]]` headers, the four string
//! forms, booleans, arrays and one-line inline tables.
//!
//! It either returns exactly the document the `toml` crate would build, or
//! `None` ("not sure"): on any syntax error, any construct outside that
//! subset (numbers, datetimes, TOML 1.1 additions, bare CR, deep nesting,
//! very wide tables) and any duplicate or redefined key. The caller then
//! parses with the `toml` crate, which gives the authoritative result and
//! error messages. So speed never changes what is accepted or reported.
//!
//! Table semantics (implicit tables, dotted keys, arrays of tables extended
//! through their last entry) follow the TOML specification, step by step
//! as the `toml` crate's document builder applies them.

use super::doc::{Item, Key, Origin, Table, Value};
use super::fast_toml_syntax::Parser;
use super::model::Span;

/// Nesting of arrays, inline tables and dotted keys beyond this is left to the `toml`
/// crate and its recursion limit.
pub(super) const MAX_DEPTH: usize = 16;
/// Tables wider than this are left to the `toml` crate, so key lookups here
/// stay cheap even for hostile input.
const MAX_KEYS: usize = 128;

/// The document, or `None` when the `toml` crate must decide.
pub(crate) fn parse(src: &str) -> Option<Table<'_>> {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
    };
    let mut doc = Doc::default();
    loop {
        p.skip_ws();
        match p.peek() {
            None => break,
            Some(b'\n' | b'\r' | b'#') => {}
            Some(b'[') => {
                let header = p.header()?;
                doc.finish_table()?;
                doc.start_table(header)?;
            }
            Some(_) => {
                let (path, key) = p.dotted_key()?;
                p.skip_ws();
                p.eat(b'=')?;
                p.skip_ws();
                let value = p.value(0)?;
                doc.key_value(path, key, value)?;
            }
        }
        p.line_end()?;
    }
    doc.finish_table()?;
    Some(doc.root)
}

/// Building a table in place: the reader fills the document's own types,
/// so nothing is converted or copied once the file is read.
impl<'s> Table<'s> {
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.name == name)
    }

    pub(super) fn push(&mut self, key: Key<'s>, item: Item<'s>) -> Option<()> {
        if self.entries.len() >= MAX_KEYS {
            return None;
        }
        self.entries.push((key, item));
        Some(())
    }
}

/// An array made by `[[x]]` headers (which later headers extend), as
/// opposed to an inline array: its entries are marked when pushed, and it
/// is never empty.
fn is_table_array(items: &[Item<'_>]) -> bool {
    matches!(items.first(), Some(Item { value: Value::Table(t), .. }) if t.origin.array_entry)
}

/// Walks `path` from `table`, creating implicit tables; `None` where the
/// path runs into a value that cannot be extended.
pub(super) fn descend<'t, 's>(
    mut table: &'t mut Table<'s>,
    path: &[Key<'s>],
    dotted: bool,
) -> Option<&'t mut Table<'s>> {
    for key in path {
        let i = match table.position(&key.name) {
            Some(i) => i,
            None => {
                let new = Table {
                    entries: Vec::new(),
                    origin: Origin {
                        implicit: true,
                        dotted,
                        ..Origin::default()
                    },
                };
                let item = Item {
                    value: Value::Table(new),
                    span: key.span.clone(),
                };
                table.push(key.clone(), item)?;
                table.entries.len() - 1
            }
        };
        table = match &mut table.entries[i].1.value {
            Value::Array(items) if is_table_array(items) => match items.last_mut()? {
                Item {
                    value: Value::Table(last),
                    ..
                } => last,
                _ => return None,
            },
            Value::Table(child) => {
                if child.origin.inline {
                    return None;
                }
                if dotted && child.origin.implicit {
                    child.origin.dotted = true;
                }
                if dotted && !child.origin.implicit {
                    return None;
                }
                child
            }
            _ => return None,
        };
    }
    Some(table)
}

pub(super) struct Header<'s> {
    pub path: Vec<Key<'s>>,
    pub key: Key<'s>,
    pub span: Span,
    pub is_array: bool,
}

#[derive(Default)]
struct Doc<'s> {
    root: Table<'s>,
    /// The table key-values go to: the root until the first header.
    current: Table<'s>,
    header: Option<Header<'s>>,
}

impl<'s> Doc<'s> {
    fn key_value(&mut self, path: Vec<Key<'s>>, key: Key<'s>, value: Item<'s>) -> Option<()> {
        let dotted = !path.is_empty();
        let parent = descend(&mut self.current, &path, dotted)?;
        if (dotted && !parent.origin.implicit) || parent.position(&key.name).is_some() {
            return None;
        }
        parent.push(key, value)
    }

    /// Files the table being filled under its header.
    fn finish_table(&mut self) -> Option<()> {
        let mut table = std::mem::take(&mut self.current);
        let Some(header) = self.header.take() else {
            self.root = table;
            return Some(());
        };
        table.origin.array_entry = header.is_array;
        let item = Item {
            value: Value::Table(table),
            span: header.span.clone(),
        };
        let parent = descend(&mut self.root, &header.path, false)?;
        if header.is_array {
            match parent.position(&header.key.name) {
                Some(i) => match &mut parent.entries[i].1.value {
                    Value::Array(items) if is_table_array(items) => items.push(item),
                    _ => return None,
                },
                None => {
                    let array = Item {
                        value: Value::Array(vec![item]),
                        span: header.span,
                    };
                    parent.push(header.key, array)?;
                }
            }
        } else {
            parent.push(header.key, item)?;
        }
        Some(())
    }

    fn start_table(&mut self, header: Header<'s>) -> Option<()> {
        if !header.is_array {
            let parent = descend(&mut self.root, &header.path, false)?;
            if let Some(i) = parent.position(&header.key.name) {
                match parent.entries.remove(i).1.value {
                    // Defined before only as the path of another header.
                    Value::Table(t) if t.origin.implicit && !t.origin.dotted => self.current = t,
                    _ => return None,
                }
            }
        }
        if self.current.entries.capacity() == 0 {
            // A node table has about eight keys: grow once, not three times.
            self.current.entries.reserve_exact(8);
        }
        self.current.origin.implicit = false;
        self.current.origin.dotted = false;
        self.header = Some(header);
        Some(())
    }
}
