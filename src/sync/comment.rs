//! The text of the comment an event becomes in the Sentinel incident:
//! Markdown a human reads in the portal, escaped by the one escaper
//! (`text::visible`, Markdown medium) like every report, carrying the chain head (the event's seq and hash) so
//! the team sees what the local record held, and always within Sentinel's
//! 30,000-character limit.

use crate::lookup::sentinel::MAX_COMMENT_CHARS;
use crate::store::Event;
use crate::store::event::EventKind;
use crate::store::export::{describe_event, format_time};
use crate::text::markdown::quote as md_quote;
use crate::text::{Medium, visible};

/// One line of Markdown text, escaped as every report escapes it.
fn md(text: &str) -> String {
    visible(text, Medium::Markdown).into_owned()
}

/// Characters of the one-line description kept in a comment's first line.
const DESCRIPTION_CHARS: usize = 300;

/// Free text an event carries beyond its one-line description.
fn detail(kind: &EventKind) -> Option<&str> {
    match kind {
        EventKind::ChoiceMade { reason, .. } => reason.as_deref(),
        EventKind::NoteAdded { text, .. } | EventKind::NoteAmended { text, .. } => Some(text),
        EventKind::IncidentClosed { summary } => summary.as_deref(),
        EventKind::IncidentReopened { reason } => reason.as_deref(),
        EventKind::ApprovalProposed { reason, .. } | EventKind::ApprovalDecided { reason, .. } => {
            Some(reason)
        }
        _ => None,
    }
}

/// Opens the line of a decision's comment that names the node and the
/// choice by id: `` `cairn:choice NODE CHOICE` ``.
pub const CHOICE_TAG: &str = "cairn:choice";

/// An id that reads the same escaped or not: 1-100 ASCII letters, digits,
/// `-`, `_` and `.` (what tree ids are made of).
pub fn plain_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Hex digits of the chain's first hash that name the chain in a comment.
pub const CHAIN_ID_LEN: usize = 16;

/// The comment for `event` of the chain whose first event has hash
/// `genesis` (named in the footer, so `cairn verify --remote` knows its own
/// heads from a teammate's). Long free text is cut (on a character
/// boundary, before escaping) and the cut is said, naming the event whose
/// full text the local record keeps.
pub fn comment(event: &Event, genesis: &str) -> String {
    // The one-line description may quote a whole note: keep its start only.
    let mut line: String = describe_event(&event.kind)
        .chars()
        .take(DESCRIPTION_CHARS + 1)
        .collect();
    if line.chars().count() > DESCRIPTION_CHARS {
        line = line.chars().take(DESCRIPTION_CHARS).collect::<String>() + "…";
    }
    let mut head = format!("**\\[cairn\\]** {}\n", md(&line));
    if let EventKind::LookupRun {
        row_count,
        result_sha256,
        ..
    } = &event.kind
    {
        let rows = row_count.map_or("no".to_string(), |n| n.to_string());
        let hash = result_sha256.as_deref().unwrap_or("none");
        head.push_str(&format!("\n{rows} rows; evidence SHA-256 `{}`\n", md(hash)));
    }
    // A proposal's whole request, for the approver and the auditor.
    if let EventKind::ApprovalProposed {
        method, url, body, ..
    } = &event.kind
    {
        head.push_str(&format!("\nRequest: {} {}\n", md(method), md(url)));
        if let Some(body) = body {
            head.push_str(&format!("Body: {}\n", md(body)));
        }
    }
    // The machine-readable part a teammate's Cairn reads back (ids only,
    // and only ids that need no escaping).
    if let EventKind::ChoiceMade { node, choice, .. } = &event.kind
        && plain_id(node)
        && plain_id(choice)
    {
        head.push_str(&format!("\n`{CHOICE_TAG} {node} {choice}`\n"));
    }
    let chain: String = genesis.chars().take(CHAIN_ID_LEN).collect();
    // A proposal or decision carries its machine-readable line (base64url,
    // nothing to escape) for a teammate's Cairn, above the footer.
    let machine = crate::lookup::sentinel::approval_wire::encode(event)
        .map(|line| format!("\n`{line}`\n"))
        .unwrap_or_default();
    let foot = format!(
        "{machine}\n{} at {} · chain `{}` head {} `{}`",
        md(&event.actor.label()),
        format_time(event.at),
        md(&chain),
        event.seq,
        md(&event.hash)
    );
    let Some(text) = detail(&event.kind).filter(|t| !t.trim().is_empty()) else {
        return format!("{head}{foot}");
    };
    let room = MAX_COMMENT_CHARS.saturating_sub(head.chars().count() + foot.chars().count() + 200);
    let total = text.chars().count();
    // Start from what could fit unescaped: escaping only lengthens text.
    let mut keep = total.min(room);
    loop {
        let cut = keep < total;
        let part: String = text.chars().take(keep).collect();
        let mut body = format!("\n{}", md_quote(&part));
        if cut {
            body.push_str(&format!(
                "\n_(cut at {keep} characters; the full text is event {} of the Cairn record)_\n",
                event.seq
            ));
        }
        if body.chars().count() <= room || keep == 0 {
            return format!("{head}{body}{foot}");
        }
        // Escaping can lengthen text up to eightfold; shrink until it fits.
        keep = keep.min(room) * 3 / 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event::{Actor, EventKind};

    fn event(kind: EventKind) -> Event {
        Event {
            seq: 17,
            at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            actor: Actor {
                user: "kim".into(),
                host: "soc-1".into(),
                ssh_client: None,
            },
            kind,
            prev_hash: "a".repeat(64),
            hash: "b".repeat(64),
        }
    }

    #[test]
    fn a_note_reads_as_markdown_with_the_chain_head_and_nothing_active() {
        let e = event(EventKind::NoteAdded {
            node: None,
            text: "call <script>alert(1)</script> *now*\n\u{1b}[2Jsecond line".into(),
        });
        let c = comment(&e, &"c".repeat(64));
        assert!(c.starts_with("**\\[cairn\\]** "), "{c}");
        assert!(
            c.contains(&format!(
                "chain `{}` head 17 `{}`",
                "c".repeat(16),
                "b".repeat(64)
            )),
            "{c}"
        );
        assert!(c.contains("&lt;script&gt;"), "{c}");
        assert!(c.contains("\\*now\\*"), "{c}");
        // The export escaper shows the escape character as text, never raw.
        assert!(c.contains("U+001B") && c.contains("2Jsecond line"), "{c}");
        assert!(!c.contains('\u{1b}'));
    }

    #[test]
    fn a_proposal_comment_reads_for_a_human_and_carries_its_machine_line() {
        use crate::lookup::sentinel::approval_wire::{Wire, decode};
        let url = "https://graph.microsoft.com/v1.0/users/a%40contoso.com";
        let e = event(EventKind::ApprovalProposed {
            node: "contain".into(),
            action: "disable-user".into(),
            method: "PATCH".into(),
            url: url.into(),
            body: None,
            request_sha256: crate::store::approval::request_sha256("PATCH", url, None),
            proposer: crate::store::event::Signer {
                oid: None,
                upn: None,
                actor: "kim@soc-1".into(),
            },
            policy: "same-host".into(),
            reason: "sign-ins from two continents \u{1b}[2J".into(),
            expires_at: chrono::DateTime::from_timestamp(1_800_001_800, 0).unwrap(),
        });
        let c = comment(&e, &"c".repeat(64));
        assert!(c.contains("Proposes action disable-user"), "{c}");
        assert!(c.contains("Request: PATCH `https://graph"), "{c}");
        assert!(c.contains("sign-ins from two continents"), "{c}");
        assert!(!c.contains('\u{1b}'));
        let Some(Ok(Wire::Proposal { hash, .. })) = decode(&c) else {
            panic!("{c}");
        };
        assert_eq!(hash, e.hash);
    }

    #[test]
    fn a_huge_hostile_note_is_cut_to_fit_and_says_so() {
        for text in [
            "word ".repeat(6_500),
            "\u{1b}".repeat(8_000),
            "<".repeat(8_000),
        ] {
            let c = comment(&event(EventKind::NoteAdded { node: None, text }), "");
            assert!(
                c.chars().count() <= MAX_COMMENT_CHARS,
                "{}",
                c.chars().count()
            );
            assert!(c.contains("the full text is event 17"), "{}", &c[..200]);
            assert!(c.ends_with(&format!("`{}`", "b".repeat(64))));
        }
        let short = comment(
            &event(EventKind::NoteAdded {
                node: None,
                text: "fine".into(),
            }),
            "",
        );
        assert!(!short.contains("cut at"));
    }
}
