//! Lookups, results and actions on the real token-theft tree: practice data
//! answers every lookup, the screens at 80x24 in both languages, and
//! attacker-written rows that reach the buffer only as visible markers.

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, render};
use cairn::app::lookups::{LookupEffect, LookupMsg, PRACTICE_SCENARIO, RunOutcome};
use cairn::app::{Effect, Msg, NodeView, Screen, jump_to};
use cairn::lookup::canonical;
use cairn::lookup::replay::Replay;
use cairn::lookup::table::{Cell, Column, ColumnType, LookupResult, ResultTable};
use cairn::store::event::{ActionStatus, EventKind, LookupStatus, ValueSource};

fn snap(name: &str, lang: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{name}_{lang}"), screen));
}

fn both(name: &str, build: impl Fn(&str) -> String) {
    for lang in ["en", "ja"] {
        snap(name, lang, build(lang));
    }
}

/// A practice incident at `node`, the cursor on item `cursor`.
fn at(lang: &str, node: &str, cursor: usize) -> Driver {
    let mut d = Driver::practice(lang);
    let effects = jump_to(&mut d.state, node);
    d.run(effects);
    assert_eq!(d.current(), node);
    d.state.screen = Screen::Node(NodeView {
        cursor,
        ..Default::default()
    });
    d
}

/// The user's sign-ins, answered from the shipped recordings.
fn results(lang: &str) -> Driver {
    let mut d = at(lang, "trigger-unfamiliar-properties", 1);
    d.keys("g");
    d.key(KeyCode::Enter);
    d
}

#[test]
fn practice_runs_with_the_scenario_values_and_nothing_to_type() {
    let mut d = at("en", "trigger-unfamiliar-properties", 0);
    let inc = d.state.incident.as_ref().unwrap();
    assert_eq!(
        inc.walk.values.get("upn").map(String::as_str),
        Some("mika.sato@contoso.example")
    );
    d.keys("g");
    let Screen::RunForm(form) = &d.state.screen else {
        panic!("{:?}", d.state.screen)
    };
    assert!(form.missing.is_empty(), "{:?}", form.missing);
    d.key(KeyCode::Enter);
    let Screen::Results(view) = &d.state.screen else {
        panic!("{:?}", d.state.screen)
    };
    assert!(!view.rows.is_empty());
    // Nothing was typed: every value came from the scenario.
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    assert!(!d.events(&id).iter().any(|e| matches!(
        e,
        EventKind::VariableSet {
            source: ValueSource::Typed,
            ..
        }
    )));
}

#[test]
fn a_practice_lookup_shows_rows_and_is_recorded() {
    let d = results("en");
    let Screen::Results(view) = &d.state.screen else {
        panic!("{:?}", d.state.screen)
    };
    assert!(!view.rows.is_empty());
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let events = d.events(&id);
    let run = events
        .iter()
        .find_map(|e| match e {
            EventKind::LookupRun {
                lookup,
                status,
                row_count,
                result_sha256,
                query,
                ..
            } => Some((lookup, status, row_count, result_sha256, query)),
            _ => None,
        })
        .expect("a lookup_run event");
    assert_eq!(run.0, "signins-user");
    assert_eq!(*run.1, LookupStatus::Succeeded);
    assert_eq!(run.2.unwrap() as usize, view.rows.len());
    assert_eq!(run.3.as_ref().unwrap().len(), 64);
    assert!(run.4.contains("'mika.sato@contoso.example'"));
}

#[test]
fn practice_data_answers_every_lookup_of_the_shipped_tree() {
    // Through the screen: the practice incident's own values, plus what a
    // walk binds from rows on the way (the scenario's discovered values).
    // Nothing is typed.
    let mut d = Driver::practice("en");
    let tree = d.state.incident.as_ref().unwrap().tree.clone();
    let replay = Replay::shipped(PRACTICE_SCENARIO).expect("the aitm recordings are shipped");
    let inc = d.state.incident.as_mut().unwrap();
    for (name, value) in &replay.manifest.variables {
        assert_eq!(inc.walk.values.get(name), Some(value), "{name}");
    }
    inc.walk.values.extend(replay.manifest.discovered.clone());
    let mut answered = 0;
    let mut with_rows = 0;
    for node in &tree.nodes {
        if node.lookups.is_empty() {
            continue;
        }
        let effects = jump_to(&mut d.state, &node.id.value);
        d.run(effects);
        for (i, lookup) in node.lookups.iter().enumerate() {
            let at = format!("{} at {}", lookup.id.value, node.id.value);
            d.state.screen = Screen::Node(NodeView {
                cursor: node.checklist.len() + i,
                ..Default::default()
            });
            d.keys("g");
            let Screen::RunForm(form) = &d.state.screen else {
                panic!("{at}: {:?}", d.state.screen)
            };
            assert!(form.missing.is_empty(), "{at}: asks for {:?}", form.missing);
            d.key(KeyCode::Enter);
            let Screen::Results(view) = &d.state.screen else {
                panic!("{at}: {:?}", d.state.screen)
            };
            let run = &d.state.lookups.runs[&view.run];
            let result = run
                .result()
                .unwrap_or_else(|| panic!("{at}: {:?}", run.state));
            answered += 1;
            with_rows += usize::from(result.row_count() > 0);
            assert_eq!(view.rows.len(), result.row_count(), "{at}");
            d.keys("q");
        }
    }
    assert!(answered >= 50, "only {answered} lookups");
    assert!(with_rows + 2 >= answered, "almost every recording has rows");
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let events = d.events(&id);
    let recorded = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                EventKind::LookupRun {
                    status: LookupStatus::Succeeded,
                    ..
                }
            )
        })
        .count();
    assert_eq!(recorded, answered);
    assert!(!events.iter().any(|e| matches!(
        e,
        EventKind::VariableSet {
            source: ValueSource::Typed,
            ..
        }
    )));
}

/// The sign-ins lookup run twice, its results open on the newer run.
fn rerun(lang: &str) -> Driver {
    let mut d = results(lang);
    d.keys("q");
    d.keys("g");
    d.key(KeyCode::Enter);
    let runs = d.state.lookups.runs.len();
    assert_eq!(runs, 2, "{:?}", d.state.screen);
    d
}

/// The screen with the runs' start times (the executor's clock) as one
/// fixed time, so the snapshot does not depend on when it ran.
fn fixed_times(d: &Driver) -> String {
    let mut screen = d.screen();
    for run in d.state.lookups.runs.values() {
        let at = run.started_at.format("%Y-%m-%d %H:%M UTC").to_string();
        screen = screen.replace(&at, "2026-11-26 09:00 UTC");
    }
    screen
}

#[test]
fn results_screens() {
    both("lookup_results", |lang| results(lang).screen());
    both("lookup_row_detail", |lang| {
        let mut d = results(lang);
        d.key(KeyCode::Enter);
        d.screen()
    });
    both("lookup_running", |lang| {
        let mut d = at(lang, "trigger-unfamiliar-properties", 0);
        d.hold_lookups = true;
        d.keys("g");
        d.key(KeyCode::Enter);
        assert!(matches!(
            d.others.last(),
            Some(Effect::Lookup(LookupEffect::Run { .. }))
        ));
        d.screen()
    });
    both("lookup_history", |lang| {
        let mut d = rerun(lang);
        d.keys("H");
        fixed_times(&d)
    });
    both("lookup_earlier_run", |lang| {
        let mut d = rerun(lang);
        d.keys("Hj");
        d.key(KeyCode::Enter);
        fixed_times(&d)
    });
    both("lookup_run_form", |lang| {
        let mut d = at(lang, "trigger-unfamiliar-properties", 0);
        d.keys("g");
        d.screen()
    });
}

#[test]
fn action_confirmation_screens_and_simulated_outcome() {
    // Revoke sessions: after the nine checklist items and one lookup.
    let at_action = |lang: &str| {
        let mut d = at(lang, "containment-tasks", 10);
        let inc = d.state.incident.as_mut().unwrap();
        inc.walk
            .values
            .insert("upn".into(), "mika.sato@contoso.example".into());
        d
    };
    both("action_confirm", |lang| {
        let mut d = at_action(lang);
        d.keys("g");
        d.keys("mika");
        d.screen()
    });
    let mut d = at_action("en");
    d.keys("g");
    d.keys("mika.sato@contoso.example");
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(screen.contains("SIMULATED"), "{screen}");
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let events = d.events(&id);
    let n = events.len();
    assert!(matches!(
        &events[n - 2],
        EventKind::ActionIntended { simulated: true, method, .. } if method == "POST"
    ));
    assert!(matches!(
        &events[n - 1],
        EventKind::ActionOutcome {
            status: ActionStatus::Simulated,
            ..
        }
    ));
}

/// Strings an attacker can put in a user agent, a file name or a mail subject.
pub const HOSTILE: &[&str] = &[
    "\u{1b}[2J\u{1b}[31mCSI clear",
    "\u{1b}]0;pwned title\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}]52;c;ZXZpbA==\u{7}clip",
    "\u{1b}P1$r0m\u{1b}\\dcs",
    "c1 \u{9b}31m \u{9d}0;t\u{9c}",
    "bidi \u{202e}gpj.exe \u{2066}x\u{2069}",
    "zero\u{200b}width\u{200d}\u{feff}join",
];

fn hostile_result() -> Arc<LookupResult> {
    let columns = vec![
        Column {
            name: "UserAgent\u{1b}[7m".into(),
            col_type: ColumnType::String,
        },
        Column {
            name: "Details".into(),
            col_type: ColumnType::Dynamic,
        },
    ];
    let rows = HOSTILE
        .iter()
        .map(|s| {
            vec![
                Cell::Str(s.to_string().into()),
                Cell::Dynamic(cairn::lookup::table::Dynamic::Json(
                    serde_json::json!({ "ua": s }),
                )),
            ]
        })
        .collect();
    Arc::new(LookupResult {
        tables: vec![ResultTable {
            name: "PrimaryResult".into(),
            columns,
            rows,
        }],
        warning: Some("partial \u{1b}]0;x\u{7} warning".into()),
    })
}

fn assert_clean(screen: &str) {
    for c in screen.chars() {
        let code = c as u32;
        assert!(
            c == '\n' || !(code < 0x20 || (0x7f..=0x9f).contains(&code)),
            "control U+{code:04X} reached the buffer:\n{screen}"
        );
        assert!(
            !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'),
            "invisible U+{code:04X} reached the buffer:\n{screen}"
        );
    }
}

#[test]
fn hostile_rows_reach_the_buffer_only_as_visible_markers() {
    let mut d = at("en", "trigger-unfamiliar-properties", 0);
    d.hold_lookups = true;
    d.keys("g");
    d.key(KeyCode::Enter);
    let Some(Effect::Lookup(LookupEffect::Run { run, .. })) = d.others.last().cloned() else {
        panic!()
    };
    let result = hostile_result();
    let evidence = canonical::evidence(&result, 4096);
    d.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: chrono::Utc::now(),
        finished_at: chrono::Utc::now(),
        outcome: RunOutcome::Rows { result, evidence },
    }));
    for (w, h) in [(80, 24), (200, 50)] {
        let screen = render(&d.state, w, h);
        assert_clean(&screen);
        assert!(screen.contains("<U+001B>[2J<U+001B>[31mCSI"), "{screen}");
        assert!(screen.contains("<U+001B>]0;pwned"), "{screen}");
        assert!(screen.contains("<U+009B>31m"), "{screen}");
        assert!(screen.contains("<U+202E>gpj.exe"), "{screen}");
        assert!(screen.contains("zero<U+200B>width"), "{screen}");
        assert!(screen.contains("UserAgent<U+001B>[7m"), "{screen}");
        assert!(
            screen.contains("partial <U+001B>]0;x<U+0007> warning"),
            "{screen}"
        );
    }
    // Every row in detail, dynamic JSON included.
    for _ in HOSTILE {
        d.key(KeyCode::Enter);
        assert_clean(&render(&d.state, 80, 24));
        d.key(KeyCode::Esc);
        d.keys("j");
    }
}
