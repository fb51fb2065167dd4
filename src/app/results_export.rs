//! Getting rows out of the results screen: copying a cell or a row (as
//! JSON) to the clipboard and asking the runtime to save the filtered rows
//! to a file. Apart from table navigation because these turn the view into
//! effects and text, not cursor moves.

use super::lookups::LookupEffect;
use super::results::{ResultsMode, result_of, shown};
use super::{Effect, Screen, State};
use crate::lookup::table::{Cell, ResultTable};

/// The column name, row and cell under the cursor; binding uses it too.
pub(super) fn cell_at(state: &State) -> Option<(String, usize, Cell)> {
    let Screen::Results(view) = &state.screen else {
        return None;
    };
    let (_, table) = shown(state, view)?;
    let table = table?;
    let row = view.current_row()?;
    let cell = table.cell(row, view.col)?.clone();
    Some((table.columns.get(view.col)?.name.clone(), row, cell))
}

/// The cell under the cursor; on a failed run, its whole error (with the
/// service's request and correlation ids, for a support case).
pub(super) fn copy_cell(state: &mut State) -> Vec<Effect> {
    let failure = match &state.screen {
        Screen::Results(view) => state
            .lookups
            .runs
            .get(&view.run)
            .and_then(|r| match &r.state {
                super::lookups::RunState::Failed { message, .. } => Some(message.clone()),
                _ => None,
            }),
        _ => None,
    };
    let text = failure.or_else(|| cell_at(state).and_then(|(_, _, c)| c.bind_value()));
    super::node::copy(state, text)
}

/// The row under the cursor as one JSON object, column names as keys, with
/// hidden characters as JSON escapes (a pasted or saved row stays inert).
pub fn row_json(table: &ResultTable, row: usize) -> Option<String> {
    let cells = table.rows.get(row)?;
    let mut map = serde_json::Map::new();
    for (col, cell) in table.columns.iter().zip(cells) {
        map.insert(col.name.clone(), cell_json(cell));
    }
    let text = serde_json::to_string(&serde_json::Value::Object(map)).ok()?;
    Some(crate::text::visible(&text, crate::text::Medium::Json).into_owned())
}

pub fn cell_json(cell: &Cell) -> serde_json::Value {
    use crate::lookup::table::Dynamic;
    use serde_json::Value;
    match cell {
        Cell::Null => Value::Null,
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Long(n) => Value::from(*n),
        Cell::Real(x) => serde_json::Number::from_f64(*x)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(crate::lookup::table::format_real(*x))),
        Cell::Dynamic(Dynamic::Json(v)) => v.clone(),
        Cell::Dynamic(d @ Dynamic::Text(_)) => d.json().unwrap_or_default().into_owned(),
        other => Value::String(other.text().into_owned()),
    }
}

pub(super) fn copy_row(state: &mut State) -> Vec<Effect> {
    let text = (|| {
        let Screen::Results(view) = &state.screen else {
            return None;
        };
        let (_, table) = shown(state, view)?;
        row_json(table?, view.current_row()?)
    })();
    super::node::copy(state, text)
}

pub(super) fn default_save_path(state: &State, run: u64) -> String {
    let incident = state
        .incident
        .as_ref()
        .map_or("incident", |i| i.meta.id.as_str());
    let lookup = state
        .lookups
        .runs
        .get(&run)
        .map_or("lookup", |r| r.lookup.as_str());
    let safe_name: String = format!("{incident}-{lookup}-{run}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("./{safe_name}.csv")
}

pub(super) fn save(state: &mut State, path: String) -> Vec<Effect> {
    let Screen::Results(view) = &mut state.screen else {
        return Vec::new();
    };
    if path.is_empty() {
        return Vec::new();
    }
    let run = view.run;
    let rows = view.rows.clone();
    let table = view.table;
    view.mode = ResultsMode::Table;
    let Some(result) = result_of(state, run) else {
        return Vec::new();
    };
    let json = path.to_ascii_lowercase().ends_with(".json");
    vec![Effect::Lookup(LookupEffect::Save {
        path,
        result,
        table,
        rows,
        json,
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::table::{Column, ColumnType};

    #[test]
    fn a_copied_row_holds_no_raw_control_and_reads_back_exactly() {
        let agent = "ua\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}\u{202E}";
        let table = ResultTable {
            name: "t".into(),
            columns: vec![Column {
                name: "UserAgent".into(),
                col_type: ColumnType::String,
            }],
            rows: vec![vec![Cell::Str(agent.into())]],
        };
        let json = row_json(&table, 0).unwrap();
        assert!(!json.chars().any(crate::text::is_unsafe), "{json}");
        assert!(
            json.contains("\\u001b]52") && json.contains("\\u202e"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["UserAgent"], agent);
    }
}
