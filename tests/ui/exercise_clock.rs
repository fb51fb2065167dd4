//! The tabletop clock: `P` pauses and resumes it (recorded), paused time
//! releases no inject, the clock stops at the outcome, and the facilitator
//! ends the exercise from the panel (closing the incident).

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyCode;

use super::exercise::{exercise, scenario, started, tick, to_the_outcome};
use super::exercise_screens::snap;
use cairn::app::Screen;
use cairn::store::event::{EventKind, Mode};

fn clock_events(d: &super::driver::Driver, id: &str) -> Vec<bool> {
    d.events(id)
        .into_iter()
        .filter_map(|e| match e {
            EventKind::ExerciseClock { running } => Some(running),
            _ => None,
        })
        .collect()
}

fn released(d: &super::driver::Driver, id: &str) -> usize {
    d.events(id)
        .iter()
        .filter(|e| matches!(e, EventKind::InjectReleased { .. }))
        .count()
}

#[test]
fn a_paused_clock_holds_the_timed_injects_back() {
    let (mut d, id) = exercise("en", "aitm", Mode::Tabletop);
    d.key(KeyCode::Enter);
    let t0 = started(&d, &id);
    tick(&mut d, t0 + TimeDelta::seconds(100));
    d.keys("P");
    assert_eq!(clock_events(&d, &id), vec![false]);
    assert!(d.screen().contains("[PAUSED]"), "{}", d.screen());
    // The first inject is due at 00:03:00 of running time: ten minutes of
    // pause release nothing, and the clock on screen stands still.
    tick(&mut d, t0 + TimeDelta::seconds(700));
    assert_eq!(released(&d, &id), 0);
    assert!(d.screen().contains("00:01:40"), "{}", d.screen());
    d.keys("P");
    assert_eq!(clock_events(&d, &id), vec![false, true]);
    tick(&mut d, t0 + TimeDelta::seconds(760));
    assert_eq!(released(&d, &id), 0, "00:02:40 of running time");
    tick(&mut d, t0 + TimeDelta::seconds(781));
    assert_eq!(released(&d, &id), 1, "00:03:01 of running time");
}

#[test]
fn the_clock_stops_at_the_outcome_and_pause_is_refused_there() {
    let (mut d, id) = exercise("en", "aitm", Mode::Tabletop);
    let sc = scenario(&d, "aitm");
    let t0 = started(&d, &id);
    to_the_outcome(&mut d, &sc);
    let at_end = d.screen();
    tick(&mut d, t0 + TimeDelta::hours(3));
    let later = d.screen();
    let header = |s: &str| s.lines().nth(1).unwrap_or_default().to_string();
    assert_eq!(header(&at_end), header(&later), "the clock stood still");
    d.keys("P");
    assert!(clock_events(&d, &id).is_empty());
    assert!(d.screen().contains("clock has stopped"), "{}", d.screen());
}

#[test]
fn the_facilitator_ends_the_exercise_from_the_panel() {
    for (lang, question) in [("en", "End the exercise?"), ("ja", "演習を終了しますか?")] {
        let (mut d, id) = exercise(lang, "aitm", Mode::Tabletop);
        d.key(KeyCode::Enter);
        d.keys("e");
        assert!(matches!(d.state.screen, Screen::Panel(_)));
        d.keys("X");
        assert!(d.screen().contains(question), "{}", d.screen());
        d.keys("y");
        let closed = d.events(&id).into_iter().any(
            |e| matches!(e, EventKind::IncidentClosed { summary: Some(s) } if s.contains("ended")),
        );
        assert!(closed, "{:?}", d.events(&id));
        assert!(d.screen().contains("CLOSED"), "{}", d.screen());
    }
}

#[test]
fn paused_clock_and_end_question_screens() {
    for lang in ["en", "ja"] {
        let (mut d, id) = exercise(lang, "aitm", Mode::Tabletop);
        d.key(KeyCode::Enter);
        let t0 = started(&d, &id);
        tick(&mut d, t0 + TimeDelta::seconds(100));
        d.keys("P");
        tick(&mut d, t0 + TimeDelta::seconds(400));
        snap("tabletop_paused", lang, d.screen());
        d.keys("e");
        d.keys("X");
        snap("tabletop_end_question", lang, d.screen());
    }
}
