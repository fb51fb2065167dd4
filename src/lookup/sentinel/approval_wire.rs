//! The machine-readable part of an approval comment: one line,
//! `cairn-approval/1 <base64url JSON>`, under the text a human reads, so a
//! teammate's Cairn can read a proposal or a decision back from the pulled
//! comments. What it reads is untrusted: every field is checked by type and
//! length, a proposal's hash must match its request and its comment id, and
//! nothing in it is shown except through `visible()`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::Event;
use crate::store::approval::{MAX_REASON_CHARS, request_sha256};
use crate::store::event::{ApprovalSource, EventKind, Signer};

/// What starts the machine-readable line.
pub const MARK: &str = "cairn-approval/1 ";

/// Longest encoded part accepted (a Graph action's URL and body are small;
/// a Sentinel comment holds 30,000 characters in all).
const MAX_ENCODED: usize = 24_000;
const MAX_URL: usize = 4_096;
const MAX_BODY: usize = 8_192;
const MAX_NAME: usize = 256;

/// A proposal or a decision as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Wire {
    Proposal {
        /// The full hash of the proposal event (its comment id derives from it).
        hash: String,
        node: String,
        action: String,
        method: String,
        url: String,
        #[serde(default)]
        body: Option<String>,
        request_sha256: String,
        proposer: Signer,
        policy: String,
        reason: String,
        expires_at: DateTime<Utc>,
    },
    Decision {
        proposal: String,
        request_sha256: String,
        approved: bool,
        approver: Signer,
        reason: String,
    },
}

/// The line to append to the comment of `event`, for a proposal or a
/// decision made here (one read from Sentinel is not sent on again).
pub fn encode(event: &Event) -> Option<String> {
    let wire = match &event.kind {
        EventKind::ApprovalProposed {
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
        } => Wire::Proposal {
            hash: event.hash.clone(),
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
        },
        EventKind::ApprovalDecided {
            proposal,
            request_sha256,
            approved,
            approver,
            reason,
            source: ApprovalSource::Here | ApprovalSource::Simulated,
        } => Wire::Decision {
            proposal: proposal.clone(),
            request_sha256: request_sha256.clone(),
            approved: *approved,
            approver: approver.clone(),
            reason: reason.clone(),
        },
        _ => return None,
    };
    let json = serde_json::to_vec(&wire).ok()?;
    let encoded = URL_SAFE_NO_PAD.encode(json);
    (encoded.len() <= MAX_ENCODED).then(|| format!("{MARK}{encoded}"))
}

/// The approval part of a pulled comment: `None` when it has none, else
/// the checked part or why it was refused.
pub fn decode(message: &str) -> Option<Result<Wire, String>> {
    let start = message.find(MARK)? + MARK.len();
    let encoded: String = message[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(MAX_ENCODED + 1)
        .collect();
    Some(read(&encoded))
}

fn read(encoded: &str) -> Result<Wire, String> {
    if encoded.len() > MAX_ENCODED {
        return Err("the approval part is too long".into());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| "the approval part is not base64url".to_string())?;
    let wire: Wire = serde_json::from_slice(&bytes)
        .map_err(|e| format!("the approval part is not a proposal or decision: {e}"))?;
    check(&wire)?;
    Ok(wire)
}

fn hex(text: &str, len: usize, what: &str) -> Result<(), String> {
    if text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(format!("{what} is not {len} lowercase hex digits"))
    }
}

fn short(text: &str, max: usize, what: &str) -> Result<(), String> {
    if text.chars().count() > max {
        Err(format!("{what} is longer than {max} characters"))
    } else {
        Ok(())
    }
}

fn signer(s: &Signer, what: &str) -> Result<(), String> {
    if let Some(oid) = &s.oid
        && uuid::Uuid::parse_str(oid).is_err()
    {
        return Err(format!("the {what}'s object id is not a GUID"));
    }
    short(s.upn.as_deref().unwrap_or(""), MAX_NAME, "the upn")?;
    short(&s.actor, MAX_NAME, "the actor")
}

fn check(wire: &Wire) -> Result<(), String> {
    match wire {
        Wire::Proposal {
            hash,
            node,
            action,
            method,
            url,
            body,
            request_sha256: claimed,
            proposer,
            policy,
            reason,
            ..
        } => {
            hex(hash, 64, "the proposal hash")?;
            hex(claimed, 64, "the request hash")?;
            short(node, MAX_NAME, "the node")?;
            short(action, MAX_NAME, "the action")?;
            if crate::tree::HttpMethod::parse(method).is_none() {
                return Err(format!("method {method:?} is not POST, PATCH or DELETE"));
            }
            short(url, MAX_URL, "the URL")?;
            let parsed =
                reqwest::Url::parse(url).map_err(|_| "the URL is not a URL".to_string())?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return Err("the URL is not http(s)".into());
            }
            short(body.as_deref().unwrap_or(""), MAX_BODY, "the body")?;
            if crate::tree::ApprovalPolicy::parse(policy).is_none() {
                return Err(format!("policy {policy:?} is unknown"));
            }
            short(reason, MAX_REASON_CHARS, "the reason")?;
            signer(proposer, "proposer")?;
            // The request shown is the request hashed, or nothing is shown.
            if request_sha256(method, url, body.as_deref()) != *claimed {
                return Err("the request hash does not match the request it travels with".into());
            }
            Ok(())
        }
        Wire::Decision {
            proposal,
            request_sha256,
            approver,
            reason,
            ..
        } => {
            hex(
                proposal,
                crate::store::projection::PROPOSAL_ID_LEN,
                "the proposal id",
            )?;
            hex(request_sha256, 64, "the request hash")?;
            short(reason, MAX_REASON_CHARS, "the reason")?;
            signer(approver, "approver")
        }
    }
}

#[cfg(test)]
mod tests;
