//! Both languages everywhere, Japanese that is actually Japanese, text that
//! keeps an 80-column terminal layout intact, and a complete coverage map.

use cairn::tree::{Localized, Phase, Tree};
use unicode_width::UnicodeWidthChar;

use super::common::{SOURCE, tree};

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
}

/// Every localized text of the tree with a name saying where it is.
fn texts(tree: &Tree) -> Vec<(String, &Localized)> {
    let mut out = vec![("tree title".to_string(), &tree.title)];
    for v in &tree.variables {
        out.push((format!("variable {}", v.name.value), &v.description));
    }
    for n in &tree.nodes {
        let id = &n.id.value;
        out.push((format!("{id} title"), &n.title));
        out.push((format!("{id} body"), &n.body));
        out.extend(
            n.checklist
                .iter()
                .map(|i| (format!("{id} item {}", i.id.value), &i.text)),
        );
        out.extend(n.lookups.iter().flat_map(|l| {
            [
                (format!("{id} lookup {}", l.id.value), &l.title),
                (format!("{id} lookup {} look_for", l.id.value), &l.look_for),
            ]
        }));
        out.extend(n.actions.iter().flat_map(|a| {
            [
                (format!("{id} action {}", a.id.value), &a.title),
                (
                    format!("{id} action {} description", a.id.value),
                    &a.description,
                ),
            ]
        }));
        if let cairn::tree::NodeKind::Decision { choices } = &n.kind {
            out.extend(
                choices
                    .iter()
                    .map(|c| (format!("{id} choice {}", c.id.value), &c.label)),
            );
        }
    }
    out
}

#[test]
fn every_text_is_given_in_english_and_in_japanese() {
    let tree = tree();
    assert_eq!(tree.languages, ["en", "ja"]);
    let mut checked = 0;
    for (at, text) in texts(&tree) {
        if text.texts.is_empty() {
            continue; // an optional body left out
        }
        let en = text
            .texts
            .get("en")
            .unwrap_or_else(|| panic!("{at}: no English"));
        let ja = text
            .texts
            .get("ja")
            .unwrap_or_else(|| panic!("{at}: no Japanese"));
        assert!(!en.trim().is_empty(), "{at}: empty English");
        assert!(
            ja.chars().any(is_japanese),
            "{at}: the Japanese text has no Japanese: {ja:?}"
        );
        assert!(
            !en.chars().any(is_japanese),
            "{at}: Japanese in the English text"
        );
        checked += 1;
    }
    assert!(checked > 300, "only {checked} texts");
}

#[test]
fn no_ambiguous_width_characters() {
    // Their width depends on the terminal's CJK setting, which breaks layouts.
    for (line_no, line) in SOURCE.lines().enumerate() {
        for c in line.chars() {
            assert_eq!(
                c.width(),
                c.width_cjk(),
                "line {}: ambiguous-width character {c:?} (U+{:04X})",
                line_no + 1,
                c as u32
            );
        }
    }
}

#[test]
fn every_phase_is_used() {
    let tree = tree();
    for phase in Phase::ALL {
        assert!(
            tree.nodes.iter().any(|n| n.phase == phase),
            "no node in phase {}",
            phase.name()
        );
    }
}

#[test]
fn the_coverage_map_names_every_node_and_only_real_nodes() {
    let tree = tree();
    let map: String = SOURCE
        .lines()
        .skip_while(|l| !l.starts_with("# Coverage:"))
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!map.is_empty(), "no coverage map at the top of the file");
    for node in &tree.nodes {
        let id = &node.id.value;
        let named = map
            .split(|c: char| c.is_whitespace() || c == ',')
            .any(|token| token == id);
        assert!(named, "node '{id}' is missing from the coverage map");
    }
    // Ids after the dot leaders must exist.
    for line in map.lines().filter(|l| l.contains("..")) {
        let ids = line.rsplit("..").next().unwrap_or_default();
        for id in ids
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty() && *t != ".")
        {
            let id = id.trim_start_matches('.');
            if !id.is_empty() {
                assert!(
                    tree.node(id).is_some(),
                    "coverage map names unknown node '{id}'"
                );
            }
        }
    }
}

#[test]
fn japanese_texts_use_the_glossary_terms() {
    // docs/glossary.md: one term per concept.
    for (avoid, use_instead) in [
        ("トークン窃取", "トークン盗難"),
        ("調査クエリ", "ルックアップ"),
        ("訓練", "トレーニング"),
        ("包含", "封じ込め"),
    ] {
        assert!(
            !super::common::SOURCE.contains(avoid),
            "the tree says {avoid}; the glossary term is {use_instead}"
        );
    }
    assert!(super::common::SOURCE.contains("トークン盗難"));
}
