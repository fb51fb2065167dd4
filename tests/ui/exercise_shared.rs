//! A tabletop open on two screens on one store, the facilitator's and a
//! participant's: an inject the facilitator releases is announced on the
//! participant's screen, whichever screen it shows.

use super::driver::Driver;
use super::exercise::{acknowledge, exercise};
use cairn::app::{Context, Effect};
use cairn::runtime::run_store_effect;
use cairn::store::event::{EventKind, Mode};

/// The same incident opened by a second process on the same store.
fn participant(d: &Driver, lang: &str, id: &str) -> Driver {
    let mut p = Driver::with_shared(lang, d.store.clone());
    p.clock = d.clock.clone();
    let opened = run_store_effect(&p.store, &p.trees, Effect::OpenIncident { id: id.into() });
    p.send(opened.unwrap());
    acknowledge(&mut p);
    p
}

/// What the runtime does when its timer sees another process's commit:
/// the incident's new events are loaded into the open screen.
fn notice_changes(p: &mut Driver, id: &str) {
    let after = p.state.incident.as_ref().unwrap().walk.last_seq;
    p.run(vec![Effect::Refresh {
        incident: id.into(),
        after,
    }]);
}

fn released(d: &Driver, id: &str) -> usize {
    d.events(id)
        .iter()
        .filter(|e| matches!(e, EventKind::InjectReleased { .. }))
        .count()
}

#[test]
fn an_inject_released_by_the_facilitator_is_shown_on_the_participants_node_screen() {
    let (mut d, id) = exercise("en", "aitm", Mode::Tabletop);
    acknowledge(&mut d);
    let mut p = participant(&d, "en", &id);
    assert_eq!(p.state.context(), Context::Node);
    let before = released(&d, &id);
    d.keys("i");
    assert_eq!(
        released(&d, &id),
        before + 1,
        "the facilitator released one"
    );
    notice_changes(&mut p, &id);
    assert_eq!(p.state.context(), Context::Inject, "{}", p.screen());
}

#[test]
fn on_another_screen_the_inject_is_announced_and_shown_back_on_the_node() {
    for (lang, words) in [
        ("en", "Inject released (shown on the node screen):"),
        ("ja", "インジェクトが届きました"),
    ] {
        let (mut d, id) = exercise(lang, "aitm", Mode::Tabletop);
        acknowledge(&mut d);
        let mut p = participant(&d, lang, &id);
        // The participant reads the timeline when the facilitator releases.
        p.keys("t");
        assert_eq!(p.state.context(), Context::Timeline);
        d.keys("i");
        notice_changes(&mut p, &id);
        let screen = p.screen();
        assert!(screen.contains(words), "{lang}:\n{screen}");
        assert_eq!(
            p.state.context(),
            Context::Timeline,
            "nothing is drawn over it"
        );
        // Back on the node screen the inject itself is shown.
        p.keys("t");
        assert_eq!(p.state.context(), Context::Inject, "{}", p.screen());
    }
}
