//! `update` without a terminal: keys in, state and effects out.

use ratatui::crossterm::event::KeyCode;

use super::fixture::{Harness, code, ctrl, key, now, state};
use super::*;
use crate::store::event::ValueSource;

#[test]
fn practice_from_home_creates_a_practice_incident() {
    let mut s = state();
    assert_eq!(s.start(), vec![Effect::LoadIncidents]);
    update(&mut s, Msg::IncidentsLoaded(Ok(Vec::new())));
    let effects = update(&mut s, key('p'));
    let [Effect::CreateIncident(new)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(new.mode, Mode::Practice);
    assert_eq!(new.tree_id, "mini");
    assert!(new.title.starts_with("Practice: "));
}

#[test]
fn practice_starts_with_the_shipped_scenario_values_recorded_as_such() {
    let source = crate::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.contains(home::PRACTICE_TREE))
        .expect("the practice tree is shipped");
    let tree = Arc::new(crate::tree::load::parse(&source.origin, &source.text).unwrap());
    let mut s = State::new(Keymap::load(None).unwrap(), vec![tree.clone()], "en", now());
    update(&mut s, Msg::IncidentsLoaded(Ok(Vec::new())));
    let effects = update(&mut s, key('p'));
    let [Effect::CreateIncident(new)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let scenario = crate::lookup::replay::Replay::shipped(lookups::PRACTICE_SCENARIO).unwrap();
    let mut started: Vec<(String, String)> = new.variables.clone();
    started.sort();
    let mut expected: Vec<(String, String)> = scenario.manifest.variables.into_iter().collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(started, expected);
    assert_eq!(
        new.variable_source,
        ValueSource::Scenario {
            scenario: lookups::PRACTICE_SCENARIO.into()
        }
    );

    // Created and opened: the values are recorded with their source, and a
    // lookup that needs only them runs with nothing to type.
    let backend: crate::runtime::Shared = std::sync::Arc::new(std::sync::Mutex::new(Box::new(
        crate::runtime::MemoryBackend::default(),
    )));
    let trees = [tree.clone()];
    let opened = crate::runtime::run_store_effect(&backend, &trees, effects[0].clone()).unwrap();
    let Msg::IncidentOpened(Ok(loaded)) = &opened else {
        panic!("{opened:?}")
    };
    let sources: Vec<&ValueSource> = loaded
        .0
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::VariableSet { source, .. } => Some(source),
            _ => None,
        })
        .collect();
    assert_eq!(sources.len(), expected.len());
    assert!(
        sources
            .iter()
            .all(|s| matches!(s, ValueSource::Scenario { scenario } if scenario == "aitm"))
    );
    update(&mut s, opened);
    let node = tree.node("trigger-unfamiliar-properties").unwrap();
    lookups::open_form(&mut s, node, 1);
    let Screen::RunForm(form) = &s.screen else {
        panic!("{:?}", s.screen)
    };
    assert!(form.missing.is_empty(), "{:?}", form.missing);
}

#[test]
fn a_fresh_incident_records_entering_the_start_node() {
    let h = Harness::opened();
    assert_eq!(
        h.recorded,
        vec![EventKind::NodeEntered {
            node: "triage".into()
        }]
    );
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(h.state.pending.is_empty());
}

#[test]
fn nothing_shows_as_done_before_the_store_confirms() {
    let mut h = Harness::opened();
    let effects = update(&mut h.state, code(KeyCode::Char(' ')));
    assert!(matches!(effects.as_slice(), [Effect::Record { .. }]));
    let inc = h.state.incident.as_ref().unwrap();
    assert!(!inc.walk.is_checked("triage", "asked-user"));
    assert!(h.state.busy());
}

#[test]
fn leaving_with_open_mandatory_items_asks_first() {
    let mut h = Harness::opened();
    h.send(key('2'));
    assert!(matches!(
        h.state.dialog,
        Some(ConfirmDialog::LeaveWithOpenItems { open: 1, .. })
    ));
    assert_eq!(h.recorded.len(), 1);
    h.send(key('n'));
    assert_eq!(h.current(), "triage");
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
    assert_eq!(
        h.recorded[1..],
        [
            EventKind::ChoiceMade {
                node: "triage".into(),
                choice: "not-legit".into(),
                next: "contain".into(),
                reason: None
            },
            EventKind::NodeEntered {
                node: "contain".into()
            },
        ]
    );
}

#[test]
fn ticking_the_mandatory_item_lets_the_choice_through() {
    let mut h = Harness::opened();
    h.send(key('x'));
    assert!(
        h.state
            .incident
            .as_ref()
            .unwrap()
            .walk
            .is_checked("triage", "asked-user")
    );
    h.send(key('1'));
    assert!(h.state.dialog.is_none());
    assert_eq!(h.current(), "closed");
}

#[test]
fn a_choice_with_a_reason_records_the_reason() {
    let mut h = Harness::opened();
    h.send(key('x'));
    // Cursor to the second choice: two checklist items, one lookup, then choices.
    for _ in 0..4 {
        h.send(key('j'));
    }
    h.send(key('r'));
    assert!(matches!(
        h.state.screen,
        Screen::Reason(ReasonEditor { choice: 1, .. })
    ));
    for c in "odd IP".chars() {
        h.send(key(c));
    }
    h.send(ctrl('s'));
    assert!(matches!(h.state.screen, Screen::Node(_)));
    assert!(h.recorded.contains(&EventKind::ChoiceMade {
        node: "triage".into(),
        choice: "not-legit".into(),
        next: "contain".into(),
        reason: Some("odd IP".into()),
    }));
}

#[test]
fn backtrack_is_recorded_and_visited_nodes_stay_reachable() {
    let mut h = Harness::opened();
    h.send(key('x'));
    h.send(key('2'));
    h.send(key('b'));
    assert_eq!(h.current(), "triage");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::Backtrack {
            from: "contain".into(),
            to: "triage".into()
        })
    );
    let walk = &h.state.incident.as_ref().unwrap().walk;
    assert!(walk.visited.contains("contain"));
    // The map jumps back to the visited node with another backtrack.
    h.send(key('m'));
    let Screen::Map(map) = &h.state.screen else {
        panic!()
    };
    assert_eq!(map.cursor, 0);
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    assert_eq!(h.current(), "contain");
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::Backtrack { .. })
    ));
}

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
fn language_switch_is_recorded_and_applied_when_confirmed() {
    let mut h = Harness::opened();
    h.send(key('L'));
    assert_eq!(h.state.language(), "ja");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::LanguageChanged {
            language: "ja".into()
        })
    );
}

#[test]
fn search_matches_either_language_and_jumps() {
    let mut h = Harness::opened();
    h.send(key('/'));
    for c in "封じ込め".chars() {
        h.send(key(c));
    }
    let Screen::Search(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.results, vec![3]);
    h.send(code(KeyCode::Enter));
    assert_eq!(h.current(), "contained");
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::NodeEntered {
            node: "contained".into()
        })
    );
}

#[test]
fn new_incident_form_validates_required_variables() {
    let mut s = state();
    update(&mut s, key('n'));
    assert!(matches!(s.screen, Screen::NewIncident(_)));
    update(&mut s, code(KeyCode::Tab));
    for c in "Phish".chars() {
        update(&mut s, key(c));
    }
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Right));
    update(&mut s, code(KeyCode::Tab));
    for c in "bob".chars() {
        update(&mut s, key(c));
    }
    assert!(update(&mut s, ctrl('s')).is_empty());
    let Screen::NewIncident(form) = &s.screen else {
        panic!()
    };
    assert!(form.errors.contains_key(&home::FIELD_VARS));
    for c in "@contoso.com".chars() {
        update(&mut s, key(c));
    }
    let effects = update(&mut s, ctrl('s'));
    assert_eq!(
        effects,
        vec![Effect::CreateIncident(NewIncident {
            tree_id: "mini".into(),
            title: "Phish".into(),
            language: "ja".into(),
            mode: Mode::Live,
            variables: vec![("upn".into(), "bob@contoso.com".into())],
            variable_source: ValueSource::Typed,
            opening: Vec::new(),
        })]
    );
}

#[test]
fn help_lists_the_keymap_and_returns() {
    let mut h = Harness::opened();
    h.send(key('?'));
    let Screen::Help(help) = &h.state.screen else {
        panic!()
    };
    assert_eq!(help.context, Context::Node);
    h.send(code(KeyCode::Esc));
    assert!(matches!(h.state.screen, Screen::Node(_)));
}

#[test]
fn quit_needs_no_save_step() {
    let mut h = Harness::opened();
    assert_eq!(h.send(key('q')), vec![Effect::Quit]);
    assert!(h.state.quitting);
}

#[test]
fn the_node_cursor_survives_a_visit_to_another_screen() {
    let mut h = Harness::opened();
    h.send(key('j'));
    h.send(key('j'));
    h.send(code(KeyCode::Enter));
    assert!(matches!(h.state.screen, Screen::Detail(_)));
    h.send(code(KeyCode::Esc));
    let Screen::Node(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.cursor, 2);
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
