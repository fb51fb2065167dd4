//! Attaching a listed incident to a Sentinel incident from the home screen:
//! the form takes a number, id or ARM id, refuses anything else before any
//! call, asks the runtime to link, and shows its answer.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{code, key, now, state};
use crate::app::walk::IncidentSummary;
use crate::app::*;
use crate::store::event::Mode;

fn listed() -> State {
    let mut s = state();
    s.start();
    let incident = IncidentSummary {
        id: "TT-1".into(),
        title: "incident TT-1".into(),
        tree_id: "mini".into(),
        mode: Mode::Live,
        created_at: now(),
        current_node: None,
        closed: false,
        pending_approvals: 0,
    };
    update(&mut s, Msg::IncidentsLoaded(Ok(vec![incident])));
    s
}

fn form(s: &State) -> &attach::AttachForm {
    match &s.screen {
        Screen::Home(v) => v.attach.as_ref().expect("the attach form is open"),
        other => panic!("{other:?}"),
    }
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(c));
    }
}

#[test]
fn a_reference_is_checked_then_the_runtime_links_and_answers() {
    let mut s = listed();
    update(&mut s, key('s'));
    assert_eq!(form(&s).incident, "TT-1");
    // Keys type into the form, not the menu ('n' would start a new incident).
    typed(&mut s, "n/../x");
    assert!(update(&mut s, code(KeyCode::Enter)).is_empty());
    let refused = form(&s).error.clone().unwrap();
    assert!(refused.contains("number (42)"), "{refused}");
    let screen = crate::test_app::render(&s, 100, 30);
    assert!(
        screen.contains("Attach TT-1 to a Sentinel incident"),
        "{screen}"
    );
    for _ in 0..6 {
        update(&mut s, code(KeyCode::Backspace));
    }
    typed(&mut s, "42");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::AttachSentinel {
            incident: "TT-1".into(),
            reference: "42".into(),
        }]
    );
    assert!(form(&s).saving);
    // Sentinel refused: the reason shows, the text stays for another try.
    update(
        &mut s,
        Msg::SentinelLinked {
            incident: "TT-1".into(),
            result: Err("incident #42 was not found \u{1b}[2J".into()),
        },
    );
    assert!(!form(&s).saving);
    let screen = crate::test_app::render(&s, 100, 30);
    assert!(screen.contains("incident #42 was not found"), "{screen}");
    assert!(!screen.contains('\u{1b}'));
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(effects.len(), 1);
    let effects = update(
        &mut s,
        Msg::SentinelLinked {
            incident: "TT-1".into(),
            result: Ok("7f1c0c53".into()),
        },
    );
    assert_eq!(effects, vec![Effect::LoadIncidents]);
    assert!(matches!(&s.screen, Screen::Home(v) if v.attach.is_none()));
    assert_eq!(s.notice, Some(Notice::Attached("7f1c0c53".into())));
}

#[test]
fn the_form_opens_only_on_an_incident_speaks_japanese_and_cancels() {
    let mut s = listed();
    // On "new incident" (listed first, above the incidents): nothing opens.
    update(&mut s, key('k'));
    update(&mut s, key('k'));
    update(&mut s, key('s'));
    assert!(matches!(&s.screen, Screen::Home(v) if v.attach.is_none()));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    s.lang = "ja".into();
    update(&mut s, key('s'));
    let screen = crate::test_app::render(&s, 100, 30);
    assert!(screen.contains("Sentinel インシデントに接続"), "{screen}");
    update(&mut s, code(KeyCode::Esc));
    assert!(matches!(&s.screen, Screen::Home(v) if v.attach.is_none()));
}
