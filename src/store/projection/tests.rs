use super::*;
use crate::store::event::InjectCause;

fn event(seq: u64, kind: EventKind) -> Event {
    let at = DateTime::from_timestamp(1_700_000_000 + seq as i64, 0).unwrap();
    Event::stand_in(seq, at, kind)
}

fn enter(n: &str) -> EventKind {
    EventKind::NodeEntered { node: n.into() }
}

#[test]
fn backtrack_shortens_the_path_but_keeps_visited_nodes() {
    let events = vec![
        event(1, enter("a")),
        event(
            2,
            EventKind::ChoiceMade {
                node: "a".into(),
                choice: "x".into(),
                next: "b".into(),
                reason: None,
            },
        ),
        event(3, enter("b")),
        event(4, enter("c")),
        event(
            5,
            EventKind::Backtrack {
                from: "c".into(),
                to: "a".into(),
            },
        ),
    ];
    let walk = IncidentState::from_events(&events);
    assert_eq!(walk.current_node.as_deref(), Some("a"));
    assert_eq!(walk.trail, vec!["a".to_string()]);
    assert_eq!(walk.visited.len(), 3);
    let choices = walk
        .path
        .iter()
        .filter(|s| matches!(s.via, Via::Choice { .. }))
        .count();
    assert_eq!(choices, 1);
    assert_eq!(walk.last_seq, 5);
    // The record of moves keeps every step, the breadcrumb only the live one.
    assert_eq!(walk.path.len(), 4);
}

#[test]
fn applying_one_event_at_a_time_equals_folding_the_log() {
    let events = vec![
        event(1, enter("a")),
        event(
            2,
            EventKind::VariableSet {
                name: "upn".into(),
                value: "kim@contoso.com".into(),
                source: crate::store::event::ValueSource::Typed,
            },
        ),
        event(
            3,
            EventKind::InjectReleased {
                inject: "call".into(),
                cause: InjectCause::Manual,
            },
        ),
    ];
    let mut live = IncidentState::default();
    for e in &events {
        live.apply(e);
    }
    // Re-reading the log after another writer applies nothing twice.
    for e in &events {
        live.apply(e);
    }
    assert_eq!(live, IncidentState::from_events(&events));
    assert_eq!(live.values["upn"], "kim@contoso.com");
    assert_eq!(live.injects.len(), 1);
    assert_eq!(live.event_count, 3);
}

#[test]
fn the_first_event_time_and_every_writer_are_kept_in_order() {
    let mut events = vec![
        event(1, enter("a")),
        event(2, enter("b")),
        event(3, enter("c")),
    ];
    events[1].actor.user = "kim".into();
    let walk = IncidentState::from_events(&events);
    assert_eq!(walk.first_activity, Some(events[0].at));
    assert_eq!(walk.last_activity, Some(events[2].at));
    let users: Vec<&str> = walk.actors.iter().map(|a| a.user.as_str()).collect();
    assert_eq!(users, [events[0].actor.user.as_str(), "kim"]);
}

#[test]
fn paused_time_is_left_out_of_the_running_time() {
    let clock = |running| EventKind::ExerciseClock { running };
    // Events one second apart: start at 1, paused 3..6, paused again at 8.
    let events = vec![
        event(1, enter("a")),
        event(3, clock(false)),
        event(4, clock(false)),
        event(6, clock(true)),
        event(8, clock(false)),
    ];
    let walk = IncidentState::from_events(&events);
    assert!(walk.paused());
    assert_eq!(walk.pauses.len(), 2, "a second pause while paused is one");
    let at = |s: i64| DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap();
    let secs = |until| walk.running_time(until).as_secs();
    assert_eq!(secs(at(3)), 2);
    assert_eq!(secs(at(5)), 2, "frozen while paused");
    assert_eq!(secs(at(7)), 3);
    assert_eq!(secs(at(100)), 4, "still paused since 8");
    let resumed = IncidentState::from_events(&[events, vec![event(10, clock(true))]].concat());
    assert!(!resumed.paused());
    assert_eq!(resumed.running_time(at(12)).as_secs(), 6);
}
