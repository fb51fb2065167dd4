//! `cairn verify --remote`: the heads this incident's pushed comments carry
//! are what the team already saw. Each comment names its chain (the first
//! event's hash) and its event's head; the ones of this chain whose id is
//! the one Cairn derives from that head are checked against the local
//! chain, so a deleted or rewritten local tail shows.

use crate::lookup::sentinel::Sentinel;
use crate::store::outbox::comment_id;
use crate::store::{Head, IncidentId, Store};

use super::comment::CHAIN_ID_LEN;
use super::drain::{SyncError, target};

/// The heads of this incident's chain that its comments in Sentinel carry.
pub async fn remote_heads(
    store: &Store,
    sentinel: &Sentinel<'_>,
    id: &IncidentId,
) -> Result<Vec<Head>, SyncError> {
    let incident = target(store, id)?;
    let genesis = store.chain_genesis(id)?;
    let chain: String = genesis.chars().take(CHAIN_ID_LEN).collect();
    let mut heads: Vec<Head> = sentinel
        .comments(&incident)
        .await?
        .into_iter()
        .filter_map(|c| {
            let head = head_in(&c.message, &chain)?;
            // Only a comment Cairn wrote for that very event counts.
            (comment_id(&head.hash).hyphenated().to_string() == c.id).then_some(head)
        })
        .collect();
    heads.sort_by_key(|h| h.seq);
    heads.dedup();
    Ok(heads)
}

/// `chain `CHAIN` head SEQ `HASH`` in a comment's text.
fn head_in(message: &str, chain: &str) -> Option<Head> {
    let marker = format!("chain `{chain}` head ");
    let rest = &message[message.rfind(&marker)? + marker.len()..];
    let (seq, rest) = rest.split_once(" `")?;
    let hash = rest.get(..64)?;
    if !rest[64..].starts_with('`') || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Head::parse(&format!("{seq}:{hash}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_read_from_this_chains_footers_only() {
        let hash = "ab".repeat(32);
        let text = format!("**x** kim at t · chain `0123456789abcdef` head 12 `{hash}`");
        assert_eq!(
            head_in(&text, "0123456789abcdef"),
            Some(Head { seq: 12, hash })
        );
        assert_eq!(head_in(&text, "fedcba9876543210"), None);
        assert_eq!(
            head_in("chain `0123456789abcdef` head x `zz`", "0123456789abcdef"),
            None
        );
    }
}
