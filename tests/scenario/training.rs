//! Training runs: scoring, explanations, the walk setting, hints, timing
//! with a fake clock, the scorecard, and rebuilding a run from its events.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use cairn::scenario::{FakeClock, Scenario, TrainingRun, WalkPath};
use cairn::store::event::{Actor, Event, EventKind};
use cairn::tree::Phase;

use crate::common::*;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap()
}

/// Events as the store would number and time them.
pub fn stamp(events: &mut Vec<Event>, clock: &FakeClock, kinds: Vec<EventKind>) {
    use cairn::scenario::Clock;
    for kind in kinds {
        events.push(Event {
            seq: events.len() as u64 + 1,
            at: clock.now(),
            actor: Actor {
                user: "trainee".into(),
                host: "lab".into(),
                ssh_client: None,
            },
            kind,
            prev_hash: String::new(),
            hash: String::new(),
        });
    }
}

#[test]
fn expected_path_scores_full_marks() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    let r = run.choose("suspicious").unwrap();
    assert!(r.scored.correct);
    assert_eq!(r.scored.points, 10);
    assert_eq!(r.next, "scope");
    run.advance().unwrap();
    run.choose("revoke").unwrap();
    run.advance().unwrap();
    assert!(run.is_finished());
    let card = run.scorecard();
    assert_eq!(
        (card.total(), card.max, card.percent()),
        (20, 20, Some(100))
    );
    assert!(card.mistakes.is_empty());
    assert_eq!(card.outcome.unwrap().get("en"), "Contained and recovered");
}

#[test]
fn wrong_choice_scores_zero_explains_and_follows_the_playbook() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    let r = run.choose("legit").unwrap();
    assert!(!r.scored.correct);
    assert_eq!(r.scored.points, 0);
    assert_eq!(r.scored.expected, "suspicious");
    assert!(r.explanation.get("en").contains("leaves the attacker in"));
    assert!(r.expected_explanation.get("ja").contains("侵害を前提"));
    // Playbook walk: on to the expected next node, not to the benign outcome.
    assert_eq!(r.next, "scope");
    assert_eq!(run.current().id.value, "scope");
    let kinds: Vec<_> = r.events.iter().map(|e| format!("{e:?}")).collect();
    assert!(kinds[0].starts_with("ChoiceMade") && kinds[0].contains("next: \"scope\""));
    assert!(kinds[1].contains("DecisionScored") && kinds[1].contains("correct: false"));
}

#[test]
fn chosen_walk_lets_the_consequence_play_out() {
    let tree = mini_tree();
    let mut s: Scenario = valid();
    s.scoring.walk = WalkPath::Chosen;
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    let r = run.choose("legit").unwrap();
    assert_eq!(r.next, "benign");
    assert!(run.is_finished());
    let card = run.scorecard();
    assert_eq!((card.total(), card.max, card.percent()), (0, 10, Some(0)));
    assert_eq!(card.mistakes.len(), 1);
    assert_eq!(card.mistakes[0].chosen_label.get("en"), "Yes, legitimate");
    assert!(
        card.mistakes[0]
            .why_right
            .get("en")
            .contains("assume compromise")
    );
}

#[test]
fn hints_cost_points_once_each_and_run_out() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    assert_eq!(run.hints_left(), 2);
    let h1 = run.hint().unwrap();
    assert_eq!(h1.cost, 3);
    assert!(h1.text.get("en").contains("start that MFA prompt"));
    let h2 = run.hint().unwrap();
    assert_eq!(h2.cost, 5);
    assert!(run.hint().is_none(), "no third hint");
    assert_eq!(run.hints_left(), 0);
    run.choose("suspicious").unwrap();
    run.advance().unwrap();
    assert!(run.hint().is_none(), "no hints on 'contain'");
    run.choose("revoke").unwrap();
    let card = run.scorecard();
    assert_eq!(card.hint_cost, 8);
    assert_eq!(card.total(), 12);
    assert_eq!(card.percent(), Some(60));
    let triage = card
        .phases
        .iter()
        .find(|p| p.phase == Phase::Triage)
        .unwrap();
    assert_eq!((triage.earned, triage.hint_cost, triage.max), (10, 8, 10));
}

#[test]
fn hint_costs_never_push_the_score_below_zero() {
    let tree = mini_tree();
    let mut s = valid();
    for h in &mut s.hints {
        h.cost = 50;
    }
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    run.hint();
    run.choose("legit").unwrap();
    assert_eq!(run.scorecard().total(), 0);
}

#[test]
fn time_per_decision_comes_from_the_clock() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    clock.advance(Duration::from_secs(95));
    run.choose("suspicious").unwrap();
    clock.advance(Duration::from_secs(40));
    run.advance().unwrap();
    clock.advance(Duration::from_secs(30));
    let r = run.choose("revoke").unwrap();
    assert_eq!(
        r.scored.elapsed,
        Duration::from_secs(30),
        "timed from entering 'contain'"
    );
    let card = run.scorecard();
    let times: Vec<_> = card.timings.iter().map(|t| t.elapsed.as_secs()).collect();
    assert_eq!(times, [95, 30]);
    let text = card.render("en");
    assert!(text.contains("✓ Did the user sign in? — 1m35s"), "{text}");
}

#[test]
fn wrong_moves_are_errors_not_panics() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    assert!(run.advance().is_err(), "a decision needs a choice");
    assert!(run.choose("nope").is_err());
    run.choose("suspicious").unwrap();
    assert!(run.choose("revoke").is_err(), "'scope' is a step");
}

#[test]
fn run_is_rebuilt_from_its_event_log() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let mut log = Vec::new();
    let (mut run, opening) = TrainingRun::start(&tree, &s, &clock).unwrap();
    stamp(&mut log, &clock, opening);
    clock.advance(Duration::from_secs(20));
    let h = run.hint().unwrap();
    stamp(&mut log, &clock, vec![h.event]);
    clock.advance(Duration::from_secs(25));
    let r = run.choose("legit").unwrap();
    stamp(&mut log, &clock, r.events);
    clock.advance(Duration::from_secs(10));
    stamp(&mut log, &clock, run.advance().unwrap());
    clock.advance(Duration::from_secs(60));

    let rebuilt = TrainingRun::from_projection(
        &tree,
        &s,
        &clock,
        &cairn::store::IncidentState::from_events(&log),
    )
    .unwrap();
    assert_eq!(rebuilt.current().id.value, "contain");
    assert_eq!(rebuilt.decisions(), run.decisions());
    assert_eq!(rebuilt.hints_used(), run.hints_used());
    assert_eq!(rebuilt.scorecard(), run.scorecard());
    assert_eq!(rebuilt.decisions()[0].elapsed, Duration::from_secs(45));
}

#[test]
fn scorecard_reads_in_japanese() {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    run.choose("legit").unwrap();
    let text = run.scorecard().render("ja");
    assert!(text.starts_with("# スコアカード: ミニ AiTM"), "{text}");
    assert!(text.contains("| トリアージ | 0/1 | 0 | 0/10 |"), "{text}");
    assert!(
        text.contains("あなたの選択: Yes, legitimate (ja)"),
        "{text}"
    );
}

/// A phase whose hints cost more than it earned shows the minus: the phase
/// rows add up to the total the scorecard states.
#[test]
fn the_phase_table_sums_to_the_total() {
    let tree = mini_tree();
    let mut s = valid();
    for h in &mut s.hints {
        h.cost = 12;
    }
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    run.hint();
    run.choose("suspicious").unwrap();
    run.advance().unwrap();
    run.choose("revoke").unwrap();
    let card = run.scorecard();
    assert_eq!(card.total(), 8);
    let points: Vec<i64> = card.phases.iter().map(|p| p.points()).collect();
    assert_eq!(points, vec![-2, 10]);
    assert_eq!(points.iter().sum::<i64>(), i64::from(card.total()));
    let md = card.render("en");
    assert!(md.contains("| 12 | -2/10 |"), "{md}");
}
