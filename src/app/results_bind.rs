//! Binding a result cell to an incident variable: the picker (suggested
//! variables first) and the typed check before the value is recorded with
//! the run and cell it came from. Apart from the table because it is the
//! one results mode that writes to the incident.

use super::results::{BindPicker, ResultsMode};
use super::results_export::cell_at;
use super::value_text::{entry_error, holds, value_error};
use super::{Effect, Notice, Screen, State};
use crate::store::event::{EventKind, ValueSource};
use crate::text::lang::Lang;
use crate::tree::value::ValueError;

/// The variables a column of `lookup` suggests binding to, then the rest.
pub(super) fn open_bind(state: &mut State) -> Vec<Effect> {
    let Some((column, _, cell)) = cell_at(state) else {
        return Vec::new();
    };
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Screen::Results(view) = &state.screen else {
        return Vec::new();
    };
    let Some(run) = state.lookups.runs.get(&view.run) else {
        return Vec::new();
    };
    let mut options: Vec<String> = inc
        .tree
        .lookup(&run.node, &run.lookup)
        .map(|l| {
            l.bind
                .iter()
                .filter(|b| b.column.eq_ignore_ascii_case(&column))
                .map(|b| b.variable.value.clone())
                .collect()
        })
        .unwrap_or_default();
    let suggested = options.len();
    for v in &inc.tree.variables {
        if !options.contains(&v.name.value) {
            options.push(v.name.value.clone());
        }
    }
    // The cursor starts on the first variable not set yet (suggested ones
    // first): a reflex Enter does not overwrite a value (the UPN, say).
    let cursor = options
        .iter()
        .position(|o| !inc.walk.values.contains_key(o))
        .unwrap_or(0);
    let value = cell.bind_value().unwrap_or_default();
    if let Screen::Results(view) = &mut state.screen {
        view.mode = ResultsMode::Bind(BindPicker {
            value,
            options,
            suggested,
            cursor,
            error: None,
            replace: None,
        });
    }
    Vec::new()
}

/// Binds the cell under the cursor to the picked variable, after checking
/// the value against the variable's type.
pub(super) fn bind(state: &mut State) -> Vec<Effect> {
    let Some((column, row, cell)) = cell_at(state) else {
        return Vec::new();
    };
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let Screen::Results(view) = &state.screen else {
        return Vec::new();
    };
    let ResultsMode::Bind(picker) = &view.mode else {
        return Vec::new();
    };
    let Some(name) = picker.options.get(picker.cursor).cloned() else {
        return Vec::new();
    };
    let Some(var) = inc.tree.variables.iter().find(|v| v.name.value == name) else {
        return Vec::new();
    };
    let seq = state
        .lookups
        .runs
        .get(&view.run)
        .and_then(|r| r.recorded_seq);
    let checked = match (cell.bind_value(), seq) {
        (None, _) => Err(value_error(inc.language(), &ValueError::Empty)),
        (_, None) => Err(Lang::of(inc.language())
            .text("message", "run-not-recorded")
            .to_string()),
        (Some(raw), Some(seq)) => crate::tree::template::accept(&inc.tree, &var.name.value, &raw)
            .map(|v| (v, seq))
            .map_err(|e| format!("{name}: {}", entry_error(inc.language(), &e))),
    };
    // Replacing a different value takes a second Enter on the same option.
    let held = inc.walk.values.get(&name).cloned();
    let checked = match checked {
        Ok((value, _))
            if held.as_ref().is_some_and(|h| *h != value)
                && picker.replace != Some(picker.cursor) =>
        {
            let cursor = picker.cursor;
            let held = held.unwrap_or_default();
            if let Screen::Results(view) = &mut state.screen
                && let ResultsMode::Bind(p) = &mut view.mode
            {
                p.replace = Some(cursor);
            }
            Err(holds(inc.language(), &name, &held))
        }
        other => other,
    };
    match checked {
        Err(e) => {
            if let Screen::Results(view) = &mut state.screen
                && let ResultsMode::Bind(p) = &mut view.mode
            {
                p.error = Some(e);
            }
            Vec::new()
        }
        Ok((value, lookup_seq)) => {
            let kind = EventKind::VariableSet {
                name: name.clone(),
                value,
                source: ValueSource::Lookup {
                    lookup_seq,
                    row: row as u64,
                    column,
                },
            };
            if let Screen::Results(view) = &mut state.screen {
                view.mode = ResultsMode::Table;
            }
            state.notice = Some(Notice::Lookups(super::lookups::LookupNotice::Bound(name)));
            state
                .act(vec![kind])
                .map(|(_, e)| vec![e])
                .unwrap_or_default()
        }
    }
}
