//! Tests of the loop's pure parts: turning terminal events into messages
//! and running store effects against an in-memory backend.

use super::*;
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
