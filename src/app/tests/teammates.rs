//! A teammate's choice read from Sentinel: shown on the node screen and the
//! map, and a different local choice at that node is asked about first (in
//! the incident's language); the same choice goes straight through.

use crate::app::fixture::{Harness, key};
use crate::app::teammates::Choices;
use crate::app::*;
use crate::store::event::EventKind;
use crate::sync::teammates::TeammateChoice;

/// A live incident attached to Sentinel (practice never syncs).
fn attached() -> Harness {
    let mut h = Harness::reopened(vec![
        EventKind::attached_stand_in("inc-1"),
        EventKind::NodeEntered {
            node: "triage".into(),
        },
    ]);
    h.state.incident.as_mut().unwrap().meta.mode = crate::store::event::Mode::Live;
    h
}

fn mika_chose(author: &str, choice: &str) -> Msg {
    chose_in("INC-1", author, choice)
}

fn chose_in(incident: &str, author: &str, choice: &str) -> Msg {
    let mut choices = Choices::new();
    choices.insert(
        "triage".into(),
        TeammateChoice {
            node: "triage".into(),
            choice: choice.into(),
            author: author.into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-12-03T10:42:00Z")
                .ok()
                .map(|t| t.with_timezone(&chrono::Utc)),
        },
    );
    Msg::Teammates {
        incident: incident.into(),
        choices,
    }
}

fn screen(h: &Harness) -> String {
    crate::test_app::render(&h.state, 100, 30)
}

#[test]
fn a_teammates_choice_shows_on_the_node_screen_and_the_map() {
    let mut h = attached();
    assert!(!screen(&h).contains("mika"));
    h.send(mika_chose("mika@contoso.com\u{1b}[2J", "not-legit"));
    let shown = screen(&h);
    assert!(
        shown.contains("chose \"No or unsure\" here at 10:42 UTC (Sentinel)"),
        "{shown}"
    );
    assert!(!shown.contains('\u{1b}'), "{shown}");
    h.send(key('m'));
    let map = screen(&h);
    assert!(map.contains(": No or unsure]"), "{map}");
    // About another incident: nothing.
    let mut other = attached();
    other.send(chose_in("INC-2", "mika", "legit"));
    assert!(!screen(&other).contains("mika"));
}

#[test]
fn a_different_choice_is_asked_about_and_the_same_one_is_not() {
    let mut h = attached();
    h.send(mika_chose("mika@contoso.com", "not-legit"));
    h.send(key('x'));
    let before = h.recorded.len();
    h.send(key('1'));
    assert!(
        matches!(h.state.dialog, Some(ConfirmDialog::TeammateChose { .. })),
        "{:?}",
        h.state.dialog
    );
    let shown = screen(&h);
    assert!(
        shown.contains("\"No or unsure\"") && shown.contains("Record your different"),
        "{shown}"
    );
    // No: nothing recorded, still at triage.
    h.send(key('n'));
    assert!(h.state.dialog.is_none());
    assert_eq!(h.recorded.len(), before);
    assert_eq!(h.current(), "triage");
    // Yes: the responder's own choice is recorded.
    h.send(key('1'));
    h.send(key('y'));
    assert_eq!(h.current(), "closed");
    assert!(h.recorded.iter().any(|k| matches!(
        k,
        EventKind::ChoiceMade { choice, .. } if choice == "legit"
    )));

    // The teammate's own choice goes through without a question.
    let mut same = attached();
    same.send(mika_chose("mika@contoso.com", "legit"));
    same.send(key('x'));
    same.send(key('1'));
    // The only question is the outcome's offer to close the incident.
    assert!(
        matches!(same.state.dialog, Some(ConfirmDialog::CloseAtOutcome)),
        "{:?}",
        same.state.dialog
    );
    assert_eq!(same.current(), "closed");
}

#[test]
fn the_question_is_asked_in_japanese_too_and_open_items_are_still_asked() {
    let mut h = attached();
    h.state.incident.as_mut().unwrap().meta.language = "ja".into();
    h.send(mika_chose("mika@contoso.com", "not-legit"));
    // The mandatory item is open: the teammate question, then that one.
    h.send(key('1'));
    let shown = screen(&h);
    assert!(
        shown.contains("いいえ、または不明") && shown.contains("異なる選択"),
        "{shown}"
    );
    h.send(key('y'));
    assert!(
        matches!(
            h.state.dialog,
            Some(ConfirmDialog::LeaveWithOpenItems { .. })
        ),
        "{:?}",
        h.state.dialog
    );
    h.send(key('y'));
    assert_eq!(h.current(), "closed");
}
