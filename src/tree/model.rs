//! The decision-tree model: what a loaded, validated tree file holds.
//!
//! Spans are byte ranges into the tree's source text; they let every later
//! error (validation, placeholder checks, scenario checks) point at a line
//! and column of the file the author wrote.

use std::ops::Range;

pub use super::texts::Texts;

/// A byte range in the tree source.
pub type Span = Range<usize>;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl<T> std::ops::Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Text given per language code (`en`, `ja`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    pub texts: Texts,
    pub span: Span,
}

impl Localized {
    /// The text in `lang`, falling back to English, then to any language,
    /// so a screen never shows an empty title because one translation is missing.
    pub fn get(&self, lang: &str) -> &str {
        self.texts
            .get(lang)
            .or_else(|| self.texts.get("en"))
            .or_else(|| self.texts.values().next())
            .unwrap_or("")
    }

    pub fn single(lang: &str, text: &str) -> Self {
        let mut texts = Texts::new();
        texts.insert(lang, text);
        Self { texts, span: 0..0 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub id: At<String>,
    pub version: String,
    pub title: Localized,
    pub languages: Vec<String>,
    pub sources: Vec<Reference>,
    pub start: At<String>,
    pub variables: Vec<Variable>,
    pub nodes: Vec<Node>,
    /// Who must approve the tree's actions before they run (each action
    /// may raise it, never lower it; see `docs/approvals.md`).
    pub approval: ApprovalPolicy,
}

impl Tree {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id.value == id)
    }

    /// The lookup `lookup` of node `node` (a run names its lookup by both).
    pub fn lookup(&self, node: &str, lookup: &str) -> Option<&Lookup> {
        self.node(node)?
            .lookups
            .iter()
            .find(|l| l.id.value == lookup)
    }

    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id.value == id)
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name.value == name)
    }

    /// Every lookup of the tree with the node that holds it.
    pub fn lookups(&self) -> impl Iterator<Item = (&Node, &Lookup)> {
        self.nodes
            .iter()
            .flat_map(|n| n.lookups.iter().map(move |l| (n, l)))
    }

    /// Every action of the tree with the node that holds it.
    pub fn actions(&self) -> impl Iterator<Item = (&Node, &Action)> {
        self.nodes
            .iter()
            .flat_map(|n| n.actions.iter().map(move |a| (n, a)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VarType {
    Upn,
    Guid,
    Ip,
    Datetime,
    Timespan,
    String,
}

impl VarType {
    pub const ALL: [VarType; 6] = [
        VarType::Upn,
        VarType::Guid,
        VarType::Ip,
        VarType::Datetime,
        VarType::Timespan,
        VarType::String,
    ];

    pub fn name(self) -> &'static str {
        match self {
            VarType::Upn => "upn",
            VarType::Guid => "guid",
            VarType::Ip => "ip",
            VarType::Datetime => "datetime",
            VarType::Timespan => "timespan",
            VarType::String => "string",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: At<String>,
    pub var_type: VarType,
    pub description: Localized,
    pub required: bool,
    /// The subject (user, device) the value describes; none: the incident.
    pub scope: Option<super::subject::Scope>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    Prepare,
    Triage,
    Investigate,
    Contain,
    Recover,
    RootCause,
    Close,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Prepare,
        Phase::Triage,
        Phase::Investigate,
        Phase::Contain,
        Phase::Recover,
        Phase::RootCause,
        Phase::Close,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Prepare => "prepare",
            Phase::Triage => "triage",
            Phase::Investigate => "investigate",
            Phase::Contain => "contain",
            Phase::Recover => "recover",
            Phase::RootCause => "root-cause",
            Phase::Close => "close",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The phase's heading in `lang`: the catalogues' `[phase]`.
    pub fn label(self, lang: &str) -> &'static str {
        crate::text::lang::Lang::of(lang).text("phase", self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeStatus {
    NoCompromise,
    Contained,
    ContainedAndRecovered,
    Escalated,
    Inconclusive,
}

impl OutcomeStatus {
    pub const ALL: [OutcomeStatus; 5] = [
        OutcomeStatus::NoCompromise,
        OutcomeStatus::Contained,
        OutcomeStatus::ContainedAndRecovered,
        OutcomeStatus::Escalated,
        OutcomeStatus::Inconclusive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OutcomeStatus::NoCompromise => "no-compromise",
            OutcomeStatus::Contained => "contained",
            OutcomeStatus::ContainedAndRecovered => "contained-and-recovered",
            OutcomeStatus::Escalated => "escalated",
            OutcomeStatus::Inconclusive => "inconclusive",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What a node asks of the responder, and where the walk goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Decision { choices: Vec<Choice> },
    Step { next: At<String> },
    Outcome { status: OutcomeStatus },
}

impl NodeKind {
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Decision { .. } => "decision",
            NodeKind::Step { .. } => "step",
            NodeKind::Outcome { .. } => "outcome",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: At<String>,
    pub phase: Phase,
    pub title: Localized,
    /// Markdown subset: paragraphs, `- ` bullets, `inline code`, **bold**.
    pub body: Localized,
    pub kind: NodeKind,
    pub checklist: Vec<ChecklistItem>,
    pub lookups: Vec<Lookup>,
    pub actions: Vec<Action>,
    pub references: Vec<Reference>,
    /// MITRE ATT&CK technique ids, e.g. `T1528`, `T1550.001`.
    pub attack: Vec<String>,
    pub span: Span,
}

impl Node {
    /// The ids of the nodes this node can lead to, in choice order.
    pub fn successors(&self) -> Vec<&str> {
        match &self.kind {
            NodeKind::Decision { choices } => choices.iter().map(|c| c.next.as_str()).collect(),
            NodeKind::Step { next } => vec![next.as_str()],
            NodeKind::Outcome { .. } => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: At<String>,
    pub label: Localized,
    pub next: At<String>,
    /// Taking it starts the next subject of this scope.
    pub opens: Option<super::subject::Scope>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub id: At<String>,
    pub text: Localized,
    pub mandatory: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// KQL against a Log Analytics (Sentinel) workspace.
    LogAnalytics,
    /// KQL through Defender XDR advanced hunting (Graph runHuntingQuery).
    Hunting,
    /// A Microsoft Graph GET.
    Graph,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::LogAnalytics, Provider::Hunting, Provider::Graph];

    pub fn name(self) -> &'static str {
        match self {
            Provider::LogAnalytics => "loganalytics",
            Provider::Hunting => "hunting",
            Provider::Graph => "graph",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub id: At<String>,
    pub title: Localized,
    pub provider: Provider,
    /// KQL for `loganalytics`/`hunting`, a Graph path (with query string) for `graph`.
    pub query: At<String>,
    /// Default time window as a KQL timespan literal (`7d`, `12h`).
    pub window: Option<At<String>>,
    pub look_for: Localized,
    pub bind: Vec<Binding>,
    pub requires: Requires,
}

/// What a lookup or action needs from the identity that runs it. Within
/// each list the entries are alternatives: any one of them suffices. Empty
/// lists say nothing (the tree did not declare it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Requires {
    /// Microsoft Graph permissions (delegated scope or application role).
    pub graph: Vec<At<String>>,
    /// Microsoft Entra directory roles, for delegated sign-in.
    pub entra_roles: Vec<At<String>>,
    /// Azure RBAC roles on the Log Analytics workspace.
    pub azure_rbac: Vec<At<String>>,
}

impl Requires {
    pub fn is_empty(&self) -> bool {
        self.graph.is_empty() && self.entra_roles.is_empty() && self.azure_rbac.is_empty()
    }

    /// The non-empty lists as (label key, entries): `graph`, `entra_roles`,
    /// `azure_rbac`, in that order.
    pub fn lists(&self) -> Vec<(&'static str, Vec<&str>)> {
        [
            ("graph", &self.graph),
            ("entra_roles", &self.entra_roles),
            ("azure_rbac", &self.azure_rbac),
        ]
        .into_iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(k, l)| (k, l.iter().map(|e| e.value.as_str()).collect()))
        .collect()
    }
}

/// A result column whose value the responder may copy into a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub column: String,
    pub variable: At<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Post,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn name(self) -> &'static str {
        match self {
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [HttpMethod::Post, HttpMethod::Patch, HttpMethod::Delete]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// Whether a second responder must approve an action's exact request
/// before it is sent. Ordered from the weakest to the strictest: a tree,
/// an action or the organisation's configuration can only raise it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApprovalPolicy {
    #[default]
    None,
    /// A second person approves: through the shared Sentinel incident
    /// (another signed-in identity), or, offline, another `--actor` at the
    /// same host.
    SameHost,
    /// A second signed-in identity (token `oid`) approves, through the
    /// shared Sentinel incident.
    SecondPerson,
}

impl ApprovalPolicy {
    pub const ALL: [ApprovalPolicy; 3] = [
        ApprovalPolicy::None,
        ApprovalPolicy::SecondPerson,
        ApprovalPolicy::SameHost,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ApprovalPolicy::None => "none",
            ApprovalPolicy::SameHost => "same-host",
            ApprovalPolicy::SecondPerson => "second-person",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// An approval is needed before the action runs.
    pub fn required(self) -> bool {
        self != ApprovalPolicy::None
    }
}

impl Tree {
    /// The policy `action` runs under: the strictest of the tree's, the
    /// action's and the organisation's floor from `config.toml`.
    pub fn approval_for(&self, action: &Action, floor: ApprovalPolicy) -> ApprovalPolicy {
        let own = action
            .approval
            .as_ref()
            .map(|a| a.value)
            .unwrap_or_default();
        self.approval.max(own).max(floor)
    }
}

/// A Graph write call the responder may run from a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: At<String>,
    pub title: Localized,
    pub method: HttpMethod,
    pub path: At<String>,
    /// JSON body, if the call takes one.
    pub body: Option<String>,
    pub description: Localized,
    pub destructive: bool,
    /// The variable whose value the responder must type to confirm.
    pub confirm: Option<At<String>>,
    pub requires: Requires,
    /// This action's own approval policy, where the file names one.
    pub approval: Option<At<ApprovalPolicy>>,
}
