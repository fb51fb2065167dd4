//! A token-theft incident walked through the store, exported as Markdown:
//! it must read as a real incident report, with hostile text defused.

use std::collections::BTreeMap;

use cairn::store::event::{ActionStatus, EventKind, LookupStatus, ValueSource};
use cairn::store::{IncidentId, Store};
use cairn::tree::{NodeKind, Tree};
use chrono::{Duration, Utc};

use crate::support::{cairn, enter, kim, run, token_theft_path};

const HOSTILE_AGENT: &str = "Mozilla/5.0 | evil\n\u{1b}[31mRED <script>";

fn tree() -> Tree {
    let path = token_theft_path();
    cairn::tree::load::parse("token-theft.toml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn choice(node: &str, choice: &str, reason: Option<&str>, tree: &Tree) -> EventKind {
    let NodeKind::Decision { choices } = &tree.node(node).unwrap().kind else {
        panic!("{node} is not a decision");
    };
    let next = choices
        .iter()
        .find(|c| c.id.value == choice)
        .unwrap()
        .next
        .value
        .clone();
    EventKind::ChoiceMade {
        node: node.into(),
        choice: choice.into(),
        next,
        reason: reason.map(str::to_string),
    }
}

fn tick(node: &str, item: &str) -> EventKind {
    EventKind::ChecklistToggled {
        node: node.into(),
        item: item.into(),
        checked: true,
    }
}

/// Walks from readiness to containment, as a responder on the screen would.
fn walk(store: &mut Store, id: &IncidentId, tree: &Tree) {
    let query = tree
        .node("trigger-unfamiliar-properties")
        .unwrap()
        .lookups
        .iter()
        .find(|l| l.id.value == "signins-user")
        .unwrap()
        .query
        .value
        .replace("{{upn}}", "kim@contoso.com");
    let result = serde_json::json!({
        "columns": ["IPAddress", "UserAgent", "SignIns"],
        "rows": [["198.51.100.9", HOSTILE_AGENT, 3], ["203.0.113.20", "Edge", 41]],
    })
    .to_string();
    let finished = Utc::now();
    let mut append = |kind: EventKind| store.append(id, kind).unwrap().seq;
    append(enter("readiness"));
    append(choice("readiness", "ready", None, tree));
    append(choice(
        "trigger",
        "unfamiliar-properties",
        Some("Entra ID Protection alert: unfamiliar sign-in properties"),
        tree,
    ));
    let lookup_seq = append(EventKind::LookupRun {
        node: "trigger-unfamiliar-properties".into(),
        lookup: "signins-user".into(),
        provider: "loganalytics".into(),
        query: query.clone(),
        variables: BTreeMap::from([("upn".into(), "kim@contoso.com".into())]),
        timespan: Some("14d".into()),
        started_at: finished - Duration::milliseconds(1800),
        finished_at: finished,
        status: LookupStatus::Succeeded,
        row_count: Some(2),
        result_sha256: Some(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            result.as_bytes(),
        ))),
        result_bytes: result.len() as u64,
        result: Some(result),
        result_cap: cairn::store::RESULT_CAP,
        result_truncated: false,
        message: None,
    });
    append(EventKind::VariableSet {
        name: "attacker_ip".into(),
        value: "198.51.100.9".into(),
        source: ValueSource::Lookup {
            lookup_seq,
            row: 0,
            column: "IPAddress".into(),
        },
    });
    append(enter("investigation-checklist"));
    append(tick("investigation-checklist", "identity"));
    append(tick("investigation-checklist", "signin-logs"));
    append(enter("user-confirmation"));
    append(tick("user-confirmation", "out-of-band"));
    let note = append(EventKind::NoteAdded {
        node: Some("user-confirmation".into()),
        text: "Kim did not sign in from 198.51.100.9.\nCalled her mobile at 03:12.".into(),
    });
    append(choice("user-confirmation", "legitimate", None, tree));
    append(EventKind::Backtrack {
        from: "no-compromise".into(),
        to: "user-confirmation".into(),
    });
    append(tick("user-confirmation", "evidence-reviewed"));
    append(choice(
        "user-confirmation",
        "assume-compromise",
        Some("User denies the sign-in | not travelling"),
        tree,
    ));
    append(EventKind::NoteAmended {
        amends: note,
        text: "Kim did not sign in from 198.51.100.9.\nCalled her mobile at 03:12; her manager confirmed.".into(),
    });
    append(enter("phishing-decision"));
    append(choice("phishing-decision", "phishing-no", None, tree));
    for node in [
        "privileged-auth-changes",
        "suspicious-identities",
        "office-activity",
        "cloud-app-events",
        "attacker-data-access",
        "device-investigation",
        "isolate-decision",
    ] {
        append(enter(node));
    }
    append(choice(
        "isolate-decision",
        "device-clean",
        Some("No token alerts on the laptop"),
        tree,
    ));
    append(enter("other-affected"));
    append(choice("other-affected", "none-new", None, tree));
    append(tick("containment-impact", "impact-assessed"));
    append(choice("containment-impact", "contain", None, tree));
    let revoke = append(EventKind::ActionIntended {
        node: "containment-tasks".into(),
        action: "revoke-sessions".into(),
        method: "POST".into(),
        path: "/users/kim%40contoso.com/revokeSignInSessions".into(),
        body: None,
        confirmation: "kim@contoso.com".into(),
        simulated: false,
        approval: None,
    });
    append(EventKind::ActionOutcome {
        intent: revoke,
        status: ActionStatus::Succeeded,
        http_status: Some(200),
        detail: None,
    });
    append(EventKind::ActionIntended {
        node: "containment-tasks".into(),
        action: "disable-user".into(),
        method: "PATCH".into(),
        path: "/users/kim%40contoso.com".into(),
        body: Some(r#"{"accountEnabled": false}"#.into()),
        confirmation: "kim@contoso.com".into(),
        simulated: false,
        approval: None,
    });
    append(tick("containment-tasks", "change-password"));
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// A token-theft incident created by `cairn new` with `args`.
fn new_incident(dir: &std::path::Path, args: &[&str]) -> IncidentId {
    let tree_path = token_theft_path();
    let mut all = vec!["new", "--tree", tree_path.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(cairn(dir, &all));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    IncidentId::parse(out.stdout.trim()).unwrap()
}

#[test]
fn a_walked_incident_exports_as_a_real_incident_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = new_incident(
        &dir,
        &[
            "--title",
            "Token theft: kim@contoso.com",
            "--set",
            "upn=Kim@Contoso.com",
        ],
    );
    let tree = tree();
    let mut store = Store::open(&dir).unwrap();
    store.set_actor(kim());
    walk(&mut store, &id, &tree);
    let event_count = store.events(&id).unwrap().len();
    drop(store);

    let out = run(cairn(&dir, &["export", id.as_str(), "--format", "md"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let md = out.stdout;
    if let Ok(path) = std::env::var("CAIRN_TEST_REPORT_OUT") {
        std::fs::write(path, &md).unwrap();
    }
    let title = |node: &str| tree.node(node).unwrap().title.get("en").to_string();

    // Header and summary.
    assert!(
        md.starts_with(&format!("# Incident {id}: Token theft: kim@contoso.com\n")),
        "{md}"
    );
    assert!(line_with(&md, "| Current node |").contains(&format!(
        "containment-tasks - {}",
        title("containment-tasks")
    )));
    assert!(line_with(&md, "| Tree |").contains("token-theft 1.0.0"));
    assert!(line_with(&md, "| Events |").contains(&event_count.to_string()));
    assert!(md.contains("## Summary\n"));
    assert!(md.contains("- Walk in progress at containment-tasks"));
    assert!(md.contains("mandatory checklist items are still open"));
    assert!(md.contains("- **1 action has no recorded outcome** (see Actions)"));

    // Variables with their sources; the typed UPN was normalised by `new`.
    let upn = line_with(&md, "| upn |");
    assert!(
        upn.contains("| kim@contoso.com |") || upn.contains("| Kim@Contoso.com |"),
        "{upn}"
    );
    assert!(upn.contains("| typed |"));
    assert!(
        line_with(&md, "| attacker\\_ip |").contains("lookup (event 6), row 1, column IPAddress")
    );

    // Decision path: who, when and why, with the backtrack.
    let label = |node: &str, choice: &str| match &tree.node(node).unwrap().kind {
        NodeKind::Decision { choices } => choices
            .iter()
            .find(|c| c.id.value == choice)
            .unwrap()
            .label
            .get("en")
            .to_string(),
        _ => unreachable!(),
    };
    let step = line_with(
        &md,
        &format!(
            "chose \"{}\" at user-confirmation",
            label("user-confirmation", "assume-compromise")
        ),
    );
    assert!(
        step.contains("| User denies the sign-in \\| not travelling |"),
        "{step}"
    );
    assert!(step.contains("kim@jump1 via 203.0.113.7"));
    assert!(md.contains("went back from no-compromise"));
    assert!(
        line_with(&md, "chose \"").contains("| 2 |"),
        "path rows are numbered"
    );

    // Checklist: open mandatory items called out by their text.
    let audit = tree
        .node("investigation-checklist")
        .unwrap()
        .checklist
        .iter()
        .find(|i| i.id.value == "audit-logs")
        .unwrap();
    assert!(audit.mandatory);
    let open_list =
        &md[md.find("**Open mandatory items:**").unwrap()..md.find("| Node | Item |").unwrap()];
    assert!(
        open_list.contains("(investigation-checklist/audit-logs)"),
        "{open_list}"
    );
    assert!(
        !open_list.contains("identity"),
        "checked items are not open: {open_list}"
    );
    assert!(line_with(&md, "(identity) |").contains("| done | kim@jump1 via 203.0.113.7 |"));

    // Notes: the amended text, with the original kept.
    let notes = &md[md.find("## Notes").unwrap()..md.find("## Lookups").unwrap()];
    assert!(
        notes.contains("> Called her mobile at 03:12; her manager confirmed."),
        "{notes}"
    );
    assert!(notes.contains("Amended 1 time;"));
    assert!(
        notes.contains("  > Called her mobile at 03:12."),
        "original kept: {notes}"
    );

    // Lookups: exact query, window, counts, hash and escaped first rows.
    let lookups = &md[md.find("## Lookups").unwrap()..md.find("## Actions").unwrap()];
    assert!(
        lookups.contains("### signins-user: Interactive sign-ins of the user, by origin (event 6)"),
        "{lookups}"
    );
    assert!(lookups.contains("- Time window: 14d"));
    assert!(lookups.contains("- Status: succeeded; rows: 2"));
    assert!(lookups.contains("- Result SHA-256: `"));
    assert!(
        lookups.contains("SigninLogs\n| where UserPrincipalName =~ 'kim@contoso.com'"),
        "query verbatim: {lookups}"
    );
    assert!(lookups.contains("| IPAddress | UserAgent | SignIns |"));
    assert!(
        lookups.contains(
            "| 198.51.100.9 | Mozilla/5.0 \\| evil<U+000A><U+001B>\\[31mRED &lt;script&gt; | 3 |"
        ),
        "{lookups}"
    );

    // Actions: intent and outcome paired; the missing outcome called out.
    let revoke = line_with(&md, "| revoke-sessions |");
    assert!(revoke.contains("POST /users/kim%40contoso.com/revokeSignInSessions"));
    assert!(revoke.contains("succeeded, HTTP 200"));
    assert!(line_with(&md, "| disable-user |").contains("**outcome not recorded**"));

    // Timeline covers every event; integrity is stated.
    let timeline = &md[md.find("## Timeline").unwrap()..md.find("## Integrity").unwrap()];
    assert_eq!(
        timeline
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
            .count(),
        event_count
    );
    assert!(md.contains(&format!("Hash chain intact over {event_count} events")));

    // Nothing recorded can reach a terminal or a renderer as markup.
    assert!(!md.contains('\u{1b}'));
    assert!(!md.contains("<script>"));
}

#[test]
fn an_outcome_reached_by_a_jump_reads_as_a_jump_in_every_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let id = new_incident(&dir, &["--title", "Jumped"]);
    let mut store = Store::open(&dir).unwrap();
    store.set_actor(kim());
    store.append(&id, enter("readiness")).unwrap();
    store
        .append(
            &id,
            EventKind::Jumped {
                from: "readiness".into(),
                to: "escalated".into(),
                reason: "handed | over".into(),
            },
        )
        .unwrap();
    drop(store);

    let md = run(cairn(&dir, &["export", id.as_str(), "--format", "md"])).stdout;
    let summary = line_with(&md, "- Outcome reached:");
    assert!(
        summary.contains("reached by a jump, not a decision"),
        "{summary}"
    );
    let step = line_with(&md, "**jumped** from readiness");
    assert!(step.contains("(no decision made)"), "{step}");
    assert!(step.contains("handed \\| over"), "{step}");
    assert!(md.contains("- 2 nodes visited, 0 decisions"), "{md}");

    let json = run(cairn(&dir, &["export", id.as_str(), "--format", "json"])).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let jump = value["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "jumped")
        .expect("the jump is an event of its own kind");
    assert_eq!(jump["to"], "escalated");
    assert_eq!(jump["reason"], "handed | over");

    let show = run(cairn(&dir, &["show", id.as_str()])).stdout;
    assert!(
        line_with(&show, "2. ").contains("(jumped from readiness: handed | over)"),
        "{show}"
    );
}
