//! Snapshots of styles, not only text: in 16 colours, the node screen and
//! the results header keep their badge, title, selection and key styles.

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, render_styles};
use cairn::app::{NodeView, Screen, jump_to};
use cairn::ui::theme::{ColorSupport, Theme};

fn snap(name: &str, styles: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, styles));
}

#[test]
fn node_screen_styles() {
    let d = Driver::practice("en");
    let theme = Theme::new(ColorSupport::Ansi16);
    let styles = render_styles(&d.state, &theme, 0..24);
    // The practice badge is reverse video, readable without colour too.
    assert!(styles.contains("+REVERSED"), "{styles}");
    snap("styles_node_en", styles);
}

#[test]
fn results_header_styles() {
    let mut d = Driver::practice("en");
    let effects = jump_to(&mut d.state, "trigger-unfamiliar-properties");
    d.run(effects);
    d.state.screen = Screen::Node(NodeView { cursor: 1 });
    d.keys("g");
    d.key(KeyCode::Enter);
    assert!(matches!(d.state.screen, Screen::Results(_)));
    let theme = Theme::new(ColorSupport::Ansi16);
    snap(
        "styles_results_header_en",
        render_styles(&d.state, &theme, 0..6),
    );
}
