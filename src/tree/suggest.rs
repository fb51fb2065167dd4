//! "Did you mean" suggestions for misspelt ids, keys and values.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wrong_len = wrong.chars().count();
    // Ids are short; beyond this length a typo is not the likely cause, and
    // the edit distance of long strings is costly.
    if wrong_len > 128 {
        return None;
    }
    let limit = (wrong_len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c.len() <= 256 && *c != wrong)
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["recover", "contain", "triage"];
        assert_eq!(did_you_mean("recovr", names), Some("recover"));
        assert_eq!(did_you_mean("contian", names), Some("contain"));
        assert_eq!(did_you_mean("close", names), None);
    }
}
