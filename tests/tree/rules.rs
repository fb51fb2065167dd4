//! Every validation rule: a fixture in tests/fixtures/trees/invalid/ (the
//! valid base.toml with one mistake) and the exact diagnostics it must give,
//! as `line:column: message`. Exact lists also catch cascades of follow-on
//! errors.

use cairn::tree::load::{parse, parse_bytes};

use super::common::fixture;

/// (fixture, every expected diagnostic in order)
const RULES: &[(&str, &[&str])] = &[
    (
        "bare-graph-placeholder",
        &[
            "37:46: placeholder '{{upn}}' in query of lookup 'user' of node 'triage' stands bare in the Graph query string: Cairn will refuse to run it (write '{{upn}}' in single quotes)",
        ],
    ),
    (
        "unquoted-body-placeholder",
        &[
            "55:9: body of action 'revoke' of node 'contain' is not valid JSON: key must be a string at line 1 column 18",
            "55:25: placeholder '{{upn}}' in body of action 'revoke' of node 'contain' is not inside a JSON string: Cairn will refuse to run it (write \"{{upn}}\" in double quotes)",
        ],
    ),
    (
        "unquoted-kql-placeholder",
        &[
            "29:50: placeholder '{{upn}}' in query of lookup 'signins' of node 'triage' is not inside a single-quoted KQL string: Cairn will refuse to run it (write '{{upn}}' in single quotes)",
        ],
    ),
    (
        "bad-attack-id",
        &[
            "19:12: 'T1550.1' in node 'triage' is not a MITRE ATT&CK technique id (e.g. T1528 or T1550.001)",
        ],
    ),
    (
        "bad-body-json",
        &[
            "55:9: body of action 'revoke' of node 'contain' is not valid JSON: key must be a string at line 1 column 2",
        ],
    ),
    (
        "bad-node-id",
        &["44:7: node id 'Contain_Now' must match [a-z0-9][a-z0-9-]*"],
    ),
    (
        "bad-variable-name",
        &["10:9: variable name 'user-upn' must match [a-z0-9][a-z0-9_]*"],
    ),
    (
        "bad-window",
        &[
            "30:11: window '7 days' of lookup 'signins' of node 'triage' is not a KQL timespan (e.g. 30m, 12h, 7d)",
        ],
    ),
    (
        "dangling-choice",
        &[
            "41:9: choice 2 of node 'triage' points to unknown node 'contian' (did you mean 'contain'?)",
        ],
    ),
    (
        "dangling-next",
        &[
            "48:9: next of node 'contain' points to unknown node 'contianed' (did you mean 'contained'?)",
        ],
    ),
    (
        "dead-end",
        &[
            "44:7: no outcome can be reached from node 'contain' (a dead end or a loop with no way out)",
            "61:7: decision node 'stuck' has no choices; a decision needs at least two",
            "61:7: no outcome can be reached from node 'stuck' (a dead end or a loop with no way out)",
            "74:7: node 'contained' cannot be reached from the start node 'triage'",
        ],
    ),
    (
        "duplicate-action",
        &["61:7: duplicate action id 'revoke' of node 'contain' (first defined on line 51)"],
    ),
    (
        "duplicate-checklist",
        &["26:7: duplicate checklist item id 'asked' of node 'triage' (first defined on line 22)"],
    ),
    (
        "duplicate-choice",
        &["39:7: duplicate choice id 'yes' of node 'triage' (first defined on line 34)"],
    ),
    (
        "duplicate-lookup",
        &["34:7: duplicate lookup id 'signins' of node 'triage' (first defined on line 26)"],
    ),
    (
        "duplicate-node",
        &["68:7: duplicate node id 'closed' (first defined on line 61)"],
    ),
    (
        "duplicate-variable",
        &["15:9: duplicate variable name 'upn' (first defined on line 10)"],
    ),
    (
        "foreign-field",
        &[
            "65:1: node 'closed' is an outcome: key 'next' does not belong to it (an outcome ends the walk)",
        ],
    ),
    (
        "get-action",
        &[
            "53:10: action 'revoke' of node 'contain' has method GET: actions are write calls; a Graph read is a lookup with provider = \"graph\"",
        ],
    ),
    (
        "graph-path-without-slash",
        &["54:9: path of action 'revoke' of node 'contain' must be a Graph path starting with '/'"],
    ),
    (
        "many-errors",
        &[
            "3:7: tree id 'Base' must match [a-z0-9][a-z0-9-]*",
            "11:9: variable 'upn' has unknown type 'upnn' (did you mean 'upn'?)",
            "16:10: node 'triage' has unknown phase 'triag' (did you mean 'triage'?)",
            "29:51: placeholder '{{uppn}}' in query of lookup 'signins' of node 'triage' names no declared variable (did you mean 'upn'?)",
            "30:11: window '7days' of lookup 'signins' of node 'triage' is not a KQL timespan (e.g. 30m, 12h, 7d)",
            "41:9: choice 2 of node 'triage' points to unknown node 'contian' (did you mean 'contain'?)",
            "47:1: unknown key 'colour' in node 'contain' (expected one of: id, phase, kind, title, body, next, status, attack, choices, checklist, lookups, actions, references)",
            "55:9: action 'revoke' of node 'contain' calls a revoke endpoint and must be marked destructive = true",
            "58:12: confirm of action 'revoke' of node 'contain' is 'upm', which names no declared variable (did you mean 'upn'?)",
            "65:1: node 'closed' is an outcome: key 'next' does not belong to it (an outcome ends the walk)",
            "73:9: title of node 'contained' has no 'ja' text",
        ],
    ),
    (
        "missing-key",
        &["43:1: node 'contain' is missing required key 'phase'"],
    ),
    (
        "missing-language",
        &["40:9: label of choice 2 of node 'triage' has no 'ja' text"],
    ),
    (
        "missing-languages-everywhere",
        &[
            "12:15: description of variable 'upn' has no 'ja' text",
            "18:9: title of node 'triage' has no 'ja' text",
            "23:8: text of checklist item 'asked' of node 'triage' has no 'ja' text",
            "31:12: look_for of lookup 'signins' of node 'triage' has no 'ja' text",
            "35:9: label of choice 1 of node 'triage' has no 'en' text",
            "56:15: description of action 'revoke' of node 'contain' has no 'ja' text",
        ],
    ),
    (
        "missing-start",
        &["2:1: [tree] is missing required key 'start'"],
    ),
    ("missing-tree", &["1:1: the file has no [tree] table"]),
    (
        "no-languages",
        &["5:13: tree.languages must list at least one language"],
    ),
    (
        "one-choice",
        &["44:7: decision node 'contain' has only 1 choice; a decision needs at least two"],
    ),
    (
        "outcome-without-status",
        &["67:1: node 'contained' is missing required key 'status'"],
    ),
    (
        "step-without-next",
        &["43:1: node 'contain' is missing required key 'next'"],
    ),
    (
        "syntax",
        &["4:17: TOML syntax: invalid basic string, expected `\"`"],
    ),
    (
        "trap-loop",
        &[
            "49:7: no outcome can be reached from node 'contain' (a dead end or a loop with no way out)",
            "66:7: no outcome can be reached from node 'loop' (a dead end or a loop with no way out)",
        ],
    ),
    (
        "undeclared-language",
        &[
            "72:9: title of node 'contained' has a text in 'jp', which tree.languages does not list (did you mean 'ja'?)",
        ],
    ),
    (
        "unflagged-delete",
        &[
            "51:7: action 'revoke' of node 'contain' is a DELETE and must be marked destructive = true",
        ],
    ),
    (
        "unflagged-revoke",
        &[
            "54:9: action 'revoke' of node 'contain' calls a revoke endpoint and must be marked destructive = true",
        ],
    ),
    (
        "unknown-bind",
        &[
            "32:45: bind 1 of lookup 'signins' of node 'triage' sets 'ip', which names no declared variable",
        ],
    ),
    (
        "unknown-confirm",
        &[
            "58:12: confirm of action 'revoke' of node 'contain' is 'user', which names no declared variable",
        ],
    ),
    (
        "unknown-key",
        &[
            "43:1: node 'contain' is missing required key 'next'",
            "48:1: unknown key 'nxt' in node 'contain' (did you mean 'next'?)",
        ],
    ),
    (
        "unknown-kind",
        &["46:9: node 'contain' has unknown kind 'stepp' (did you mean 'step'?)"],
    ),
    (
        "unknown-phase",
        &["45:10: node 'contain' has unknown phase 'contian' (did you mean 'contain'?)"],
    ),
    (
        "unknown-placeholder-body",
        &[
            "55:19: placeholder '{{userid}}' in body of action 'revoke' of node 'contain' names no declared variable",
        ],
    ),
    (
        "unknown-placeholder-path",
        &[
            "54:16: placeholder '{{user}}' in path of action 'revoke' of node 'contain' names no declared variable",
        ],
    ),
    (
        "unknown-placeholder-query",
        &[
            "29:51: placeholder '{{ uppn }}' in query of lookup 'signins' of node 'triage' names no declared variable (did you mean 'upn'?)",
        ],
    ),
    (
        "unknown-provider",
        &[
            "28:13: lookup 'signins' of node 'triage' has unknown provider 'sentinel' (expected one of: loganalytics, hunting, graph)",
        ],
    ),
    (
        "unknown-start",
        &["6:10: start points to unknown node 'tirage' (did you mean 'triage'?)"],
    ),
    (
        "unknown-status",
        &[
            "71:11: node 'contained' has unknown status 'done' (expected one of: no-compromise, contained, contained-and-recovered, escalated, inconclusive)",
        ],
    ),
    (
        "unknown-type",
        &[
            "11:9: variable 'upn' has unknown type 'email' (expected one of: upn, guid, ip, datetime, timespan, string)",
        ],
    ),
    (
        "unreachable",
        &["68:7: node 'contained' cannot be reached from the start node 'triage'"],
    ),
    (
        "unterminated-placeholder",
        &[
            "29:51: unterminated placeholder in query of lookup 'signins' of node 'triage': '{{' without '}}'",
        ],
    ),
    (
        "wrong-type",
        &[
            "57:15: key 'destructive' of action 'revoke' of node 'contain' must be true or false, found a string",
        ],
    ),
];

fn diagnostics(name: &str) -> Vec<String> {
    let path = format!("invalid/{name}.toml");
    match parse(&path, &fixture(&path)) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
    }
}

#[test]
fn the_base_fixture_is_valid() {
    if let Err(d) = parse("base.toml", &fixture("base.toml")) {
        panic!("{d}");
    }
}

#[test]
fn every_rule_reports_its_message_at_its_position() {
    let mut failures = Vec::new();
    for (name, expected) in RULES {
        let got = diagnostics(name);
        if got != *expected {
            failures.push(format!("{name}:\n  expected {expected:#?}\n  got {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_fixture_is_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trees/invalid");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = RULES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn all_errors_of_a_file_are_reported_in_one_run() {
    let got = diagnostics("many-errors");
    // Eleven mistakes were made; each is reported, in source order.
    assert!(got.len() >= 11, "{got:#?}");
    let lines: Vec<usize> = got
        .iter()
        .map(|d| d.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted: {lines:?}");
    for needle in [
        "tree id 'Base'",
        "unknown type 'upnn'",
        "unknown phase 'triag'",
        "placeholder '{{uppn}}'",
        "window '7days'",
        "unknown node 'contian'",
        "unknown key 'colour'",
        "must be marked destructive = true",
        "is 'upm'",
        "key 'next' does not belong",
        "title of node 'contained' has no 'ja' text",
    ] {
        assert!(
            got.iter().any(|d| d.contains(needle)),
            "{needle} in {got:#?}"
        );
    }
}

#[test]
fn a_diagnostic_renders_file_line_column_the_line_and_a_caret() {
    let path = "invalid/dangling-choice.toml";
    let err = parse(path, &fixture(path)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid/dangling-choice.toml:41:9: choice 2 of node 'triage' points to unknown node 'contian' (did you mean 'contain'?)\n   |\n41 | next = \"contian\"\n   |         ^^^^^^^"
    );
}

#[test]
fn bytes_and_text_give_the_same_result() {
    let path = "invalid/many-errors.toml";
    let text = fixture(path);
    assert_eq!(parse(path, &text), parse_bytes(path, text.as_bytes()));
}

#[test]
fn windows_line_endings_give_the_same_positions() {
    let base = fixture("base.toml").replace('\n', "\r\n");
    if let Err(d) = parse("base.toml", &base) {
        panic!("{d}");
    }
    let path = "invalid/dangling-choice.toml";
    let crlf = fixture(path).replace('\n', "\r\n");
    let err = parse(path, &crlf).unwrap_err();
    let d = &err.0[0];
    assert_eq!((d.line, d.column, d.caret_len), (41, 9, 7));
    assert_eq!(d.source_line, "next = \"contian\"");
}

#[test]
fn duplicate_ids_are_found_in_scopes_of_any_size() {
    // Checklist items appended to the last node: a repeat among the first
    // few ids, repeats far into a long list, and a malformed id among them.
    let mut ids: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    ids[4] = "c0".into();
    ids[17] = "c2".into();
    ids[31] = "c30".into();
    ids[33] = "c30".into();
    ids[35] = "Bad".into();
    let mut source = fixture("base.toml");
    let mut line_of = Vec::new();
    for id in &ids {
        source.push_str("\n[[nodes.checklist]]\n");
        line_of.push(source.lines().count() + 1);
        source.push_str(&format!(
            "id = \"{id}\"\ntext = {{ en = \"x\", ja = \"エックス\" }}\n"
        ));
    }
    let got: Vec<String> = match parse("base.toml", &source) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
    };
    let dup = |at: usize, id: &str, first: usize| {
        format!(
            "{}:7: duplicate checklist item id '{id}' of node 'contained' (first defined on line {})",
            line_of[at], line_of[first]
        )
    };
    let expected = [
        dup(4, "c0", 0),
        dup(17, "c2", 2),
        dup(31, "c30", 30),
        dup(33, "c30", 30),
        format!(
            "{}:7: checklist item id 'Bad' of node 'contained' must match [a-z0-9][a-z0-9-]*",
            line_of[35]
        ),
    ];
    assert_eq!(got, expected);
}
