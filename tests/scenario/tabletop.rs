//! Tabletop exercises: injects on a fake clock (time- and node-triggered,
//! and by hand), recording overrides, timers, reasons, notes, simulated
//! actions, and rebuilding from events.

use std::time::Duration;

use cairn::scenario::{FakeClock, InjectQueue, Tabletop, TabletopError};
use cairn::store::event::{EventKind, InjectCause, NoteTag};
use cairn::tree::Phase;

use crate::common::*;
use crate::training::{stamp, t0};

fn ids(update: &cairn::scenario::tabletop::Update<'_>) -> Vec<String> {
    update.injects.iter().map(|i| i.id.value.clone()).collect()
}

#[test]
fn time_triggered_injects_release_when_due_and_only_once() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, opening) = Tabletop::start(&tree, &s, &clock).unwrap();
    assert!(opening.injects.is_empty());
    clock.advance(Duration::from_secs(299));
    assert!(t.tick().injects.is_empty(), "not yet at 4m59s");
    assert_eq!(
        t.queue()
            .next_timed(t.elapsed())
            .map(|(i, w)| (i.id.value.as_str(), w)),
        Some(("user-call", Duration::from_secs(1)))
    );
    clock.advance(Duration::from_secs(1));
    let u = t.tick();
    assert_eq!(ids(&u), ["user-call"]);
    assert_eq!(
        u.events,
        vec![EventKind::InjectReleased {
            inject: "user-call".into(),
            cause: InjectCause::Time
        }]
    );
    assert!(t.tick().injects.is_empty(), "released once");
}

#[test]
fn several_overdue_injects_release_earliest_first() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    clock.advance(Duration::from_secs(3600));
    assert_eq!(ids(&t.tick()), ["user-call", "manager-asks"]);
}

#[test]
fn node_triggered_inject_releases_on_reaching_the_node() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    let u = t
        .choose("suspicious", Some("user did not start the prompt"))
        .unwrap();
    assert_eq!(ids(&u), ["new-method"]);
    assert!(u.events.contains(&EventKind::InjectReleased {
        inject: "new-method".into(),
        cause: InjectCause::Node
    }));
    // Reaching the node again releases nothing new.
    t.advance().unwrap();
    let again = t.choose("watch", None).unwrap();
    assert!(again.injects.is_empty());
}

#[test]
fn facilitator_releases_the_next_inject_by_hand() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    assert_eq!(ids(&t.release_next()), ["user-call"]);
    assert_eq!(ids(&t.release_next()), ["new-method"]);
    assert_eq!(t.queue().released()[1].cause, InjectCause::Manual);
    // Its node no longer triggers it, and its timer no longer fires.
    assert!(t.choose("suspicious", None).unwrap().injects.is_empty());
    clock.advance(Duration::from_secs(600));
    assert!(t.tick().injects.is_empty());
    assert_eq!(ids(&t.release_next()), ["manager-asks"]);
    assert!(t.release_next().injects.is_empty(), "queue empty");
}

#[test]
fn released_inject_swaps_the_recording_a_lookup_answers_from() {
    let s = valid();
    let mut q = InjectQueue::new(&s);
    assert_eq!(q.recording_for("recent-signins"), None);
    q.release_on_node("scope", Duration::from_secs(60));
    assert_eq!(
        q.recording_for("recent-signins"),
        Some("recent-signins-after.json")
    );
    assert_eq!(q.recording_for("other"), None);
}

#[test]
fn elapsed_and_phase_timers_run_on_the_clock() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    clock.advance(Duration::from_secs(120));
    t.choose("suspicious", None).unwrap();
    clock.advance(Duration::from_secs(300));
    t.advance().unwrap();
    clock.advance(Duration::from_secs(60));
    t.choose("watch", Some("want more evidence")).unwrap();
    clock.advance(Duration::from_secs(30));
    t.advance().unwrap();
    clock.advance(Duration::from_secs(45));
    assert_eq!(t.elapsed(), Duration::from_secs(555));
    assert_eq!(
        t.phase_times(),
        vec![
            (Phase::Triage, Duration::from_secs(120)),
            (Phase::Investigate, Duration::from_secs(330)),
            (Phase::Contain, Duration::from_secs(105)),
        ]
    );
    assert_eq!(
        t.decisions()[1].reason.as_deref(),
        Some("want more evidence")
    );
}

#[test]
fn notes_are_tagged_and_empty_ones_refused() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    let e = t
        .note(NoteTag::Strength, "  Called the user within 2 minutes ")
        .unwrap();
    assert_eq!(
        e,
        EventKind::TabletopNote {
            node: Some("triage".into()),
            tag: NoteTag::Strength,
            text: "Called the user within 2 minutes".into()
        }
    );
    assert_eq!(t.note(NoteTag::Note, "   "), Err(TabletopError::EmptyNote));
    assert_eq!(t.notes().len(), 1);
}

#[test]
fn destructive_actions_are_simulated_and_need_the_typed_confirmation() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut t, _) = Tabletop::start(&tree, &s, &clock).unwrap();
    t.choose("suspicious", None).unwrap();
    t.advance().unwrap();
    assert_eq!(
        t.simulate_action("revoke-sessions", "alex"),
        Err(TabletopError::ConfirmationMismatch {
            expected: "alex@contoso.example".into()
        })
    );
    let intent = t
        .simulate_action("revoke-sessions", "alex@contoso.example")
        .unwrap();
    match intent {
        EventKind::ActionIntended {
            simulated,
            path,
            method,
            ..
        } => {
            assert!(simulated);
            assert_eq!(method, "POST");
            assert_eq!(path, "/users/alex@contoso.example/revokeSignInSessions");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Tabletop::simulated_outcome(7),
        EventKind::ActionOutcome {
            intent: 7,
            status: cairn::store::event::ActionStatus::Simulated,
            ..
        }
    ));
}

#[test]
fn exercise_is_rebuilt_from_its_event_log() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let mut log = Vec::new();
    let (mut t, u) = Tabletop::start(&tree, &s, &clock).unwrap();
    stamp(&mut log, &clock, u.events);
    clock.advance(Duration::from_secs(300));
    stamp(&mut log, &clock, t.tick().events);
    stamp(
        &mut log,
        &clock,
        t.choose("suspicious", Some("prompt not started"))
            .unwrap()
            .events,
    );
    stamp(
        &mut log,
        &clock,
        vec![
            t.note(NoteTag::Improvement, "Check the audit log sooner")
                .unwrap(),
        ],
    );
    clock.advance(Duration::from_secs(90));

    let r = Tabletop::from_projection(
        &tree,
        &s,
        &clock,
        &cairn::store::IncidentState::from_events(&log),
    )
    .unwrap();
    assert_eq!(r.current().id.value, "scope");
    assert_eq!(r.decisions(), t.decisions());
    assert_eq!(r.notes(), t.notes());
    assert_eq!(r.queue().released(), t.queue().released());
    assert_eq!(r.phase_times(), t.phase_times());
    assert_eq!(r.elapsed(), Duration::from_secs(390));
}
