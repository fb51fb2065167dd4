//! A recorded walk of the real token-theft tree: every choice, tick, note
//! and backtrack is in the store, and a new session resumes where it stopped.

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, sqlite};
use cairn::app::{Effect, Screen};
use cairn::store::event::{EventKind, ValueSource};

fn choice(node: &str, choice: &str, next: &str, reason: Option<&str>) -> EventKind {
    EventKind::ChoiceMade {
        node: node.into(),
        choice: choice.into(),
        next: next.into(),
        reason: reason.map(Into::into),
    }
}

fn entered(node: &str) -> EventKind {
    EventKind::NodeEntered { node: node.into() }
}

fn ticked(node: &str, item: &str) -> EventKind {
    EventKind::ChecklistToggled {
        node: node.into(),
        item: item.into(),
        checked: true,
    }
}

#[test]
fn a_walk_is_recorded_and_resumes_where_it_stopped() {
    let mut d = Driver::practice("en");
    assert_eq!(d.current(), "readiness");
    d.keys("1");
    d.keys("8");
    assert_eq!(d.current(), "investigation-checklist");
    // Tick the three mandatory items, add a note.
    d.keys("xjxjx");
    d.keys("n");
    d.keys("called the user at 03:10");
    d.ctrl('s');
    assert!(matches!(d.state.screen, Screen::Node(_)));
    // Move on with the step's Continue.
    for _ in 0..3 {
        d.key(KeyCode::PageDown);
    }
    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "user-confirmation");
    // A choice with a reason.
    d.keys("xjx");
    d.keys("jj");
    d.keys("r");
    d.keys("user unreachable");
    d.ctrl('s');
    assert_eq!(d.current(), "containment-impact");
    // Back, and the same way again: the ticks are still there, no question.
    d.keys("b");
    assert_eq!(d.current(), "user-confirmation");
    d.keys("2");
    assert!(d.state.dialog.is_none());
    assert_eq!(d.current(), "containment-impact");
    d.keys("Q");
    assert_eq!(d.others, vec![Effect::Quit]);

    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let events = d.events(&id);
    let checklist = "investigation-checklist";
    // A practice incident starts with the practice scenario's values.
    let tree = d
        .trees
        .iter()
        .find(|t| t.id.value == "token-theft")
        .unwrap();
    let practice = cairn::app::lookups::practice_variables(tree)
        .into_iter()
        .map(|(name, value)| EventKind::VariableSet {
            name,
            value,
            source: ValueSource::Scenario {
                scenario: cairn::app::lookups::PRACTICE_SCENARIO.into(),
            },
        });
    let expected: Vec<EventKind> = practice
        .chain([
            entered("readiness"),
            choice("readiness", "ready", "trigger", None),
            entered("trigger"),
            choice("trigger", "user-report", checklist, None),
            entered(checklist),
            ticked(checklist, "identity"),
            ticked(checklist, "signin-logs"),
            ticked(checklist, "audit-logs"),
            EventKind::NoteAdded {
                node: Some(checklist.into()),
                text: "called the user at 03:10".into(),
            },
            entered("user-confirmation"),
            ticked("user-confirmation", "out-of-band"),
            ticked("user-confirmation", "evidence-reviewed"),
            choice(
                "user-confirmation",
                "assume-compromise",
                "containment-impact",
                Some("user unreachable"),
            ),
            entered("containment-impact"),
            EventKind::Backtrack {
                from: "containment-impact".into(),
                to: "user-confirmation".into(),
            },
            choice(
                "user-confirmation",
                "assume-compromise",
                "containment-impact",
                None,
            ),
            entered("containment-impact"),
        ])
        .collect();
    assert!(expected.len() > 17);
    assert_eq!(events, expected);

    // Relaunch on the same store: the incident is listed and resumes.
    let mut again = Driver::with_shared("en", d.store.clone());
    assert!(again.screen().contains(&id));
    again.key(KeyCode::Enter);
    assert_eq!(again.current(), "containment-impact");
    let inc = again.state.incident.as_ref().unwrap();
    assert_eq!(inc.walk.notes.len(), 1);
    assert_eq!(
        inc.walk.trail,
        [
            "readiness",
            "trigger",
            "investigation-checklist",
            "user-confirmation",
            "containment-impact"
        ]
    );
    // Resuming records nothing new.
    assert_eq!(again.events(&id).len(), events.len());
    let screen = again.screen();
    assert!(screen.contains("> Contain now? Weigh"), "{screen}");
}

#[test]
fn language_and_variables_are_recorded_and_come_back() {
    let mut d = Driver::practice("en");
    d.keys("L");
    d.keys("v");
    d.key(KeyCode::Enter);
    // Replaces the scenario's value the practice incident started with.
    d.ctrl('u');
    d.keys("Alice@Contoso.com");
    d.key(KeyCode::Enter);
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let events = d.events(&id);
    assert!(events.contains(&EventKind::LanguageChanged {
        language: "ja".into()
    }));
    assert!(events.contains(&EventKind::VariableSet {
        name: "upn".into(),
        value: "Alice@Contoso.com".into(),
        source: ValueSource::Typed,
    }));
    let mut again = Driver::with_shared("en", d.store.clone());
    again.key(KeyCode::Enter);
    assert_eq!(again.state.language(), "ja");
    // The lookups show the value where the placeholder was, as it is sent.
    again.keys("18");
    let screen = again.screen();
    assert!(
        screen.contains("/users/Alice%40Contoso.com?$select="),
        "{screen}"
    );
}

#[test]
fn on_the_sqlite_store_a_relaunch_resumes_with_path_and_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Driver::with_backend("ja", sqlite(dir.path()));
    d.keys("p");
    d.keys("18");
    d.keys("xjxjx");
    d.keys("n");
    d.keys("ユーザーに電話した");
    d.ctrl('s');
    for _ in 0..3 {
        d.key(KeyCode::PageDown);
    }
    d.key(KeyCode::Enter);
    d.keys("xjx2");
    assert_eq!(d.current(), "containment-impact");
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    assert!(id.starts_with("TT-"), "{id}");
    d.keys("Q");
    drop(d);

    // A new process: a new store handle on the same directory.
    let mut again = Driver::with_backend("ja", sqlite(dir.path()));
    let home = again.screen();
    assert!(home.contains(&id), "{home}");
    again.key(KeyCode::Enter);
    assert_eq!(again.current(), "containment-impact");
    let inc = again.state.incident.as_ref().unwrap();
    assert_eq!(inc.walk.trail.len(), 5);
    assert_eq!(inc.walk.notes[0].text(), "ユーザーに電話した");
    assert_eq!(inc.meta.mode, cairn::store::event::Mode::Practice);
    let events = again.events(&id);
    assert!(matches!(events[0], EventKind::IncidentCreated { .. }));
    // The practice scenario's values, recorded with the incident, then the walk.
    let first_walk = events
        .iter()
        .position(|e| {
            !matches!(
                e,
                EventKind::VariableSet {
                    source: ValueSource::Scenario { .. },
                    ..
                }
            ) && !matches!(e, EventKind::IncidentCreated { .. })
        })
        .unwrap();
    assert!(first_walk > 1);
    assert_eq!(events[first_walk], entered("readiness"));
}
