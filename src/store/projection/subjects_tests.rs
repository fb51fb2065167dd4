use std::collections::BTreeMap;

use chrono::DateTime;

use super::super::IncidentState;
use crate::store::event::{Event, EventKind, LookupStatus, ValueSource};

fn event(seq: u64, kind: EventKind) -> Event {
    let at = DateTime::from_timestamp(1_700_000_000 + seq as i64, 0).unwrap();
    Event::stand_in(seq, at, kind)
}

fn set(name: &str, value: &str) -> EventKind {
    EventKind::VariableSet {
        name: name.into(),
        value: value.into(),
        source: ValueSource::Typed,
    }
}

fn enter(node: &str) -> EventKind {
    EventKind::NodeEntered { node: node.into() }
}

fn run(lookup: &str, used: &[(&str, &str)]) -> EventKind {
    let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    EventKind::LookupRun {
        node: "investigate".into(),
        lookup: lookup.into(),
        provider: "loganalytics".into(),
        query: "q".into(),
        variables: used
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        timespan: None,
        started_at: at,
        finished_at: at,
        status: LookupStatus::Succeeded,
        row_count: Some(1),
        result_sha256: None,
        result: None,
        result_bytes: 0,
        result_cap: 0,
        result_truncated: false,
        message: None,
    }
}

fn next_user(from: &str, to: &str) -> Vec<EventKind> {
    vec![
        EventKind::ChoiceMade {
            node: from.into(),
            choice: "new-users".into(),
            next: to.into(),
            reason: None,
        },
        EventKind::SubjectOpened {
            scope: "user".into(),
            variables: vec![
                "upn".into(),
                "auth_method_id".into(),
                "mde_device_id".into(),
            ],
        },
        enter(to),
    ]
}

/// Two users walked in turn: the first's values and lookup runs stay
/// filed under it, the second's are current, an incident-wide value is
/// untouched, and the new user's UPN bound at "other affected?" is the
/// second user's, not filed with the first.
#[test]
fn a_second_user_keeps_the_first_users_values_and_findings_apart() {
    let mut kinds = vec![
        enter("investigate"),
        set("upn", "kim@contoso.com"),
        set("attacker_ip", "198.51.100.23"),
        set("auth_method_id", "m-1"),
        run("signins", &[("upn", "kim@contoso.com")]),
        run("by-ip", &[("attacker_ip", "198.51.100.23")]),
        enter("other-affected"),
        run("users-from-ip", &[("attacker_ip", "198.51.100.23")]),
        set("upn", "lee@contoso.com"),
    ];
    kinds.extend(next_user("other-affected", "investigate"));
    kinds.push(run("signins", &[("upn", "lee@contoso.com")]));
    let events: Vec<Event> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, k)| event(i as u64 + 1, k))
        .collect();
    let walk = IncidentState::from_events(&events);

    assert_eq!(walk.subjects.len(), 1);
    let first = &walk.subjects[0];
    assert_eq!((first.scope.as_str(), first.number), ("user", 1));
    assert_eq!(first.label(), "kim@contoso.com");
    let filed: Vec<(&str, &str)> = first
        .values
        .iter()
        .map(|(n, v)| (n.as_str(), v.current.value.as_str()))
        .collect();
    assert_eq!(
        filed,
        [("upn", "kim@contoso.com"), ("auth_method_id", "m-1")]
    );
    assert_eq!(first.lookups, [5], "kim's sign-in run is filed with kim");

    assert_eq!(
        walk.values.get("upn").map(String::as_str),
        Some("lee@contoso.com")
    );
    assert_eq!(walk.variables["upn"].history, []);
    assert!(
        !walk.values.contains_key("auth_method_id"),
        "kim's method is not lee's"
    );
    assert_eq!(
        walk.values.get("attacker_ip").map(String::as_str),
        Some("198.51.100.23")
    );
    // Every value ever set is still there for the timeline.
    let upns: Vec<&str> = walk
        .every_variable()
        .filter(|(n, _)| *n == "upn")
        .map(|(_, v)| v.current.value.as_str())
        .collect();
    assert_eq!(upns, ["lee@contoso.com", "kim@contoso.com"]);
}

/// A third user numbers on, and a run filed with the first is not filed
/// again with the second.
#[test]
fn subjects_number_on_and_file_each_run_once() {
    let mut kinds = vec![enter("a"), set("upn", "kim@contoso.com")];
    kinds.push(run("signins", &[("upn", "kim@contoso.com")]));
    kinds.push(enter("other"));
    kinds.extend(next_user("other", "a"));
    kinds.push(set("upn", "lee@contoso.com"));
    kinds.push(run("signins", &[("upn", "lee@contoso.com")]));
    kinds.push(enter("other"));
    kinds.extend(next_user("other", "a"));
    let events: Vec<Event> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, k)| event(i as u64 + 1, k))
        .collect();
    let walk = IncidentState::from_events(&events);
    let filed: Vec<(usize, &str, &[u64])> = walk
        .subjects_of("user")
        .map(|s| (s.number, s.label(), s.lookups.as_slice()))
        .collect();
    assert_eq!(
        filed,
        [
            (1, "kim@contoso.com", &[3][..]),
            (2, "lee@contoso.com", &[9][..])
        ]
    );
    assert!(walk.values.is_empty());
}
