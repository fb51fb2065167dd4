//! The scenario model: what a loaded, validated scenario file holds.

use std::time::Duration;

use crate::tree::{At, Localized};

/// A practice scenario for one tree: the story, the answers, the hints and
/// the injects of a training run or a tabletop exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub id: At<String>,
    /// The id of the tree the scenario runs on.
    pub tree: At<String>,
    pub title: Localized,
    pub story: Localized,
    /// Name of the recorded lookup data set (`assets/scenarios/<name>/`).
    pub recordings: Option<At<String>>,
    /// Initial incident variables, already normalised by their tree type.
    pub variables: Vec<ScenarioVariable>,
    pub scoring: Scoring,
    pub expectations: Vec<Expectation>,
    pub hints: Vec<Hint>,
    pub injects: Vec<Inject>,
    /// How the exercise answers proposals for approval (`[[approvals]]`).
    pub approvals: Vec<ScenarioApproval>,
}

/// The simulated second responder's answer to proposals of one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioApproval {
    pub action: At<String>,
    pub reject: bool,
    /// Exercise time from the proposal to the answer (none: at once).
    pub after: Option<At<Duration>>,
}

impl Scenario {
    pub fn expectation(&self, node: &str) -> Option<&Expectation> {
        self.expectations.iter().find(|e| e.node.value == node)
    }

    /// The hints of a node, in file order.
    pub fn hints_for<'a>(&'a self, node: &'a str) -> impl Iterator<Item = &'a Hint> + 'a {
        self.hints.iter().filter(move |h| h.node.value == node)
    }

    /// How the exercise answers a proposal of `action`.
    pub fn approval_for(&self, action: &str) -> Option<&ScenarioApproval> {
        self.approvals.iter().find(|a| a.action.value == action)
    }

    pub fn inject(&self, id: &str) -> Option<&Inject> {
        self.injects.iter().find(|i| i.id.value == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioVariable {
    pub name: At<String>,
    /// The canonical value (`tree::value::normalize`).
    pub value: String,
}

/// Which way a training walk goes after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkPath {
    /// Always on to the playbook's expected next node, right or wrong.
    Playbook,
    /// On to the node the trainee chose, so the consequence plays out.
    Chosen,
}

impl WalkPath {
    pub fn name(self) -> &'static str {
        match self {
            WalkPath::Playbook => "playbook",
            WalkPath::Chosen => "chosen",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [WalkPath::Playbook, WalkPath::Chosen]
            .into_iter()
            .find(|w| w.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scoring {
    /// Points for each correct decision.
    pub points: u32,
    /// Cost of a hint that does not set its own.
    pub hint_cost: u32,
    pub walk: WalkPath,
}

impl Default for Scoring {
    fn default() -> Self {
        Self {
            points: 10,
            hint_cost: 3,
            walk: WalkPath::Playbook,
        }
    }
}

/// The playbook's answer at one decision node, and why each choice is right
/// or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub node: At<String>,
    /// The expected choice id.
    pub choice: At<String>,
    /// One explanation per choice of the node.
    pub explanations: Vec<Explanation>,
}

impl Expectation {
    pub fn explanation(&self, choice: &str) -> Option<&Localized> {
        self.explanations
            .iter()
            .find(|e| e.choice.value == choice)
            .map(|e| &e.text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub choice: At<String>,
    pub text: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub node: At<String>,
    pub text: Localized,
    pub cost: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inject {
    pub id: At<String>,
    pub message: Localized,
    pub trigger: Trigger,
    pub replace_recording: Option<RecordingOverride>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// Released this long after the exercise starts.
    After(At<Duration>),
    /// Released when the walk first reaches this node.
    OnNode(At<String>),
}

/// From the inject's release on, `lookup` is answered from `file` in the
/// scenario's recordings instead of `<lookup>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingOverride {
    pub lookup: At<String>,
    pub file: At<String>,
}
