//! Training runs and tabletops on the screen, driven by keys through
//! `update` with the in-memory store: scoring and explanations, hints,
//! injects by time, node and hand, reasons, tagged notes, the scorecard and
//! the facilitator's panel; snapshots of each exercise screen at 80x24.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, clock, render};
use cairn::app::node::node_items;
use cairn::app::{Effect, Msg, NewIncident, Screen};
use cairn::runtime::{MemoryBackend, run_store_effect};
use cairn::scenario::{FakeClock, Scenario, Tabletop, TrainingRun, catalog};
use cairn::store::event::{EventKind, InjectCause, Mode, NoteTag, ValueSource};
use cairn::tree::NodeKind;

/// A training run or tabletop created with the scenario's opening events,
/// then opened on the screen. Returns the driver and the incident id.
pub fn exercise(lang: &str, scenario: &str, mode: Mode) -> (Driver, String) {
    let now = Arc::new(Mutex::new(clock()));
    let backend = MemoryBackend::with_shared_clock(now.clone());
    let mut d = Driver::with_backend(lang, Box::new(backend));
    d.clock = Some(now);
    tick(&mut d, clock());
    let tree = d
        .trees
        .iter()
        .find(|t| t.id.value == "token-theft")
        .unwrap()
        .clone();
    let scenario = catalog::find(scenario, &[&tree], None).expect("shipped scenario");
    let fake = FakeClock::new(clock());
    let opening = match mode {
        Mode::Training => TrainingRun::start(&tree, &scenario, &fake).unwrap().1,
        _ => Tabletop::start(&tree, &scenario, &fake).unwrap().1.events,
    };
    let title = format!("{mode:?}: {}", scenario.title.get(lang));
    let id = create_and_open(&mut d, lang, mode, title, opening);
    (d, id)
}

/// An incident of the token-theft tree created with `opening` in the same
/// write, as the home screen creates an exercise, and opened on the screen.
fn create_and_open(
    d: &mut Driver,
    lang: &str,
    mode: Mode,
    title: String,
    opening: Vec<EventKind>,
) -> String {
    let new = NewIncident {
        tree_id: "token-theft".into(),
        title,
        language: lang.into(),
        mode,
        variables: Vec::new(),
        variable_source: ValueSource::Typed,
        opening,
    };
    let created = run_store_effect(&d.store, &d.trees, Effect::CreateIncident(new));
    let Some(Msg::IncidentOpened(Ok(loaded))) = &created else {
        panic!("not created: {created:?}")
    };
    let id = loaded.0.meta.id.clone();
    d.send(created.unwrap());
    id
}

pub fn scenario(d: &Driver, id: &str) -> Scenario {
    let tree = d
        .trees
        .iter()
        .find(|t| t.id.value == "token-theft")
        .unwrap();
    catalog::find(id, &[tree], None).unwrap()
}

/// When the exercise started, as the store recorded it.
pub fn started(d: &Driver, id: &str) -> DateTime<Utc> {
    let opened = d.store.lock().unwrap().load(id).unwrap();
    opened.events[0].at
}

/// Time passes: for the screen (a tick) and for the store's stamps.
pub fn tick(d: &mut Driver, at: DateTime<Utc>) {
    if let Some(now) = &d.clock {
        *now.lock().unwrap() = at;
    }
    d.send(Msg::Tick(at));
}

/// Presses the key that moves on from the current node the way the
/// scenario expects (the expected choice, or a step's way on), confirming
/// open mandatory items; dismisses the story, injects and feedback first.
pub fn forward(d: &mut Driver, scenario: &Scenario) {
    let inc = d.state.incident.as_ref().unwrap();
    let tree = inc.tree.clone();
    let node = tree.node(inc.current_node_id()).unwrap();
    match &node.kind {
        NodeKind::Decision { choices } => {
            let expected = &scenario.expectation(&node.id).unwrap().choice.value;
            let i = choices
                .iter()
                .position(|c| c.id.value == *expected)
                .unwrap();
            d.keys(&(i + 1).to_string());
        }
        NodeKind::Step { .. } => {
            for _ in 0..node_items(node).len() {
                d.keys("j");
            }
            d.key(KeyCode::Enter);
        }
        NodeKind::Outcome { .. } => panic!("already at the outcome"),
    }
    if d.state.dialog.is_some() {
        d.keys("y");
    }
}

pub fn at_outcome(d: &Driver) -> bool {
    let inc = d.state.incident.as_ref().unwrap();
    matches!(
        inc.tree.node(inc.current_node_id()).unwrap().kind,
        NodeKind::Outcome { .. }
    )
}

/// Walks on the scenario's expected path until an outcome is reached (a
/// tabletop team gives no reason: the reason editor is saved empty), then
/// reads whatever is shown there.
pub fn to_the_outcome(d: &mut Driver, scenario: &Scenario) {
    for _ in 0..200 {
        acknowledge(d);
        if at_outcome(d) {
            break;
        }
        forward(d, scenario);
        if matches!(d.state.screen, Screen::Reason(_)) {
            d.ctrl('s');
        }
    }
    acknowledge(d);
    assert!(at_outcome(d), "stuck at {}", d.current());
}

/// Reads whatever is shown over the screen or after a choice.
pub fn acknowledge(d: &mut Driver) {
    for _ in 0..10 {
        let overlay = d.state.context() == cairn::app::Context::Inject;
        if overlay || matches!(d.state.screen, Screen::Feedback(_)) {
            d.key(KeyCode::Enter);
        } else {
            return;
        }
    }
}

#[test]
fn training_scores_explains_charges_hints_and_ends_on_the_scorecard() {
    let (mut d, id) = exercise("en", "aitm", Mode::Training);
    let sc = scenario(&d, "aitm");
    // The story comes first and holds the keys: a choice now does nothing.
    assert!(d.screen().contains("AiTM phishing"), "{}", d.screen());
    d.keys("1");
    assert_eq!(d.current(), "readiness");
    d.key(KeyCode::Enter);

    // Right: scored, explained, on to the playbook's next node.
    d.keys("1");
    assert!(matches!(d.state.screen, Screen::Feedback(_)));
    assert!(d.screen().contains("Correct (+10)"), "{}", d.screen());
    let events = d.events(&id);
    assert!(events.contains(&EventKind::DecisionScored {
        node: "readiness".into(),
        choice: "ready".into(),
        expected: "ready".into(),
        correct: true,
        points: 10,
    }));
    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "trigger");

    // A hint costs its points, once, and is shown on the node.
    d.keys("h");
    assert!(d.events(&id).iter().any(
        |e| matches!(e, EventKind::HintShown { node, hint: 0, cost: 3 } if node == "trigger")
    ));
    let hint = sc.hints_for("trigger").next().unwrap();
    let screen = d.screen();
    assert!(screen.contains(&hint.text.get("en")[..20]), "{screen}");
    assert!(screen.contains("Score 7/10"), "{screen}");

    // Wrong: both explanations, and the walk still goes the playbook's way.
    d.keys("1");
    let screen = d.screen();
    assert!(screen.contains("Not the playbook's choice"), "{screen}");
    assert!(
        screen.contains("Playbook: Unfamiliar sign-in properties"),
        "{screen}"
    );
    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "trigger-unfamiliar-properties");
    assert!(d.events(&id).iter().any(|e| matches!(e,
        EventKind::ChoiceMade { node, choice, next, .. }
            if node == "trigger" && choice == "anomalous-token" && next == "trigger-unfamiliar-properties")));

    // Training walks forward only.
    d.keys("b");
    assert_eq!(d.current(), "trigger-unfamiliar-properties");
    assert!(d.screen().contains("Training walks forward only"));

    to_the_outcome(&mut d, &sc);
    // Reaching the outcome shows the scorecard: every other decision right.
    assert!(matches!(d.state.screen, Screen::Panel(_)));
    let decisions = sc.expectations.len() as u32;
    let screen = render(&d.state, 80, 60);
    let expected = format!("Score: {} / {}", 10 * (decisions - 1) - 3, 10 * decisions);
    assert!(screen.contains(&expected), "{expected}\n{screen}");
    assert!(screen.contains("Mistakes: 1"), "{screen}");
    assert!(screen.contains("cairn export"), "{screen}");
    let scored = d
        .events(&id)
        .iter()
        .filter(|e| matches!(e, EventKind::DecisionScored { .. }))
        .count();
    assert_eq!(scored as u32, decisions);
}

#[test]
fn tabletop_releases_injects_keeps_reasons_and_tagged_notes() {
    let (mut d, id) = exercise("en", "aitm", Mode::Tabletop);
    d.key(KeyCode::Enter);
    let t0 = started(&d, &id);
    let released = |d: &Driver| -> Vec<(String, InjectCause)> {
        d.events(&id)
            .into_iter()
            .filter_map(|e| match e {
                EventKind::InjectReleased { inject, cause } => Some((inject, cause)),
                _ => None,
            })
            .collect()
    };
    // Time: nothing before its offset, released and shown once it passes.
    tick(&mut d, t0 + TimeDelta::seconds(170));
    assert!(released(&d).is_empty());
    tick(&mut d, t0 + TimeDelta::seconds(181));
    assert_eq!(
        released(&d),
        vec![("user-message".into(), InjectCause::Time)]
    );
    assert!(
        d.screen().contains("Mika messages the service desk"),
        "{}",
        d.screen()
    );
    tick(&mut d, t0 + TimeDelta::seconds(182));
    assert_eq!(released(&d).len(), 1, "released once");
    d.key(KeyCode::Enter);
    assert!(!d.screen().contains("Mika messages the service desk"));

    // By hand: the next inject of the queue.
    d.keys("i");
    assert_eq!(
        released(&d)[1],
        ("new-authenticator".into(), InjectCause::Manual)
    );
    d.key(KeyCode::Enter);

    // A choice asks for the team's reason, and keeps it.
    d.keys("1");
    assert!(matches!(d.state.screen, Screen::Reason(_)));
    d.keys("we hold the logs");
    d.ctrl('s');
    assert_eq!(d.current(), "trigger");
    assert!(d.events(&id).iter().any(|e| matches!(e,
        EventKind::ChoiceMade { reason: Some(r), .. } if r == "we hold the logs")));

    // Notes are tagged for the after-action report.
    d.keys("n");
    d.ctrl('g');
    assert!(d.screen().contains("[Strengths]"), "{}", d.screen());
    d.keys("quick escalation");
    d.ctrl('s');
    assert!(d.events(&id).contains(&EventKind::TabletopNote {
        node: Some("trigger".into()),
        tag: NoteTag::Strength,
        text: "quick escalation".into(),
    }));

    // The panel: timers, the queue, the decision with its reason, the note.
    tick(&mut d, t0 + TimeDelta::seconds(200));
    d.keys("e");
    let panel = render(&d.state, 100, 60);
    for text in [
        "00:03:20",
        "[x] 00:03:01 Mika messages",
        "[ ] at 00:15:00 (in 00:11:40)",
        "Ready: go to triage",
        "Reason given: we hold the logs",
        "[Strengths] quick escalation",
    ] {
        assert!(panel.contains(text), "{text:?} not in\n{panel}");
    }
    // Nothing destructive leaves a tabletop: the executor is never asked.
    assert!(d.others.is_empty());
}

#[test]
fn an_inject_swaps_the_recording_a_lookup_is_answered_from() {
    let (mut d, id) = exercise("en", "benign-travel", Mode::Tabletop);
    d.key(KeyCode::Enter);
    let inc = d.state.incident.as_ref().unwrap();
    let before = cairn::app::lookups::Source::for_incident(inc, "signins-user");
    let cairn::app::lookups::Source::Practice {
        scenario, swapped, ..
    } = before
    else {
        panic!("an exercise is never live")
    };
    assert_eq!(scenario, "benign-travel");
    assert_eq!(swapped, None);
    let t0 = started(&d, &id);
    tick(&mut d, t0 + TimeDelta::minutes(6) + TimeDelta::seconds(1));
    let inc = d.state.incident.as_ref().unwrap();
    let after = cairn::app::lookups::Source::for_incident(inc, "signins-user");
    let cairn::app::lookups::Source::Practice { swapped, .. } = &after else {
        panic!()
    };
    assert_eq!(
        swapped.as_ref(),
        Some(&(
            "signins-user".to_string(),
            "signins-user-venue.json".to_string()
        ))
    );
    // The swapped recording is what the executor answers with.
    let backend = cairn::runtime::lookups::backend_for(&after, &Err("offline".into())).unwrap();
    let cairn::lookup::run::Backend::Replay(replay) = backend else {
        panic!()
    };
    let request = cairn::lookup::run::LookupRequest {
        lookup_id: "signins-user".into(),
        provider: cairn::tree::Provider::LogAnalytics,
        text: "SigninLogs".into(),
        timespan: None,
    };
    let rows = format!("{:?}", replay.answer(&request).unwrap());
    assert!(rows.contains("198.51.100.78"), "{rows}");
}

#[test]
fn an_exercise_whose_scenario_is_gone_opens_as_a_plain_walk() {
    let (d, _) = exercise_with_missing_scenario();
    assert!(d.state.incident.as_ref().unwrap().exercise.is_none());
    assert!(
        d.screen()
            .contains("scenario 'no-such-drill' is not available"),
        "{}",
        d.screen()
    );
}

fn exercise_with_missing_scenario() -> (Driver, String) {
    let mut d = Driver::new("en");
    let opening = vec![EventKind::ScenarioStarted {
        scenario: "no-such-drill".into(),
        tree: "token-theft".into(),
    }];
    let id = create_and_open(
        &mut d,
        "en",
        Mode::Training,
        "Training: gone".into(),
        opening,
    );
    (d, id)
}

#[test]
fn a_training_run_resumes_with_its_score_and_without_the_story() {
    let (mut d, id) = exercise("en", "aitm", Mode::Training);
    d.key(KeyCode::Enter);
    d.keys("1");
    d.key(KeyCode::Enter);
    d.keys("h");
    assert!(d.screen().contains("Score 7/10"), "{}", d.screen());
    // Quit and start again on the same store: the run is opened from home.
    let mut again = Driver::with_shared("en", d.store.clone());
    again.clock = d.clock.clone();
    let opened = run_store_effect(&again.store, &again.trees, Effect::OpenIncident { id });
    again.send(opened.unwrap());
    assert_eq!(again.current(), "trigger");
    let screen = again.screen();
    assert!(
        !screen.contains("Monday, 09:12"),
        "no story on resume:\n{screen}"
    );
    assert!(screen.contains("Score 7/10"), "{screen}");
    // Resumed 42 minutes on: the injects that came due meanwhile are
    // released and shown, one after the other.
    assert!(
        screen.contains("Mika messages the service desk"),
        "{screen}"
    );
    again.key(KeyCode::Enter);
    assert!(again.screen().contains("A supplier calls Accounts Payable"));
    acknowledge(&mut again);
    let screen = again.screen();
    assert!(
        screen.contains("Hints (0 left)"),
        "the revealed hint stays:\n{screen}"
    );
}
