//! Graph write actions from the node screen: the exact request is shown,
//! the responder types the confirmation, the intent is recorded (and
//! committed) before anything is sent. Never retried; an unknown outcome
//! offers a verifying read. Simulated outside live incidents. What happens
//! once the intent is committed (the call, its outcome, the verifying read)
//! is in `action_outcomes`; device-code sign-in is here too.

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyEvent;

pub use super::action_outcomes::{ABANDONED_DETAIL, done, on_recorded, verified};
use super::input::LineInput;
use super::lookups::{LookupEffect, SignInView, Source};
use super::{Action, Effect, Notice, Screen, State};
use crate::lookup::action::{ActionReport, ActionRequest, Verified};
use crate::store::event::EventKind;
use crate::tree::template::{self, RenderError, Target};
use crate::tree::{Node, Tree};

#[derive(Debug, Clone, PartialEq)]
pub enum ActionPhase {
    /// Waiting for the typed confirmation.
    Confirming,
    /// The intent is being written; nothing is sent until it is committed.
    Recording {
        req: u64,
    },
    /// The responder backed out (Esc) while the intent was being written:
    /// once it is committed, nothing is sent and the outcome is recorded
    /// as abandoned.
    Abandoning {
        req: u64,
    },
    /// The intent was committed, the responder had backed out, the call
    /// never went out.
    Abandoned {
        intent: u64,
    },
    Sending {
        intent: u64,
    },
    Done {
        intent: u64,
        report: ActionReport,
    },
    Verifying {
        intent: u64,
        report: ActionReport,
    },
    Verified {
        intent: u64,
        report: ActionReport,
        verified: Verified,
    },
    /// The action needs a second person's approval and has none: the
    /// responder types why (`approval`).
    Proposing {
        policy: crate::tree::ApprovalPolicy,
        hash: String,
    },
    /// The proposal is being written.
    ProposalSaving {
        req: u64,
        hash: String,
    },
    /// Proposed; the approval comes from a teammate (or, in practice, the
    /// exercise). Enter confirms again.
    Proposed {
        proposal: String,
    },
}

/// One action being confirmed or carried out.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRun {
    pub id: u64,
    pub incident: String,
    pub node: String,
    pub action: String,
    pub request: ActionRequest,
    /// Base URL and path: what the responder reads before confirming.
    pub url: String,
    /// What must be typed to confirm.
    pub expected: String,
    /// The variable whose value is the confirmation, if the tree names one.
    pub confirm_var: Option<String>,
    pub source: Source,
    pub phase: ActionPhase,
    pub error: Option<String>,
    /// The approved proposal the intent will name (set by `approval`).
    pub approval: Option<String>,
}

impl ActionRun {
    pub fn simulated(&self) -> bool {
        matches!(self.source, Source::Practice { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionView {
    pub run: u64,
    pub input: LineInput,
}

/// An action's path and body as they would be sent with the values set so
/// far (escaped; unset or refused values stay `{{name}}`): what the node
/// screen shows and copies.
pub fn preview(
    tree: &Tree,
    action: &crate::tree::Action,
    values: &BTreeMap<String, String>,
) -> (String, Option<String>) {
    let types = |name: &str| tree.variable(name).map(|v| v.var_type);
    let path = template::preview(&action.path, Target::GraphPath, types, values);
    let body = action
        .body
        .as_ref()
        .map(|b| template::preview(b, Target::JsonBody, types, values));
    (path, body)
}

/// The path and body to send, or why not, in the screen's language.
fn render(
    tree: &Tree,
    action: &crate::tree::Action,
    values: &BTreeMap<String, String>,
    lang: &str,
) -> Result<(String, Option<String>), String> {
    let types = |name: &str| tree.variable(name).map(|v| v.var_type);
    let owner = |field: &str| format!("{field} of action '{}'", action.id.value);
    let said = |e: RenderError| match e {
        RenderError::Missing { names, .. } => super::value_text::set_first(lang, &names.join(", ")),
        RenderError::Invalid { name, source, .. } => {
            format!("{name}: {}", super::value_text::value_error(lang, &source))
        }
        other => other.to_string(),
    };
    let path = template::render(
        &owner("path"),
        &action.path,
        Target::GraphPath,
        types,
        values,
    )
    .map_err(said)?;
    let body = match &action.body {
        Some(b) => Some(
            template::render(&owner("body"), b, Target::JsonBody, types, values)
                .map_err(said)?
                .text,
        ),
        None => None,
    };
    Ok((path.text, body))
}

/// `run` on an action of the node screen: renders it and asks for the confirmation.
pub fn open(state: &mut State, node: &Node, index: usize) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Some(action) = node.actions.get(index) else {
        return Vec::new();
    };
    let tree = &inc.tree;
    let values = &inc.walk.values;
    let rendered = render(tree, action, values, inc.language());
    let expected = match &action.confirm {
        Some(var) => match values.get(&var.value) {
            Some(v) if !v.trim().is_empty() => Ok(v.clone()),
            _ => Err(super::value_text::set_first(inc.language(), &var.value)),
        },
        None => Ok(action.id.value.clone()),
    };
    let ((path, body), expected) = match (rendered, expected) {
        (Ok(r), Ok(e)) => (r, e),
        (Err(e), _) | (_, Err(e)) => {
            state.notice = Some(Notice::Invalid(e));
            return Vec::new();
        }
    };
    // What is confirmed is what the HTTP client will send, or nothing.
    let url = match crate::lookup::graph::exact_url(&state.lookups.graph_base, &path) {
        Ok(url) => url.to_string(),
        Err(e) => {
            state.notice = Some(Notice::Invalid(e.to_string()));
            return Vec::new();
        }
    };
    let request = ActionRequest {
        method: action.method,
        path,
        body,
    };
    let run = ActionRun {
        id: state.lookups.next_id(),
        incident: inc.meta.id.clone(),
        node: node.id.value.clone(),
        action: action.id.value.clone(),
        url,
        request,
        expected,
        confirm_var: action.confirm.as_ref().map(|c| c.value.clone()),
        source: Source::for_incident(inc, ""),
        phase: ActionPhase::Confirming,
        error: None,
        approval: None,
    };
    let id = run.id;
    state.lookups.actions.insert(id, run);
    state.screen = Screen::Action(ActionView {
        run: id,
        input: LineInput::default(),
    });
    Vec::new()
}

pub fn confirming(state: &State) -> bool {
    match &state.screen {
        Screen::Action(view) => state
            .lookups
            .actions
            .get(&view.run)
            // A proposal's reason is typed like the confirmation, and Enter
            // after proposing confirms again.
            .is_some_and(|r| {
                matches!(
                    r.phase,
                    ActionPhase::Confirming
                        | ActionPhase::Proposing { .. }
                        | ActionPhase::ProposalSaving { .. }
                        | ActionPhase::Proposed { .. }
                )
            }),
        _ => false,
    }
}

pub fn action_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Screen::Action(view) = &mut state.screen else {
        return Vec::new();
    };
    let id = view.run;
    if let Some(effects) = super::approval::intercept(state, action, &key) {
        return effects;
    }
    let Screen::Action(view) = &mut state.screen else {
        return Vec::new();
    };
    let Some(run) = state.lookups.actions.get_mut(&id) else {
        state.screen = state.node_screen();
        return Vec::new();
    };
    if run.phase == ActionPhase::Confirming {
        match action {
            Some(Action::Cancel) => {
                state.lookups.actions.remove(&id);
                state.screen = state.node_screen();
            }
            Some(Action::Run) => {
                if view.input.text().trim() != run.expected {
                    run.error = Some(format!(
                        "type exactly '{}' to confirm; nothing was sent",
                        run.expected
                    ));
                    return Vec::new();
                }
                let kind = EventKind::ActionIntended {
                    node: run.node.clone(),
                    action: run.action.clone(),
                    method: run.request.method.name().to_string(),
                    path: run.request.path.clone(),
                    body: run.request.body.clone(),
                    confirmation: view.input.text().trim().to_string(),
                    simulated: run.simulated(),
                    approval: run.approval.clone(),
                };
                let incident = run.incident.clone();
                let (req, effect) = state.record_to(incident, kind);
                if let Some(run) = state.lookups.actions.get_mut(&id) {
                    run.phase = ActionPhase::Recording { req };
                    run.error = None;
                }
                return vec![effect];
            }
            _ => {
                if view.input.handle(&key) {
                    run.error = None;
                }
            }
        }
        return Vec::new();
    }
    match action {
        // The store may already have committed the intent, but until its
        // confirmation arrives nothing has been sent: backing out is still
        // possible, and is recorded as the intent's outcome.
        Some(Action::Cancel) if matches!(run.phase, ActionPhase::Recording { .. }) => {
            if let ActionPhase::Recording { req } = run.phase {
                run.phase = ActionPhase::Abandoning { req };
            }
        }
        Some(Action::Verify) => {
            if let ActionPhase::Done { intent, report } = &run.phase
                && let Some(plan) = report.verify.clone()
            {
                run.phase = ActionPhase::Verifying {
                    intent: *intent,
                    report: report.clone(),
                };
                return vec![Effect::Lookup(LookupEffect::Verify { run: id, plan })];
            }
        }
        Some(Action::Back | Action::Cancel) => state.screen = state.node_screen(),
        _ => {}
    }
    Vec::new()
}

/// Device-code sign-in, for live incidents.
pub fn start_sign_in(state: &mut State) -> Vec<Effect> {
    let live = state
        .incident
        .as_ref()
        .is_some_and(|i| !i.meta.mode.simulates_actions());
    if !live {
        state.notice = Some(Notice::Lookups(
            super::lookups::LookupNotice::NoSignInNeeded,
        ));
        return Vec::new();
    }
    state.screen = Screen::SignIn(SignInView::default());
    vec![Effect::Lookup(LookupEffect::SignIn)]
}

pub fn sign_in_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    if matches!(action, Some(Action::Back | Action::Cancel)) {
        state.screen = state.node_screen();
    }
    Vec::new()
}
