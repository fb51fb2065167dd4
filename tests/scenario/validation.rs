//! Scenario files: the valid fixture loads; each broken fixture reports its
//! problem at the right line and column.

use crate::common::*;

#[test]
fn valid_fixture_loads_with_normalised_variables() {
    let s = valid();
    assert_eq!(s.id.value, "mini-aitm");
    assert_eq!(s.expectations.len(), 2);
    assert_eq!(s.hints.len(), 2);
    assert_eq!(s.hints[0].cost, 3, "default cost from [scoring]");
    assert_eq!(s.hints[1].cost, 5);
    assert_eq!(s.injects.len(), 3);
    assert_eq!(s.variables[0].value, "alex@contoso.example");
}

/// Loads a broken fixture and returns its `line:col: message` lines.
fn errors(name: &str) -> Vec<String> {
    match load_fixture(name) {
        Ok(_) => panic!("{name} should not load"),
        Err(d) => {
            // The rendered form names the file and carries a caret line.
            let text = d.to_string();
            assert!(text.starts_with(&format!("{name}:")), "{text}");
            assert!(text.contains('^'), "{text}");
            summaries(&d)
        }
    }
}

fn assert_one(name: &str, expected: &str) {
    assert_eq!(errors(name), vec![expected.to_string()], "{name}");
}

#[test]
fn toml_syntax_error_has_position() {
    let e = errors("syntax.toml");
    assert!(e[0].starts_with("20:10: TOML syntax:"), "{e:?}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    assert_eq!(
        errors("unknown-key.toml"),
        vec![
            "6:1: unknown key 'titel' in [scenario] (did you mean 'title'?)",
            "7:1: 'title' in [scenario] has no 'en' text",
        ]
    );
}

#[test]
fn missing_key_points_at_its_table() {
    assert_one("missing-key.toml", "2:2: missing key 'id' in [scenario]");
}

#[test]
fn wrong_value_type() {
    assert_one(
        "wrong-type.toml",
        "20:10: 'points' in [scoring] must be an integer, found a string",
    );
    assert_one(
        "bad-walk.toml",
        "22:8: 'walk' in [scoring] must be \"playbook\" or \"chosen\", not 'mine'",
    );
}

#[test]
fn unknown_tree_suggests_a_known_one() {
    assert_one(
        "unknown-tree.toml",
        "4:8: unknown tree 'mni' (known: mini) (did you mean 'mini'?)",
    );
}

#[test]
fn unknown_node_suggests_a_known_one() {
    let e = errors("unknown-node.toml");
    assert!(
        e.contains(
            &"33:8: tree 'mini' has no node 'contian' (did you mean 'contain'?)".to_string()
        ),
        "{e:?}"
    );
}

#[test]
fn unknown_choice_lists_the_choices() {
    assert_one(
        "unknown-choice.toml",
        "34:10: node 'contain' has no choice 'revok' (choices: revoke, watch) (did you mean 'revoke'?)",
    );
}

#[test]
fn expectation_on_a_step_is_refused() {
    let e = errors("not-a-decision.toml");
    assert!(
        e.contains(
            &"33:8: node 'scope' is a step, not a decision; only decisions have expectations"
                .to_string()
        ),
        "{e:?}"
    );
}

#[test]
fn reachable_decision_without_expectation() {
    assert_one(
        "missing-expectation.toml",
        "4:8: decision node 'contain' of tree 'mini' can be reached in this scenario but has no [[expect]] entry",
    );
}

#[test]
fn every_choice_needs_an_explanation() {
    assert_one(
        "missing-explanation.toml",
        "35:1: expect[2] has no explanation for choice 'watch' (explain.watch.en = \"...\")",
    );
    let e = errors("unknown-explanation.toml");
    assert!(e.contains(&"37:9: explanation for unknown choice 'wach' (choices: revoke, watch) (did you mean 'watch'?)".to_string()), "{e:?}");
}

#[test]
fn every_language_of_the_tree_is_required() {
    assert_one(
        "missing-language.toml",
        "60:1: 'message' in injects[2] has no 'ja' text",
    );
    assert_one(
        "extra-language.toml",
        "8:7: 'title' in [scenario] has text in 'fr', which the tree does not list (languages: en, ja)",
    );
}

#[test]
fn bad_duration() {
    assert_one(
        "bad-duration.toml",
        "66:9: 'after' in injects[3]: '20 minutes' is not a duration (expected e.g. 90s, 10m, 1h30m)",
    );
}

#[test]
fn duplicate_inject_id() {
    assert_one(
        "duplicate-inject.toml",
        "65:6: duplicate inject id 'user-call'",
    );
}

#[test]
fn inject_needs_exactly_one_trigger() {
    assert_one(
        "trigger-conflict.toml",
        "54:11: injects[1] has both 'after' and 'on_node'; give one trigger",
    );
    assert_one(
        "no-trigger.toml",
        "52:1: injects[1] needs a trigger: 'after' (e.g. \"10m\") or 'on_node'",
    );
}

#[test]
fn recording_override_is_checked() {
    assert_eq!(
        errors("bad-recording.toml"),
        vec![
            "62:32: tree 'mini' has no lookup 'recent-signin' (did you mean 'recent-signins'?)",
            "62:56: '../../etc/passwd' must be a plain .json file name inside the scenario's recordings (no '/' or '..')",
        ]
    );
}

#[test]
fn variables_are_checked_by_type_and_name() {
    assert_one(
        "variable-type.toml",
        "17:15: variable 'attacker_ip' is of type ip: '203.0.113.300' is not an IPv4 or IPv6 address",
    );
    assert_one(
        "unknown-variable.toml",
        "17:1: tree 'mini' has no variable 'attacker_iq' (did you mean 'attacker_ip'?)",
    );
}

#[test]
fn all_problems_are_reported_in_one_run_in_source_order() {
    let e = errors("many-errors.toml");
    let lines: Vec<&str> = e.iter().map(|s| s.split(':').next().unwrap()).collect();
    assert_eq!(lines, ["4", "5", "17", "34", "67"], "{e:?}");
    assert!(e[1].ends_with("unknown key 'colour' in [scenario]"));
}

#[test]
fn invalid_utf8_is_an_error_not_a_panic() {
    let tree = mini_tree();
    let mut bytes = fixture("valid.toml").into_bytes();
    bytes.splice(10..10, [0xff, 0xfe]);
    let d = cairn::scenario::load_bytes("bin.toml", &bytes, &[&tree]).unwrap_err();
    assert_eq!(
        summaries(&d),
        vec!["1:11: file is not valid UTF-8 (bad byte at offset 10)"]
    );
}

#[test]
fn hostile_text_in_errors_is_made_visible() {
    let tree = mini_tree();
    let src = fixture("valid.toml").replace("tree = \"mini\"", r#"tree = "\u001b]0;pwned\u0007""#);
    let d = cairn::scenario::load("h.toml", &src, &[&tree]).unwrap_err();
    let text = d.to_string();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("'<U+001B>]0;pwned<U+0007>'"), "{text}");
}

/// The notes about a scenario's recordings are checked where they are:
/// `[empty]` names lookups of the tree, and every note says something.
#[test]
fn recording_notes_name_lookups_of_the_tree() {
    let tree = mini_tree();
    let good = format!(
        "{}\n[discovered]\nattacker_ip = \"198.51.100.9\"\n\n[empty]\nrecent-signins = \"none in the story\"\n",
        fixture("valid.toml")
    );
    cairn::scenario::load("good.toml", &good, &[&tree]).unwrap_or_else(|d| panic!("{d}"));
    let bad = format!(
        "{}\n[discovered]\nattacker_ip = \"\"\n\n[empty]\nrecent-signin = \"none\"\n",
        fixture("valid.toml")
    );
    let d = cairn::scenario::load("bad.toml", &bad, &[&tree]).unwrap_err();
    let lines = summaries(&d);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].ends_with("'attacker_ip' in [discovered] must be a non-empty string"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with(
            "tree 'mini' has no lookup 'recent-signin' (did you mean 'recent-signins'?)"
        ),
        "{lines:?}"
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let tree = mini_tree();
        let _ = cairn::scenario::load_bytes("fuzz", &bytes, &[&tree]);
    }

    #[test]
    fn mutated_valid_file_never_panics(cut in 0usize..3000, insert in "[\\[\\]=\"a-z.\n ]{0,8}") {
        let tree = mini_tree();
        let src = fixture("valid.toml");
        let mut at = cut.min(src.len());
        while !src.is_char_boundary(at) { at -= 1; }
        let mutated = format!("{}{}{}", &src[..at], insert, &src[at..]);
        if let Err(d) = cairn::scenario::load("m", &mutated, &[&tree]) {
            let _ = d.to_string();
        }
    }
}
