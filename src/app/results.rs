//! The results screen: a run's rows as a table (a view of row indices, so
//! 100k rows are never copied), its keys, filter, sort and row detail.
//! Binding a cell to a variable is in `results_bind`, copying and saving in
//! `results_export`.

use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::input::LineInput;
use super::lookups::{Run, RunState, cancel};
use super::results_bind::{bind, open_bind};
pub use super::results_export::{cell_json, row_json};
use super::results_export::{copy_cell, copy_row, default_save_path, save};
use super::{Action, Effect, Notice, Screen, State};
use crate::lookup::table::{LookupResult, ResultTable};

/// Rows of the screen that are not table rows: the incident header (2),
/// status and footer (2), the run line, the query line, the warning line
/// and the column header.
pub const TABLE_CHROME: u16 = 8;
/// Widest a column is fitted to, so one long user agent leaves room for others.
pub const MAX_COLUMN_WIDTH: usize = 40;

/// Table rows on a screen of `size`.
pub fn body_height(size: (u16, u16)) -> usize {
    size.1.saturating_sub(TABLE_CHROME).max(1) as usize
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResultsMode {
    Table,
    Detail {
        scroll: usize,
    },
    Filter(LineInput),
    SavePath(LineInput),
    Bind(BindPicker),
    /// The lookup's runs (see `run_history`); the cursor is on one of them.
    History {
        cursor: usize,
    },
}

/// Variables a cell can be bound to; the tree's suggestions first.
#[derive(Debug, Clone, PartialEq)]
pub struct BindPicker {
    /// The cell's value as it would be recorded.
    pub value: String,
    pub options: Vec<String>,
    /// How many leading options the tree's `bind` rules suggest.
    pub suggested: usize,
    pub cursor: usize,
    pub error: Option<String>,
    /// The option whose current value the responder agreed to replace
    /// (a second Enter): a value is never overwritten by one key.
    pub replace: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultsView {
    pub run: u64,
    pub table: usize,
    /// Indices of the rows shown, filtered and sorted.
    pub rows: Vec<usize>,
    /// Cursor: position in `rows`.
    pub row: usize,
    pub col: usize,
    /// First row shown.
    pub scroll: usize,
    /// First column shown.
    pub col_offset: usize,
    pub widths: Vec<usize>,
    pub filter: String,
    /// The filter before the one being typed, restored by cancel.
    pub filter_before: String,
    /// Column and descending.
    pub sort: Option<(usize, bool)>,
    pub mode: ResultsMode,
}

impl ResultsView {
    pub fn new(run: u64) -> Self {
        Self {
            run,
            table: 0,
            rows: Vec::new(),
            row: 0,
            col: 0,
            scroll: 0,
            col_offset: 0,
            widths: Vec::new(),
            filter: String::new(),
            filter_before: String::new(),
            sort: None,
            mode: ResultsMode::Table,
        }
    }

    /// A view of `run`'s first table: every row, widths fitted.
    pub fn for_run(run: &Run) -> Self {
        let mut v = Self::new(run.id);
        v.reset(Some(run));
        v
    }

    pub fn reset(&mut self, run: Option<&Run>) {
        let table = run.and_then(|r| r.result()).and_then(|r| r.tables.first());
        self.rows = table.map(ResultTable::all_rows).unwrap_or_default();
        self.widths = table
            .map(|t| t.fit_widths(&self.rows, MAX_COLUMN_WIDTH))
            .unwrap_or_default();
        self.row = 0;
        self.col = 0;
        self.scroll = 0;
        self.col_offset = 0;
        self.filter.clear();
        self.sort = None;
        self.mode = ResultsMode::Table;
    }

    /// The original row index under the cursor.
    pub fn current_row(&self) -> Option<usize> {
        self.rows.get(self.row).copied()
    }

    /// Columns that fit in `width` cells starting at `col_offset`.
    pub fn visible_columns(&self, width: usize) -> std::ops::Range<usize> {
        let mut used = 0;
        let mut end = self.col_offset;
        while end < self.widths.len() {
            let w = self.widths[end] + 1;
            if used + w > width && end > self.col_offset {
                break;
            }
            used += w;
            end += 1;
        }
        self.col_offset..end
    }

    fn keep_cursor_visible(&mut self, size: (u16, u16)) {
        let height = body_height(size);
        if self.row < self.scroll {
            self.scroll = self.row;
        } else if self.row >= self.scroll + height {
            self.scroll = self.row + 1 - height;
        }
        if self.col < self.col_offset {
            self.col_offset = self.col;
        }
        while self.col_offset < self.col
            && !self.visible_columns(size.0 as usize).contains(&self.col)
        {
            self.col_offset += 1;
        }
    }
}

/// The run and table a results view shows.
pub fn shown<'s>(
    state: &'s State,
    view: &ResultsView,
) -> Option<(&'s Run, Option<&'s ResultTable>)> {
    let run = state.lookups.runs.get(&view.run)?;
    let table = run.result().and_then(|r| r.tables.get(view.table));
    Some((run, table))
}

/// `results` on the node screen: the newest run of the selected lookup.
pub fn open_latest(state: &mut State, node: &str, lookup: &str) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    match state.lookups.latest(&inc.meta.id, node, lookup) {
        Some(run) => state.screen = Screen::Results(ResultsView::for_run(run)),
        None => state.notice = Some(Notice::Lookups(super::lookups::LookupNotice::NotRunYet)),
    }
    Vec::new()
}

pub fn results_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let size = state.size;
    let Screen::Results(view) = &mut state.screen else {
        return Vec::new();
    };
    let run = view.run;
    let running = state.lookups.runs.get(&run).is_some_and(Run::is_running);
    match &mut view.mode {
        ResultsMode::Table => {}
        ResultsMode::Detail { scroll } => {
            if let Some(s) = super::views::scrolled(*scroll, action, usize::MAX) {
                *scroll = s;
                return Vec::new();
            }
            match action {
                Some(Action::Copy) => return copy_row(state),
                Some(Action::Back) => view.mode = ResultsMode::Table,
                _ => {}
            }
            return Vec::new();
        }
        // The filter applies as it is typed; save keeps it, cancel puts
        // back the one before.
        ResultsMode::Filter(input) => {
            match action {
                Some(Action::Save) => view.mode = ResultsMode::Table,
                Some(Action::Cancel) => {
                    let before = view.filter_before.clone();
                    view.mode = ResultsMode::Table;
                    apply_filter(state, before);
                }
                _ => {
                    if input.handle(&key) {
                        let needle = input.text().to_string();
                        apply_filter(state, needle);
                    }
                }
            }
            return Vec::new();
        }
        ResultsMode::SavePath(input) => {
            match action {
                Some(Action::Save) => {
                    let path = input.text().trim().to_string();
                    return save(state, path);
                }
                Some(Action::Cancel) => view.mode = ResultsMode::Table,
                _ => {
                    input.handle(&key);
                }
            }
            return Vec::new();
        }
        ResultsMode::History { .. } => return super::run_history::history_key(state, action),
        ResultsMode::Bind(picker) => {
            let last = picker.options.len().saturating_sub(1);
            match action {
                Some(Action::Up) => {
                    picker.cursor = picker.cursor.saturating_sub(1);
                    picker.replace = None;
                }
                Some(Action::Down) => {
                    picker.cursor = (picker.cursor + 1).min(last);
                    picker.replace = None;
                }
                Some(Action::Select) => return bind(state),
                Some(Action::Back) => view.mode = ResultsMode::Table,
                _ => {}
            }
            return Vec::new();
        }
    }
    let last_row = view.rows.len().saturating_sub(1);
    let last_col = view.widths.len().saturating_sub(1);
    let page = body_height(size);
    match action {
        Some(Action::Up) => view.row = view.row.saturating_sub(1),
        Some(Action::Down) => view.row = (view.row + 1).min(last_row),
        Some(Action::PageUp) => view.row = view.row.saturating_sub(page),
        Some(Action::PageDown) => view.row = (view.row + page).min(last_row),
        Some(Action::First) => view.row = 0,
        Some(Action::Last) => view.row = last_row,
        Some(Action::Left) => view.col = view.col.saturating_sub(1),
        Some(Action::Right) => view.col = (view.col + 1).min(last_col),
        Some(Action::Select) if !view.rows.is_empty() => {
            view.mode = ResultsMode::Detail { scroll: 0 };
        }
        Some(Action::Filter) if !view.widths.is_empty() => {
            view.filter_before = view.filter.clone();
            view.mode = ResultsMode::Filter(LineInput::new(&view.filter));
        }
        Some(Action::Sort) if !view.widths.is_empty() => {
            let col = view.col;
            let sort = match view.sort {
                Some((c, false)) if c == col => Some((col, true)),
                _ => Some((col, false)),
            };
            view.sort = sort;
            resort(state);
        }
        Some(Action::Bind) if !view.rows.is_empty() => return open_bind(state),
        Some(Action::History) => super::run_history::open(state),
        Some(Action::MarkEvidence) if !running => return mark_evidence(state, run),
        Some(Action::Copy) => return copy_cell(state),
        Some(Action::CopyRow) => return copy_row(state),
        Some(Action::CopyQuery) => {
            let text = state.lookups.runs.get(&run).map(|r| r.request.text.clone());
            return super::node::copy(state, text);
        }
        Some(Action::SaveFile) if !view.widths.is_empty() => {
            let default = default_save_path(state, run);
            if let Screen::Results(view) = &mut state.screen {
                view.mode = ResultsMode::SavePath(LineInput::new(&default));
            }
        }
        Some(Action::Cancel) if running => {
            let effects = cancel(state, run);
            state.screen = state.node_screen();
            return effects;
        }
        Some(Action::Back | Action::Cancel) => state.screen = state.node_screen(),
        Some(Action::SignIn) => return super::actions::start_sign_in(state),
        Some(Action::Retry) if !running => {
            if let Some((new, effects)) = super::lookup_runs::retry(state, run) {
                state.screen = Screen::Results(ResultsView::new(new));
                return effects;
            }
        }
        Some(Action::Help) => {
            super::views::open_help(state);
            return Vec::new();
        }
        _ => {}
    }
    if let Screen::Results(view) = &mut state.screen {
        view.keep_cursor_visible(size);
    }
    Vec::new()
}

pub(super) fn result_of(state: &State, run: u64) -> Option<Arc<LookupResult>> {
    state.lookups.runs.get(&run)?.result().cloned()
}

/// Refilters (on the text as shown), then reapplies the sort.
fn apply_filter(state: &mut State, needle: String) {
    let Screen::Results(view) = &state.screen else {
        return;
    };
    let Some(result) = result_of(state, view.run) else {
        return;
    };
    let Screen::Results(view) = &mut state.screen else {
        return;
    };
    if let Some(table) = result.tables.get(view.table) {
        view.rows = table.filter(needle.trim());
    }
    view.filter = needle.trim().to_string();
    view.row = 0;
    view.scroll = 0;
    resort(state);
}

fn resort(state: &mut State) {
    let Screen::Results(view) = &state.screen else {
        return;
    };
    let Some(result) = result_of(state, view.run) else {
        return;
    };
    let Screen::Results(view) = &mut state.screen else {
        return;
    };
    let Some(table) = result.tables.get(view.table) else {
        return;
    };
    match view.sort {
        Some((col, desc)) => table.sort(&mut view.rows, col, desc),
        None => view.rows.sort_unstable(),
    }
}

/// True while the shown run is in flight (its screen shows a spinner).
pub fn showing_running(state: &State) -> bool {
    match &state.screen {
        Screen::Results(view) => state
            .lookups
            .runs
            .get(&view.run)
            .is_some_and(|r| matches!(r.state, RunState::Running { .. })),
        _ => false,
    }
}

/// Marks the shown run's result as evidence (recorded; an attached
/// incident pushes it as a Sentinel bookmark). A run not yet recorded has
/// no event to name: it says so.
fn mark_evidence(state: &mut State, run: u64) -> Vec<Effect> {
    let Some(seq) = state.lookups.runs.get(&run).and_then(|r| r.recorded_seq) else {
        state.notice = Some(Notice::EvidenceMarked(None));
        return Vec::new();
    };
    let kind = crate::store::event::EventKind::EvidenceMarked {
        lookup_seq: seq,
        note: None,
    };
    match state.record(kind) {
        Some((_, effect)) => {
            state.notice = Some(Notice::EvidenceMarked(Some(seq)));
            vec![effect]
        }
        None => Vec::new(),
    }
}
