//! Notes and variables: what is saved, when, and what survives a failed
//! write or a cancelled edit.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key};
use crate::app::*;
use crate::store::event::ValueSource;

#[test]
fn a_note_is_saved_only_when_confirmed_and_kept_when_the_write_fails() {
    let mut h = Harness::opened();
    h.send(key('n'));
    for c in "called user".chars() {
        h.send(key(c));
    }
    h.fail_writes = true;
    h.send(ctrl('s'));
    let Screen::NoteEditor(editor) = &h.state.screen else {
        panic!("editor closed on a failed write")
    };
    assert_eq!(editor.text(), "called user");
    assert!(matches!(h.state.notice, Some(Notice::WriteFailed(_))));
    h.fail_writes = false;
    h.send(ctrl('s'));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::NoteAdded {
            node: Some("triage".into()),
            text: "called user".into()
        })
    );
    assert_eq!(h.state.incident.as_ref().unwrap().walk.notes.len(), 1);
}

#[test]
fn cancelling_a_dirty_note_asks_before_discarding() {
    let mut h = Harness::opened();
    h.send(key('n'));
    h.send(key('a'));
    h.send(code(KeyCode::Esc));
    assert_eq!(h.state.dialog, Some(ConfirmDialog::DiscardNote));
    h.send(key('n'));
    assert!(matches!(h.state.screen, Screen::NoteEditor(_)));
    h.send(code(KeyCode::Esc));
    h.send(key('y'));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert_eq!(h.recorded.len(), 1);
}

#[test]
fn variables_are_validated_by_type_and_recorded_as_typed() {
    let mut h = Harness::opened();
    h.send(key('v'));
    h.send(code(KeyCode::Enter));
    for c in "not a upn".chars() {
        h.send(key(c));
    }
    h.send(code(KeyCode::Enter));
    let Screen::Variables(view) = &h.state.screen else {
        panic!()
    };
    assert!(
        view.error
            .as_deref()
            .unwrap()
            .contains("not a user principal name")
    );
    assert_eq!(h.recorded.len(), 1);
    h.send(ctrl('u'));
    for c in " Alice@Contoso.com ".chars() {
        h.send(key(c));
    }
    h.send(code(KeyCode::Enter));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::VariableSet {
            name: "upn".into(),
            value: "Alice@Contoso.com".into(),
            source: ValueSource::Typed
        })
    );
    let Screen::Variables(view) = &h.state.screen else {
        panic!()
    };
    assert!(view.editing.is_none());
    // The lookup's query now shows the value; copying takes the rendered text.
    h.send(code(KeyCode::Esc));
    h.send(key('j'));
    h.send(key('j'));
    let effects = h.send(key('y'));
    assert_eq!(
        effects,
        vec![Effect::Copy(
            "SigninLogs | where UserPrincipalName =~ 'Alice@Contoso.com'".into()
        )]
    );
}

#[test]
fn a_note_can_be_attached_to_the_whole_incident() {
    let mut h = Harness::opened();
    h.send(key('n'));
    h.send(ctrl('t'));
    let Screen::NoteEditor(editor) = &h.state.screen else {
        panic!()
    };
    assert_eq!(editor.node, None);
    h.send(key('z'));
    h.send(ctrl('s'));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::NoteAdded {
            node: None,
            text: "z".into()
        })
    );
}

#[test]
fn a_refused_value_is_explained_in_the_incidents_language() {
    let mut h = Harness::opened();
    h.send(key('L'));
    assert_eq!(h.state.incident.as_ref().unwrap().language(), "ja");
    h.send(key('v'));
    h.send(code(KeyCode::Enter));
    for c in "not a upn".chars() {
        h.send(key(c));
    }
    h.send(code(KeyCode::Enter));
    let Screen::Variables(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(
        view.error.as_deref(),
        Some("'not a upn' はユーザー プリンシパル名ではありません (name@domain.tld の形式)")
    );
}
