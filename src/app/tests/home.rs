//! The home screen: practice from home with the shipped scenario's values,
//! and the new-incident form's checks.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{code, ctrl, key, now, state};
use crate::app::*;
use crate::store::event::{EventKind, Mode, ValueSource};

#[test]
fn practice_from_home_creates_a_practice_incident() {
    let mut s = state();
    assert_eq!(
        s.start(),
        vec![Effect::LoadIncidents, Effect::LoadScenarios]
    );
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

fn summary(id: &str, mode: Mode, closed: bool) -> IncidentSummary {
    IncidentSummary {
        id: id.into(),
        title: format!("incident {id}"),
        tree_id: "mini".into(),
        mode,
        created_at: now(),
        current_node: None,
        closed,
        pending_approvals: 0,
    }
}

/// The incidents the home menu offers to resume, by id.
fn listed(s: &State) -> Vec<String> {
    home::home_items(s)
        .into_iter()
        .filter_map(|item| match item {
            home::HomeItem::Resume(i) => Some(s.incidents[i].id.clone()),
            _ => None,
        })
        .collect()
}

/// Each section's heading count, in order.
fn counts(s: &State) -> Vec<(home::Section, usize)> {
    home::home_sections(s)
        .into_iter()
        .map(|l| (l.section, l.count))
        .collect()
}

fn loaded() -> State {
    let mut s = state();
    s.start();
    let incidents = vec![
        summary("TT-5", Mode::Tabletop, false),
        summary("TT-4", Mode::Practice, false),
        summary("TT-3", Mode::Live, false),
        summary("TT-2", Mode::Live, true),
        summary("TT-1", Mode::Live, false),
    ];
    update(&mut s, Msg::IncidentsLoaded(Ok(incidents)));
    s
}

#[test]
fn home_lists_new_first_then_sections_with_counts() {
    use home::Section::*;
    let s = loaded();
    let items = home::home_items(&s);
    assert_eq!(items[..2], [home::HomeItem::New, home::HomeItem::Practice]);
    assert_eq!(
        counts(&s),
        [(Live, 2), (Practice, 1), (Exercises, 1), (Closed, 1)]
    );
    // Live, then practice, then exercises; closed ones are counted, and
    // listed only when filtered for.
    assert_eq!(listed(&s), ["TT-3", "TT-1", "TT-4", "TT-5"]);
    let closed = home::home_sections(&s).pop().unwrap();
    assert!(closed.folded && closed.items.is_empty());
    // The cursor starts on the most recent incident: Enter resumes it.
    let mut s = s;
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::OpenIncident { id: "TT-3".into() }]);
}

#[test]
fn the_home_filter_cycles_through_each_section_and_back() {
    use home::Section::*;
    let mut s = loaded();
    let mut seen = Vec::new();
    for _ in 0..4 {
        update(&mut s, key('f'));
        seen.push((counts(&s), listed(&s)));
    }
    assert_eq!(
        seen,
        [
            (vec![(Live, 2)], vec!["TT-3".to_string(), "TT-1".into()]),
            (vec![(Practice, 1)], vec!["TT-4".into()]),
            (vec![(Exercises, 1)], vec!["TT-5".into()]),
            (vec![(Closed, 1)], vec!["TT-2".into()]),
        ]
    );
    // A closed incident opens (read-only) like any other; the cursor
    // starts on the first one listed.
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::OpenIncident { id: "TT-2".into() }]);
    update(&mut s, key('f'));
    assert_eq!(counts(&s).len(), 4, "back to every section");
}

/// Runs the effects of a key as the store would: the write is confirmed
/// with one event.
fn confirm(s: &mut State, effects: Vec<Effect>) -> (Vec<EventKind>, Vec<Effect>) {
    let mut kinds = Vec::new();
    let mut after = Vec::new();
    for effect in effects {
        let Effect::Record {
            req,
            incident,
            kinds: k,
            ..
        } = effect
        else {
            after.push(effect);
            continue;
        };
        assert_eq!(incident, "TT-3");
        kinds.extend(k.clone());
        let events = k
            .into_iter()
            .enumerate()
            .map(|(n, kind)| crate::app::fixture::event(n as u64 + 9, kind))
            .collect();
        after.extend(update(
            s,
            Msg::Recorded {
                req,
                result: Ok(events),
            },
        ));
    }
    (kinds, after)
}

#[test]
fn close_and_reopen_from_home_record_the_reason() {
    let mut s = loaded();
    // New, practice, then TT-3 (the first live incident), where the
    // cursor starts.
    assert!(
        update(&mut s, key('R')).is_empty(),
        "an open one does not reopen"
    );
    assert_eq!(s.context(), Context::Home);
    update(&mut s, key('c'));
    assert_eq!(s.context(), Context::CloseIncident);
    for c in "false positive".chars() {
        update(&mut s, key(c));
    }
    // Esc keeps it open and records nothing.
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert_eq!(s.context(), Context::Home);
    update(&mut s, key('c'));
    for c in "benign: travel".chars() {
        update(&mut s, key(c));
    }
    let effects = update(&mut s, code(KeyCode::Enter));
    let (kinds, after) = confirm(&mut s, effects);
    assert_eq!(
        kinds,
        [EventKind::IncidentClosed {
            summary: Some("benign: travel".into())
        }]
    );
    assert_eq!(after, [Effect::LoadIncidents], "the list is read again");
    assert_eq!(s.context(), Context::Home);
    assert!(s.incidents.iter().any(|i| i.id == "TT-3" && i.closed));
    assert_eq!(listed(&s), ["TT-1", "TT-4", "TT-5"]);

    // Reopened from the closed section, with its reason.
    for _ in 0..4 {
        update(&mut s, key('f'));
    }
    assert_eq!(listed(&s), ["TT-3", "TT-2"]);
    assert!(
        update(&mut s, key('c')).is_empty(),
        "a closed one does not close"
    );
    update(&mut s, key('R'));
    for c in "new sign-ins".chars() {
        update(&mut s, key(c));
    }
    let effects = update(&mut s, code(KeyCode::Enter));
    let (kinds, _) = confirm(&mut s, effects);
    assert_eq!(
        kinds,
        [EventKind::IncidentReopened {
            reason: Some("new sign-ins".into())
        }]
    );
    assert!(s.incidents.iter().any(|i| i.id == "TT-3" && !i.closed));
}

#[test]
fn a_failed_close_keeps_the_form_and_its_reason() {
    let mut s = loaded();
    update(&mut s, key('c'));
    update(&mut s, key('x'));
    let effects = update(&mut s, code(KeyCode::Enter));
    let [Effect::Record { req, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Msg::Recorded {
            req: *req,
            result: Err(WriteError::Failed("disk full".into())),
        },
    );
    let Screen::Home(view) = &s.screen else {
        panic!()
    };
    let form = view.closing.as_ref().expect("the form stays");
    assert_eq!((form.reason.text(), form.saving), ("x", None));
    assert!(matches!(s.notice, Some(Notice::WriteFailed(_))));
}

#[test]
fn reaching_an_outcome_asks_before_closing() {
    use crate::app::fixture::Harness;
    // `legit` leads to the outcome `closed` (past an open mandatory item).
    let mut h = Harness::opened();
    h.send(key('1'));
    h.send(key('y'));
    assert_eq!(h.current(), "closed");
    assert_eq!(h.state.dialog, Some(ConfirmDialog::CloseAtOutcome));
    assert!(
        !h.recorded
            .iter()
            .any(|k| matches!(k, EventKind::IncidentClosed { .. }))
    );
    // No: the incident stays open.
    h.send(key('n'));
    assert_eq!(h.state.dialog, None);
    assert!(!crate::app::closed::is_closed(&h.state));

    let mut h = Harness::opened();
    h.send(key('1'));
    h.send(key('y'));
    h.send(key('y'));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::IncidentClosed { summary: None })
    );
    assert!(crate::app::closed::is_closed(&h.state));
}
