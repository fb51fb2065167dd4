//! `cairn train` and `cairn tabletop` (line mode) on the built binary:
//! both shipped scenarios end to end in both languages, recorded in the
//! store, and a tabletop exported as an after-action report.

use std::io::Write;
use std::process::{Command, Stdio};

use cairn::scenario::catalog::find;
use cairn::store::Store;
use cairn::store::event::Mode;
use cairn::tree::{NodeKind, Tree};

fn shipped_tree() -> Tree {
    let source = cairn::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.ends_with("token-theft.toml"))
        .unwrap();
    cairn::tree::load::parse("token-theft", &source.text).unwrap()
}

/// The keys a trainee types to walk the scenario's expected path.
fn expected_keys(scenario: &str) -> String {
    let tree = shipped_tree();
    let s = find(scenario, &[&tree], None).unwrap();
    let mut keys = String::new();
    for id in cairn::scenario::expected_path(&s, &tree) {
        match &tree.node(id).unwrap().kind {
            NodeKind::Decision { choices } => {
                let expected = &s.expectation(id).unwrap().choice.value;
                let n = choices
                    .iter()
                    .position(|c| &c.id.value == expected)
                    .unwrap()
                    + 1;
                keys.push_str(&format!("{n}\n"));
            }
            NodeKind::Step { .. } => keys.push('\n'),
            NodeKind::Outcome { .. } => {}
        }
    }
    keys
}

fn cairn(data: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let config = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("CAIRN_CONFIG_DIR", config.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn train_both_shipped_scenarios_in_both_languages_scores_full_marks() {
    for (scenario, lang, score_line) in [
        ("aitm", "en", "**Score: 100 / 100 (100%)**"),
        ("aitm", "ja", "**スコア: 100 / 100 (100%)**"),
        ("benign-travel", "en", "**Score: 40 / 40 (100%)**"),
        ("benign-travel", "ja", "**スコア: 40 / 40 (100%)**"),
    ] {
        let data = tempfile::tempdir().unwrap();
        let (ok, out, err) = cairn(
            data.path(),
            &["train", scenario, "--lang", lang],
            &expected_keys(scenario),
        );
        assert!(ok, "{scenario} {lang}: {err}");
        assert!(out.contains(score_line), "{scenario} {lang}:\n{out}");
        assert!(
            !out.contains('\u{1b}'),
            "line mode writes no escape sequences"
        );
        let store = Store::open(data.path()).unwrap();
        let incidents = store.list(true).unwrap();
        assert_eq!(incidents.len(), 1);
        let incident = store.incident(&incidents[0].id).unwrap();
        assert_eq!(incident.mode, Mode::Training);
        assert_eq!(incident.language, lang);
        assert!(store.verify(&incidents[0].id).unwrap().broken.is_none());
    }
}

#[test]
fn train_with_a_wrong_answer_and_a_hint_explains_and_charges() {
    let data = tempfile::tempdir().unwrap();
    // ready, then the wrong trigger (1 = anomalous token), investigate
    // (2), Enter, a hint, then the right answer at user-confirmation.
    let keys = "1\n1\n2\n\nh\n1\n";
    let (ok, out, err) = cairn(data.path(), &["train", "benign-travel"], keys);
    assert!(ok, "{err}");
    assert!(
        out.contains("✗ Not the playbook's choice: \"Anomalous token\" is a different"),
        "{out}"
    );
    assert!(out.contains("Hint (-3): Reach Kenji"), "{out}");
    assert!(
        out.contains("**Score: 27 / 40 (67%)** — Hint cost: 3 · Mistakes: 1"),
        "{out}"
    );
}

#[test]
fn tabletop_session_is_recorded_and_exports_an_aar() {
    let data = tempfile::tempdir().unwrap();
    let keys = [
        "1",
        "ready to go",
        "7",
        "user said odd things",
        "2",
        "nothing confirmed yet",
        "",
        "r",
        "s Called the user on a known number",
        "i Check the service-desk tickets first",
        "t",
        "1",
        "confirmed by phone",
        "q",
    ]
    .join("\n");
    let (ok, out, err) = cairn(
        data.path(),
        &["tabletop", "benign-travel"],
        &format!("{keys}\n"),
    );
    assert!(ok, "{err}");
    assert!(out.contains(">>> INJECT [service-desk-ticket]"), "{out}");
    assert!(out.contains(">>> INJECT [manager-reply]"), "{out}");
    assert!(out.contains("Elapsed: "), "{out}");
    let store = Store::open(data.path()).unwrap();
    let id = store.list(true).unwrap()[0].id.to_string();
    assert_eq!(
        store
            .incident(&store.list(true).unwrap()[0].id)
            .unwrap()
            .mode,
        Mode::Tabletop
    );
    let (ok, md, err) = cairn(data.path(), &["export", &id, "--format", "aar"], "");
    assert!(ok, "{err}");
    assert!(
        md.contains("- **Decisions matching the playbook:** 2 / 3"),
        "{md}"
    );
    assert!(md.contains("| 2 | What triggered this investigation? | Other suspicious behaviour | Unfamiliar sign-in properties | ✗ |"), "{md}");
    assert!(md.contains("- Called the user on a known number"), "{md}");
    assert!(
        md.contains("- Check the service-desk tickets first"),
        "{md}"
    );
    assert!(md.contains("✋ **Inject** `manager-reply`"), "{md}");
}

#[test]
fn train_runs_lookups_from_recordings_and_shows_node_injects() {
    let data = tempfile::tempdir().unwrap();
    // ready, right trigger, then at the trigger decision run both lookups,
    // a bad variable value, investigate, continue, the right answer.
    let keys = "1\n2\nl 2\nl 9\nset attacker_ip 192.0.2.300\n2\n\n1\n";
    let (ok, out, err) = cairn(data.path(), &["train", "benign-travel"], keys);
    assert!(ok, "{err}");
    assert!(
        out.contains("-- Interactive sign-ins of the user, by origin (recorded)"),
        "{out}"
    );
    assert!(
        out.contains("IPAddress: 198.51.100.77 · UserAgent: Mozilla/5.0 (iPhone;"),
        "{out}"
    );
    assert!(out.contains("This node has 2 lookup(s)"), "{out}");
    assert!(
        out.contains("Not set: '192.0.2.300' is not an IPv4 or IPv6 address"),
        "{out}"
    );
    assert!(out.contains(">>> Service desk ticket SD-4821"), "{out}");
    assert!(out.contains("**Score: 40 / 40 (100%)**"), "{out}");
    let store = Store::open(data.path()).unwrap();
    let id = &store.list(true).unwrap()[0].id;
    let events = store.events(id).unwrap();
    let run = events
        .iter()
        .find_map(|e| match &e.kind {
            cairn::store::event::EventKind::LookupRun {
                lookup,
                row_count,
                result_sha256,
                ..
            } => Some((lookup.clone(), *row_count, result_sha256.is_some())),
            _ => None,
        })
        .expect("the lookup run is recorded as evidence");
    assert_eq!(run, ("signins-user".to_string(), Some(5), true));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        cairn::store::event::EventKind::InjectReleased { inject, .. } if inject == "service-desk-ticket"
    )));
}
