//! Snapshots of every exercise screen at 80x24, in English and Japanese:
//! the story, scored feedback, hints, the scorecard, an inject, the
//! tabletop node, a tagged note and the facilitator's panel.

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyCode;

use super::exercise::{exercise, scenario, started, tick, to_the_outcome};
use cairn::store::event::Mode;

pub(super) fn snap(name: &str, lang: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{name}_{lang}"), screen));
}

#[test]
fn training_screens() {
    for lang in ["en", "ja"] {
        let (mut d, _) = exercise(lang, "aitm", Mode::Training);
        let sc = scenario(&d, "aitm");
        snap("training_story", lang, d.screen());
        d.key(KeyCode::Enter);
        d.keys("1");
        snap("training_feedback_right", lang, d.screen());
        d.key(KeyCode::Enter);
        d.keys("h");
        snap("training_node_with_hint", lang, d.screen());
        d.keys("1");
        snap("training_feedback_wrong", lang, d.screen());
        to_the_outcome(&mut d, &sc);
        snap("training_scorecard", lang, d.screen());
    }
}

#[test]
fn tabletop_screens() {
    for lang in ["en", "ja"] {
        let (mut d, id) = exercise(lang, "aitm", Mode::Tabletop);
        d.key(KeyCode::Enter);
        let t0 = started(&d, &id);
        tick(&mut d, t0 + TimeDelta::seconds(181));
        snap("tabletop_inject", lang, d.screen());
        d.key(KeyCode::Enter);
        d.keys("1");
        d.keys("logs are ready");
        d.ctrl('s');
        tick(&mut d, t0 + TimeDelta::seconds(245));
        snap("tabletop_node", lang, d.screen());
        d.keys("n");
        d.ctrl('g');
        d.ctrl('g');
        d.keys("slow to find the log owner");
        snap("tabletop_note", lang, d.screen());
        d.ctrl('s');
        d.keys("e");
        snap("tabletop_panel", lang, d.screen());
    }
}
