//! The Sentinel incident's own fields, changed the way the reference asks:
//! read the incident with its etag, change only Cairn's fields, write it
//! back with that etag; on 409 read again, merge again, retry once, then
//! stop and say so (a person is changing the incident). The merge never
//! overwrites what a person set: Cairn claims only an incident nobody owns,
//! activates only a `New` one, and closes only one not already closed.
//!
//! Safe to repeat: each change is decided from what Sentinel holds now, so
//! a write whose answer was lost, a crash or a second Cairn finds the
//! change already made and writes nothing.

use serde_json::{Value, json};

use crate::lookup::sentinel::{IncidentFields, IncidentName, Me, Sentinel, SentinelError};
use crate::store::event::EventKind;
use crate::store::outbox::Field;
use crate::tree::model::OutcomeStatus;

/// What a field row asks for, with what it needs from its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<'a> {
    Claim(Option<&'a Me>),
    Activate,
    Close {
        classification: &'a str,
        reason: Option<&'a str>,
        comment: &'a str,
    },
}

impl<'a> Change<'a> {
    /// The change `field` asks for, given the row's event (`None`: the
    /// event is not one that carries it, nothing to do).
    pub fn of(field: Field, kind: &'a EventKind, me: Option<&'a Me>) -> Option<Change<'a>> {
        match (field, kind) {
            (Field::Claim, _) => Some(Change::Claim(me)),
            (Field::Activate, _) => Some(Change::Activate),
            (
                Field::Close,
                EventKind::SentinelCloseConfirmed {
                    classification,
                    reason,
                    comment,
                    ..
                },
            ) => Some(Change::Close {
                classification,
                reason: reason.as_deref(),
                comment,
            }),
            (Field::Close, _) => None,
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Change::Claim(_) => "owner",
            Change::Activate => "status",
            Change::Close { .. } => "status and classification",
        }
    }
}

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Written,
    /// Nothing to write: already so, or a person decided otherwise.
    Unchanged,
}

/// Changes Cairn's fields of `fields` in place; false when there is nothing
/// to change (so nothing is written).
pub fn merge(change: &Change<'_>, fields: &mut IncidentFields) -> bool {
    let p = &mut fields.properties;
    match change {
        Change::Claim(None) => false,
        Change::Claim(Some(me)) => {
            if owned(p.get("owner")) {
                return false;
            }
            p.insert(
                "owner".into(),
                json!({
                    "objectId": me.object_id,
                    "userPrincipalName": me.upn,
                    "email": me.upn,
                    "assignedTo": me.upn,
                }),
            );
            true
        }
        Change::Activate => {
            if p.get("status").and_then(Value::as_str) != Some("New") {
                return false;
            }
            p.insert("status".into(), json!("Active"));
            true
        }
        Change::Close {
            classification,
            reason,
            comment,
        } => {
            if p.get("status").and_then(Value::as_str) == Some("Closed") {
                return false;
            }
            p.insert("status".into(), json!("Closed"));
            p.insert("classification".into(), json!(classification));
            match reason {
                Some(r) => p.insert("classificationReason".into(), json!(r)),
                None => p.remove("classificationReason"),
            };
            p.insert("classificationComment".into(), json!(comment));
            true
        }
    }
}

/// True when any of the owner's fields names someone.
fn owned(owner: Option<&Value>) -> bool {
    let Some(owner) = owner.and_then(Value::as_object) else {
        return false;
    };
    ["objectId", "userPrincipalName", "email", "assignedTo"]
        .iter()
        .any(|k| {
            owner
                .get(*k)
                .and_then(Value::as_str)
                .is_some_and(|v| !v.trim().is_empty())
        })
}

/// Read, merge, write with the etag; on 409 once more; a second 409 is
/// [`SentinelError::FieldConflict`].
pub async fn apply(
    sentinel: &Sentinel<'_>,
    incident: &IncidentName,
    change: &Change<'_>,
) -> Result<Applied, SentinelError> {
    // Nobody to claim for: nothing to read either.
    if *change == Change::Claim(None) {
        return Ok(Applied::Unchanged);
    }
    for attempt in 0..2 {
        let mut fields = sentinel.incident_fields(incident).await?;
        if !merge(change, &mut fields) {
            return Ok(Applied::Unchanged);
        }
        match sentinel.put_incident_fields(incident, &fields).await {
            Ok(()) => return Ok(Applied::Written),
            Err(SentinelError::Conflict(_)) if attempt == 0 => continue,
            Err(SentinelError::Conflict(_)) => break,
            Err(e) => return Err(e),
        }
    }
    Err(SentinelError::FieldConflict(change.what()))
}

/// Sentinel's classification and reason for an incident closed on an
/// outcome with `status` (None: closed before reaching an outcome).
pub fn classification(status: Option<OutcomeStatus>) -> (&'static str, Option<&'static str>) {
    match status {
        // The token was used by someone else: a true positive, whether
        // contained, recovered or handed on.
        Some(
            OutcomeStatus::Contained
            | OutcomeStatus::ContainedAndRecovered
            | OutcomeStatus::Escalated,
        ) => ("TruePositive", Some("SuspiciousActivity")),
        // The alert was right to fire, and the activity was the user's own.
        Some(OutcomeStatus::NoCompromise) => ("BenignPositive", Some("SuspiciousButExpected")),
        Some(OutcomeStatus::Inconclusive) | None => ("Undetermined", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: Value) -> IncidentFields {
        IncidentFields {
            properties: v.as_object().unwrap().clone(),
            etag: Some("\"e1\"".into()),
        }
    }

    #[test]
    fn a_claim_takes_only_an_incident_nobody_owns() {
        let me = Me {
            object_id: "11111111-2222-3333-4444-555555555555".into(),
            upn: "kim@contoso.com".into(),
        };
        let mut free = fields(json!({"title": "t", "status": "New", "owner": {"objectId": null}}));
        assert!(merge(&Change::Claim(Some(&me)), &mut free));
        assert_eq!(free.properties["owner"]["objectId"], json!(me.object_id));
        assert_eq!(free.properties["title"], json!("t"), "other fields kept");
        let mut taken = fields(json!({"owner": {"assignedTo": "Mika"}}));
        let before = taken.clone();
        assert!(!merge(&Change::Claim(Some(&me)), &mut taken));
        assert_eq!(taken, before);
        // Without a user in the token, nothing is claimed.
        let mut free = fields(json!({"owner": {}}));
        assert!(!merge(&Change::Claim(None), &mut free));
    }

    #[test]
    fn status_moves_only_forward_from_what_cairn_expects() {
        let mut new = fields(json!({"status": "New"}));
        assert!(merge(&Change::Activate, &mut new));
        assert_eq!(new.properties["status"], json!("Active"));
        for status in ["Active", "Closed"] {
            assert!(!merge(
                &Change::Activate,
                &mut fields(json!({ "status": status }))
            ));
        }
        let close = Change::Close {
            classification: "TruePositive",
            reason: Some("SuspiciousActivity"),
            comment: "contained",
        };
        let mut active = fields(json!({"status": "Active", "classificationReason": "x"}));
        assert!(merge(&close, &mut active));
        assert_eq!(active.properties["classification"], json!("TruePositive"));
        // A person closed it already: their classification stands.
        let mut closed = fields(json!({"status": "Closed", "classification": "FalsePositive"}));
        assert!(!merge(&close, &mut closed));
        assert_eq!(closed.properties["classification"], json!("FalsePositive"));
    }

    #[test]
    fn outcomes_map_to_classifications() {
        assert_eq!(
            classification(Some(OutcomeStatus::Contained)),
            ("TruePositive", Some("SuspiciousActivity"))
        );
        assert_eq!(
            classification(Some(OutcomeStatus::NoCompromise)).0,
            "BenignPositive"
        );
        assert_eq!(classification(None), ("Undetermined", None));
        assert_eq!(classification(Some(OutcomeStatus::Inconclusive)).1, None);
    }
}
