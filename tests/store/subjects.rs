//! Two affected users in one token-theft incident: the report, `show` and
//! the JSON export keep the first user's values and lookup runs apart from
//! the second's.

use std::collections::BTreeMap;

use cairn::store::event::{EventKind, LookupStatus, ValueSource};
use cairn::store::{IncidentId, Store};
use cairn::tree::{NodeKind, Tree};
use chrono::Utc;

use crate::support::{cairn, enter, kim, run, token_theft_path};

fn tree() -> Tree {
    let path = token_theft_path();
    cairn::tree::load::parse("token-theft.toml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn signins(upn: &str) -> EventKind {
    let at = Utc::now();
    EventKind::LookupRun {
        node: "user-investigation".into(),
        lookup: "signins-by-user-id".into(),
        provider: "loganalytics".into(),
        query: format!("SigninLogs | where UserPrincipalName =~ '{upn}'"),
        variables: BTreeMap::from([("upn".into(), upn.into())]),
        timespan: Some("P30D".into()),
        started_at: at,
        finished_at: at,
        status: LookupStatus::Succeeded,
        row_count: Some(0),
        result_sha256: None,
        result: None,
        result_bytes: 0,
        result_cap: cairn::store::RESULT_CAP,
        result_truncated: false,
        message: None,
    }
}

fn typed(name: &str, value: &str) -> EventKind {
    EventKind::VariableSet {
        name: name.into(),
        value: value.into(),
        source: ValueSource::Typed,
    }
}

#[test]
fn the_report_show_and_json_keep_each_users_values_and_runs_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let tree_path = token_theft_path();
    let out = run(cairn(
        &dir,
        &[
            "new",
            "--tree",
            tree_path.to_str().unwrap(),
            "--title",
            "Two users",
            "--set",
            "upn=kim@contoso.com",
        ],
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let id = IncidentId::parse(out.stdout.trim()).unwrap();
    let tree = tree();
    let NodeKind::Decision { choices } = &tree.node("other-affected").unwrap().kind else {
        panic!("other-affected is a decision");
    };
    let new_user = choices.iter().find(|c| c.id.value == "new-users").unwrap();

    let mut store = Store::open(&dir).unwrap();
    store.set_actor(kim());
    let mut append = |kind: EventKind| store.append(&id, kind).unwrap().seq;
    append(enter("user-investigation"));
    let kims_run = append(signins("kim@contoso.com"));
    append(typed("auth_method_id", "m-kim-1"));
    append(typed("attacker_ip", "198.51.100.9"));
    append(enter("other-affected"));
    append(typed("upn", "lee@contoso.com"));
    append(EventKind::ChoiceMade {
        node: "other-affected".into(),
        choice: "new-users".into(),
        next: new_user.next.value.clone(),
        reason: None,
    });
    append(cairn::store::subjects::opened_by(&tree, new_user).expect("new-users opens a user"));
    append(enter(&new_user.next.value));
    let lees_run = append(signins("lee@contoso.com"));
    drop(store);

    let md = run(cairn(&dir, &["export", id.as_str(), "--format", "md"])).stdout;
    let variables = &md[md.find("## Variables").unwrap()..md.find("## Earlier affected").unwrap()];
    assert!(
        variables.contains("| upn | lee@contoso.com |"),
        "{variables}"
    );
    assert!(!variables.contains("kim@contoso.com"), "{variables}");
    assert!(!variables.contains("m-kim-1"), "{variables}");
    assert!(
        variables.contains("| attacker\\_ip | 198.51.100.9 |"),
        "{variables}"
    );
    let earlier =
        &md[md.find("## Earlier affected").unwrap()..md.find("## Decision path").unwrap()];
    assert!(earlier.contains("### user 1: kim@contoso.com"), "{earlier}");
    assert!(
        earlier.contains("| auth\\_method\\_id | m-kim-1 |"),
        "{earlier}"
    );
    assert!(
        earlier.contains(&format!("signins-by-user-id (event {kims_run})")),
        "{earlier}"
    );
    assert!(
        !earlier.contains(&format!("(event {lees_run})")),
        "{earlier}"
    );

    let show = run(cairn(&dir, &["show", id.as_str()])).stdout;
    assert!(show.contains("  upn = lee@contoso.com"), "{show}");
    assert!(show.contains("  earlier user 1: kim@contoso.com"), "{show}");
    assert!(show.contains("    auth_method_id = m-kim-1"), "{show}");
    assert!(
        show.contains(&format!("lookup runs: signins-by-user-id #{kims_run}")),
        "{show}"
    );

    let json = run(cairn(&dir, &["export", id.as_str(), "--format", "json"])).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let opened = value["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "subject_opened")
        .expect("the next user is an event of its own");
    assert_eq!(opened["scope"], "user");
    let names: Vec<&str> = opened["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"upn") && names.contains(&"auth_method_id"),
        "{names:?}"
    );
    assert!(!names.contains(&"attacker_ip"), "{names:?}");
}
