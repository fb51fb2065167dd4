//! A lookup's run history on the results screen: every run of the shown
//! lookup, newest first, with its time, window, status and rows. Recorded
//! runs are read from the projection's `lookup_run` events (the record,
//! whoever ran them); a run still in flight comes from the session.
//! Choosing an older run shows its stored rows again.

use chrono::{DateTime, Utc};

use super::lookup_restore::{release_rows, stored_state};
use super::lookups::{Run, RunState};
use super::results::{ResultsMode, ResultsView};
use super::{Action, Effect, Screen, State};
use crate::store::event::{EventKind, LookupStatus};

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub run: u64,
    pub started_at: DateTime<Utc>,
    pub window: Option<String>,
    /// As recorded; `None` while the run is in flight.
    pub status: Option<LookupStatus>,
    pub rows: Option<u64>,
    /// The earlier user or device (scope, number) the run was filed under;
    /// `None` for the current one's runs.
    pub subject: Option<(String, usize)>,
}

/// The runs of the lookup `run` belongs to, newest first.
pub fn entries(state: &State, run: u64) -> Vec<HistoryEntry> {
    let Some(shown) = state.lookups.runs.get(&run) else {
        return Vec::new();
    };
    state
        .lookups
        .runs
        .values()
        .rev()
        .filter(|r| same_lookup(r, shown))
        .map(|r| entry(state, r))
        .collect()
}

fn same_lookup(a: &Run, b: &Run) -> bool {
    a.incident == b.incident && a.node == b.node && a.lookup == b.lookup
}

fn entry(state: &State, run: &Run) -> HistoryEntry {
    let recorded = run.recorded_seq.and_then(|seq| {
        let inc = state.incident.as_ref()?;
        inc.walk.lookups.iter().find(|e| e.seq == seq)
    });
    if let Some(EventKind::LookupRun {
        started_at,
        timespan,
        status,
        row_count,
        ..
    }) = recorded.map(|e| &e.kind)
    {
        let subject = state.incident.as_ref().and_then(|inc| {
            let seq = run.recorded_seq?;
            let s = inc
                .walk
                .subjects
                .iter()
                .find(|s| s.lookups.contains(&seq))?;
            Some((s.scope.clone(), s.number))
        });
        return HistoryEntry {
            run: run.id,
            started_at: *started_at,
            window: timespan.clone(),
            status: Some(*status),
            rows: *row_count,
            subject,
        };
    }
    // Not recorded yet: what the session knows of it.
    let status = match &run.state {
        RunState::Running { .. } | RunState::Throttled { .. } => None,
        RunState::Done { result } if result.warning.is_some() => Some(LookupStatus::Partial),
        RunState::Done { .. } | RunState::Superseded => Some(LookupStatus::Succeeded),
        RunState::Failed { .. } => Some(LookupStatus::Failed),
        RunState::Cancelled => Some(LookupStatus::Cancelled),
    };
    HistoryEntry {
        run: run.id,
        started_at: run.started_at,
        window: run.request.timespan.clone(),
        status,
        rows: run
            .result()
            .and_then(|r| r.tables.first())
            .map(|t| t.rows.len() as u64),
        subject: None,
    }
}

/// True when `run` is not the newest run of its lookup.
pub fn is_earlier(state: &State, run: &Run) -> bool {
    state
        .lookups
        .latest(&run.incident, &run.node, &run.lookup)
        .is_some_and(|latest| latest.id != run.id)
}

/// `history` on the results screen: the list, on the run shown.
pub fn open(state: &mut State) {
    let Screen::Results(view) = &state.screen else {
        return;
    };
    let cursor = entries(state, view.run)
        .iter()
        .position(|e| e.run == view.run)
        .unwrap_or(0);
    if let Screen::Results(view) = &mut state.screen {
        view.mode = ResultsMode::History { cursor };
    }
}

pub fn history_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Results(view) = &state.screen else {
        return Vec::new();
    };
    let ResultsMode::History { cursor } = view.mode else {
        return Vec::new();
    };
    let list = entries(state, view.run);
    let last = list.len().saturating_sub(1);
    let moved = match action {
        Some(Action::Up) => cursor.saturating_sub(1),
        Some(Action::Down) => (cursor + 1).min(last),
        Some(Action::First) => 0,
        Some(Action::Last) => last,
        Some(Action::Select) => {
            if let Some(e) = list.get(cursor) {
                choose(state, e.run);
            }
            return Vec::new();
        }
        Some(Action::Back) => {
            if let Screen::Results(view) = &mut state.screen {
                view.mode = ResultsMode::Table;
            }
            return Vec::new();
        }
        Some(Action::Help) => {
            super::views::open_help(state);
            return Vec::new();
        }
        _ => cursor,
    };
    if let Screen::Results(view) = &mut state.screen {
        view.mode = ResultsMode::History { cursor: moved };
    }
    Vec::new()
}

/// Shows run `id`: rows let go when a newer run came back from the record
/// first. Only the newest run and the one shown hold rows.
pub fn choose(state: &mut State, id: u64) {
    let stored = state
        .lookups
        .runs
        .get(&id)
        .filter(|r| matches!(r.state, RunState::Superseded))
        .and_then(|r| r.recorded_seq)
        .and_then(|seq| {
            let inc = state.incident.as_ref()?;
            let event = inc.walk.lookups.iter().find(|e| e.seq == seq)?;
            stored_state(&event.kind)
        });
    let Some(run) = state.lookups.runs.get_mut(&id) else {
        return;
    };
    if let Some(s) = stored {
        run.state = s;
    }
    let (incident, node, lookup) = (run.incident.clone(), run.node.clone(), run.lookup.clone());
    let latest = state
        .lookups
        .latest(&incident, &node, &lookup)
        .map(|r| r.id);
    state.screen = Screen::Results(ResultsView::new(id));
    release_rows(state, (&incident, &node, &lookup), latest);
    if let Screen::Results(view) = &mut state.screen {
        view.reset(state.lookups.runs.get(&id));
    }
}
