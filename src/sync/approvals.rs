//! Approvals through the shared incident: proposals and decisions read
//! back from the comments teammates' Cairn wrote (`store::remote`). A
//! comment is untrusted: its machine-readable line is checked
//! (`approval_wire`), a proposal must sit under the comment id its own hash
//! gives, and the signed-in user a part names must be the comment's author
//! as Sentinel recorded it. What passes is recorded by the proposer's Cairn
//! as an `approval_decided` event naming the comment it came from.

use chrono::{DateTime, Utc};

use crate::lookup::sentinel::approval_wire::{Wire, decode};
use crate::store::event::{ApprovalSource, EventKind, Signer};
use crate::store::outbox::comment_id;
use crate::store::projection::proposal_id;
use crate::store::remote::StoredRemote;
use crate::store::{IncidentId, IncidentState, Store, StoreError};

/// A teammate's proposal, read from their comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteProposal {
    pub id: String,
    pub comment: String,
    pub author: String,
    pub node: String,
    pub action: String,
    pub method: String,
    pub url: String,
    pub body: Option<String>,
    pub request_sha256: String,
    pub proposer: Signer,
    pub policy: String,
    pub reason: String,
    pub expires_at: DateTime<Utc>,
}

/// The signed-in user a part names must be who Sentinel says wrote it.
fn written_by(signer: &Signer, author: &str) -> Result<(), String> {
    match &signer.upn {
        Some(upn) if upn.eq_ignore_ascii_case(author) && signer.oid.is_some() => Ok(()),
        Some(upn) => Err(format!(
            "it names {upn} but Sentinel says {author} wrote it, or it has no object id"
        )),
        None => Err("it names no signed-in user".into()),
    }
}

/// Every approval part of the pulled comments: proposals (checked) and
/// decisions, each with its comment; refused ones say why.
pub fn proposals(remote: &[StoredRemote]) -> Vec<Result<RemoteProposal, String>> {
    remote
        .iter()
        .filter_map(|r| {
            let c = &r.comment;
            let wire = match decode(&c.message)? {
                Ok(w) => w,
                Err(why) => return Some(Err(format!("comment {}: {why}", c.id))),
            };
            let Wire::Proposal {
                hash,
                node,
                action,
                method,
                url,
                body,
                request_sha256,
                proposer,
                policy,
                reason,
                expires_at,
            } = wire
            else {
                return None;
            };
            let refused = |why: String| Some(Err(format!("comment {}: {why}", c.id)));
            if comment_id(&hash).hyphenated().to_string() != c.id {
                return refused("its id is not the one its proposal's hash gives".into());
            }
            if let Err(why) = written_by(&proposer, &c.author) {
                return refused(why);
            }
            Some(Ok(RemoteProposal {
                id: proposal_id(&hash),
                comment: c.id.clone(),
                author: c.author.clone(),
                node,
                action,
                method,
                url,
                body,
                request_sha256,
                proposer,
                policy,
                reason,
                expires_at,
            }))
        })
        .collect()
}

/// The decisions teammates made on this incident's proposals that are not
/// recorded yet, as the events to record, or why a comment is refused.
pub fn decisions(state: &IncidentState, remote: &[StoredRemote]) -> Vec<Result<EventKind, String>> {
    remote
        .iter()
        .filter_map(|r| {
            let c = &r.comment;
            let wire = decode(&c.message)?;
            let refused = |why: String| Some(Err(format!("comment {}: {why}", c.id)));
            let (proposal, request_sha256, approved, approver, reason) = match wire {
                Ok(Wire::Decision {
                    proposal,
                    request_sha256,
                    approved,
                    approver,
                    reason,
                }) => (proposal, request_sha256, approved, approver, reason),
                Ok(Wire::Proposal { .. }) => return None,
                Err(why) => return refused(why),
            };
            // Only decisions on this incident's own proposals are recorded here.
            state.proposal(&proposal)?;
            let recorded = state.decisions.iter().any(|d| {
                matches!(&d.source, ApprovalSource::Sentinel { comment, .. } if *comment == c.id)
            });
            if recorded {
                return None;
            }
            if let Err(why) = written_by(&approver, &c.author) {
                return refused(why);
            }
            Some(Ok(EventKind::ApprovalDecided {
                proposal,
                request_sha256,
                approved,
                approver,
                reason,
                source: ApprovalSource::Sentinel {
                    comment: c.id.clone(),
                    author: c.author.clone(),
                },
            }))
        })
        .collect()
}

/// Records the new decisions on this incident's proposals found in the
/// pulled comments (each its own fact, whatever the head); returns how many.
pub fn record_pulled(store: &mut Store, id: &IncidentId) -> Result<u64, StoreError> {
    let state = store.state(id)?;
    if state.proposals.is_empty() {
        return Ok(0);
    }
    let remote = store.remote_comments(id)?;
    let mut recorded = 0;
    for kind in decisions(&state, &remote).into_iter().flatten() {
        store.append(id, kind)?;
        recorded += 1;
    }
    Ok(recorded)
}
