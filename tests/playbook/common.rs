//! Loading the shipped tree once per test.

use cairn::tree::Tree;
use cairn::tree::load::parse;

pub const LABEL: &str = "trees/token-theft.toml";
pub const SOURCE: &str = include_str!("../../trees/token-theft.toml");

/// The shipped tree, validated by the real loader; a failure prints every
/// diagnostic so the author sees what to fix.
pub fn tree() -> Tree {
    match parse(LABEL, SOURCE) {
        Ok(tree) => tree,
        Err(diagnostics) => {
            panic!("the shipped token-theft tree does not validate:\n{diagnostics}")
        }
    }
}

/// Whether `text` mentions `word` as a whole identifier (so `AuditLogs` does
/// not match inside `AuditLogsX`).
pub fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn mentions_matches_whole_identifiers_only() {
    assert!(mentions("AuditLogs | where x", "AuditLogs"));
    assert!(mentions(
        "union SigninLogs, AADNonInteractiveUserSignInLogs",
        "SigninLogs"
    ));
    assert!(!mentions("MyAuditLogs", "AuditLogs"));
    assert!(!mentions("AuditLogs_CL", "AuditLogs"));
}
