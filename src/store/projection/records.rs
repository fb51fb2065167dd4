//! The records the projection keeps: each one says what happened and, in
//! its stamp, when, by whom and as which event.

use chrono::{DateTime, Utc};

use crate::store::event::{ActionStatus, Actor, Event, InjectCause, Mode, NoteTag, ValueSource};

/// When, by whom, and as which event something happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
}

impl Stamp {
    pub(super) fn of(event: &Event) -> Self {
        Stamp {
            seq: event.seq,
            at: event.at,
            actor: event.actor.clone(),
        }
    }
}

/// How the walk arrived at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Entered directly (the start node, or a step's `next`).
    Entered,
    Choice {
        from: String,
        choice: String,
        reason: Option<String>,
    },
    Backtrack {
        from: String,
    },
    /// Moved from the map or search, off the path, with a reason.
    Jump {
        from: String,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    pub node: String,
    pub via: Via,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistState {
    pub checked: bool,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableValue {
    pub value: String,
    pub source: ValueSource,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableState {
    pub current: VariableValue,
    /// Earlier values, oldest first.
    pub history: Vec<VariableValue>,
}

/// An affected user or device the walk has finished with: the values its
/// scoped variables held and the lookup runs that used them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRecord {
    /// `user` or `device`.
    pub scope: String,
    /// 1 for the first subject of its scope.
    pub number: usize,
    /// Its variables in the tree's order, those that had a value.
    pub values: Vec<(String, VariableState)>,
    /// Sequence numbers of the `lookup_run` events run with these values.
    pub lookups: Vec<u64>,
    /// The `subject_opened` event that finished it.
    pub closed: Stamp,
}

impl SubjectRecord {
    /// The value that names it (the first variable with one, e.g. the UPN).
    pub fn label(&self) -> &str {
        self.values
            .first()
            .map_or("", |(_, v)| v.current.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVersion {
    pub text: String,
    pub stamp: Stamp,
}

/// A note with its amendments applied; every version is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub node: Option<String>,
    /// The original first, the text in force last.
    pub versions: Vec<NoteVersion>,
}

impl Note {
    pub fn text(&self) -> &str {
        self.versions.last().map(|v| v.text.as_str()).unwrap_or("")
    }

    pub fn added(&self) -> &Stamp {
        &self.versions[0].stamp
    }

    pub fn is_amended(&self) -> bool {
        self.versions.len() > 1
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcomeRecord {
    pub status: ActionStatus,
    pub http_status: Option<u16>,
    pub detail: Option<String>,
    pub stamp: Stamp,
}

/// An intended action paired with its outcome; `outcome` is `None` when no
/// outcome was recorded (the process died, or the link dropped mid-call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub node: String,
    pub action: String,
    pub method: String,
    pub path: String,
    pub body: Option<String>,
    pub confirmation: String,
    pub simulated: bool,
    /// The proposal whose approval it ran under.
    pub approval: Option<String>,
    pub intent: Stamp,
    pub outcome: Option<ActionOutcomeRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub title: String,
    pub tree_id: String,
    pub tree_version: String,
    pub tree_sha256: String,
    pub mode: Mode,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub summary: Option<String>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioStart {
    pub scenario: String,
    pub tree: String,
    pub stamp: Stamp,
}

/// A training hint that was revealed (and charged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintRecord {
    pub node: String,
    pub hint: u32,
    pub cost: u32,
    pub stamp: Stamp,
}

/// A training decision as the scoring recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRecord {
    pub node: String,
    pub choice: String,
    pub expected: String,
    pub correct: bool,
    pub points: u32,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectRecord {
    pub inject: String,
    pub cause: InjectCause,
    pub stamp: Stamp,
}

/// A facilitator's tagged quick note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabletopNoteRecord {
    pub node: Option<String>,
    pub tag: NoteTag,
    pub text: String,
    pub stamp: Stamp,
}
