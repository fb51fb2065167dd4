//! The domain modules know no screen and depend on each other without a
//! cycle, and `app` (state and `update`) knows neither how it is drawn nor
//! how its effects run. Read from the sources, so a new `use` that breaks a
//! rule fails here, naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that must be testable alone.
const DOMAIN: &[&str] = &[
    "assets", "text", "tree", "store", "lookup", "scenario", "sync",
];
/// Modules that own the screen, the terminal or the command line.
const SCREEN_SIDE: &[&str] = &["app", "ui", "runtime", "cli"];

/// Every `.rs` file below `dir` (the catalogue key scan reads them too).
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn leading_ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a source file names through `crate::`, including
/// grouped imports (`use crate::{a::x, b};`).
fn crate_refs(source: &str) -> BTreeSet<String> {
    let mut refs = BTreeSet::new();
    for (i, _) in source.match_indices("crate::") {
        let before = source[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &source[i + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            refs.insert(leading_ident(rest).to_string());
            continue;
        };
        let (mut depth, mut start) = (0usize, 0usize);
        for (j, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    refs.insert(leading_ident(&group[start..j]).to_string());
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    refs.insert(leading_ident(&group[start..j]).to_string());
                    start = j + 1;
                }
                _ => {}
            }
        }
    }
    refs.remove("");
    refs
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// Each file of `src/{module}` with the top-level modules it names.
fn module_refs(module: &str) -> Vec<(PathBuf, BTreeSet<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    // A module is `src/{module}/`, `src/{module}.rs`, or both.
    if src.join(module).is_dir() {
        rust_files(&src.join(module), &mut files);
    }
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        files.push(single);
    }
    assert!(!files.is_empty(), "no sources under src/{module}");
    files
        .into_iter()
        .map(|file| {
            let refs = crate_refs(&std::fs::read_to_string(&file).unwrap());
            (file, refs)
        })
        .collect()
}

#[test]
fn domain_modules_know_no_screen_and_form_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut offences = Vec::new();
    for module in DOMAIN {
        let deps = graph.entry(module.to_string()).or_default();
        for (file, refs) in module_refs(module) {
            for dep in refs {
                if SCREEN_SIDE.contains(&dep.as_str()) {
                    offences.push(format!("{} uses crate::{dep}", file.display()));
                } else if dep != *module && DOMAIN.contains(&dep.as_str()) {
                    deps.insert(dep);
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
    assert_eq!(find_cycle(&graph), None, "domain modules form a cycle");
}

#[test]
fn app_knows_neither_the_screen_nor_the_runtime() {
    let offences: Vec<String> = module_refs("app")
        .into_iter()
        .flat_map(|(file, refs)| {
            refs.into_iter()
                .filter(|dep| ["ui", "runtime", "cli"].contains(&dep.as_str()))
                .map(move |dep| format!("{} uses crate::{dep}", file.display()))
        })
        .collect();
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

#[test]
fn grouped_and_nested_imports_are_read() {
    let refs = crate_refs(
        "use crate::{tree::{Tree, Node}, store};\nfn f() { crate::ui::draw(); mycrate::x(); }",
    );
    let refs: Vec<_> = refs.iter().map(String::as_str).collect();
    assert_eq!(refs, ["store", "tree", "ui"]);
}

#[test]
fn a_planted_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("tree", vec!["text"]),
        ("store", vec!["tree", "lookup"]),
        ("lookup", vec!["store"]),
        ("text", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let cycle = find_cycle(&graph).expect("store -> lookup -> store");
    assert!(cycle.contains(&"store".to_string()) && cycle.contains(&"lookup".to_string()));
    let mut acyclic = graph.clone();
    acyclic.get_mut("lookup").unwrap().clear();
    assert_eq!(find_cycle(&acyclic), None);
}
