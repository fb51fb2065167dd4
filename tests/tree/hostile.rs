//! Hostile input: whatever bytes a tree file holds, loading ends with an
//! error that says where, never a panic, a hang or a stack overflow.

use cairn::tree::load::{MAX_PROBLEMS, MAX_TREE_BYTES, parse_bytes};
use proptest::prelude::*;

use super::common::fixture;

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

fn messages(bytes: &[u8]) -> Vec<String> {
    match parse_bytes("x.toml", bytes) {
        Ok(_) => panic!("hostile input was accepted"),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
    }
}

#[test]
fn empty_and_blank_files_are_named_empty() {
    for bytes in [&b""[..], b"  \n\t\n"] {
        assert_eq!(
            messages(bytes),
            ["1:1: the file is empty (a tree needs a [tree] table and [[nodes]])"]
        );
    }
}

#[test]
fn invalid_utf8_is_located() {
    let got = messages(b"[tree]\nid = \"ab\xff\"\n");
    assert_eq!(
        got,
        ["2:9: invalid UTF-8 (byte 0xff at offset 15): tree files must be UTF-8 text"]
    );
}

#[test]
fn binary_files_are_refused() {
    let mut bytes = b"[tree]\n".to_vec();
    bytes.extend([0u8, 1, 2, 3]);
    assert_eq!(
        messages(&bytes),
        ["2:1: the file contains a NUL byte: it looks binary, not like a TOML tree"]
    );
    // Random binary: refused one way or another, quickly.
    assert!(!messages(&noise(64 * 1024, 7)).is_empty());
}

#[test]
fn ten_megabytes_of_garbage_give_a_capped_list_of_errors() {
    let alphabet = b"abc =[]{}\"'\n.#,123\\";
    let garbage: Vec<u8> = noise(10 * 1024 * 1024, 42)
        .into_iter()
        .map(|b| alphabet[b as usize % alphabet.len()])
        .collect();
    let got = messages(&garbage);
    assert_eq!(got.len(), MAX_PROBLEMS + 1, "capped, with a closing note");
    assert!(got.last().unwrap().contains("more problems not shown"));
    assert!(!messages(&noise(10 * 1024 * 1024, 3)).is_empty());
}

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    let big = vec![b'#'; MAX_TREE_BYTES + 1];
    let got = messages(&big);
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("1:1: the file is"), "{got:?}");
}

#[test]
fn deep_nesting_hits_the_recursion_limit_not_the_stack() {
    let depth = 100_000;
    let cases = [
        format!("a = {}", "[".repeat(depth)),
        format!("a = {}1{}", "[".repeat(depth), "]".repeat(depth)),
        format!("a = {}", "{b = ".repeat(depth)),
        format!("{} = 1", vec!["a"; depth].join(".")),
        format!("[{}]", vec!["a"; depth].join(".")),
    ];
    for case in cases {
        let got = messages(case.as_bytes());
        assert!(
            got.iter()
                .any(|m| m.contains("recursion") || m.contains("recurse")),
            "{:?}",
            &got[..got.len().min(3)]
        );
    }
}

#[test]
fn terminal_control_sequences_in_a_tree_are_shown_escaped() {
    let source = fixture("base.toml").replace("id = \"contained\"", "id = \"x\\u001b[2J\"");
    let err = parse_bytes("x.toml", source.as_bytes()).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("'x<U+001B>[2J'"), "{shown}");
    assert!(!shown.contains('\u{1b}'));
}

/// A valid tree with one mutation: flipped bytes, a truncation, or a line
/// deleted or duplicated.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let sources = prop_oneof![Just(fixture("base.toml")), Just(fixture("mini.toml"))];
    (sources, 0usize..4, any::<u64>(), 1usize..8).prop_map(|(text, op, seed, count)| {
        let mut bytes = text.into_bytes();
        let pick = |n: usize, salt: u64| {
            (seed.wrapping_mul(6364136223846793005).wrapping_add(salt) >> 17) as usize % n.max(1)
        };
        match op {
            0 => {
                for i in 0..count {
                    let at = pick(bytes.len(), i as u64);
                    bytes[at] ^= 1 << (i % 8);
                }
            }
            1 => bytes.truncate(pick(bytes.len(), 1)),
            _ => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                let at = pick(lines.len(), 2);
                if op == 2 {
                    lines.remove(at);
                } else {
                    lines.insert(at, lines[at]);
                }
                bytes = lines.join("\n").into_bytes();
            }
        }
        bytes
    })
}

fn diagnostics_are_located(bytes: &[u8]) {
    if let Err(d) = parse_bytes("p.toml", bytes) {
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        for diag in &d {
            assert!(diag.line >= 1 && diag.line <= lines, "{diag:?}");
            assert!(diag.column >= 1, "{diag:?}");
        }
        let _ = d.to_string();
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        diagnostics_are_located(&bytes);
    }

    #[test]
    fn random_toml_ish_text_never_panics(text in "[\\[\\]{}=\"'.a-z0-9 \n#,{}]{0,512}") {
        diagnostics_are_located(text.as_bytes());
    }

    #[test]
    fn mutated_valid_trees_never_panic(bytes in mutated()) {
        diagnostics_are_located(&bytes);
    }
}

#[test]
fn a_tree_without_nodes_says_so() {
    let head = "[tree]\nid = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\nstart = \"a\"\ntitle.en = \"T\"\n";
    let got = messages(head.as_bytes());
    assert_eq!(
        got,
        [
            "1:1: the file has no [[nodes]]",
            "5:10: start points to unknown node 'a'"
        ]
    );
    let got = messages(format!("nodes = []\n{head}").as_bytes());
    assert_eq!(
        got,
        [
            "1:9: 'nodes' is empty: a tree needs at least one node",
            "6:10: start points to unknown node 'a'"
        ]
    );
}
