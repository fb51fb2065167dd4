//! What flows through `update`: the messages it takes (keys, store and
//! lookup answers, ticks), the effects it asks the runtime for, and the
//! one-line notices under the screen.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

use super::{
    IncidentSummary, LoadedIncident, NewIncident, WriteError, exercise, lookups, push, teammates,
};
use crate::store::event::{Event, EventKind};

// Messages and effects are few and short-lived; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// Text the terminal delivered as one paste (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    Tick(DateTime<Utc>),
    IncidentsLoaded(Result<Vec<IncidentSummary>, String>),
    ScenariosLoaded(Vec<Arc<crate::scenario::Scenario>>),
    IncidentOpened(Result<Box<LoadedIncidentMsg>, String>),
    /// A commit was saved but its head could not be added to the head log
    /// (`cairn.heads`): why, for the status line.
    Unwitnessed(String),
    /// The store's answer to `Effect::Record`: the batch's events, or why
    /// none of them was written.
    Recorded {
        req: u64,
        result: Result<Vec<Event>, WriteError>,
    },
    /// Events of `incident` the projection did not hold yet (another
    /// process committed them).
    Refreshed {
        incident: String,
        result: Result<Vec<Event>, String>,
    },
    /// From the lookup executor: progress, rows, action outcomes.
    Lookup(lookups::LookupMsg),
    /// A copy went through a multiplexer that may drop it; the text was
    /// also written to this file (or writing it failed).
    CopyFiled {
        via: &'static str,
        file: Result<String, String>,
    },
    /// The background sync's state for an attached incident.
    Pushed {
        incident: String,
        badge: push::Badge,
    },
    /// The runtime linked (or failed to link) an incident to a Sentinel
    /// incident from the home screen: its ARM name, or why not.
    SentinelLinked {
        incident: String,
        result: Result<String, String>,
    },
    /// Teammates' choices the background sync read from Sentinel.
    Teammates {
        incident: String,
        choices: teammates::Choices,
    },
}

/// `LoadedIncident` compared by identity of its parts, so `Msg` stays `PartialEq`.
#[derive(Debug, Clone)]
pub struct LoadedIncidentMsg(pub LoadedIncident);

impl PartialEq for LoadedIncidentMsg {
    fn eq(&self, other: &Self) -> bool {
        self.0.meta == other.0.meta && self.0.state == other.0.state
    }
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadIncidents,
    /// Read the scenarios offered as training runs and tabletops.
    LoadScenarios,
    CreateIncident(NewIncident),
    /// Read Sentinel incident `reference` and link incident `incident` to it.
    AttachSentinel {
        incident: String,
        reference: String,
    },
    OpenIncident {
        id: String,
    },
    /// Append the events of one action atomically; with `based_on`, only
    /// if the incident's head is still that seq. The result comes back as
    /// `Msg::Recorded { req, .. }`.
    Record {
        req: u64,
        incident: String,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    },
    /// Load the incident's events after `after` (`Msg::Refreshed`).
    Refresh {
        incident: String,
        after: u64,
    },
    /// From the runtime's timer, never from `update`: if another process
    /// committed since the last check, load the incident's new events.
    CheckChanges {
        incident: String,
        after: u64,
    },
    /// Put text on the responder's clipboard (OSC 52).
    Copy(String),
    /// Run, cancel, act, sign in, save: carried out by the lookup executor.
    Lookup(lookups::LookupEffect),
    /// Give the terminal back and stop the process (Ctrl+Z); the screen is
    /// redrawn in full when it continues.
    Suspend,
    Quit,
}

/// A one-line message under the screen; errors stay until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Copied,
    /// Sent through tmux/screen, which may not pass it on; the file too.
    CopyUnconfirmed {
        via: &'static str,
        file: Result<String, String>,
    },
    WriteFailed(String),
    /// Saved, but not witnessed in the head log (see `Msg::Unwitnessed`).
    Unwitnessed(String),
    LoadFailed(String),
    Invalid(String),
    /// Attached to the Sentinel incident with this ARM name.
    Attached(String),
    /// A run's result marked as evidence (its event seq), or not (None:
    /// the run is not recorded yet).
    EvidenceMarked(Option<u64>),
    NothingToCopy,
    NoPreviousNode,
    SavingInProgress,
    /// Another responder changed the incident; the screen shows it now.
    Changed {
        actor: String,
        at: DateTime<Utc>,
    },
    /// A decision was not recorded: the incident changed since the screen
    /// showed it (the typed text is kept).
    Refused {
        actor: String,
        at: DateTime<Utc>,
    },
    /// A paste arrived where no text field has focus; it was dropped.
    PasteIgnored,
    NoTrees,
    /// The incident is closed: nothing is recorded until it is reopened.
    ReadOnly,
    /// Enter on a checklist item: only the tick keys tick.
    TickKeys,
    /// Enter on the jump screen with no reason typed.
    JumpNeedsReason,
    Lookups(lookups::LookupNotice),
    Exercise(exercise::ExerciseNotice),
}
