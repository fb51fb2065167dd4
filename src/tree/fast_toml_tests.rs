//! Differential tests: wherever the fast reader returns a document, it is
//! the one the `toml` crate builds (keys, values, spans); where the `toml`
//! crate reports an error, the fast reader declines.

use std::path::Path;

use proptest::prelude::*;
use toml::de::DeTable;

use super::doc::{Item, Table, Value, from_toml};
use super::fast_toml::parse;

/// Entries sorted by key, recursively: the `toml` crate's tables are
/// ordered by key, the fast reader's by position.
fn canonical(table: &Table) -> Table<'static> {
    let mut entries: Vec<_> = table
        .entries
        .iter()
        .map(|(k, v)| {
            let key = super::doc::Key {
                name: k.name.to_string().into(),
                span: k.span.clone(),
            };
            (key, canonical_item(v))
        })
        .collect();
    entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    Table {
        entries,
        ..Table::default()
    }
}

fn canonical_item(item: &Item) -> Item<'static> {
    let value = match &item.value {
        Value::String(s) => Value::String(s.to_string().into()),
        Value::Integer => Value::Integer,
        Value::Float => Value::Float,
        Value::Boolean(b) => Value::Boolean(*b),
        Value::Datetime => Value::Datetime,
        Value::Array(items) => Value::Array(items.iter().map(canonical_item).collect()),
        Value::Table(t) => Value::Table(canonical(t)),
    };
    Item {
        value,
        span: item.span.clone(),
    }
}

/// Checks the contract on `source`; returns whether the fast reader took it.
fn agrees(source: &str) -> bool {
    let (reference, errors) = DeTable::parse_recoverable(source);
    match parse(source) {
        None => false,
        Some(fast) => {
            assert!(
                errors.is_empty(),
                "fast reader accepted what the toml crate rejects: {errors:?}\n{source}"
            );
            assert_eq!(
                canonical(&fast),
                canonical(&from_toml(reference.get_ref())),
                "documents differ for\n{source}"
            );
            true
        }
    }
}

fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn shipped_trees_take_the_fast_path_and_agree() {
    for source in super::catalog::shipped() {
        assert!(agrees(&source.text), "{} fell back", source.origin);
    }
}

#[test]
fn every_fixture_agrees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    toml_files(&root, &mut files);
    assert!(files.len() > 50, "fixtures not found under {root:?}");
    let mut fast = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        fast += usize::from(agrees(&text));
    }
    // Most fixtures are well-formed TOML (their errors are tree errors).
    assert!(
        fast * 2 > files.len(),
        "only {fast} of {} fast",
        files.len()
    );
}

/// Constructs trees rely on: each must be read fast and agree.
const ACCEPTED: &[&str] = &[
    "a = \"x\"\nb = 'y'\n# comment\n\n c = true # trailing\nd = false\r\n",
    "[tree]\ntitle.en = \"T\"\ntitle.ja = \"日本\"\n",
    "[[nodes]]\nid = \"a\"\n[[nodes.choices]]\nid = \"x\"\n[[nodes.choices]]\nid = \"y\"\n[[nodes]]\nid = \"b\"\n[[nodes.choices]]\nid = \"z\"\n",
    "s = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600 \\b\\f\\r\\n\"\n",
    "s = \"\"\"\nline one\n  line \"two\" \"\"\n\"\"\"\n",
    "s = \"\"\"a \\\n   \n    b\\\n c\"\"\"\n",
    "s = \"\"\"\"\"quoted\"\"\"\"\"\n",
    "s = '''\nC:\\path\\'quoted'\n'''\nt = '''x''''\n",
    "s = '''\nfirst\n'''",
    "bind = [ { column = \"A\", variable = \"upn\" }, {column='B',variable=\"ip\"} ]\n",
    "x = { en = \"a\", ja = \"b\" }\ny = {}\nz = { a.b = \"c\", a.d = \"e\" }\n",
    "arr = [\n  \"a\", # one\n  \"b\",\n]\nnested = [[\"a\"], [true, []]]\nempty = []\n",
    "[a.b]\nx = true\n[a]\ny = true\n",
    "[ a . \"b c\" . 'd' ]\nk = true\n\"quoted key\" = \"v\"\n'lit' = \"v\"\n\"\" = \"empty key\"\n",
    "[x]\na.b = true\n[[x.list]]\nk = \"v\"\n",
    "[[n]]\nt.en = \"a\"\n[[n]]\nt.en = \"b\"\n",
    "s = 'tab\there \u{e9}'\nt = \"tab\there\"\n# tab\there\n",
];

#[test]
fn tree_constructs_are_read_fast_and_agree() {
    for source in ACCEPTED {
        assert!(agrees(source), "fell back on\n{source}");
    }
}

/// Errors (and constructs left to the `toml` crate): the fast reader must
/// decline, so the `toml` crate's message is the one shown.
const DECLINED: &[&str] = &[
    "a = 1\n",
    "a = 1.5\n",
    "a = 1979-05-27\n",
    "a = \"x\"\na = \"y\"\n",
    "[a]\n[a]\n",
    "[a]\nb.c = true\n[a.b]\n",
    "a.b = true\n[a]\n",
    "a = { b = true }\n[a]\n",
    "a = { b = true }\na.c = true\n",
    "a = [ { b = true } ]\n[[a]]\n",
    "a = []\n[[a]]\n",
    "a = { b = [] }\n[[a.b]]\n",
    "[[a]]\nb = []\n[[a.b]]\n",
    "[[a]]\n[a]\n",
    "[a]\n[[a]]\n",
    "a = \"x\"\n[a.b]\n",
    "s = \"bad \\q escape\"\n",
    "s = \"\\e\"\n",
    "s = \"\\uD800\"\n",
    "s = \"open\n",
    "s = '''never closed\n",
    "s = \"\"\"a\"\"\"\"\"\"\n",
    "s = \"ctl \u{1} char\"\n",
    "a = true x\n",
    "a = truex\n",
    "[a] b = true\n",
    "[[a]\n",
    "[]\n",
    "= true\n",
    "a = \n",
    "a = [ \"x\" \"y\" ]\n",
    "a = { b = true, }\n",
    "a = {\n b = true }\n",
    "a = \"x\"\rb = \"y\"\n",
    "s = \"\"\"a\r\nb\"\"\"\n",
    "\u{feff}a = true\n",
    "# comment with \u{7f}\na = true\n",
    "# comment with \u{1}\na = true\n",
    "s = 'ctl \u{1} char'\n",
    "s = 'del \u{7f} char'\n",
    "s = \"del \u{7f} char\"\n",
    "s = \"escape then ctl \\n \u{1}\"\n",
    "s = 'open\n",
];

#[test]
fn errors_and_other_constructs_are_declined() {
    for source in DECLINED {
        assert!(parse(source).is_none(), "fast reader took\n{source}");
        agrees(source);
    }
}

#[test]
fn deep_nesting_is_left_to_the_toml_crate() {
    let deep = format!("a = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert!(parse(&deep).is_none());
    let dotted = vec!["a"; 5000].join(".");
    assert!(parse(&format!("[{dotted}]\n")).is_none());
    assert!(parse(&format!("{dotted} = true\n")).is_none());
    let wide: String = (0..1000).map(|i| format!("k{i} = true\n")).collect();
    assert!(parse(&wide).is_none());
}

fn sample() -> String {
    let shipped = super::catalog::shipped();
    let text = &shipped[0].text;
    // The first 6000 bytes, cut back to a character boundary.
    let end = (0..=text.len().min(6000))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..end].to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Mutated tree text: whatever the fast reader takes, it reads as the
    /// `toml` crate does.
    #[test]
    fn mutations_agree(edits in proptest::collection::vec(
        (any::<prop::sample::Index>(), prop::sample::select(vec![
            "", "\"", "'", "\"\"\"", "'''", "\\", "\n", "\r\n", "[", "]", "[[", "{", "}",
            "=", ".", ",", "#", " ", "a", "1", "true", "\\u00e9", "\\\n", "é",
        ])), 1..6)) {
        let mut text = sample();
        for (at, insert) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.insert_str(i, insert);
        }
        agrees(&text);
    }

    #[test]
    fn random_toml_like_text_agrees(text in "([a-c. ='\"\\[\\]{},#\n]|true|\"\"\"|''')*") {
        agrees(&text);
    }
}

#[test]
fn long_strings_stop_at_every_special_byte_wherever_it_is() {
    // Plain runs are skipped in a tight loop: put each byte that matters
    // at every offset of a long string.
    for at in 0..24 {
        let (before, after) = ("a".repeat(at), "é".repeat(12));
        for accepted in ["\t", "\\n", "\\\"", "\\\\", "é", "'"] {
            let source = format!("s = \"{before}{accepted}{after}\"\n");
            assert!(agrees(&source), "fell back on\n{source}");
        }
        for declined in ["\u{1}", "\u{1f}", "\u{7f}", "\n", "\r"] {
            let source = format!("s = \"{before}{declined}{after}\"\n");
            assert!(parse(&source).is_none(), "fast reader took\n{source:?}");
            agrees(&source);
        }
        let unclosed = format!("s = \"{before}{after}");
        assert!(parse(&unclosed).is_none(), "fast reader took {unclosed:?}");
    }
}
