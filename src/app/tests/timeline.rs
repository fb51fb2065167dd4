//! The timeline through `update`: what the projection holds comes back as
//! entries in order, and the kind and node filters narrow them.

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key, now};
use crate::app::timeline::{Kind, What, entries};
use crate::app::*;
use crate::store::event::{ActionStatus, LookupStatus, ValueSource};
use crate::store::projection::Via;

fn timeline(h: &Harness) -> &timeline::TimelineView {
    match &h.state.screen {
        Screen::Timeline(v) => v,
        other => panic!("not the timeline: {other:?}"),
    }
}

fn shown_kinds(h: &Harness) -> Vec<Kind> {
    let inc = h.state.incident.as_ref().unwrap();
    timeline(h)
        .filtered(&inc.walk)
        .iter()
        .map(|e| e.kind())
        .collect()
}

/// An incident that went through everything the timeline lists.
fn worked() -> Harness {
    let lookup = EventKind::LookupRun {
        node: "triage".into(),
        lookup: "recent-signins".into(),
        provider: "log_analytics".into(),
        query: "SigninLogs".into(),
        variables: BTreeMap::new(),
        timespan: None,
        started_at: now(),
        finished_at: now(),
        status: LookupStatus::Failed,
        row_count: None,
        result_sha256: None,
        result: None,
        result_bytes: 0,
        result_cap: 0,
        result_truncated: false,
        message: Some("HTTP 403".into()),
    };
    Harness::reopened(vec![
        EventKind::NodeEntered {
            node: "triage".into(),
        },
        EventKind::VariableSet {
            name: "upn".into(),
            value: "kim@example.com".into(),
            source: ValueSource::Typed,
        },
        lookup,
        EventKind::NoteAdded {
            node: Some("triage".into()),
            text: "called the user".into(),
        },
        EventKind::ChoiceMade {
            node: "triage".into(),
            choice: "not-legit".into(),
            next: "contain".into(),
            reason: Some("user denies it".into()),
        },
        EventKind::NodeEntered {
            node: "contain".into(),
        },
        EventKind::ActionIntended {
            node: "contain".into(),
            action: "revoke-sessions".into(),
            method: "POST".into(),
            path: "/users/kim@example.com/revokeSignInSessions".into(),
            body: None,
            confirmation: "kim@example.com".into(),
            simulated: true,
            approval: None,
        },
        EventKind::ActionOutcome {
            intent: 7,
            status: ActionStatus::Simulated,
            http_status: None,
            detail: None,
        },
        EventKind::NoteAdded {
            node: None,
            text: "handed over to the night shift".into(),
        },
    ])
}

#[test]
fn entries_are_the_projections_records_in_order() {
    let h = worked();
    let inc = h.state.incident.as_ref().unwrap();
    let all = entries(&inc.walk);
    let kinds: Vec<Kind> = all.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            Kind::Decision,
            Kind::Variable,
            Kind::Lookup,
            Kind::Note,
            Kind::Decision,
            Kind::Action,
            Kind::Note,
        ]
    );
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    // The decision keeps its reason and is placed at the node it was made at.
    let choice = &all[4];
    assert_eq!(choice.node.as_deref(), Some("triage"));
    assert!(matches!(
        &choice.what,
        What::Moved { to, via: Via::Choice { reason: Some(r), .. } }
            if to == "contain" && r == "user denies it"
    ));
    assert!(matches!(
        &all[2].what,
        What::Lookup { status: LookupStatus::Failed, message: Some(m), .. } if m == "HTTP 403"
    ));
    // The action carries its outcome with its intent.
    assert!(matches!(
        &all[5].what,
        What::Action { outcome: Some(o), .. } if o.status == ActionStatus::Simulated
    ));
    assert!(matches!(
        &all[6].what,
        What::Note {
            incident_wide: true,
            ..
        }
    ));
}

#[test]
fn t_opens_the_timeline_at_its_newest_entry_and_back_returns() {
    let mut h = worked();
    h.send(key('t'));
    assert_eq!(timeline(&h).cursor, 6);
    h.send(code(KeyCode::Home));
    assert_eq!(timeline(&h).cursor, 0);
    h.send(key('j'));
    h.send(key('j'));
    assert_eq!(timeline(&h).cursor, 2);
    h.send(code(KeyCode::End));
    assert_eq!(timeline(&h).cursor, 6);
    h.send(key('j'));
    assert_eq!(timeline(&h).cursor, 6, "stops at the last entry");
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
}

#[test]
fn the_kind_filter_cycles_through_every_kind_and_back_to_all() {
    let mut h = worked();
    h.send(key('t'));
    h.send(key('f'));
    assert_eq!(timeline(&h).kind, Some(Kind::Decision));
    assert_eq!(shown_kinds(&h), vec![Kind::Decision, Kind::Decision]);
    h.send(key('f'));
    assert_eq!(shown_kinds(&h), vec![Kind::Note, Kind::Note]);
    assert_eq!(timeline(&h).cursor, 1);
    h.send(key('f'));
    assert_eq!(shown_kinds(&h), vec![Kind::Lookup]);
    h.send(key('f'));
    assert_eq!(shown_kinds(&h), vec![Kind::Action]);
    h.send(key('f'));
    assert_eq!(shown_kinds(&h), vec![Kind::Variable]);
    h.send(key('f'));
    assert_eq!(timeline(&h).kind, None);
    assert_eq!(shown_kinds(&h).len(), 7);
}

#[test]
fn the_node_filter_steps_through_the_nodes_entries_name() {
    let mut h = worked();
    h.send(key('t'));
    h.send(key('n'));
    assert_eq!(timeline(&h).node.as_deref(), Some("triage"));
    // At triage: entering it, its lookup, its note, the choice made there.
    assert_eq!(
        shown_kinds(&h),
        vec![Kind::Decision, Kind::Lookup, Kind::Note, Kind::Decision]
    );
    h.send(key('n'));
    assert_eq!(timeline(&h).node.as_deref(), Some("contain"));
    assert_eq!(shown_kinds(&h), vec![Kind::Action]);
    // Both filters at once.
    h.send(key('f'));
    assert_eq!(shown_kinds(&h), Vec::<Kind>::new());
    h.send(key('n'));
    assert_eq!(timeline(&h).node, None);
}

#[test]
fn a_note_written_after_opening_the_timeline_shows_there() {
    let mut h = Harness::opened();
    h.send(key('n'));
    h.type_text("first");
    h.send(ctrl('s'));
    h.send(key('t'));
    let inc = h.state.incident.as_ref().unwrap();
    let notes: Vec<String> = timeline(&h)
        .filtered(&inc.walk)
        .into_iter()
        .filter_map(|e| match e.what {
            What::Note { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(notes, vec!["first".to_string()]);
}

#[test]
fn a_closed_incident_opens_its_timeline_read_only() {
    let mut h = Harness::opened_closed();
    h.send(key('t'));
    assert!(matches!(h.state.screen, Screen::Timeline(_)));
    assert_eq!(h.state.notice, None);
}
