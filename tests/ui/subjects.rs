//! Several affected users: going on to the next user at "other affected
//! users or devices?" keeps the first user's values on the variables panel,
//! apart from the second's.

use ratatui::crossterm::event::KeyCode;

use cairn::app::{NodeView, Screen};
use cairn::store::EventKind;

use super::driver::Driver;

#[test]
fn a_second_user_keeps_the_first_users_values_on_the_variables_panel() {
    let mut d = Driver::practice("en");
    let first = d.state.incident.as_ref().unwrap().walk.values["upn"].clone();
    d.go_to("other-affected");
    // The next user's UPN, set at the node where it was found.
    d.keys("v");
    d.key(KeyCode::Enter);
    d.ctrl('u');
    d.keys("lee.park@contoso.example");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Esc);
    assert_eq!(d.current(), "other-affected");
    d.keys("1");
    assert_eq!(d.current(), "containment-impact");

    let inc = d.state.incident.as_ref().unwrap();
    let events = d.events(&inc.meta.id);
    let opened = events
        .iter()
        .find_map(|e| match e {
            EventKind::SubjectOpened { scope, variables } => Some((scope, variables)),
            _ => None,
        })
        .expect("the choice opens the next user");
    assert_eq!(opened.0, "user");
    assert!(opened.1.iter().any(|v| v == "upn"));
    assert!(
        opened.1.iter().any(|v| v == "mde_device_id"),
        "a new user brings new devices"
    );
    assert!(
        !opened.1.iter().any(|v| v == "attacker_ip"),
        "the attacker is the same"
    );

    let walk = &inc.walk;
    assert_eq!(walk.values["upn"], "lee.park@contoso.example");
    assert!(
        !walk.values.contains_key("user_object_id"),
        "not the first user's id"
    );
    assert_eq!(walk.subjects.len(), 1);
    assert_eq!(walk.subjects[0].label(), first);

    d.keys("v");
    let screen = d.screen();
    assert!(screen.contains("= lee.park@contoso.example"), "{screen}");
    assert!(screen.contains(&format!("user 1: {first}")), "{screen}");

    // The timeline says when the first user's values were filed.
    d.key(KeyCode::Esc);
    d.keys("t");
    let timeline = d.screen();
    assert!(
        timeline.contains(&format!("user 1 ({first}): values filed apart")),
        "{timeline}"
    );
}

/// The sign-in lookup run for the first user and again for the second:
/// the run history says which run was the first user's.
#[test]
fn the_run_history_names_the_earlier_users_run() {
    let mut d = Driver::practice("en");
    let sign_ins = |d: &mut Driver| {
        d.go_to("trigger-unfamiliar-properties");
        d.state.screen = Screen::Node(NodeView {
            cursor: 1,
            ..Default::default()
        });
        d.keys("g");
        d.key(KeyCode::Enter);
        assert!(
            matches!(d.state.screen, Screen::Results(_)),
            "{}",
            d.screen()
        );
    };
    sign_ins(&mut d);
    d.keys("q");
    d.go_to("other-affected");
    d.keys("v");
    d.key(KeyCode::Enter);
    d.ctrl('u');
    d.keys("lee.park@contoso.example");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Esc);
    d.keys("1");
    assert_eq!(d.current(), "containment-impact");
    sign_ins(&mut d);
    d.keys("H");
    let screen = d.screen();
    let runs: Vec<&str> = screen.lines().filter(|l| l.contains(" UTC ")).collect();
    assert_eq!(runs.len(), 2, "{screen}");
    assert!(
        !runs[0].contains("user 1"),
        "the newest run is lee's: {screen}"
    );
    assert!(runs[1].contains("user 1"), "{screen}");
}
