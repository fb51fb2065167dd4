//! The home screen: practice from home with the shipped scenario's values,
//! and the new-incident form's checks.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{code, ctrl, key, now, state};
use crate::app::*;
use crate::store::event::{Mode, ValueSource};

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

fn summary(id: &str, closed: bool) -> IncidentSummary {
    IncidentSummary {
        id: id.into(),
        title: format!("incident {id}"),
        tree_id: "mini".into(),
        mode: Mode::Live,
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

#[test]
fn the_home_filter_lists_open_then_closed_then_all_incidents() {
    let mut s = state();
    s.start();
    let incidents = vec![
        summary("TT-3", false),
        summary("TT-2", true),
        summary("TT-1", false),
    ];
    update(&mut s, Msg::IncidentsLoaded(Ok(incidents)));
    assert_eq!(listed(&s), ["TT-3", "TT-1"], "open ones first");
    update(&mut s, key('f'));
    assert_eq!(listed(&s), ["TT-2"]);
    // A closed incident opens (read-only) like any other.
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::OpenIncident { id: "TT-2".into() }]);
    let mut s2 = state();
    s2.start();
    update(
        &mut s2,
        Msg::IncidentsLoaded(Ok(vec![summary("TT-2", true)])),
    );
    update(&mut s2, key('f'));
    update(&mut s2, key('f'));
    update(
        &mut s2,
        Msg::IncidentsLoaded(Ok(vec![summary("TT-2", true), summary("TT-1", false)])),
    );
    assert_eq!(listed(&s2), ["TT-2", "TT-1"], "all");
    update(&mut s2, key('f'));
    assert_eq!(listed(&s2), ["TT-1"], "back to open");
}
