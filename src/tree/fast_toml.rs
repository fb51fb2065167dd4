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

use super::doc::{Item, Key, Table, Value};
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
    Some(doc.root.finish())
}

/// A table while the document is built, with the facts that decide
/// whether it may still be extended.
#[derive(Default)]
pub(super) struct Open<'s> {
    pub entries: Vec<(Key<'s>, Node<'s>)>,
    /// Created by a dotted key or a header path, not defined itself.
    pub implicit: bool,
    /// Created or extended by a dotted key.
    pub dotted: bool,
    pub inline: bool,
}

/// A value while the document is built.
pub(super) enum Node<'s> {
    Plain(Item<'s>),
    Table(Open<'s>, Span),
    /// `[[x]]` entries (extensible) or an inline array (`of_tables` false).
    Array(Vec<Node<'s>>, Span, bool),
}

impl<'s> Open<'s> {
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.name == name)
    }

    pub(super) fn push(&mut self, key: Key<'s>, node: Node<'s>) -> Option<()> {
        if self.entries.len() >= MAX_KEYS {
            return None;
        }
        self.entries.push((key, node));
        Some(())
    }

    fn finish(self) -> Table<'s> {
        Table {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (k, v.finish()))
                .collect(),
        }
    }
}

impl<'s> Node<'s> {
    fn finish(self) -> Item<'s> {
        match self {
            Node::Plain(item) => item,
            Node::Table(t, span) => Item {
                value: Value::Table(t.finish()),
                span,
            },
            Node::Array(items, span, _) => Item {
                value: Value::Array(items.into_iter().map(Node::finish).collect()),
                span,
            },
        }
    }
}

/// Walks `path` from `table`, creating implicit tables; `None` where the
/// path runs into a value that cannot be extended.
pub(super) fn descend<'t, 's>(
    mut table: &'t mut Open<'s>,
    path: &[Key<'s>],
    dotted: bool,
) -> Option<&'t mut Open<'s>> {
    for key in path {
        let i = match table.position(&key.name) {
            Some(i) => i,
            None => {
                let new = Open {
                    implicit: true,
                    dotted,
                    ..Open::default()
                };
                table.push(key.clone(), Node::Table(new, key.span.clone()))?;
                table.entries.len() - 1
            }
        };
        table = match &mut table.entries[i].1 {
            Node::Array(items, _, true) => match items.last_mut()? {
                Node::Table(last, _) => last,
                _ => return None,
            },
            Node::Table(child, _) => {
                if child.inline {
                    return None;
                }
                if dotted && child.implicit {
                    child.dotted = true;
                }
                if dotted && !child.implicit {
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
    root: Open<'s>,
    /// The table key-values go to: the root until the first header.
    current: Open<'s>,
    header: Option<Header<'s>>,
}

impl<'s> Doc<'s> {
    fn key_value(&mut self, path: Vec<Key<'s>>, key: Key<'s>, value: Node<'s>) -> Option<()> {
        let dotted = !path.is_empty();
        let parent = descend(&mut self.current, &path, dotted)?;
        if (dotted && !parent.implicit) || parent.position(&key.name).is_some() {
            return None;
        }
        parent.push(key, value)
    }

    /// Files the table being filled under its header.
    fn finish_table(&mut self) -> Option<()> {
        let table = std::mem::take(&mut self.current);
        let Some(header) = self.header.take() else {
            self.root = table;
            return Some(());
        };
        let node = Node::Table(table, header.span.clone());
        let parent = descend(&mut self.root, &header.path, false)?;
        if header.is_array {
            let i = match parent.position(&header.key.name) {
                Some(i) => i,
                None => {
                    parent.push(header.key, Node::Array(Vec::new(), header.span, true))?;
                    parent.entries.len() - 1
                }
            };
            match &mut parent.entries[i].1 {
                Node::Array(items, _, true) => items.push(node),
                _ => return None,
            }
        } else {
            parent.push(header.key, node)?;
        }
        Some(())
    }

    fn start_table(&mut self, header: Header<'s>) -> Option<()> {
        if !header.is_array {
            let parent = descend(&mut self.root, &header.path, false)?;
            if let Some(i) = parent.position(&header.key.name) {
                match parent.entries.remove(i).1 {
                    // Defined before only as the path of another header.
                    Node::Table(t, _) if t.implicit && !t.dotted => self.current = t,
                    _ => return None,
                }
            }
        }
        if self.current.entries.capacity() == 0 {
            // A node table has about eight keys: grow once, not three times.
            self.current.entries.reserve_exact(8);
        }
        self.current.implicit = false;
        self.current.dotted = false;
        self.header = Some(header);
        Some(())
    }
}
