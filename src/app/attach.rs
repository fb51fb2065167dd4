//! Attaching a listed incident to a Sentinel incident from the home screen:
//! the responder selects the incident, presses the key and types the
//! Sentinel incident's number, id or ARM id. The form checks its form here;
//! the runtime reads the Sentinel incident and records the link (the same
//! path as `cairn attach`), and answers with `Msg::SentinelLinked`.

use ratatui::crossterm::event::KeyEvent;

use super::home::{HomeItem, home_items};
use super::input::LineInput;
use super::{Action, Effect, Notice, Screen, State};
use crate::lookup::sentinel::IncidentRef;
use crate::text::lang::Lang;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachForm {
    /// The Cairn incident being attached.
    pub incident: String,
    pub input: LineInput,
    pub error: Option<String>,
    /// Sent to the runtime; waiting for its answer.
    pub saving: bool,
}

fn form(state: &mut State) -> Option<&mut AttachForm> {
    match &mut state.screen {
        Screen::Home(view) => view.attach.as_mut(),
        _ => None,
    }
}

/// Opens the form for the incident under the cursor (not on other items).
pub fn open(state: &mut State) -> Vec<Effect> {
    let items = home_items(state);
    let Screen::Home(view) = &state.screen else {
        return Vec::new();
    };
    let Some(HomeItem::Resume(i)) = items.get(view.cursor) else {
        return Vec::new();
    };
    let incident = state.incidents[*i].id.clone();
    if let Screen::Home(view) = &mut state.screen {
        view.attach = Some(AttachForm {
            incident,
            ..AttachForm::default()
        });
    }
    Vec::new()
}

pub fn key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let lang = state.lang.clone();
    let Some(f) = form(state) else {
        return Vec::new();
    };
    if f.saving {
        return Vec::new();
    }
    match action {
        Some(Action::Cancel) => {
            if let Screen::Home(view) = &mut state.screen {
                view.attach = None;
            }
        }
        Some(Action::Submit) => {
            let reference = f.input.text().trim().to_string();
            if IncidentRef::parse(&reference).is_err() {
                f.error = Some(
                    Lang::of(&lang)
                        .text("message", "attach-bad-ref")
                        .to_string(),
                );
                return Vec::new();
            }
            f.error = None;
            f.saving = true;
            return vec![Effect::AttachSentinel {
                incident: f.incident.clone(),
                reference,
            }];
        }
        _ => {
            if f.input.handle(&key) {
                f.error = None;
            }
        }
    }
    Vec::new()
}

/// The runtime's answer: the form closes on success (and the list is read
/// again), or stays with the reason.
pub fn linked(state: &mut State, incident: &str, result: Result<String, String>) -> Vec<Effect> {
    let Some(f) = form(state).filter(|f| f.incident == incident) else {
        return Vec::new();
    };
    match result {
        Ok(name) => {
            if let Screen::Home(view) = &mut state.screen {
                view.attach = None;
            }
            state.notice = Some(Notice::Attached(name));
            state.loading = true;
            vec![Effect::LoadIncidents]
        }
        Err(why) => {
            f.saving = false;
            f.error = Some(why);
            Vec::new()
        }
    }
}
