//! What teammates decided, read back from the comments others wrote in the
//! Sentinel incident: a decision's comment carries a line
//! `` `cairn:choice NODE CHOICE` `` (see `comment.rs`). That text is
//! untrusted (anyone with access to the incident can write a comment), so a
//! line counts only when its node is a decision of this incident's tree and
//! its choice one of that node's; the author is shown as Sentinel records
//! it, made visible like any remote text. Nothing here enters the chain.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::comment::{CHOICE_TAG, plain_id};
use crate::store::remote::StoredRemote;
use crate::tree::Tree;
use crate::tree::model::NodeKind;

/// Longest author name kept (Sentinel's author field is free text).
const AUTHOR_CHARS: usize = 100;

/// A teammate's recorded choice at one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeammateChoice {
    pub node: String,
    pub choice: String,
    /// As Sentinel names the comment's author (untrusted text).
    pub author: String,
    /// When Sentinel says the comment was written, if it said so readably.
    pub at: Option<DateTime<Utc>>,
}

/// The latest teammate choice at each decision node of `tree`, from the
/// remote comments (oldest first, as the store lists them).
pub fn choices(tree: &Tree, remote: &[StoredRemote]) -> BTreeMap<String, TeammateChoice> {
    let mut out = BTreeMap::new();
    for r in remote {
        for line in r.comment.message.lines() {
            let Some((node, choice)) = parse(line) else {
                continue;
            };
            let valid = tree.node(node).is_some_and(|n| match &n.kind {
                NodeKind::Decision { choices } => choices.iter().any(|c| c.id.value == choice),
                _ => false,
            });
            if !valid {
                continue;
            }
            out.insert(
                node.to_string(),
                TeammateChoice {
                    node: node.to_string(),
                    choice: choice.to_string(),
                    author: r.comment.author.chars().take(AUTHOR_CHARS).collect(),
                    at: DateTime::parse_from_rfc3339(r.comment.created.trim())
                        .ok()
                        .map(|t| t.with_timezone(&Utc)),
                },
            );
        }
    }
    out
}

/// `` `cairn:choice NODE CHOICE` `` → (NODE, CHOICE), when both are plain ids.
fn parse(line: &str) -> Option<(&str, &str)> {
    let inner = line.trim().strip_prefix('`')?.strip_suffix('`')?;
    let rest = inner.strip_prefix(CHOICE_TAG)?.strip_prefix(' ')?;
    let (node, choice) = rest.split_once(' ')?;
    (plain_id(node) && plain_id(choice)).then_some((node, choice))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::remote::RemoteComment;

    const MINI: &str = include_str!("../../tests/fixtures/trees/mini.toml");

    fn remote(author: &str, created: &str, message: &str) -> StoredRemote {
        StoredRemote {
            comment: RemoteComment {
                id: "c".into(),
                author: author.into(),
                created: created.into(),
                message: message.into(),
            },
            sha256: String::new(),
            fetched_at: None,
        }
    }

    #[test]
    fn only_real_choices_of_real_decisions_count_and_the_latest_wins() {
        let tree = crate::tree::load::parse("mini.toml", MINI).unwrap();
        let (node, choices) = tree
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::Decision { choices } => Some((n.id.value.clone(), choices.clone())),
                _ => None,
            })
            .unwrap();
        let first = &choices[0].id.value;
        let second = &choices[choices.len() - 1].id.value;
        let line = |n: &str, c: &str| format!("**\\[cairn\\]** chose\n\n`{CHOICE_TAG} {n} {c}`\n");
        let comments = vec![
            remote(
                "mika@contoso.com",
                "2026-12-03T10:42:00Z",
                &line(&node, first),
            ),
            // Not a decision of this tree, not one of its choices, quoted
            // inside a note, or malformed: ignored.
            remote("eve", "2026-12-03T10:43:00Z", &line("no-such-node", first)),
            remote(
                "eve",
                "2026-12-03T10:44:00Z",
                &line(&node, "no-such-choice"),
            ),
            remote("eve", "x", &format!("> `{CHOICE_TAG} {node} {first}`")),
            remote(
                "eve",
                "x",
                &format!("`{CHOICE_TAG} {node}\u{1b}[2J {first}`"),
            ),
        ];
        let got = choices_of(&tree, &comments);
        assert_eq!(got.len(), 1);
        let mika = &got[&node];
        assert_eq!(
            (mika.choice.as_str(), mika.author.as_str()),
            (first.as_str(), "mika@contoso.com")
        );
        assert_eq!(mika.at.unwrap().to_rfc3339(), "2026-12-03T10:42:00+00:00");
        let mut later = comments.clone();
        later.push(remote("kai", "garbage time", &line(&node, second)));
        let got = choices_of(&tree, &later);
        assert_eq!(got[&node].choice, *second);
        assert_eq!((got[&node].author.as_str(), got[&node].at), ("kai", None));
    }

    fn choices_of(tree: &Tree, r: &[StoredRemote]) -> BTreeMap<String, TeammateChoice> {
        choices(tree, r)
    }
}
