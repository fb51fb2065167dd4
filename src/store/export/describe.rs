//! One-line, human wording of events and of who and when, shared by the
//! reports and the CLI. Output is raw text: callers escape it for where it
//! goes.

use chrono::{DateTime, Utc};

use crate::store::event::{
    ActionStatus, Actor, EventKind, InjectCause, LookupStatus, NoteTag, ValueSource,
};

pub fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

pub fn actor(actor: &Actor) -> String {
    actor.label()
}

pub fn source(source: &ValueSource) -> String {
    match source {
        ValueSource::Typed => "typed".to_string(),
        ValueSource::Lookup {
            lookup_seq,
            row,
            column,
        } => format!(
            "lookup (event {lookup_seq}), row {}, column {column}",
            row + 1
        ),
        ValueSource::Scenario { scenario } => format!("scenario {scenario}"),
        ValueSource::Sentinel {
            incident,
            entity,
            entity_kind,
        } => format!("Sentinel incident {incident}, {entity_kind} entity {entity}"),
    }
}

pub fn lookup_status(status: LookupStatus) -> &'static str {
    match status {
        LookupStatus::Succeeded => "succeeded",
        LookupStatus::Partial => "partial (rows came back with a warning)",
        LookupStatus::Failed => "failed",
        LookupStatus::Cancelled => "cancelled",
        LookupStatus::TimedOut => "timed out",
    }
}

pub fn action_status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Succeeded => "succeeded",
        ActionStatus::Failed => "failed",
        ActionStatus::Unknown => "unknown (it may or may not have run)",
        ActionStatus::Simulated => "simulated (nothing was sent)",
        ActionStatus::Abandoned => "abandoned after confirming (nothing was sent)",
    }
}

/// What happened, in one line.
pub fn event(kind: &EventKind) -> String {
    match kind {
        EventKind::IncidentCreated {
            title,
            tree_id,
            tree_version,
            ..
        } => format!("Incident created: \"{title}\" (tree {tree_id} {tree_version})"),
        EventKind::NodeEntered { node } => format!("Entered {node}"),
        EventKind::ChoiceMade {
            node,
            choice,
            next,
            reason,
        } => match reason {
            Some(r) => format!("At {node} chose {choice} (next: {next}); reason: {r}"),
            None => format!("At {node} chose {choice} (next: {next})"),
        },
        EventKind::Backtrack { from, to } => format!("Went back from {from} to {to}"),
        EventKind::Jumped { from, to, reason } => {
            format!("Jumped from {from} to {to} (no decision made); reason: {reason}")
        }
        EventKind::ChecklistToggled {
            node,
            item,
            checked,
        } => {
            let state = if *checked { "checked" } else { "unchecked" };
            format!("Checklist {node}/{item} {state}")
        }
        EventKind::VariableSet {
            name,
            value,
            source: s,
        } => {
            format!("Set {name} = {value} ({})", source(s))
        }
        EventKind::SubjectOpened { scope, variables } => format!(
            "Next affected {scope}: earlier values of {} filed under the previous one",
            variables.join(", ")
        ),
        EventKind::NoteAdded { text, .. } => format!("Note: {}", first_line(text)),
        EventKind::NoteAmended { amends, text } => {
            format!("Amended note (event {amends}): {}", first_line(text))
        }
        EventKind::LookupRun {
            lookup,
            provider,
            status,
            row_count,
            ..
        } => {
            let rows = row_count.map(|n| format!(", {n} rows")).unwrap_or_default();
            format!(
                "Ran lookup {lookup} ({provider}): {}{rows}",
                lookup_status(*status)
            )
        }
        EventKind::ActionIntended {
            action,
            method,
            path,
            simulated,
            approval,
            ..
        } => {
            let sim = if *simulated { " (simulated)" } else { "" };
            let approved = approval
                .as_ref()
                .map(|p| format!(", approved under proposal {p}"))
                .unwrap_or_default();
            format!("Intends action {action}: {method} {path}{sim}{approved}")
        }
        EventKind::ActionOutcome {
            intent,
            status,
            http_status,
            ..
        } => {
            let http = http_status
                .map(|s| format!(", HTTP {s}"))
                .unwrap_or_default();
            format!(
                "Outcome of action (event {intent}): {}{http}",
                action_status(*status)
            )
        }
        EventKind::LanguageChanged { language } => format!("Language changed to {language}"),
        EventKind::IncidentClosed { summary } => match summary {
            Some(s) => format!("Incident closed: {}", first_line(s)),
            None => "Incident closed".to_string(),
        },
        EventKind::IncidentReopened { reason } => match reason {
            Some(r) => format!("Incident reopened: {}", first_line(r)),
            None => "Incident reopened".to_string(),
        },
        EventKind::ScenarioStarted { scenario, tree } => {
            format!("Scenario {scenario} started on tree {tree}")
        }
        EventKind::HintShown { node, hint, cost } => {
            format!("Hint {} shown at {node} (-{cost} points)", hint + 1)
        }
        EventKind::DecisionScored {
            node,
            choice,
            expected,
            correct,
            points,
        } => {
            let verdict = if *correct { "correct" } else { "incorrect" };
            format!("At {node} {choice} scored {verdict} (expected {expected}, {points} points)")
        }
        EventKind::InjectReleased { inject, cause } => {
            let how = match cause {
                InjectCause::Time => "on its timer",
                InjectCause::Node => "on reaching its node",
                InjectCause::Manual => "by the facilitator",
            };
            format!("Inject {inject} released {how}")
        }
        EventKind::SentinelAttached {
            name,
            number,
            title,
            severity,
            status,
            ..
        } => {
            let number = number.map(|n| format!("#{n} ")).unwrap_or_default();
            format!(
                "Attached to Sentinel incident {number}({name}): {} [{severity}, {status}]",
                first_line(title)
            )
        }
        EventKind::EvidenceMarked { lookup_seq, note } => match note {
            Some(n) => format!(
                "Marked the lookup run (event {lookup_seq}) as evidence: {}",
                first_line(n)
            ),
            None => format!("Marked the lookup run (event {lookup_seq}) as evidence"),
        },
        EventKind::SentinelCloseConfirmed {
            classification,
            reason,
            ..
        } => match reason {
            Some(r) => format!("Closing the Sentinel incident confirmed: {classification} ({r})"),
            None => format!("Closing the Sentinel incident confirmed: {classification}"),
        },
        EventKind::ExerciseClock { running: true } => "Exercise clock resumed".to_string(),
        EventKind::ExerciseClock { running: false } => "Exercise clock paused".to_string(),
        EventKind::TabletopNote { tag, text, .. } => {
            let tag = match tag {
                NoteTag::Strength => "strength",
                NoteTag::Improvement => "improvement",
                NoteTag::Note => "note",
            };
            format!("Tabletop note ({tag}): {}", first_line(text))
        }
        EventKind::ApprovalProposed {
            action,
            method,
            url,
            request_sha256,
            proposer,
            expires_at,
            ..
        } => format!(
            "Proposes action {action} for approval by a second person: {method} {url} (request SHA-256 {request_sha256}), by {}, expires {}",
            signer(proposer),
            time(*expires_at)
        ),
        EventKind::ApprovalDecided {
            proposal,
            request_sha256,
            approved,
            approver,
            source,
            ..
        } => {
            let verdict = if *approved { "Approved" } else { "Rejected" };
            let from = match source {
                crate::store::event::ApprovalSource::Here => String::new(),
                crate::store::event::ApprovalSource::Sentinel { author, .. } => {
                    format!(" (read from a Sentinel comment by {author})")
                }
                crate::store::event::ApprovalSource::Simulated => " (simulated)".to_string(),
            };
            format!(
                "{verdict} proposal {proposal} (request SHA-256 {request_sha256}) by {}{from}",
                signer(approver)
            )
        }
    }
}

/// A proposer or approver as reports name them: the signed-in user and
/// object id when there is a token, and always the local actor.
pub fn signer(s: &crate::store::event::Signer) -> String {
    match (&s.upn, &s.oid) {
        (Some(upn), Some(oid)) => format!("{upn} (oid {oid}, at {})", s.actor),
        (None, Some(oid)) => format!("oid {oid} (at {})", s.actor),
        _ => format!("{} (local actor, no sign-in)", s.actor),
    }
}

/// `1 note`, `2 notes`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

fn first_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    if lines.next().is_some() {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}
