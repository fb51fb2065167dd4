//! Key contexts: where key handling happens, their names in the keymap file,
//! and which of them take typed text. Apart from the keymap loader because
//! screens, the footer hints and the help screen all name contexts without
//! needing to know how a keymap file is parsed.

/// Where key handling happens; each screen (and dialog) is one context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    Home,
    NewIncident,
    Node,
    Map,
    Search,
    Help,
    Detail,
    Notes,
    Reason,
    Variables,
    VariableEdit,
    Confirm,
    RunLookup,
    Results,
    ResultsInput,
    RowDetail,
    BindPicker,
    RunHistory,
    ActionConfirm,
    ActionResult,
    SignIn,
    Feedback,
    Panel,
    Inject,
    Timeline,
    Jump,
    /// Typing the reason for closing or reopening an incident (home).
    CloseIncident,
}

impl Context {
    pub const ALL: [Context; 28] = [
        Context::Global,
        Context::Home,
        Context::NewIncident,
        Context::Node,
        Context::Map,
        Context::Search,
        Context::Help,
        Context::Detail,
        Context::Notes,
        Context::Reason,
        Context::Variables,
        Context::VariableEdit,
        Context::Confirm,
        Context::RunLookup,
        Context::Results,
        Context::ResultsInput,
        Context::RowDetail,
        Context::BindPicker,
        Context::RunHistory,
        Context::ActionConfirm,
        Context::ActionResult,
        Context::SignIn,
        Context::Feedback,
        Context::Panel,
        Context::Inject,
        Context::Timeline,
        Context::Jump,
        Context::CloseIncident,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Home => "home",
            Context::NewIncident => "new-incident",
            Context::Node => "node",
            Context::Map => "map",
            Context::Search => "search",
            Context::Help => "help",
            Context::Detail => "detail",
            Context::Notes => "notes",
            Context::Reason => "reason",
            Context::Variables => "variables",
            Context::VariableEdit => "variable-edit",
            Context::Confirm => "confirm",
            Context::RunLookup => "run-lookup",
            Context::Results => "results",
            Context::ResultsInput => "results-input",
            Context::RowDetail => "row-detail",
            Context::BindPicker => "bind",
            Context::RunHistory => "run-history",
            Context::ActionConfirm => "action-confirm",
            Context::ActionResult => "action-result",
            Context::SignIn => "sign-in",
            Context::Feedback => "feedback",
            Context::Panel => "exercise",
            Context::Inject => "inject",
            Context::Timeline => "timeline",
            Context::Jump => "jump",
            Context::CloseIncident => "close-incident",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Contexts where printable keys are typed text, not commands.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::NewIncident
                | Context::Search
                | Context::Notes
                | Context::Reason
                | Context::VariableEdit
                | Context::RunLookup
                | Context::ResultsInput
                | Context::ActionConfirm
                | Context::Jump
                | Context::CloseIncident
        )
    }
}
