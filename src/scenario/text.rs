//! Report wording, from the message catalogues (`assets/i18n/<lang>.toml`).

use crate::text::lang::Lang;

/// A report label in `lang`: the catalogues' `[report]` (English for any
/// language without one).
pub fn label(lang: &str, key: &str) -> &'static str {
    Lang::of(lang).text("report", key)
}

/// The incident title of a training run or tabletop, in the run's language.
pub fn run_title(
    mode: crate::store::event::Mode,
    scenario: &super::Scenario,
    lang: &str,
) -> String {
    let kind = match mode {
        crate::store::event::Mode::Training => label(lang, "run-training"),
        _ => label(lang, "run-tabletop"),
    };
    format!("{kind}: {}", scenario.title.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages() {
        for key in ["scorecard", "aar", "ttc", "strengths", "open-items"] {
            assert!(Lang::EN.has("report", key), "{key}");
            assert_ne!(label("ja", key), label("en", key));
        }
    }
}
