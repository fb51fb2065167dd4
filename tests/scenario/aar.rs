//! The after-action report of a scripted tabletop.

use std::time::Duration;

use cairn::scenario::{FakeClock, Tabletop, aar};
use cairn::store::IncidentState;
use cairn::store::event::{Event, EventKind, NoteTag};

use crate::common::*;
use crate::training::{stamp, t0};

/// The report reads the incident's one projection of its events.
fn projected(log: &[Event]) -> IncidentState {
    IncidentState::from_events(log)
}

/// A 26-minute tabletop: the team hesitates at containment once, then
/// revokes; two injects arrive; notes are taken; one checklist item ticked.
fn scripted() -> Vec<Event> {
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let mut log = Vec::new();
    let (mut t, u) = Tabletop::start(&tree, &s, &clock).unwrap();
    stamp(&mut log, &clock, u.events);
    clock.advance(Duration::from_secs(150));
    stamp(
        &mut log,
        &clock,
        vec![EventKind::ChecklistToggled {
            node: "triage".into(),
            item: "asked-user".into(),
            checked: true,
        }],
    );
    stamp(
        &mut log,
        &clock,
        t.choose("suspicious", Some("Alex did not start the prompt"))
            .unwrap()
            .events,
    );
    clock.advance(Duration::from_secs(150));
    stamp(&mut log, &clock, t.tick().events); // user-call at 5m
    stamp(&mut log, &clock, t.advance().unwrap().events);
    clock.advance(Duration::from_secs(240));
    stamp(
        &mut log,
        &clock,
        t.choose("watch", Some("want | more evidence\nfirst"))
            .unwrap()
            .events,
    );
    stamp(
        &mut log,
        &clock,
        vec![
            t.note(NoteTag::Improvement, "Revoke first, investigate after")
                .unwrap(),
        ],
    );
    clock.advance(Duration::from_secs(300));
    stamp(&mut log, &clock, t.advance().unwrap().events);
    clock.advance(Duration::from_secs(120));
    let intent = t
        .simulate_action("revoke-sessions", "alex@contoso.example")
        .unwrap();
    stamp(&mut log, &clock, vec![intent]);
    let intent_seq = log.last().unwrap().seq;
    stamp(
        &mut log,
        &clock,
        vec![Tabletop::simulated_outcome(intent_seq)],
    );
    stamp(
        &mut log,
        &clock,
        t.choose("revoke", Some("token replay confirmed"))
            .unwrap()
            .events,
    );
    stamp(
        &mut log,
        &clock,
        vec![
            t.note(NoteTag::Strength, "Clear hand-off to the identity team")
                .unwrap(),
        ],
    );
    clock.advance(Duration::from_secs(600));
    stamp(&mut log, &clock, t.advance().unwrap().events);
    log
}

#[test]
fn report_has_every_section_in_order() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render(
        "Tabletop 2026-11 (blue team)",
        &projected(&scripted()),
        &tree,
        Some(&s),
        "en",
    );
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Summary",
            "## Timeline",
            "## Decisions against the playbook",
            "## Time per phase",
            "## Open checklist items",
            "## Strengths",
            "## Improvements",
            "## Other notes",
        ],
        "{md}"
    );
    assert!(md.starts_with("# After-action report: Mini AiTM\n"), "{md}");
    assert!(
        md.contains("| Exercise | Tabletop 2026-11 (blue team) |"),
        "{md}"
    );
    assert!(md.contains("| Duration | 26m00s |"), "{md}");
    assert!(md.contains("| Participants | trainee@lab |"), "{md}");
}

#[test]
fn summary_gives_outcome_containment_and_agreement() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render("x", &projected(&scripted()), &tree, Some(&s), "en");
    assert!(
        md.contains("- **Outcome reached:** Contained and recovered (`contained-and-recovered`)"),
        "{md}"
    );
    // First entry into a contain-phase node: after 2m30s triage + 2m30s + 4m00s scope.
    assert!(
        md.contains("- **Time to containment:** 5m00s — Contain now?"),
        "{md}"
    );
    assert!(
        md.contains("- **Decisions matching the playbook:** 2 / 3"),
        "{md}"
    );
    assert!(md.contains("- **Injects released:** 3 / 3"), "{md}");
}

#[test]
fn timeline_orders_injects_and_decisions_with_reasons() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render("x", &projected(&scripted()), &tree, Some(&s), "en");
    let timeline: Vec<&str> = md
        .split("## Timeline")
        .nth(1)
        .unwrap()
        .split("## ")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| T+"))
        .collect();
    assert_eq!(timeline.len(), 8, "{timeline:#?}");
    // The decision comes before the inject its node released.
    assert!(timeline[0].starts_with("| T+2m30s | **Decision** — Did the user sign in?: No or unsure — _Reason given: Alex did not start the prompt_"), "{timeline:#?}");
    assert!(
        timeline[1].starts_with("| T+2m30s | 📍 **Inject** `new-method`: Audit log"),
        "{timeline:#?}"
    );
    assert!(
        timeline[2].starts_with("| T+5m00s | ⏱ **Inject** `user-call`"),
        "{timeline:#?}"
    );
    // A pipe and a newline typed as a reason cannot break the table.
    assert!(
        timeline[3].contains("want \\| more evidence<U+000A>first"),
        "{timeline:#?}"
    );
    assert_eq!(
        timeline[4],
        "| T+16m00s | **Action** `revoke-sessions`: `POST /users/alex@contoso.example/revokeSignInSessions` (simulated) |"
    );
    assert!(
        timeline[5].contains("Contain now?: Revoke sessions"),
        "{timeline:#?}"
    );
    assert!(timeline[6].contains("`manager-asks`"), "{timeline:#?}");
    assert!(timeline[7].contains("**Outcome reached:** Contained and recovered"));
}

#[test]
fn deviations_are_explained_against_the_expected_path() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render("x", &projected(&scripted()), &tree, Some(&s), "en");
    assert!(md.contains("- **Playbook expects:** Did the user sign in? → Scope the compromise → Contain now? → Recover the account → Contained and recovered"), "{md}");
    assert!(md.contains("- **Team chose:** Did the user sign in? → Scope the compromise → Contain now? → Scope the compromise → Contain now? → Recover the account → Contained and recovered"), "{md}");
    assert!(
        md.contains("| 2 | Contain now? | Keep watching | Revoke sessions | ✗ |"),
        "{md}"
    );
    assert!(
        md.contains("- Keep watching: Watching lets the attacker keep using the token."),
        "{md}"
    );
    assert!(
        md.contains(
            "- Why the playbook goes this way: Revoking sessions ends the stolen token's access."
        ),
        "{md}"
    );
}

#[test]
fn open_items_phase_times_and_notes() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render("x", &projected(&scripted()), &tree, Some(&s), "en");
    assert!(
        !md.contains("User contacted out of band"),
        "ticked item is not open: {md}"
    );
    assert!(
        md.contains("- [ ] MFA methods reviewed — Scope the compromise"),
        "{md}"
    );
    assert!(
        md.contains("- [ ] Password reset **(mandatory)** — Recover the account"),
        "{md}"
    );
    assert!(md.contains("| Triage | 2m30s |"), "{md}");
    assert!(md.contains("| Investigate | 7m30s |"), "{md}");
    assert!(md.contains("| Contain | 6m00s |"), "{md}");
    assert!(md.contains("| Recover | 10m00s |"), "{md}");
    let strengths = md
        .split("## Strengths")
        .nth(1)
        .unwrap()
        .split("## ")
        .next()
        .unwrap();
    assert!(
        strengths.contains("- Clear hand-off to the identity team (T+16m00s)"),
        "{strengths}"
    );
    let improvements = md
        .split("## Improvements")
        .nth(1)
        .unwrap()
        .split("## ")
        .next()
        .unwrap();
    assert!(
        improvements.contains("- Revoke first, investigate after (T+9m00s)"),
        "{improvements}"
    );
    let other = md.split("## Other notes").nth(1).unwrap();
    assert!(other.contains("None recorded."), "{other}");
}

#[test]
fn report_reads_in_japanese() {
    let tree = mini_tree();
    let s = valid();
    let md = aar::render("演習", &projected(&scripted()), &tree, Some(&s), "ja");
    assert!(md.starts_with("# 事後レビュー報告書: ミニ AiTM"), "{md}");
    assert!(
        md.contains("## 封じ込めまでの時間") || md.contains("**封じ込めまでの時間:** 5m00s"),
        "{md}"
    );
    assert!(
        md.contains("## 良かった点") && md.contains("## 改善点"),
        "{md}"
    );
    assert!(
        md.contains("> Alex さんが、自分で開始していない MFA プロンプトを報告した。"),
        "{md}"
    );
}

#[test]
fn report_without_scenario_or_containment() {
    let tree = mini_tree();
    let log = scripted();
    let early: Vec<Event> = log.into_iter().take(3).collect();
    let md = aar::render("Live incident", &projected(&early), &tree, None, "en");
    assert!(
        md.starts_with("# After-action report: Live incident"),
        "{md}"
    );
    assert!(
        md.contains("- **Time to containment:** not reached"),
        "{md}"
    );
    assert!(!md.contains("## Decisions against the playbook"));
}

#[test]
fn training_incident_report_carries_the_score() {
    use cairn::scenario::TrainingRun;
    let tree = mini_tree();
    let s = valid();
    let clock = FakeClock::new(t0());
    let mut log = Vec::new();
    let (mut run, opening) = TrainingRun::start(&tree, &s, &clock).unwrap();
    stamp(&mut log, &clock, opening);
    let hint = run.hint().unwrap().event;
    stamp(&mut log, &clock, vec![hint]);
    clock.advance(Duration::from_secs(30));
    let r = run.choose("suspicious").unwrap();
    stamp(&mut log, &clock, r.events);
    stamp(&mut log, &clock, run.advance().unwrap());
    let r = run.choose("watch").unwrap();
    stamp(&mut log, &clock, r.events);
    assert_eq!(aar::scenario_id(&projected(&log)), Some("mini-aitm"));
    let md = aar::render("Training", &projected(&log), &tree, Some(&s), "en");
    // 10 earned of 20, minus a 3-point hint.
    assert!(
        md.contains("- **Score:** 7 / 20 (35%) · Hint cost: 3"),
        "{md}"
    );
    assert!(
        md.contains("- **Decisions matching the playbook:** 1 / 2"),
        "{md}"
    );
}

/// An hour's pause before the last move: the report counts running time
/// only, so the duration and the phase times are those of the unpaused run.
#[test]
fn paused_time_is_left_out_of_the_report() {
    let tree = mini_tree();
    let s = valid();
    let mut log = scripted();
    let last_move = log
        .iter()
        .rposition(|e| !matches!(e.kind, EventKind::NodeEntered { .. }))
        .unwrap()
        + 1;
    let tail: Vec<Event> = log.split_off(last_move);
    let before = log.last().unwrap().clone();
    let hour = chrono::TimeDelta::hours(1);
    for (running, at) in [(false, before.at), (true, before.at + hour)] {
        let mut e = before.clone();
        e.seq = log.len() as u64 + 1;
        e.at = at;
        e.kind = EventKind::ExerciseClock { running };
        log.push(e);
    }
    for mut e in tail {
        e.seq = log.len() as u64 + 1;
        e.at += hour;
        log.push(e);
    }
    let md = aar::render("x", &projected(&log), &tree, Some(&s), "en");
    assert!(md.contains("| Duration | 26m00s |"), "{md}");
    assert!(md.contains("| Recover | 10m00s |"), "{md}");
}
