//! The store commands end to end, through the built binary.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use sha2::{Digest, Sha256};

use crate::support::{cairn, create_via_cli, run};

fn ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = run(cairn(dir, args));
    assert_eq!(out.code, Some(0), "cairn {args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn notes_come_from_the_argument_or_stdin_and_empty_ones_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let out = ok(&dir, &["note", id.as_str(), "Called the user"]);
    assert_eq!(out, format!("{id}: note saved as event 2\n"));

    let mut cmd = cairn(&dir, &["note", &id.as_str().to_lowercase()]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Line one\nLine two\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());

    for empty in ["", "   "] {
        let out = run(cairn(&dir, &["note", id.as_str(), empty]));
        assert_eq!(out.code, Some(1));
        assert!(
            out.stderr.contains("the note is empty; nothing recorded"),
            "{}",
            out.stderr
        );
    }
    let out = run(cairn(&dir, &["note", id.as_str()])); // stdin is /dev/null
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("empty"));

    let show = ok(&dir, &["show", id.as_str()]);
    assert!(show.contains("#2 "), "{show}");
    assert!(show.contains("Called the user"));
    assert!(show.contains("Line one<U+000A>Line two"), "{show}");
    assert!(show.contains("3 (hash chain intact)"), "{show}");
}

#[test]
fn unknown_or_malformed_incident_ids_fail_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    create_via_cli(&dir);
    let db = dir.join("cairn.db");
    for args in [
        vec!["show", "TT-20000101-7"],
        vec!["note", "TT-20000101-7", "text"],
        vec!["verify", "TT-20000101-7"],
        vec!["export", "TT-20000101-7", "--format", "json"],
        vec!["close", "TT-20000101-7"],
    ] {
        let out = run(cairn(&dir, &args));
        assert_eq!(out.code, Some(1), "{args:?}");
        assert!(
            out.stderr
                .contains(&format!("no incident TT-20000101-7 in {}", db.display())),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
    let out = run(cairn(&dir, &["show", "yesterday's"]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains(
            "'yesterday's' is not an incident id (expected something like TT-20261126-3)"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn list_shows_aligned_columns_and_hides_closed_incidents_unless_all() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let first = create_via_cli(&dir);
    let second = create_via_cli(&dir);
    ok(&dir, &["note", first.as_str(), "x"]);
    let out = ok(&dir, &["close", second.as_str()]);
    assert_eq!(out, format!("{second}: closed (event 2)\n"));
    let list = ok(&dir, &["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("ID "));
    for column in ["TITLE", "TREE", "STATUS", "NODE", "LAST ACTIVITY"] {
        let at = lines[0].find(column).unwrap();
        assert!(lines[1].len() > at, "{list}");
    }
    assert!(lines[1].starts_with(first.as_str()));
    assert!(
        lines[1].contains("fault test") && lines[1].contains("mini") && lines[1].contains("open")
    );
    let all = ok(&dir, &["list", "--all"]);
    assert_eq!(all.lines().count(), 3);
    let closed_line = all
        .lines()
        .find(|l| l.starts_with(second.as_str()))
        .unwrap();
    let status_col = lines[0].find("STATUS").unwrap();
    assert_eq!(&closed_line[status_col..status_col + 6], "closed", "{all}");
    let out = run(cairn(&dir, &["note", second.as_str(), "late"]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains(&format!(
            "note NOT saved to {second}: incident {second} is closed"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn list_filters_by_status_and_a_reopened_incident_is_open_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let open = create_via_cli(&dir);
    let closed = create_via_cli(&dir);
    let reopened = create_via_cli(&dir);
    ok(&dir, &["close", closed.as_str()]);
    ok(&dir, &["close", reopened.as_str()]);
    ok(&dir, &["reopen", reopened.as_str()]);
    let ids = |args: &[&str]| -> Vec<String> {
        ok(&dir, args)
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
            .collect()
    };
    // Newest first.
    let (open, closed, reopened) = (open.as_str(), closed.as_str(), reopened.as_str());
    assert_eq!(ids(&["list", "--status", "open"]), [reopened, open]);
    assert_eq!(ids(&["list"]), [reopened, open]);
    assert_eq!(ids(&["list", "--status", "closed"]), [closed]);
    assert_eq!(ids(&["list", "--all"]).len(), 3);
    let none = run(cairn(&dir, &["list", "--status", "closed", "--all"]));
    assert_eq!(
        none.code,
        Some(2),
        "--all and --status together are refused"
    );

    ok(&dir, &["reopen", closed]);
    let out = run(cairn(&dir, &["list", "--status", "closed"]));
    assert_eq!(out.code, Some(0));
    assert!(
        out.stderr.contains("No closed incidents in"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_exits_1_and_names_the_first_broken_event() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    for n in ["one", "two", "three"] {
        ok(&dir, &["note", id.as_str(), n]);
    }
    let out = ok(&dir, &["verify", id.as_str()]);
    assert!(
        out.starts_with(&format!("{id}: hash chain intact over 4 events")),
        "{out}"
    );
    let raw = rusqlite::Connection::open(dir.join("cairn.db")).unwrap();
    raw.execute_batch("DROP TRIGGER events_no_update").unwrap();
    raw.execute(
        "UPDATE events SET at = '2026-01-01T00:00:00.000000Z' WHERE seq = 3",
        [],
    )
    .unwrap();
    drop(raw);
    let out = run(cairn(&dir, &["verify", id.as_str()]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout
            .contains(&format!("{id}: hash chain BROKEN at event 3:")),
        "{}",
        out.stdout
    );
    let export = run(cairn(&dir, &["export", id.as_str()]));
    assert!(export.stdout.contains("**Hash chain BROKEN at event 3:**"));
    assert!(export.stderr.contains("BROKEN at event 3"));
}

#[test]
fn export_writes_aar_and_private_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    // An incident that ran no scenario still gets an after-action report.
    let out = run(cairn(&dir, &["export", id.as_str(), "--format", "aar"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("# After-action report: fault test\n"),
        "{}",
        out.stdout
    );
    let file = tmp.path().join("report.md");
    let out = run(cairn(
        &dir,
        &[
            "export",
            id.as_str(),
            "--format",
            "md",
            "-o",
            file.to_str().unwrap(),
        ],
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(&format!("# Incident {id}: fault test\n")),
        "{text}"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// Recomputes the chain from the JSON export alone, following
/// docs/export-json.md, with its own canonical JSON (serde_json's default
/// map is sorted by key).
#[test]
fn the_json_export_carries_a_chain_anyone_can_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    ok(
        &dir,
        &["note", id.as_str(), "tab\there, quote \" and \u{1b}[31m"],
    );
    ok(&dir, &["close", id.as_str()]);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&dir, &["export", id.as_str(), "--format", "json"])).unwrap();
    assert_eq!(doc["format"], "cairn-incident");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["incident"]["id"], id.as_str());
    assert_eq!(doc["incident"]["status"], "closed");
    assert_eq!(doc["verification"]["intact"], true);
    let source = doc["tree_source"].as_str().unwrap();
    assert_eq!(
        doc["incident"]["tree_sha256"],
        hex::encode(Sha256::digest(source.as_bytes()))
    );
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["type"], "incident_created");
    assert_eq!(events[1]["text"], "tab\there, quote \" and \u{1b}[31m");
    assert_eq!(events[2]["type"], "incident_closed");
    let mut prev = "0".repeat(64);
    for (i, event) in events.iter().enumerate() {
        let mut kind = event.as_object().unwrap().clone();
        for field in ["seq", "at", "actor", "prev_hash", "hash"] {
            kind.remove(field);
        }
        let content = serde_json::json!({
            "actor": event["actor"], "at": event["at"], "incident": id.as_str(),
            "kind": kind, "seq": event["seq"],
        });
        let mut hasher = Sha256::new();
        hasher.update(prev.as_bytes());
        hasher.update(serde_json::to_string(&content).unwrap().as_bytes());
        let hash = hex::encode(hasher.finalize());
        assert_eq!(event["seq"], i as u64 + 1);
        assert_eq!(event["prev_hash"], prev.as_str());
        assert_eq!(event["hash"], hash.as_str(), "event {}", i + 1);
        prev = hash;
    }
    assert_eq!(doc["verification"]["head"], prev.as_str());
}

#[test]
fn events_name_the_user_host_and_ssh_client_and_show_defuses_hostile_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = create_via_cli(&dir);
    let mut cmd = cairn(
        &dir,
        &[
            "note",
            id.as_str(),
            "pasted \u{1b}]0;owned\u{7} title \u{202e}txt.exe",
        ],
    );
    cmd.env("USER", "lee")
        .env("SSH_CONNECTION", "198.51.100.23 50122 10.0.0.5 22");
    let out = run(cmd);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let store = cairn::store::Store::open(&dir).unwrap();
    let events = store.events(&id).unwrap();
    let actor = &events.last().unwrap().actor;
    assert_eq!(actor.user, "lee");
    assert_eq!(actor.ssh_client.as_deref(), Some("198.51.100.23"));
    assert!(!actor.host.is_empty());
    drop(store);
    let show = ok(&dir, &["show", id.as_str()]);
    assert!(
        show.contains(&format!("lee@{} via 198.51.100.23", actor.host)),
        "{show}"
    );
    assert!(
        show.contains("pasted <U+001B>]0;owned<U+0007> title <U+202E>txt.exe"),
        "{show}"
    );
    assert!(!show.contains('\u{1b}') && !show.contains('\u{7}') && !show.contains('\u{202e}'));
}
