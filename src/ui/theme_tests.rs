use super::*;

fn env(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> EnvSnapshot {
    EnvSnapshot {
        no_color: no_color.map(String::from),
        colorterm: colorterm.map(String::from),
        term: term.map(String::from),
    }
}

fn all_styles(t: &Theme) -> Vec<(&'static str, Style)> {
    vec![
        ("header", t.header),
        ("title", t.title),
        ("badge_live", t.badge_live),
        ("badge_practice", t.badge_practice),
        ("selected", t.selected),
        ("mandatory", t.mandatory),
        ("muted", t.muted),
        ("error", t.error),
        ("warning", t.warning),
        ("ok", t.ok),
        ("key", t.key),
        ("code", t.code),
        ("strong", t.strong),
        ("border", t.border),
    ]
}

fn colours(t: &Theme) -> Vec<Color> {
    all_styles(t)
        .into_iter()
        .flat_map(|(_, s)| [s.fg, s.bg])
        .flatten()
        .collect()
}

#[test]
fn no_color_wins_over_everything() {
    let e = env(Some("1"), Some("truecolor"), Some("xterm-256color"));
    assert_eq!(ColorSupport::detect(&e), ColorSupport::None);
    assert!(colours(&Theme::from_env(&e)).is_empty());
}

#[test]
fn empty_no_color_is_ignored() {
    let e = env(Some(""), None, Some("xterm"));
    assert_eq!(ColorSupport::detect(&e), ColorSupport::Ansi16);
}

#[test]
fn colorterm_allows_rgb() {
    for ct in ["truecolor", "24bit", "TrueColor"] {
        let e = env(None, Some(ct), Some("xterm"));
        assert_eq!(ColorSupport::detect(&e), ColorSupport::TrueColor, "{ct}");
    }
    let e = env(None, Some("truecolor"), Some("xterm"));
    assert!(
        colours(&Theme::from_env(&e))
            .iter()
            .any(|c| matches!(c, Color::Rgb(..)))
    );
}

#[test]
fn plain_terms_get_only_the_16_ansi_colours() {
    for term in ["linux", "xterm", "screen", "tmux", "tmux-direct", "vt220"] {
        let e = env(None, None, Some(term));
        assert_eq!(ColorSupport::detect(&e), ColorSupport::Ansi16, "{term}");
        let theme = Theme::from_env(&e);
        for c in colours(&theme) {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{term}: {c:?} is not one of the 16 ANSI colours"
            );
        }
    }
    // An unknown COLORTERM value grants nothing more.
    let e = env(None, Some("yes"), Some("xterm"));
    assert_eq!(ColorSupport::detect(&e), ColorSupport::Ansi16);
}

#[test]
fn term_256color_allows_the_palette_but_not_rgb() {
    for term in ["xterm-256color", "screen-256color", "tmux-256color"] {
        let e = env(None, None, Some(term));
        assert_eq!(ColorSupport::detect(&e), ColorSupport::Indexed256);
        let cs = colours(&Theme::from_env(&e));
        assert!(cs.iter().all(|c| !matches!(c, Color::Rgb(..))));
        assert!(cs.iter().any(|c| matches!(c, Color::Indexed(_))));
    }
}

#[test]
fn dumb_or_missing_term() {
    assert_eq!(
        ColorSupport::detect(&env(None, None, Some("dumb"))),
        ColorSupport::None
    );
    assert_eq!(
        ColorSupport::detect(&env(None, None, None)),
        ColorSupport::Ansi16
    );
}

#[test]
fn states_are_never_shown_by_colour_alone() {
    for support in [
        ColorSupport::None,
        ColorSupport::Ansi16,
        ColorSupport::Indexed256,
        ColorSupport::TrueColor,
    ] {
        let t = Theme::new(support);
        let states = [
            ("selected", t.selected),
            ("mandatory", t.mandatory),
            ("error", t.error),
            ("warning", t.warning),
            ("ok", t.ok),
            ("badge_live", t.badge_live),
            ("badge_practice", t.badge_practice),
            ("header", t.header),
        ];
        for (name, style) in states {
            assert!(
                !style.add_modifier.is_empty(),
                "{support:?}: {name} relies on colour alone"
            );
        }
        // The two badges differ even in monochrome.
        assert_ne!(t.badge_live.add_modifier, t.badge_practice.add_modifier);
        // Selection stays distinguishable from ordinary and muted text.
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(!t.muted.add_modifier.contains(Modifier::REVERSED));
    }
}

#[test]
fn no_colour_theme_still_marks_inline_code() {
    let t = Theme::new(ColorSupport::None);
    assert!(t.code.add_modifier.contains(Modifier::UNDERLINED));
}
