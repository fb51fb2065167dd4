//! The application state and its one pure transition function.
//!
//! `update` turns a message (a key already resolved through the keymap, a
//! store result, a resize, a tick) into a new state and a list of effects for
//! the runtime to carry out. It does no I/O, so every screen's behaviour is
//! tested by feeding keys in and reading state and effects out.

pub(crate) mod action_outcomes;
pub mod actions;
pub mod approval;
pub mod attach;
pub(crate) mod closed;
pub(crate) mod context;
pub(crate) mod editors;
pub(crate) mod exercise;
pub mod exercise_clock;
pub(crate) mod exercise_keys;
pub(crate) mod home;
pub(crate) mod home_close;
pub(crate) mod incident;
pub(crate) mod input;
pub(crate) mod jump;
pub(crate) mod key;
pub(crate) mod keymap;
pub(crate) mod lookup_replies;
pub(crate) mod lookup_restore;
pub(crate) mod lookup_runs;
pub mod lookups;
mod messages;
pub(crate) mod moves;
pub mod node;
pub(crate) mod paste;
pub mod push;
pub(crate) mod quit;
pub mod results;
pub(crate) mod results_bind;
pub(crate) mod results_export;
pub(crate) mod run_form;
pub(crate) mod run_history;
pub(crate) mod screen;
pub(crate) mod sync;
pub mod teammates;
pub mod timeline;
pub(crate) mod unsettled;
pub(crate) mod value_text;
pub mod views;
pub(crate) mod walk;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::store::event::EventKind;
use crate::tree::Tree;

pub use editors::{ConfirmDialog, NoteEditor, ReasonEditor, VariablesView};
pub use home::{HomeView, NewIncidentForm};
pub use incident::{Incident, LoadedIncident, NewIncident};
pub use jump::{JumpView, jump_to};
pub use keymap::{Action, Context, Keymap};
pub use messages::{Effect, LoadedIncidentMsg, Msg, Notice};
pub use moves::switch_language;
pub use node::NodeView;
pub use screen::Screen;
pub use sync::{PendingWrite, WriteError};
pub use views::{DetailView, HelpView, MapView, SearchView};
pub use walk::{IncidentMeta, IncidentSummary};

#[derive(Debug, Clone)]
pub struct State {
    pub keymap: Keymap,
    pub trees: Vec<Arc<Tree>>,
    /// Language of the screens outside an incident.
    pub lang: String,
    pub screen: Screen,
    pub dialog: Option<ConfirmDialog>,
    pub incident: Option<Incident>,
    pub incidents: Vec<IncidentSummary>,
    /// Scenarios the home screen offers as training runs and tabletops.
    pub scenarios: Vec<Arc<crate::scenario::Scenario>>,
    pub loading: bool,
    /// Writes sent to the store and not yet confirmed.
    pub pending: BTreeMap<u64, PendingWrite>,
    next_req: u64,
    pub notice: Option<Notice>,
    /// The node screen's cursor, kept while another screen is open.
    pub node_view: NodeView,
    pub size: (u16, u16),
    pub now: DateTime<Utc>,
    pub quitting: bool,
    /// Lookup runs and actions of the session.
    pub lookups: lookups::Lookups,
    /// What the background sync last said, and about which incident.
    pub push: Option<(String, push::Badge)>,
    /// Teammates' recorded choices by node, and about which incident.
    pub teammates: Option<(String, teammates::Choices)>,
    /// Why the store opened for reading only (a banner under the screen),
    /// until a write goes through.
    pub store_read_only: Option<crate::store::ReadOnlyWhy>,
}

impl State {
    pub fn new(keymap: Keymap, trees: Vec<Arc<Tree>>, lang: &str, now: DateTime<Utc>) -> State {
        State {
            keymap,
            trees,
            lang: lang.to_string(),
            screen: Screen::Home(HomeView::default()),
            dialog: None,
            incident: None,
            incidents: Vec::new(),
            scenarios: Vec::new(),
            loading: false,
            pending: BTreeMap::new(),
            next_req: 1,
            notice: None,
            node_view: NodeView::default(),
            size: (80, 24),
            now,
            quitting: false,
            lookups: lookups::Lookups::new(
                crate::lookup::config::Cloud::Public
                    .endpoints()
                    .graph
                    .as_str(),
            ),
            push: None,
            teammates: None,
            store_read_only: None,
        }
    }

    /// The effects to run when the screen first appears on the home screen.
    pub fn start(&mut self) -> Vec<Effect> {
        self.loading = true;
        // The incidents first: the list is what a responder looks for.
        vec![Effect::LoadIncidents, Effect::LoadScenarios]
    }

    pub fn context(&self) -> Context {
        if self.dialog.is_some() {
            Context::Confirm
        } else if actions::confirming(self) {
            Context::ActionConfirm
        } else if exercise::overlay_shown(self) && exercise::overlay_screen(&self.screen) {
            Context::Inject
        } else {
            self.screen.context()
        }
    }

    /// The language screens are drawn in: the incident's when one is open.
    pub fn language(&self) -> &str {
        match &self.incident {
            Some(inc) if !matches!(self.screen, Screen::Home(_) | Screen::NewIncident(_)) => {
                inc.language()
            }
            _ => &self.lang,
        }
    }

    /// Something is running: the only time a spinner may animate.
    pub fn busy(&self) -> bool {
        self.loading || !self.pending.is_empty() || self.lookups.any_running()
    }

    pub fn tree(&self, id: &str) -> Option<&Arc<Tree>> {
        self.trees.iter().find(|t| t.id.value == id)
    }

    /// The node screen as it was left.
    pub fn node_screen(&self) -> Screen {
        Screen::Node(self.node_view.clone())
    }

    /// Asks the store to record `kind` for the open incident, whatever
    /// others wrote meanwhile (a lookup's result, an action's outcome). A
    /// closed incident records nothing but its reopening: the screen says
    /// so instead of sending a write the store would refuse.
    pub fn record(&mut self, kind: EventKind) -> Option<(u64, Effect)> {
        let incident = self.writable(std::slice::from_ref(&kind))?;
        Some(self.record_to(incident, kind))
    }

    /// Asks the store to record `kind` for `incident` (a lookup that
    /// finishes after its incident was left is still recorded to it).
    pub fn record_to(&mut self, incident: String, kind: EventKind) -> (u64, Effect) {
        self.write(incident, None, vec![kind])
    }

    /// Asks the store to record a user's decision (a choice with the node it
    /// enters, a tick, a value): all its events in one transaction, and
    /// only if nobody changed the incident since the screen showed it.
    pub fn act(&mut self, kinds: Vec<EventKind>) -> Option<(u64, Effect)> {
        let incident = self.writable(&kinds)?;
        let based_on = sync::based_on(self);
        Some(self.write(incident, based_on, kinds))
    }

    /// The open incident's id, when `kinds` may be written to it: a closed
    /// incident takes only its reopening (the screen says so otherwise).
    fn writable(&mut self, kinds: &[EventKind]) -> Option<String> {
        let inc = self.incident.as_ref()?;
        let reopens = matches!(kinds.first(), Some(EventKind::IncidentReopened { .. }));
        if inc.walk.closed.is_some() && !reopens {
            self.notice = Some(Notice::ReadOnly);
            return None;
        }
        Some(inc.meta.id.clone())
    }

    fn write(
        &mut self,
        incident: String,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> (u64, Effect) {
        let kinds = moves::with_start_entry(self, &incident, kinds);
        let req = self.next_req;
        self.next_req += 1;
        self.pending.insert(
            req,
            PendingWrite {
                incident: incident.clone(),
                kinds: kinds.clone(),
            },
        );
        (
            req,
            Effect::Record {
                req,
                incident,
                based_on,
                kinds,
            },
        )
    }

    /// Every event kind of the writes still on their way to the store.
    pub fn pending_kinds(&self) -> impl Iterator<Item = &EventKind> {
        self.pending.values().flat_map(|p| p.kinds.iter())
    }

    /// A move (choice, backtrack, jump) is waiting for the store.
    pub fn move_pending(&self) -> bool {
        self.pending_kinds().any(|k| {
            matches!(
                k,
                EventKind::NodeEntered { .. }
                    | EventKind::ChoiceMade { .. }
                    | EventKind::Backtrack { .. }
            )
        })
    }
}

/// The one transition function.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            state.notice = None;
            let ctx = state.context();
            let action = state.keymap.resolve(ctx, &key);
            // Nothing on screen to act on: a key typed blind must not tick,
            // choose or run anything. Quitting (which asks) still works.
            if screen::too_small(state.size)
                && !matches!(action, Some(Action::Quit | Action::Suspend))
            {
                return Vec::new();
            }
            handle_key(state, action, key)
        }
        Msg::Paste(text) => paste::paste(state, &text),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            let mut effects = exercise::release_due(state);
            effects.extend(lookups::resume_due(state));
            effects.extend(approval::answer_due(state));
            effects
        }
        Msg::IncidentsLoaded(result) => {
            state.loading = false;
            match result {
                Ok(list) => {
                    state.incidents = list;
                    home::listed(state);
                }
                Err(e) => state.notice = Some(Notice::LoadFailed(e)),
            }
            Vec::new()
        }
        Msg::ScenariosLoaded(scenarios) => {
            state.scenarios = scenarios;
            Vec::new()
        }
        Msg::IncidentOpened(result) => {
            state.loading = false;
            match result {
                Ok(loaded) => moves::open_incident(state, loaded.0),
                Err(e) => {
                    state.notice = Some(Notice::LoadFailed(e));
                    Vec::new()
                }
            }
        }
        Msg::Unwitnessed(problem) => {
            state.notice = Some(Notice::Unwitnessed(problem));
            Vec::new()
        }
        Msg::Recorded { req, result } => {
            // A write went through: the store is writable again.
            if result.is_ok() {
                state.store_read_only = None;
            }
            // Lookups and actions record one event per write: the last, as
            // an owed start-node entry may go first.
            let own = match &result {
                Ok(events) => events
                    .last()
                    .cloned()
                    .ok_or_else(|| "nothing recorded".to_string()),
                Err(e) => Err(e.to_string()),
            };
            let mut effects = lookups::on_recorded(state, req, &own);
            effects.extend(moves::recorded(state, req, result));
            effects
        }
        Msg::Refreshed { incident, result } => sync::refreshed(state, &incident, result),
        Msg::Lookup(msg) => lookups::on_msg(state, msg),
        Msg::CopyFiled { via, file } => {
            state.notice = Some(Notice::CopyUnconfirmed { via, file });
            Vec::new()
        }
        Msg::Pushed { incident, badge } => {
            push::reported(state, &incident, badge);
            Vec::new()
        }
        Msg::SentinelLinked { incident, result } => attach::linked(state, &incident, result),
        Msg::Teammates { incident, choices } => {
            teammates::reported(state, &incident, choices);
            Vec::new()
        }
    }
}

pub(crate) fn handle_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    if action == Some(Action::Suspend) {
        return vec![Effect::Suspend];
    }
    if state.dialog.is_some() {
        return editors::confirm_key(state, action);
    }
    // Before any screen's own keys: quitting works from everywhere, and
    // asks when something would be lost.
    if action == Some(Action::Quit) {
        return quit::quit(state);
    }
    if state.context() == Context::Inject {
        return exercise_keys::inject_key(state, action);
    }
    if let Screen::Node(view) = &state.screen {
        state.node_view = view.clone();
    }
    match state.screen {
        Screen::Home(ref v) if v.attach.is_some() => attach::key(state, action, key),
        Screen::Home(ref h) if h.closing.is_some() => home_close::key(state, action, key),
        Screen::Home(_) => home::home_key(state, action),
        Screen::NewIncident(_) => home::form_key(state, action, key),
        Screen::Node(_) => node::node_key(state, action),
        Screen::Map(_) => views::map_key(state, action),
        Screen::Search(_) => views::search_key(state, action, key),
        Screen::Help(_) => views::help_key(state, action),
        Screen::Detail(_) => views::detail_key(state, action),
        Screen::NoteEditor(_) => editors::note_key(state, action, key),
        Screen::Reason(_) => editors::reason_key(state, action, key),
        Screen::Variables(_) => editors::variables_key(state, action, key),
        Screen::RunForm(_) => lookups::form_key(state, action, key),
        Screen::Results(_) => results::results_key(state, action, key),
        Screen::Action(_) => actions::action_key(state, action, key),
        Screen::SignIn(_) => actions::sign_in_key(state, action),
        Screen::Feedback(_) => exercise_keys::feedback_key(state, action),
        Screen::Panel(_) => exercise_keys::panel_key(state, action),
        Screen::Timeline(_) => timeline::timeline_key(state, action),
        Screen::Jump(_) => jump::jump_key(state, action, key),
    }
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
