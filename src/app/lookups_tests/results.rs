//! The results screen over a finished run: binding a cell to a variable,
//! filter, sort, copy and save, and paging through 100k rows.

use ratatui::crossterm::event::KeyCode;

use super::*;

fn finished_results(h: &mut Harness, rows: &[(&str, &str)]) -> u64 {
    set_upn(h, "a@b.co");
    open_run_form(h);
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(finished(run, result(rows)));
    run
}

#[test]
fn a_cell_binds_to_a_variable_of_a_matching_type_and_records_where_it_came_from() {
    let mut h = Harness::opened();
    let run = finished_results(
        &mut h,
        &[("x@b.co", "192.0.2.1"), ("Eve@Evil.example", "203.0.113.9")],
    );
    let seq = h.state.lookups.runs[&run].recorded_seq.unwrap();
    // Second row, first column (UserPrincipalName).
    h.send(key('j'));
    h.send(key('='));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!("{:?}", view.mode)
    };
    assert_eq!(picker.options, vec!["upn".to_string()]);
    // upn holds a@b.co: the first Enter says so and records nothing.
    let before = h.recorded.len();
    h.send(code(KeyCode::Enter));
    assert_eq!(h.recorded.len(), before);
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!("{:?}", view.mode)
    };
    assert!(picker.error.as_deref().unwrap().contains("a@b.co"));
    h.send(code(KeyCode::Enter));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::VariableSet {
            name: "upn".into(),
            value: "Eve@Evil.example".into(),
            source: ValueSource::Lookup {
                lookup_seq: seq,
                row: 1,
                column: "UserPrincipalName".into(),
            },
        })
    );
    assert_eq!(
        h.state.incident.as_ref().unwrap().walk.values["upn"],
        "Eve@Evil.example"
    );

    // An IP is not a UPN: refused, nothing recorded.
    let before = h.recorded.len();
    h.send(key('l'));
    h.send(key('='));
    h.send(code(KeyCode::Enter));
    assert_eq!(h.recorded.len(), before);
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!()
    };
    assert!(picker.error.as_deref().unwrap().starts_with("upn:"));
}

/// Three rows, two of them from 192.0.2.x.
const THREE_SIGN_INS: &[(&str, &str)] = &[
    ("c@b.co", "192.0.2.3"),
    ("a@b.co", "203.0.113.1"),
    ("b@b.co", "192.0.2.1"),
];

#[test]
fn filter_sort_copy_and_save_work_on_the_view() {
    let mut h = Harness::opened();
    finished_results(&mut h, THREE_SIGN_INS);
    h.send(key('s'));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![1, 2, 0]);
    h.send(key('s'));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![0, 2, 1]);
    h.send(key('/'));
    h.type_text("192.0.2");
    h.send(code(KeyCode::Enter));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    assert_eq!(view.rows, vec![0, 2], "filtered, still sorted descending");
    assert_eq!(h.send(key('y')), vec![Effect::Copy("c@b.co".into())]);
    let row = h.send(key('Y'));
    let [Effect::Copy(json)] = row.as_slice() else {
        panic!()
    };
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["IPAddress"], "192.0.2.3");
    let q = h.send(key('c'));
    assert!(matches!(&q[..], [Effect::Copy(t)] if t.contains("SigninLogs")));
    h.send(key('w'));
    h.send(ctrl('u'));
    h.type_text("out.json");
    let effects = h.send(code(KeyCode::Enter));
    let [
        Effect::Lookup(LookupEffect::Save {
            path, rows, json, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (path.as_str(), rows.as_slice(), *json),
        ("out.json", &[0, 2][..], true)
    );
}

#[test]
fn a_hundred_thousand_rows_page_without_copying() {
    let mut h = Harness::opened();
    let many: Vec<(String, String)> = (0..100_000)
        .map(|i| (format!("u{i}@b.co"), format!("192.0.2.{}", i % 256)))
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    finished_results(&mut h, &refs);
    h.send(code(KeyCode::End));
    h.send(code(KeyCode::PageUp));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let page = crate::app::results::body_height(h.state.size);
    assert_eq!(view.row, 99_999 - page);
    assert!(view.scroll <= view.row && view.row < view.scroll + page);
}

#[test]
fn the_filter_applies_as_it_is_typed_and_cancel_puts_the_old_one_back() {
    let mut h = Harness::opened();
    finished_results(&mut h, THREE_SIGN_INS);
    let rows = |h: &Harness| match &h.state.screen {
        Screen::Results(v) => v.rows.clone(),
        other => panic!("{other:?}"),
    };
    h.send(key('/'));
    h.type_text("192");
    assert_eq!(rows(&h), vec![0, 2], "before Enter");
    h.type_text(".0.2.1");
    assert_eq!(rows(&h), vec![2]);
    h.send(code(KeyCode::Enter));
    assert_eq!(rows(&h), vec![2]);
    // A new filter typed, then cancelled: the saved one is back.
    h.send(key('/'));
    h.send(ctrl('u'));
    assert_eq!(rows(&h), vec![0, 1, 2]);
    h.type_text("203");
    assert_eq!(rows(&h), vec![1]);
    h.send(code(KeyCode::Esc));
    assert_eq!(rows(&h), vec![2]);
    assert!(matches!(&h.state.screen, Screen::Results(v) if v.filter == "192.0.2.1"));
}

#[test]
fn the_bind_picker_shows_the_value_and_never_starts_on_a_set_variable() {
    let mut h = Harness::opened();
    let inc = h.state.incident.as_mut().unwrap();
    let mut tree = (*inc.tree).clone();
    let mut ip = tree.variables[0].clone();
    ip.name = crate::tree::At::new("attacker_ip".into(), 0..0);
    ip.var_type = crate::tree::VarType::Ip;
    tree.variables.push(ip);
    inc.tree = Arc::new(tree);
    finished_results(&mut h, &[("a@b.co", "203.0.113.1")]);
    set_upn(&mut h, "kim@b.co");
    h.send(key('l'));
    h.send(key('='));
    let Screen::Results(view) = &h.state.screen else {
        panic!()
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        panic!("{:?}", view.mode)
    };
    assert_eq!(picker.value, "203.0.113.1");
    assert_eq!(
        picker.options,
        vec!["upn".to_string(), "attacker_ip".into()]
    );
    assert_eq!(picker.options[picker.cursor], "attacker_ip");
}

#[test]
fn e_marks_the_recorded_run_as_evidence_and_says_so_in_both_languages() {
    let mut h = Harness::opened();
    let run = finished_results(&mut h, &[("x@b.co", "192.0.2.1")]);
    let seq = h.state.lookups.runs[&run].recorded_seq.unwrap();
    h.send(key('e'));
    assert_eq!(
        h.recorded.last(),
        Some(&EventKind::EvidenceMarked {
            lookup_seq: seq,
            note: None,
        })
    );
    let screen = crate::test_app::render(&h.state, 100, 30);
    assert!(
        screen.contains(&format!("Marked as evidence (run event {seq})")),
        "{screen}"
    );
    // A run whose event is not recorded yet has nothing to name.
    h.state.lookups.runs.get_mut(&run).unwrap().recorded_seq = None;
    let before = h.recorded.len();
    h.state.incident.as_mut().unwrap().meta.language = "ja".into();
    h.state.lang = "ja".into();
    h.send(key('e'));
    assert_eq!(h.recorded.len(), before);
    let screen = crate::test_app::render(&h.state, 100, 30);
    assert!(screen.contains("まだ記録されていません"), "{screen}");
}
