//! Four eyes on destructive actions: whether a proposal's exact request may
//! be sent. A pure judgement over the projection (no I/O, no clock of its
//! own): the screen, `cairn approvals` and the tests ask here, and nothing
//! else decides. See `docs/approvals.md`.

use chrono::{DateTime, Duration, Utc};

use super::event::{ApprovalSource, Signer};
use super::projection::{DecisionRecord, IncidentState, ProposalRecord};
use crate::tree::ApprovalPolicy;

/// How long a proposal waits for its approval unless the proposer says.
pub const DEFAULT_EXPIRY: Duration = Duration::minutes(30);

/// The longest reason kept (a reason is a sentence, not a log).
pub const MAX_REASON_CHARS: usize = 2_000;

/// SHA-256 (hex) of the canonical request: the JSON array
/// `[method, url, body-or-null]`. Any change to the method, the final URL
/// or the body (one byte) gives another hash, so an approval of one
/// request never covers another.
pub fn request_sha256(method: &str, url: &str, body: Option<&str>) -> String {
    let canonical = serde_json::to_string(&(method, url, body)).unwrap_or_default();
    super::chain::sha256_hex(canonical.as_bytes())
}

/// Where a proposal stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing<'a> {
    /// No approval that counts yet.
    Pending {
        /// Approvals recorded that do not count, each with why.
        ignored: Vec<String>,
    },
    Approved(&'a DecisionRecord),
    Rejected(&'a DecisionRecord),
    Expired,
    /// Its approval was used by the intent with this seq.
    Used(u64),
}

/// True when `a` and `b` are one person for approval purposes: the same
/// token object id, or, when either has none, the same local actor.
pub fn same_identity(a: &Signer, b: &Signer) -> bool {
    match (&a.oid, &b.oid) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => a.actor == b.actor,
    }
}

/// Why `decision` does not count as the approval of `proposal`, if it does not.
pub fn disqualified(proposal: &ProposalRecord, decision: &DecisionRecord) -> Option<String> {
    if decision.request_sha256 != proposal.request_sha256 {
        return Some(format!(
            "it names request {} but the proposal is request {}: the request changed",
            decision.request_sha256, proposal.request_sha256
        ));
    }
    if same_identity(&proposal.proposer, &decision.approver) {
        return Some("the approver is the proposer: a second person must approve".into());
    }
    if decision.stamp.at >= proposal.expires_at {
        return Some("it was recorded after the proposal expired".into());
    }
    let signed_in = proposal.proposer.oid.is_some() && decision.approver.oid.is_some();
    let same_host = proposal.policy == ApprovalPolicy::SameHost.name()
        && decision.source == ApprovalSource::Here;
    if !signed_in && !same_host && decision.source != ApprovalSource::Simulated {
        return Some(format!(
            "without a signed-in identity on both sides only a same-host policy accepts a second local actor, and this action's policy is {}",
            proposal.policy
        ));
    }
    None
}

/// The standing of `proposal` at `now` in `state`.
pub fn standing<'a>(
    state: &'a IncidentState,
    proposal: &'a ProposalRecord,
    now: DateTime<Utc>,
) -> Standing<'a> {
    if let Some(intent) = proposal.used_by {
        return Standing::Used(intent);
    }
    let decisions: Vec<&DecisionRecord> = state.decisions_on(&proposal.id).collect();
    // A rejection by anyone on the team stops it, whatever came before
    // and whatever hash it names: stopping is always the safe reading.
    if let Some(r) = decisions.iter().find(|d| !d.approved) {
        return Standing::Rejected(r);
    }
    let mut ignored = Vec::new();
    for d in decisions.iter().filter(|d| d.approved) {
        match disqualified(proposal, d) {
            None if now < proposal.expires_at => return Standing::Approved(d),
            None => {}
            Some(why) => ignored.push(why),
        }
    }
    if now >= proposal.expires_at {
        return Standing::Expired;
    }
    Standing::Pending { ignored }
}

/// Why a request may not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no proposal for this exact request (SHA-256 {0}): propose it for approval first")]
    NotProposed(String),
    #[error("proposal {0} is waiting for a second person's approval{1}")]
    Pending(String, String),
    #[error("proposal {0} was rejected by {1}: {2}")]
    Rejected(String, String, String),
    #[error("proposal {0} expired at {1} without an approval that counts; propose it again")]
    Expired(String, String),
    #[error("the approval of proposal {0} was already used by event {1}; propose it again")]
    Used(String, u64),
}

/// The approved, unused, unexpired, unrejected proposal for the request
/// with hash `request`, or why there is none (the newest proposal's
/// standing). The only door to an approved action.
pub fn gate<'a>(
    state: &'a IncidentState,
    request: &str,
    now: DateTime<Utc>,
) -> Result<(&'a ProposalRecord, &'a DecisionRecord), Refusal> {
    let mut newest = None;
    for p in state
        .proposals
        .iter()
        .rev()
        .filter(|p| p.request_sha256 == request)
    {
        match refusal(p, standing(state, p, now)) {
            Ok(d) => return Ok((p, d)),
            Err(r) => {
                newest.get_or_insert(r);
            }
        }
    }
    Err(newest.unwrap_or_else(|| Refusal::NotProposed(request.to_string())))
}

/// The approval a standing holds, or the refusal it means.
fn refusal<'a>(p: &ProposalRecord, s: Standing<'a>) -> Result<&'a DecisionRecord, Refusal> {
    let id = p.id.clone();
    Err(match s {
        Standing::Approved(d) => return Ok(d),
        Standing::Pending { ignored } if ignored.is_empty() => Refusal::Pending(id, String::new()),
        Standing::Pending { ignored } => {
            Refusal::Pending(id, format!(" (ignored: {})", ignored.join("; ")))
        }
        Standing::Rejected(d) => Refusal::Rejected(
            id,
            super::export::describe_signer(&d.approver),
            d.reason.clone(),
        ),
        Standing::Expired => Refusal::Expired(id, super::export::format_time(p.expires_at)),
        Standing::Used(intent) => Refusal::Used(id, intent),
    })
}

#[cfg(test)]
mod tests;
