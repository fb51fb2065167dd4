//! The incident event log: the one record of everything that happened.
//!
//! Events are appended, never updated or deleted. This file is the contract
//! between the store (which persists and chains them) and the screens (which
//! ask for them to be recorded). Field names are part of the JSON export
//! format documented in `docs/`; rename nothing without a migration.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How an incident is being worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A real incident: lookups and actions go to the tenant.
    Live,
    /// A practice walk answered from recorded data; actions are simulated.
    Practice,
    /// A scored training run.
    Training,
    /// A facilitated tabletop exercise.
    Tabletop,
}

impl Mode {
    /// Destructive calls never leave Cairn in these modes.
    pub fn simulates_actions(self) -> bool {
        !matches!(self, Mode::Live)
    }
}

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueSource {
    /// Typed by the responder (at a prompt, in the variables panel, or `--set`).
    Typed,
    /// Bound from a cell of a lookup result.
    Lookup {
        /// Sequence number of the `lookup_run` event holding the row.
        lookup_seq: u64,
        row: u64,
        column: String,
    },
    /// Set by a training or tabletop scenario.
    Scenario { scenario: String },
    /// Read from an entity of the attached Sentinel incident.
    Sentinel {
        /// The incident's ARM name (`incidentId`).
        incident: String,
        /// The entity's own id and its kind (`Account`, `Ip`, `Host`).
        entity: String,
        entity_kind: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupStatus {
    Succeeded,
    /// Rows came back with a warning (Log Analytics `PartialError`).
    Partial,
    Failed,
    Cancelled,
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Succeeded,
    Failed,
    /// The call timed out or the link dropped: it may or may not have run.
    Unknown,
    /// Practice, training or tabletop: nothing was sent.
    Simulated,
    /// The responder backed out (Esc) after confirming, while the intent
    /// was being recorded: the intent is committed but the call was never
    /// sent. Backing out before confirming records nothing at all.
    Abandoned,
}

/// One thing that happened in an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// Always event 1 of an incident, written by the store when the incident
    /// is created, so the hash chain also covers what the incident was
    /// created as (title, tree and the hash of its source, language, mode).
    /// It cannot be appended later.
    IncidentCreated {
        title: String,
        tree_id: String,
        tree_version: String,
        /// SHA-256 (hex) of the tree source stored with the incident.
        tree_sha256: String,
        language: String,
        mode: Mode,
    },
    NodeEntered {
        node: String,
    },
    ChoiceMade {
        node: String,
        choice: String,
        next: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Backtrack {
        from: String,
        to: String,
    },
    /// A move from the map or search to a node off the walk's path (an
    /// outcome included), with the responder's reason. Not a choice: the
    /// reports say the decision in between was skipped.
    Jumped {
        from: String,
        to: String,
        reason: String,
    },
    ChecklistToggled {
        node: String,
        item: String,
        checked: bool,
    },
    VariableSet {
        name: String,
        value: String,
        source: ValueSource,
    },
    /// The walk goes on with the next affected user or device (a choice
    /// that opens a subject). The values `variables` held so far belong to
    /// the subject just finished, which every reader keeps apart; the walk
    /// continues with them unset.
    SubjectOpened {
        /// `user` or `device`.
        scope: String,
        variables: Vec<String>,
    },
    NoteAdded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        text: String,
    },
    NoteAmended {
        /// Sequence number of the note (or earlier amendment) this replaces.
        amends: u64,
        text: String,
    },
    LookupRun {
        node: String,
        lookup: String,
        provider: String,
        /// The exact text sent (query, or Graph path and query string).
        query: String,
        variables: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timespan: Option<String>,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        status: LookupStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row_count: Option<u64>,
        /// SHA-256 (hex) of the canonical JSON of the full result.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result_sha256: Option<String>,
        /// The result as canonical JSON, cut at `result_cap` bytes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<String>,
        result_bytes: u64,
        result_cap: u64,
        result_truncated: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    ActionIntended {
        node: String,
        action: String,
        method: String,
        /// The exact URL path (with query string) the call is sent to.
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        /// What the responder typed to confirm.
        confirmation: String,
        simulated: bool,
        /// The approved proposal (its id) this call runs under, when the
        /// action's policy required one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approval: Option<String>,
    },
    ActionOutcome {
        /// Sequence number of the `action_intended` event.
        intent: u64,
        status: ActionStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        http_status: Option<u16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    LanguageChanged {
        language: String,
    },
    IncidentClosed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
    /// A closed incident was opened for recording again. Closing and
    /// reopening are both events, so the incident's status is a function of
    /// the chain (the last of the two wins) and `verify` can check the
    /// status column against it.
    IncidentReopened {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The incident was linked to a Microsoft Sentinel incident, which
    /// becomes the team's shared record of this walk. What Sentinel said
    /// about it at that moment is kept, so the link is verifiable later.
    SentinelAttached {
        /// The Sentinel incident's full ARM id.
        incident: String,
        /// Its ARM name (`incidentId`) and the number the portal shows.
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<u64>,
        title: String,
        severity: String,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<String>,
        /// The display names of its alerts.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        alerts: Vec<String>,
    },
    /// A responder confirmed closing the attached Sentinel incident: what
    /// Cairn then writes there (classification mapped from the outcome the
    /// walk ended on), and what they typed to confirm. Sentinel is never
    /// closed without this event.
    SentinelCloseConfirmed {
        /// `TruePositive`, `BenignPositive`, `FalsePositive` or `Undetermined`.
        classification: String,
        /// Sentinel's `classificationReason`, when the classification has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Sentinel's `classificationComment`.
        comment: String,
        /// The outcome status the walk ended on (`contained`, ...), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
        /// What the responder typed to confirm.
        confirmation: String,
    },
    /// A responder marked a lookup run's result as evidence: it becomes a
    /// bookmark in the Sentinel workspace, related to the attached incident.
    EvidenceMarked {
        /// Sequence number of the `lookup_run` event whose result it is.
        lookup_seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A training or tabletop incident was started from a scenario.
    ScenarioStarted {
        scenario: String,
        tree: String,
    },
    /// A training hint was revealed; its cost is charged to the score.
    HintShown {
        node: String,
        /// Position of the hint among the node's hints (0-based).
        hint: u32,
        cost: u32,
    },
    /// A training decision was scored against the scenario's expectation.
    DecisionScored {
        node: String,
        choice: String,
        expected: String,
        correct: bool,
        points: u32,
    },
    /// A tabletop or training inject was shown to the team.
    InjectReleased {
        inject: String,
        cause: InjectCause,
    },
    /// The exercise clock was paused (`running: false`) or resumed: paused
    /// time counts toward neither injects nor the after-action report.
    ExerciseClock {
        running: bool,
    },
    /// A responder asks a second person to approve the exact request of an
    /// action before it is sent (`docs/approvals.md`). Its id is the first
    /// 16 hex digits of this event's hash.
    ApprovalProposed {
        node: String,
        action: String,
        method: String,
        /// The final URL, as the HTTP client will send it.
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        /// SHA-256 (hex) of the canonical request (`approval::request_sha256`).
        request_sha256: String,
        proposer: Signer,
        /// The policy the action runs under (`second-person`, `same-host`).
        policy: String,
        reason: String,
        expires_at: DateTime<Utc>,
    },
    /// A second person approved or rejected a proposal, naming the request
    /// hash they reviewed.
    ApprovalDecided {
        /// The proposal's id.
        proposal: String,
        request_sha256: String,
        approved: bool,
        approver: Signer,
        reason: String,
        source: ApprovalSource,
    },
    /// A facilitator's quick note during a tabletop.
    TabletopNote {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        tag: NoteTag,
        text: String,
    },
}

/// Who proposed or decided: the signed-in identity from the token (`oid`,
/// compared; `upn`, shown), and the local actor who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// `user@host` (the `--actor` given, or this process's user).
    pub actor: String,
}

/// Where an approval decision was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApprovalSource {
    /// By the approver at this Cairn (their own record, or a second
    /// `--actor` at the same host).
    Here,
    /// Read from a teammate's comment in the shared Sentinel incident.
    Sentinel {
        comment: String,
        /// The comment's author as Sentinel recorded it.
        author: String,
    },
    /// Practice and tabletop: the scenario plays the approver.
    Simulated,
}

/// Why an inject was released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InjectCause {
    /// Its time offset passed.
    Time,
    /// The walk reached its node.
    Node,
    /// The facilitator released it by hand.
    Manual,
}

/// How a tabletop note is filed in the after-action report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteTag {
    Strength,
    Improvement,
    Note,
}

/// Who did it: `user@host`, plus the SSH client address when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_client: Option<String>,
}

/// An event as stored: numbered, timed, attributed and chained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    #[serde(flatten)]
    pub kind: EventKind,
    /// Hash of the previous event (all zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and this event's canonical content.
    pub hash: String,
}

#[cfg(any(test, feature = "test-hooks"))]
impl EventKind {
    /// A link to Sentinel incident `name` (ARM name), for tests.
    pub fn attached_stand_in(name: &str) -> EventKind {
        EventKind::SentinelAttached {
            incident: format!("/subscriptions/x/incidents/{name}"),
            name: name.into(),
            number: Some(42),
            title: "t".into(),
            severity: "High".into(),
            status: "New".into(),
            owner: None,
            labels: vec![],
            alerts: vec![],
        }
    }
}

#[cfg(test)]
impl Event {
    /// An unchained event by a fixed actor (`u` at `h`), for unit tests.
    pub(crate) fn stand_in(seq: u64, at: DateTime<Utc>, kind: EventKind) -> Event {
        Event {
            seq,
            at,
            actor: Actor {
                user: "u".into(),
                host: "h".into(),
                ssh_client: None,
            },
            kind,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }
}
