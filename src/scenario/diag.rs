//! Scenario errors use the tree's diagnostics: every problem found in one
//! run, each rendered as `file:line:col: message` with the line and a caret.

pub use crate::tree::error::{Diagnostic, Diagnostics, Problem};
pub(crate) use crate::tree::suggest::did_you_mean;

/// `message` plus a did-you-mean suffix when a close id exists.
pub(crate) fn with_suggestion<'a>(
    message: String,
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> String {
    match did_you_mean(wrong, known) {
        Some(s) => format!("{message} (did you mean '{s}'?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_only_when_close() {
        let known = ["recover", "triage"];
        assert_eq!(
            with_suggestion("x".into(), "recovr", known),
            "x (did you mean 'recover'?)"
        );
        assert_eq!(with_suggestion("x".into(), "zzz", known), "x");
    }
}
