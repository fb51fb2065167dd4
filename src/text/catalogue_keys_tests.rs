//! Every catalogue key the code reads is in every catalogue. Keys typed as
//! enums (`message_keys!`, `Action`, `Phase`) are checked where they are
//! defined; this scan of `src/` finds the keys written as strings:
//! `.text("table", "key")` and `.fill(..)`, the CLI's `say::text("key")`,
//! calls of a wrapper such as `fn pick(lang, key) -> .text("timeline",
//! key)` with a literal key, and `msg_key!("table", "key")`, which is how
//! a key chosen at run time is written. A read whose key is neither is
//! reported, so a new one cannot slip past.

use std::collections::BTreeMap;
use std::path::Path;

use super::lang::Lang;
use crate::architecture_tests::rust_files;

/// A key read by the code, and where.
#[derive(Debug)]
struct Read {
    table: String,
    key: String,
    at: String,
}

/// The file's code without its unit tests (which read missing keys on
/// purpose).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("\n#[cfg(test)]\nmod tests") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

/// The string literal `text` starts with, if it does.
fn literal(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

/// The table an argument names: a literal, or a `const NAME: &str = "..."`
/// of the file.
fn table_of<'a>(arg: &'a str, code: &'a str) -> Option<&'a str> {
    if let Some(t) = literal(arg) {
        return Some(t);
    }
    let name: String = arg
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let decl = format!("const {name}: &str = ");
    let at = code.find(&decl)?;
    literal(&code[at + decl.len()..])
}

/// The line number of byte `at`.
fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// Wrappers: `fn name(lang, key: &str) ... .text("table", key)`, by name,
/// with whether other files may call them.
fn wrappers(code: &str) -> Vec<(String, String, bool)> {
    wrapper_spans(code)
        .into_iter()
        // `say::text(key)` takes the key first: its calls are scanned apart.
        .filter(|(name, ..)| !name.is_empty())
        .map(|(name, table, public, _)| (name, table, public))
        .collect()
}

/// [`wrappers`], each with the span of its body.
fn wrapper_spans(code: &str) -> Vec<(String, String, bool, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        let head = &code[at + 3..];
        let name: String = head
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(body_end) = head.find("\n}") else {
            continue;
        };
        let body = &head[..body_end];
        let params = &body[..body.find(')').unwrap_or(0)];
        if !params.contains("key: &str") {
            continue;
        }
        let named = if params.starts_with(&format!("{name}(key")) {
            String::new()
        } else {
            name.clone()
        };
        for call in [".text(", ".fill("] {
            for (c, _) in body.match_indices(call) {
                let args = &body[c + call.len()..];
                let Some((table, rest)) = args.split_once(',') else {
                    continue;
                };
                if rest.trim_start().starts_with("key")
                    && let Some(table) = table_of(table, code)
                {
                    let public = code[..at].ends_with("pub ") || code[..at].ends_with(") ");
                    let span = at..at + 3 + body_end;
                    out.push((named.clone(), table.to_string(), public, span));
                }
            }
        }
    }
    out
}

fn reads() -> (Vec<Read>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let codes: Vec<(String, String)> = files
        .iter()
        .filter(|p| !p.ends_with("catalogue_keys_tests.rs"))
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().display().to_string();
            (name, code_of(p))
        })
        .collect();
    let shared: Vec<(String, String)> = codes
        .iter()
        .flat_map(|(_, code)| wrappers(code))
        .filter(|(_, _, public)| *public)
        .map(|(name, table, _)| (name, table))
        .collect();
    let mut found = Vec::new();
    let mut unchecked = Vec::new();
    for (file, code) in &codes {
        let at = |i: usize| format!("{file}:{}", line_of(code, i));
        let spans = wrapper_spans(code);
        let mut push = |table: &str, key: &str, i: usize| {
            found.push(Read {
                table: table.into(),
                key: key.into(),
                at: at(i),
            })
        };
        // Direct reads, with a literal key or (checked below) not.
        for call in [".text(", ".fill("] {
            for (i, _) in code.match_indices(call) {
                let args = &code[i + call.len()..];
                let Some((table, rest)) = args.split_once(',') else {
                    continue;
                };
                // Other `.text(..)` methods (JSON fields, widgets) are not reads.
                let Some(table) = table_of(table, code).filter(|t| Lang::EN.has_table(t)) else {
                    continue;
                };
                match literal(rest) {
                    Some(key) => push(table, key, i),
                    None => {
                        let key = rest.trim_start();
                        let arg = key.split([',', '\n']).next().unwrap_or("");
                        // `.key()` is a `message_keys!` enum's, checked where declared.
                        let typed = arg.contains(".name()") || arg.contains(".key()");
                        let in_wrapper = spans.iter().any(|(.., s)| s.contains(&i));
                        let declared = code.contains(&format!("msg_key!(\"{table}\""));
                        if !(typed || in_wrapper || declared) {
                            unchecked.push(format!("{} [{table}]", at(i)));
                        }
                    }
                }
            }
        }
        // The CLI's messages.
        for call in [
            "say::text(",
            "say::fill(",
            "super::say::text(",
            "super::say::fill(",
        ] {
            for (i, _) in code.match_indices(call) {
                if call.starts_with("say") && code[..i].ends_with("::") {
                    continue;
                }
                match literal(&code[i + call.len()..]) {
                    Some(key) => push("cli", key, i),
                    None if code.contains("msg_key!(\"cli\"") => {}
                    None => unchecked.push(format!("{} [cli]", at(i))),
                }
            }
        }
        // Keys chosen at run time, each named where it is chosen.
        for (i, _) in code.match_indices("msg_key!(") {
            let args = &code[i + "msg_key!(".len()..];
            if let Some((table, key)) = args.split_once(',')
                && let (Some(table), Some(key)) = (literal(table), literal(key))
            {
                push(table, key, i);
            }
        }
        // Wrappers called with a literal key: this file's, then shared ones.
        let mut local: BTreeMap<String, String> = shared.iter().cloned().collect();
        local.extend(wrappers(code).into_iter().map(|(n, t, _)| (n, t)));
        for (name, table) in &local {
            for (i, _) in code.match_indices(&format!("{name}(")) {
                let before = code[..i].chars().last().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' || before == '.' {
                    continue;
                }
                let args = &code[i + name.len() + 1..];
                let first_arg_end = args.find([',', ')']).unwrap_or(0);
                if args[first_arg_end..].starts_with(',')
                    && let Some(key) = literal(&args[first_arg_end + 1..])
                {
                    push(table, key, i);
                }
            }
        }
    }
    (found, unchecked)
}

/// Every key read as a string is in every catalogue, and every read has a
/// key the scan can see.
#[test]
fn every_key_the_code_reads_is_in_every_catalogue() {
    let (found, unchecked) = reads();
    assert!(
        unchecked.is_empty(),
        "keys chosen at run time must be written with msg_key!(\"table\", \"key\"): {unchecked:#?}"
    );
    // The scan finds what it is meant to: a read of each kind.
    for (table, key) in [
        ("cli", "list-title"),
        ("message", "quit-question"),
        ("timeline", "jumped-from"),
        ("report", "scorecard"),
        ("home", "closed-folded"),
        ("value", "Upn"),
        ("action", "jump-save"),
    ] {
        assert!(
            found.iter().any(|r| r.table == table && r.key == key),
            "the scan missed [{table}] {key}"
        );
    }
    let mut missing = Vec::new();
    for lang in Lang::all() {
        for read in &found {
            if !lang.has(&read.table, &read.key) {
                missing.push(format!(
                    "{}: [{}] {} (read at {})",
                    lang.code(),
                    read.table,
                    read.key,
                    read.at
                ));
            }
        }
    }
    assert!(missing.is_empty(), "missing from a catalogue: {missing:#?}");
}

/// The scan itself: a wrapper is recognised and a literal after it read.
#[test]
fn the_scan_recognises_wrappers_and_named_keys() {
    let code = "fn pick(lang: &str, key: &str) -> &'static str {\n    Lang::of(lang).text(\"timeline\", key)\n}\n";
    assert_eq!(
        wrappers(code),
        [("pick".to_string(), "timeline".to_string(), false)]
    );
    assert_eq!(literal(" \"a-b\", x"), Some("a-b"));
    assert_eq!(
        table_of("MSG", "const MSG: &str = \"message\";"),
        Some("message")
    );
}
