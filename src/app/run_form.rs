//! The form shown before a lookup runs: the exact text that will be sent,
//! the time window, and the values still missing (checked by type).

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyEvent;

use super::input::LineInput;
use super::lookups::{practice_variables, start};
use super::results::ResultsView;
use super::{Action, Effect, Screen, State};
use crate::lookup::run::LookupRequest;
use crate::lookup::substitute::{self, SubstituteError};
use crate::store::event::{EventKind, ValueSource};
use crate::tree::template::{RenderError, Target};
use crate::tree::{Lookup, Node, Tree};

/// The form shown before a run: the exact text, the window, missing values.
#[derive(Debug, Clone, PartialEq)]
pub struct RunForm {
    pub node: String,
    pub lookup: usize,
    /// Variables the query needs that are not set yet, with what is typed.
    pub missing: Vec<(String, LineInput)>,
    pub window: LineInput,
    /// KQL lookups take a time window; Graph paths carry their own filters.
    pub has_window: bool,
    /// Index into `missing`, then the window field.
    pub field: usize,
    pub error: Option<String>,
}

impl RunForm {
    pub fn fields(&self) -> usize {
        (self.missing.len() + usize::from(self.has_window)).max(1)
    }
}

/// The lookup a form or run refers to.
pub fn lookup_of<'t>(tree: &'t Tree, node: &str, index: usize) -> Option<(&'t Node, &'t Lookup)> {
    let node = tree.node(node)?;
    Some((node, node.lookups.get(index)?))
}

/// The incident's values with what the form typed laid over them.
pub fn form_values(state: &State, form: &RunForm) -> BTreeMap<String, String> {
    let mut values = state
        .incident
        .as_ref()
        .map(|i| i.walk.values.clone())
        .unwrap_or_default();
    for (name, input) in &form.missing {
        if !input.text().trim().is_empty() {
            values.insert(name.clone(), input.text().to_string());
        }
    }
    values
}

/// The request a form would send, or why it cannot be sent yet.
pub fn form_request(state: &State, form: &RunForm) -> Result<Prepared, String> {
    let inc = state.incident.as_ref().ok_or("no incident")?;
    let (_, lookup) = lookup_of(&inc.tree, &form.node, form.lookup).ok_or("no such lookup")?;
    let values = form_values(state, form);
    prepare(&inc.tree, lookup, &values, Some(form.window.text())).map_err(|e| e.to_string())
}

/// A rendered request and the canonical values that went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub request: LookupRequest,
    pub variables: BTreeMap<String, String>,
}

pub fn prepare(
    tree: &Tree,
    lookup: &Lookup,
    values: &BTreeMap<String, String>,
    window: Option<&str>,
) -> Result<Prepared, SubstituteError> {
    let rendered = substitute::render_lookup(lookup, &tree.variables, values)?;
    let kql = Target::for_provider(lookup.provider) == Target::Kql;
    let timespan = match window.map(str::trim) {
        _ if !kql => None,
        // The form's window field emptied: no timespan is sent, and the
        // service applies its own default (as the form says).
        Some("") => None,
        w => substitute::window_timespan(lookup, w)?,
    };
    Ok(Prepared {
        request: LookupRequest {
            lookup_id: lookup.id.value.clone(),
            provider: lookup.provider,
            text: rendered.text,
            timespan,
        },
        variables: rendered.variables,
    })
}

/// Names of the variables a lookup uses that have no value.
pub fn missing_names(
    tree: &Tree,
    lookup: &Lookup,
    values: &BTreeMap<String, String>,
) -> Vec<String> {
    match substitute::render_lookup(lookup, &tree.variables, values) {
        Err(SubstituteError::Render(RenderError::Missing { names, .. })) => names,
        _ => Vec::new(),
    }
}

/// `run` on a lookup of the node screen: opens the run form.
pub fn open_form(state: &mut State, node: &Node, index: usize) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Some(lookup) = node.lookups.get(index) else {
        return Vec::new();
    };
    // In practice the scenario's values are offered, so a new user with no
    // configuration only has to press Enter; they are recorded when used.
    let offered = if inc.meta.mode.simulates_actions() {
        practice_variables(&inc.tree)
    } else {
        Vec::new()
    };
    let missing = missing_names(&inc.tree, lookup, &inc.walk.values)
        .into_iter()
        .map(|n| {
            let value = offered
                .iter()
                .find(|(name, _)| *name == n)
                .map_or("", |(_, v)| v.as_str());
            let input = LineInput::new(value);
            (n, input)
        })
        .collect();
    let window = lookup.window.as_ref().map_or("", |w| w.value.as_str());
    state.screen = Screen::RunForm(RunForm {
        node: node.id.value.clone(),
        lookup: index,
        missing,
        window: LineInput::new(window),
        has_window: Target::for_provider(lookup.provider) == Target::Kql,
        field: 0,
        error: None,
    });
    Vec::new()
}

pub fn form_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Screen::RunForm(form) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => state.screen = state.node_screen(),
        Some(Action::NextField) => form.field = (form.field + 1) % form.fields(),
        Some(Action::PrevField) => form.field = (form.field + form.fields() - 1) % form.fields(),
        Some(Action::Run) => return submit_form(state),
        _ => {
            let input = if form.field < form.missing.len() {
                &mut form.missing[form.field].1
            } else if form.has_window {
                &mut form.window
            } else {
                return Vec::new();
            };
            if input.handle(&key) {
                form.error = None;
            }
        }
    }
    Vec::new()
}

fn submit_form(state: &mut State) -> Vec<Effect> {
    let Screen::RunForm(form) = &state.screen else {
        return Vec::new();
    };
    let form = form.clone();
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    // Typed values are checked by type before anything is sent or recorded.
    let mut typed = Vec::new();
    for (name, input) in &form.missing {
        let Some(var) = tree.variables.iter().find(|v| v.name.value == *name) else {
            continue;
        };
        if input.text().trim().is_empty() {
            let why = super::value_text::value_error(
                state.language(),
                &crate::tree::value::ValueError::Empty,
            );
            return form_error(state, format!("{name}: {why}"));
        }
        match crate::tree::template::accept(&tree, &var.name.value, input.text()) {
            Ok(v) => typed.push((name.clone(), v)),
            Err(e) => {
                let why = super::value_text::entry_error(state.language(), &e);
                return form_error(state, format!("{name}: {why}"));
            }
        }
    }
    let prepared = match form_request(state, &form) {
        Ok(p) => p,
        Err(e) => return form_error(state, e),
    };
    let mut effects = Vec::new();
    for (name, value) in typed {
        let kind = EventKind::VariableSet {
            name,
            value,
            source: ValueSource::Typed,
        };
        effects.extend(state.record(kind).map(|(_, e)| e));
    }
    let (run, more) = start(state, &form.node, prepared);
    effects.extend(more);
    state.screen = Screen::Results(ResultsView::new(run));
    effects
}

fn form_error(state: &mut State, message: String) -> Vec<Effect> {
    if let Screen::RunForm(form) = &mut state.screen {
        form.error = Some(message);
    }
    Vec::new()
}
