//! Tests of the loop's pure parts: turning terminal events into messages
//! and running store effects against an in-memory backend.

use super::*;
use crate::app::fixture::{key, now};
use crate::app::{Keymap, Screen, update};
use crate::store::event::ValueSource;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn resize_storms_collapse_and_keys_survive() {
    let key = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let events = vec![
        TermEvent::Resize(10, 10),
        TermEvent::Resize(0, 0),
        TermEvent::Resize(80, 24),
        TermEvent::Key(key),
        TermEvent::Resize(1, 1),
        TermEvent::FocusGained,
        TermEvent::Resize(100, 30),
    ];
    assert_eq!(
        to_messages(events),
        vec![Msg::Resize(80, 24), Msg::Key(key), Msg::Resize(100, 30)]
    );
}

#[test]
fn store_effects_run_against_the_backend_in_order() {
    let backend: Shared = Arc::new(Mutex::new(Box::new(MemoryBackend::default())));
    let tree = crate::app::fixture::mini_tree();
    let trees = vec![tree];
    let new = app::NewIncident {
        tree_id: "mini".into(),
        title: "t".into(),
        language: "en".into(),
        mode: crate::store::event::Mode::Practice,
        variables: vec![("upn".into(), "a@b.co".into())],
        variable_source: crate::store::event::ValueSource::Typed,
        opening: Vec::new(),
    };
    let Some(Msg::IncidentOpened(Ok(loaded))) =
        run_store_effect(&backend, &trees, Effect::CreateIncident(new))
    else {
        panic!("not opened")
    };
    assert_eq!(loaded.0.state.event_count, 1);
    let id = loaded.0.meta.id.clone();
    let msg = run_store_effect(
        &backend,
        &trees,
        Effect::Record {
            req: 7,
            incident: id.clone(),
            based_on: None,
            kinds: vec![crate::store::event::EventKind::NodeEntered {
                node: "triage".into(),
            }],
        },
    );
    assert!(
        matches!(msg, Some(Msg::Recorded { req: 7, result: Ok(ref e) }) if e.len() == 1 && e[0].seq == 2)
    );
    let missing = run_store_effect(&backend, &[], Effect::OpenIncident { id });
    let Some(Msg::IncidentOpened(Err(e))) = missing else {
        panic!()
    };
    assert!(e.contains("not installed"), "{e}");
}

#[test]
fn an_exercise_from_a_scenario_file_finds_it_again_in_its_own_session() {
    let source = crate::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.contains("token-theft"))
        .unwrap();
    let tree = Arc::new(crate::tree::load::parse(&source.origin, &source.text).unwrap());
    // A scenario the catalog cannot find by id: as if loaded from a path.
    let mut scenario = crate::scenario::catalog::find("aitm", &[&tree], None).unwrap();
    scenario.id.value = "only-in-a-file".into();
    let scenario = Arc::new(scenario);
    let backend: Shared = Arc::new(Mutex::new(Box::new(MemoryBackend::default())));
    let trees = vec![tree];
    let new = app::NewIncident {
        tree_id: "token-theft".into(),
        title: "t".into(),
        language: "en".into(),
        mode: crate::store::event::Mode::Training,
        variables: Vec::new(),
        variable_source: crate::store::event::ValueSource::Typed,
        opening: vec![crate::store::event::EventKind::ScenarioStarted {
            scenario: "only-in-a-file".into(),
            tree: "token-theft".into(),
        }],
    };
    let Some(Msg::IncidentOpened(Ok(created))) =
        run_store_effect(&backend, &trees, Effect::CreateIncident(new))
    else {
        panic!("not created")
    };
    assert!(
        matches!(&created.0.scenario, Some(Err(e)) if e.contains("'only-in-a-file' is not available")),
        "{:?}",
        created.0.scenario
    );
    let open = || Effect::OpenIncident {
        id: created.0.meta.id.clone(),
    };
    let Some(Msg::IncidentOpened(Ok(opened))) =
        run_store_effect_with(&backend, &trees, Some(&scenario), open())
    else {
        panic!("not opened")
    };
    assert!(matches!(&opened.0.scenario, Some(Ok(s)) if Arc::ptr_eq(s, &scenario)));
    // Another session's scenario with another id is no stand-in.
    let mut other = (*scenario).clone();
    other.id.value = "another".into();
    let Some(Msg::IncidentOpened(Ok(opened))) =
        run_store_effect_with(&backend, &trees, Some(&Arc::new(other)), open())
    else {
        panic!("not opened")
    };
    assert!(matches!(opened.0.scenario, Some(Err(_))));
}

#[test]
fn practice_starts_with_the_shipped_scenario_values_recorded_as_such() {
    let source = crate::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.contains(app::home::PRACTICE_TREE))
        .expect("the practice tree is shipped");
    let tree = Arc::new(crate::tree::load::parse(&source.origin, &source.text).unwrap());
    let mut s = State::new(Keymap::load(None).unwrap(), vec![tree.clone()], "en", now());
    update(&mut s, Msg::IncidentsLoaded(Ok(Vec::new())));
    let effects = update(&mut s, key('p'));
    let [Effect::CreateIncident(new)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let scenario = crate::lookup::replay::Replay::shipped(app::lookups::PRACTICE_SCENARIO).unwrap();
    let mut started: Vec<(String, String)> = new.variables.clone();
    started.sort();
    let mut expected: Vec<(String, String)> = scenario.manifest.variables.into_iter().collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(started, expected);
    assert_eq!(
        new.variable_source,
        ValueSource::Scenario {
            scenario: app::lookups::PRACTICE_SCENARIO.into()
        }
    );

    // Created and opened: the values are recorded with their source, and a
    // lookup that needs only them runs with nothing to type.
    let backend: Shared = Arc::new(Mutex::new(Box::new(MemoryBackend::default())));
    let trees = [tree.clone()];
    let opened = run_store_effect(&backend, &trees, effects[0].clone()).unwrap();
    let Msg::IncidentOpened(Ok(loaded)) = &opened else {
        panic!("{opened:?}")
    };
    let sources: Vec<&ValueSource> = loaded
        .0
        .state
        .variables
        .values()
        .map(|v| &v.current.source)
        .collect();
    assert_eq!(sources.len(), expected.len());
    assert!(
        sources
            .iter()
            .all(|s| matches!(s, ValueSource::Scenario { scenario } if scenario == "aitm"))
    );
    update(&mut s, opened);
    let node = tree.node("trigger-unfamiliar-properties").unwrap();
    app::lookups::open_form(&mut s, node, 1);
    let Screen::RunForm(form) = &s.screen else {
        panic!("{:?}", s.screen)
    };
    assert!(form.missing.is_empty(), "{:?}", form.missing);
}
