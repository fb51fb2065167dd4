//! Every screen at 80x24, in English and Japanese, as reviewed snapshots in
//! tests/snapshots/.

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, render};
use cairn::runtime::MemoryBackend;

fn snap(name: &str, lang: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{name}_{lang}"), screen));
}

/// Runs `build` for both languages and snapshots what it returns.
fn both(name: &str, build: impl Fn(&str) -> String) {
    for lang in ["en", "ja"] {
        snap(name, lang, build(lang));
    }
}

/// Walks from the start to the investigation checklist (a step with
/// mandatory items and six lookups).
fn at_investigation(lang: &str) -> Driver {
    let mut d = Driver::practice(lang);
    d.keys("18");
    assert_eq!(d.current(), "investigation-checklist");
    d
}

/// Jumps with search to the first node whose text contains `query`, with
/// a reason (an outcome confirmed).
fn jump(d: &mut Driver, query: &str) {
    d.keys("/");
    d.keys(query);
    d.key(KeyCode::Enter);
    d.finish_jump();
}

#[test]
fn home() {
    both("home_empty", |lang| Driver::new(lang).screen());
    both("home_resume", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("H");
        d.screen()
    });
    // `f` on the home screen: the closed incidents (here, the practice
    // incident after another process closed it).
    both("home_closed", |lang| {
        let mut d = Driver::practice(lang);
        let id = d.state.incident.as_ref().unwrap().meta.id.clone();
        d.keys("H");
        let closed = cairn::store::EventKind::IncidentClosed { summary: None };
        d.store
            .lock()
            .unwrap()
            .append(&id, None, vec![closed])
            .unwrap();
        d.keys("r");
        assert!(!d.screen().contains(&id), "{}", d.screen());
        d.keys("ffff");
        d.screen()
    });
    // Every section with its count: two live incidents, the practice one,
    // a closed one folded under its count.
    both("home_sections", |lang| {
        let mut d = Driver::practice(lang);
        let practice = d.state.incident.as_ref().unwrap().meta.id.clone();
        d.keys("H");
        d.keys("p");
        d.keys("H");
        for (title, upn) in [
            ("Phish at Finance", "bob@contoso.com"),
            ("MFA fatigue", "amy@contoso.com"),
        ] {
            d.keys("n");
            d.key(KeyCode::Tab);
            d.keys(title);
            d.key(KeyCode::Tab);
            d.key(KeyCode::Tab);
            d.keys(upn);
            d.ctrl('s');
            assert!(
                d.state
                    .incident
                    .as_ref()
                    .is_some_and(|i| i.meta.title == title)
            );
            d.keys("H");
        }
        let closed = cairn::store::EventKind::IncidentClosed { summary: None };
        d.store
            .lock()
            .unwrap()
            .append(&practice, None, vec![closed])
            .unwrap();
        d.keys("r");
        d.screen()
    });
    // At 60x20 the list scrolls to the cursor and long lines are cut.
    both("home_small", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("H");
        d.keys("jjjjjj");
        render(&d.state, 60, 20)
    });
    both("home_close_form", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("H");
        d.keys("c");
        d.keys(if lang == "ja" {
            "誤検知"
        } else {
            "false positive"
        });
        d.screen()
    });
}

#[test]
fn new_incident_form() {
    both("new_incident_invalid_upn", |lang| {
        let mut d = Driver::new(lang);
        d.keys("n");
        d.key(KeyCode::Tab);
        d.keys("Suspicious sign-in for Bob");
        d.key(KeyCode::Tab);
        d.key(KeyCode::Tab);
        d.keys("bob@");
        d.ctrl('s');
        d.screen()
    });
}

#[test]
fn node_screens() {
    both("node_start", |lang| Driver::practice(lang).screen());
    both("node_checklist_and_lookups", |lang| {
        let mut d = at_investigation(lang);
        d.keys("xjx");
        d.screen()
    });
    both("node_scrolled_to_lookup", |lang| {
        let mut d = at_investigation(lang);
        d.keys("jjjjjjj");
        d.screen()
    });
    both("node_leave_with_open_items", |lang| {
        let mut d = at_investigation(lang);
        d.key(KeyCode::PageDown);
        d.key(KeyCode::PageDown);
        d.key(KeyCode::PageDown);
        d.key(KeyCode::Enter);
        d.screen()
    });
    both("node_actions", |lang| {
        let mut d = Driver::practice(lang);
        jump(
            &mut d,
            if lang == "ja" {
                "封じ込めタスク"
            } else {
                "Containment tasks"
            },
        );
        assert_eq!(d.current(), "containment-tasks");
        for _ in 0..11 {
            d.keys("j");
        }
        d.screen()
    });
    both("node_outcome", |lang| {
        let mut d = at_investigation(lang);
        d.keys("xjxjx");
        d.key(KeyCode::PageDown);
        d.key(KeyCode::PageDown);
        d.key(KeyCode::PageDown);
        d.key(KeyCode::Enter);
        assert_eq!(d.current(), "user-confirmation");
        d.keys("xjx1");
        assert_eq!(d.current(), "no-compromise");
        // Reaching the outcome asks whether to close the incident.
        assert!(d.state.dialog.is_some());
        d.keys("n");
        d.screen()
    });
    both("node_outcome_close_question", |lang| {
        let mut d = at_investigation(lang);
        let effects = cairn::app::jump_to(&mut d.state, "no-compromise");
        d.run(effects);
        d.keys("why");
        d.key(KeyCode::Enter);
        d.keys("y");
        assert_eq!(d.current(), "no-compromise");
        d.screen()
    });
}

#[test]
fn map_search_help() {
    both("map", |lang| {
        let mut d = at_investigation(lang);
        d.keys("m");
        d.screen()
    });
    both("search", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("/");
        d.keys(if lang == "ja" {
            "トークン"
        } else {
            "token"
        });
        d.screen()
    });
    both("help", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("?");
        d.screen()
    });
}

#[test]
fn detail() {
    both("detail_lookup", |lang| {
        let mut d = at_investigation(lang);
        d.keys("jjjjj");
        d.key(KeyCode::Enter);
        d.screen()
    });
}

#[test]
fn editors() {
    both("note_editor", |lang| {
        let mut d = at_investigation(lang);
        d.keys("n");
        d.keys(if lang == "ja" {
            "03:10 ユーザーに電話した。サインインに心当たりはないとのこと。"
        } else {
            "03:10 called the user: they do not recognise the sign-in."
        });
        d.screen()
    });
    both("note_discard", |lang| {
        let mut d = at_investigation(lang);
        d.keys("nabc");
        d.key(KeyCode::Esc);
        d.screen()
    });
    both("reason_editor", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("r");
        d.keys("on call, roles confirmed");
        d.screen()
    });
    both("variables", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("v");
        d.key(KeyCode::Enter);
        // Each field holds the practice scenario's value: replace it.
        d.ctrl('u');
        d.keys("alice@contoso.com");
        d.key(KeyCode::Enter);
        d.keys("j");
        d.key(KeyCode::Enter);
        d.ctrl('u');
        d.keys("not-a-guid");
        d.key(KeyCode::Enter);
        d.screen()
    });
}

#[test]
fn errors_and_small_terminals() {
    both("write_failed_keeps_the_note", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("n");
        d.keys("evidence");
        set_failing(&mut d);
        d.ctrl('s');
        d.screen()
    });
    both("too_small", |lang| {
        render(&Driver::practice(lang).state, 59, 15)
    });
    for (w, h) in [(0, 0), (1, 1), (60, 16), (300, 100)] {
        render(&at_investigation("ja").state, w, h);
    }
}

/// Makes every later write fail, as a full disk would.
fn set_failing(d: &mut Driver) {
    let mut failing = MemoryBackend::default();
    failing.fail_appends = Some("disk I/O error".into());
    *d.store.lock().unwrap() = Box::new(failing);
}

/// At 80x24 a long node's notes sit below its last item: moving the cursor
/// to the end brings them into view, so nothing recorded is out of reach.
#[test]
fn notes_below_a_long_node_are_reachable_at_80x24() {
    let mut d = at_investigation("en");
    d.keys("n");
    d.keys("called the user about the sign-in");
    d.ctrl('s');
    let top = d.screen();
    assert!(!top.contains("called the user"), "{top}");
    d.key(KeyCode::End);
    for _ in 0..40 {
        d.key(KeyCode::Down);
    }
    let bottom = d.screen();
    assert!(bottom.contains("called the user"), "{bottom}");
}

/// The timeline after a note and a decision with its reason, and the same
/// filtered to notes.
#[test]
fn timeline() {
    both("timeline", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("n");
        d.keys("called the user; she denies the sign-in");
        d.ctrl('s');
        d.keys("18");
        d.keys("t");
        d.screen()
    });
    both("timeline_notes", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("n");
        d.keys("called the user");
        d.ctrl('s');
        d.keys("18tff");
        d.screen()
    });
}

/// At 60x20 the end of a node (its notes) is reached with End.
#[test]
fn node_end_at_60x20() {
    both("node_end_60x20", |lang| {
        let mut d = at_investigation(lang);
        d.keys("n");
        d.keys(&"evidence kept in the case folder ".repeat(6));
        d.ctrl('s');
        d.key(KeyCode::End);
        render(&d.state, 60, 20)
    });
}

/// At 60x20 an invalid value for the last variable of the list keeps its
/// message on screen.
#[test]
fn variable_error_at_the_bottom_of_the_list_60x20() {
    both("variables_error_60x20", |lang| {
        let mut d = Driver::practice(lang);
        d.keys("v");
        for _ in 0..20 {
            d.keys("j");
        }
        d.key(KeyCode::Enter);
        d.ctrl('u');
        d.keys("yesterday");
        d.key(KeyCode::Enter);
        let screen = render(&d.state, 60, 20);
        assert!(
            screen.contains("Invalid") || screen.contains("無効"),
            "{screen}"
        );
        screen
    });
}

#[test]
fn jump_preview_and_outcome_question() {
    let preview = |lang: &str| {
        let mut d = Driver::practice(lang);
        let effects = cairn::app::jump_to(&mut d.state, "escalated");
        d.run(effects);
        d.keys(if lang == "ja" {
            "責任者に引き継ぎ"
        } else {
            "handing over"
        });
        d
    };
    both("jump_preview", |lang| preview(lang).screen());
    both("jump_outcome_question", |lang| {
        let mut d = preview(lang);
        d.key(KeyCode::Enter);
        assert!(d.state.dialog.is_some());
        d.screen()
    });
}
