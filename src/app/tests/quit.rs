//! Back and quit are distinct: `q`/`Esc` go back (the node screen goes
//! home), quit keys leave Cairn and ask when a draft would be lost.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key};
use crate::app::quit::AtStake;
use crate::app::*;

#[test]
fn q_and_esc_on_the_node_screen_go_home_and_never_quit() {
    for back in [key('q'), code(KeyCode::Esc)] {
        let mut h = Harness::opened();
        let effects = h.send(back);
        assert_eq!(effects, vec![Effect::LoadIncidents]);
        assert!(matches!(h.state.screen, Screen::Home(_)));
        assert!(!h.state.quitting);
    }
}

#[test]
fn a_reflex_q_after_esc_on_a_sub_screen_does_not_quit() {
    let mut h = Harness::opened();
    h.send(key('m'));
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(!h.send(key('q')).contains(&Effect::Quit));
    assert!(!h.state.quitting);
}

#[test]
fn quit_keys_quit_at_once_when_nothing_is_at_stake() {
    for quit in [key('Q'), ctrl('q'), ctrl('c')] {
        let mut h = Harness::opened();
        assert_eq!(h.send(quit), vec![Effect::Quit]);
        assert!(h.state.quitting);
    }
    // `q` quits on the home screen, where there is nothing to go back to.
    let mut h = Harness::new();
    assert_eq!(h.send(key('q')), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_with_an_unsaved_note_asks_like_esc_and_keeps_the_text() {
    let mut h = Harness::opened();
    h.send(key('n'));
    for c in "half a thought".chars() {
        h.send(key(c));
    }
    assert_eq!(h.send(ctrl('c')), vec![]);
    assert_eq!(
        h.state.dialog,
        Some(ConfirmDialog::Quit(AtStake {
            draft: true,
            lookups: 0,
            actions: 0
        }))
    );
    h.send(key('n'));
    let Screen::NoteEditor(editor) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(editor.text(), "half a thought");
    assert!(!h.state.quitting);
    // Asked again, yes quits.
    h.send(ctrl('c'));
    assert_eq!(h.send(key('y')), vec![Effect::Quit]);
    // A second quit key while it asks quits too.
    let mut h = Harness::opened();
    h.send(key('n'));
    h.send(key('x'));
    h.send(ctrl('q'));
    assert_eq!(h.send(ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn ctrl_z_suspends_from_any_screen_including_text_fields() {
    let mut h = Harness::opened();
    assert_eq!(h.send(ctrl('z')), vec![Effect::Suspend]);
    h.send(key('n'));
    h.send(key('x'));
    assert_eq!(h.send(ctrl('z')), vec![Effect::Suspend]);
    let Screen::NoteEditor(editor) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    assert_eq!(editor.text(), "x");
}
