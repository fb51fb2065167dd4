//! The closed set of screens and the key context each one is in. Kept apart
//! from `State` and `update` so adding a screen touches one short list, and
//! the screen-to-context mapping reads in one place.

use super::context::Context;
use super::{
    DetailView, HelpView, HomeView, MapView, NewIncidentForm, NodeView, NoteEditor, ReasonEditor,
    SearchView, VariablesView, actions, exercise, jump, lookups, results, timeline,
};

/// Smallest terminal the screens are laid out for. Below it the screen only
/// says so, and keys do nothing (but quit) until it is larger again.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The terminal is too small to show a screen.
pub fn too_small((w, h): (u16, u16)) -> bool {
    w < MIN_WIDTH || h < MIN_HEIGHT
}

/// Every screen Cairn shows; exactly one is current.
#[derive(Debug, Clone)]
pub enum Screen {
    Home(HomeView),
    NewIncident(NewIncidentForm),
    Node(NodeView),
    Map(MapView),
    Search(SearchView),
    Help(HelpView),
    Detail(DetailView),
    NoteEditor(NoteEditor),
    Reason(ReasonEditor),
    Variables(VariablesView),
    RunForm(lookups::RunForm),
    Results(results::ResultsView),
    Action(actions::ActionView),
    SignIn(lookups::SignInView),
    /// The explanation of a scored training decision.
    Feedback(exercise::FeedbackView),
    /// The training scorecard or the tabletop facilitator's panel.
    Panel(exercise::PanelView),
    /// Everything the incident holds, in order.
    Timeline(timeline::TimelineView),
    /// A jump from the map or search: preview, reason, confirmation.
    Jump(jump::JumpView),
}

impl Screen {
    pub fn context(&self) -> Context {
        match self {
            // Typing a Sentinel reference: the form's keys.
            Screen::Home(v) if v.attach.is_some() => Context::NewIncident,
            Screen::Home(h) if h.closing.is_some() => Context::CloseIncident,
            Screen::Home(_) => Context::Home,
            Screen::NewIncident(_) => Context::NewIncident,
            Screen::Node(_) => Context::Node,
            Screen::Map(_) => Context::Map,
            Screen::Search(_) => Context::Search,
            Screen::Help(_) => Context::Help,
            Screen::Detail(_) => Context::Detail,
            Screen::NoteEditor(_) => Context::Notes,
            Screen::Reason(_) => Context::Reason,
            Screen::Variables(v) if v.editing.is_some() => Context::VariableEdit,
            Screen::Variables(_) => Context::Variables,
            Screen::RunForm(_) => Context::RunLookup,
            Screen::Results(v) => match v.mode {
                results::ResultsMode::Table => Context::Results,
                results::ResultsMode::Detail { .. } => Context::RowDetail,
                results::ResultsMode::Filter(_) | results::ResultsMode::SavePath(_) => {
                    Context::ResultsInput
                }
                results::ResultsMode::Bind(_) => Context::BindPicker,
                results::ResultsMode::History { .. } => Context::RunHistory,
            },
            // Which of the two depends on the run: see `State::context`.
            Screen::Action(_) => Context::ActionResult,
            Screen::SignIn(_) => Context::SignIn,
            Screen::Feedback(_) => Context::Feedback,
            Screen::Panel(_) => Context::Panel,
            Screen::Timeline(_) => Context::Timeline,
            Screen::Jump(_) => Context::Jump,
        }
    }
}
