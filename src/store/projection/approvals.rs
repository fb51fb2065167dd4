//! The projection's part for approvals: proposals, the decisions on them,
//! and the intent each approved proposal was used by. Folded from the
//! events by `IncidentState::apply`; judged by `store::approval`.

use chrono::{DateTime, Utc};

use super::{IncidentState, Stamp};
use crate::store::event::{ApprovalSource, Event, EventKind, Signer};

/// Hex digits of a proposal event's hash that name the proposal.
pub const PROPOSAL_ID_LEN: usize = 16;

/// The id of the proposal recorded as the event with hash `hash`.
pub fn proposal_id(hash: &str) -> String {
    hash.chars().take(PROPOSAL_ID_LEN).collect()
}

/// One proposal, as its event recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: String,
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
    /// The full hash of the proposal event.
    pub hash: String,
    pub stamp: Stamp,
    /// Seq of the `action_intended` that ran under it (an approval is used once).
    pub used_by: Option<u64>,
}

/// One approval or rejection, of a proposal of this incident or (at the
/// approver's Cairn) of a teammate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub proposal: String,
    pub request_sha256: String,
    pub approved: bool,
    pub approver: Signer,
    pub reason: String,
    pub source: ApprovalSource,
    pub stamp: Stamp,
}

impl IncidentState {
    pub(super) fn apply_proposal(&mut self, event: &Event) {
        let EventKind::ApprovalProposed {
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
        } = &event.kind
        else {
            return;
        };
        self.proposals.push(ProposalRecord {
            id: proposal_id(&event.hash),
            node: node.clone(),
            action: action.clone(),
            method: method.clone(),
            url: url.clone(),
            body: body.clone(),
            request_sha256: request_sha256.clone(),
            proposer: proposer.clone(),
            policy: policy.clone(),
            reason: reason.clone(),
            expires_at: *expires_at,
            hash: event.hash.clone(),
            stamp: Stamp::of(event),
            used_by: None,
        });
    }

    pub(super) fn apply_decision(&mut self, event: &Event, stamp: Stamp) {
        let EventKind::ApprovalDecided {
            proposal,
            request_sha256,
            approved,
            approver,
            reason,
            source,
        } = &event.kind
        else {
            return;
        };
        self.decisions.push(DecisionRecord {
            proposal: proposal.clone(),
            request_sha256: request_sha256.clone(),
            approved: *approved,
            approver: approver.clone(),
            reason: reason.clone(),
            source: source.clone(),
            stamp,
        });
    }

    /// An intent ran under `proposal`: the approval is spent.
    pub(super) fn use_approval(&mut self, proposal: &str, intent: u64) {
        match self.proposals.iter_mut().find(|p| p.id == proposal) {
            Some(p) if p.used_by.is_none() => p.used_by = Some(intent),
            Some(_) => self.anomalies.push(format!(
                "event {intent} runs under proposal {proposal}, whose approval was already used"
            )),
            None => self.anomalies.push(format!(
                "event {intent} runs under proposal {proposal}, which this incident never proposed"
            )),
        }
    }

    pub fn proposal(&self, id: &str) -> Option<&ProposalRecord> {
        self.proposals.iter().find(|p| p.id == id)
    }

    /// The decisions recorded on proposal `id`, oldest first.
    pub fn decisions_on<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a DecisionRecord> {
        self.decisions.iter().filter(move |d| d.proposal == id)
    }
}
