//! Snapshots of styles, not only text: in 16 colours, the node screen and
//! the results header keep their badge, title, selection and key styles.

use super::driver::{Driver, render_styles};
use cairn::app::Screen;
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
    let d = super::lookup_status::sign_in_results("en");
    assert!(matches!(d.state.screen, Screen::Results(_)));
    let theme = Theme::new(ColorSupport::Ansi16);
    snap(
        "styles_results_header_en",
        render_styles(&d.state, &theme, 0..6),
    );
}
