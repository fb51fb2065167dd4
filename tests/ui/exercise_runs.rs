//! Whole exercises through the screen: started from the home screen, and
//! both shipped scenarios walked to their outcome in both modes and both
//! languages, with the scorecard and the after-action report they leave.

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, render};
use super::exercise::{at_outcome, exercise, scenario, to_the_outcome};
use cairn::store::event::{EventKind, Mode, ValueSource};

#[test]
fn the_home_screen_starts_a_tabletop_of_a_shipped_scenario() {
    let mut d = Driver::new("ja");
    let screen = d.screen();
    for title in ["AiTM フィッシング", "見慣れないサインイン"] {
        assert!(
            screen.contains(&format!("トレーニング: {title}")),
            "{screen}"
        );
        assert!(screen.contains(&format!("机上演習: {title}")), "{screen}");
    }
    // New, practice, then training and tabletop of the first scenario.
    d.keys("jjj");
    d.key(KeyCode::Enter);
    let inc = d.state.incident.as_ref().expect("opened");
    assert_eq!(inc.meta.mode, Mode::Tabletop);
    assert_eq!(inc.language(), "ja");
    assert!(inc.exercise.is_some(), "the scenario is attached");
    let id = inc.meta.id.clone();
    let events = d.events(&id);
    assert!(
        matches!(&events[0], EventKind::ScenarioStarted { scenario, .. } if scenario == "aitm")
    );
    assert!(events.iter().any(|e| matches!(e,
        EventKind::VariableSet { name, source: ValueSource::Scenario { .. }, .. } if name == "upn")));
    assert_eq!(d.current(), "readiness");
    assert!(
        d.screen().contains("月曜日 9:12"),
        "the story first:\n{}",
        d.screen()
    );
}

#[test]
fn both_shipped_scenarios_run_to_their_outcome_in_both_modes_and_languages() {
    for id in ["aitm", "benign-travel"] {
        for lang in ["en", "ja"] {
            for mode in [Mode::Training, Mode::Tabletop] {
                let (mut d, inc_id) = exercise(lang, id, mode);
                let sc = scenario(&d, id);
                to_the_outcome(&mut d, &sc);
                let case = format!("{id} {lang} {mode:?} at {}", d.current());
                assert!(at_outcome(&d), "{case}");
                let inc = d.state.incident.as_ref().unwrap();
                assert_eq!((inc.meta.mode, inc.language()), (mode, lang), "{case}");
                let events: Vec<_> = d.backend.lock().unwrap().load(&inc_id).unwrap().events;
                let decisions = events
                    .iter()
                    .filter(|e| matches!(e.kind, EventKind::ChoiceMade { .. }))
                    .count();
                assert_eq!(decisions, sc.expectations.len(), "{case}");
                if mode == Mode::Training {
                    let screen = render(&d.state, 80, 60);
                    let max = 10 * sc.expectations.len();
                    let full = if lang == "ja" {
                        format!("スコア: {max} / {max} (100%)")
                    } else {
                        format!("Score: {max} / {max} (100%)")
                    };
                    assert!(screen.contains(&full), "{case}\n{screen}");
                }
                let tree = d.state.incident.as_ref().unwrap().tree.clone();
                let state = cairn::store::IncidentState::from_events(&events);
                let report = cairn::scenario::aar::render("t", &state, &tree, Some(&sc), lang);
                let outcome = tree.node(&d.current()).unwrap().title.get(lang).to_string();
                assert!(report.contains(&outcome), "{case}\n{report}");
            }
        }
    }
}
