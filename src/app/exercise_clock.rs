//! The tabletop's clock under the facilitator's hand: pause and resume
//! (recorded, so paused time counts toward neither injects nor the
//! after-action report), and ending the exercise, which closes the
//! incident and stops the clock for good.

use super::editors::ConfirmDialog;
use super::exercise::{self, ExerciseNotice};
use super::{Effect, Notice, State};
use crate::store::event::EventKind;

/// What the facilitator's end closes the incident with.
pub const ENDED: &str = "Exercise ended by the facilitator";

/// Pauses a running tabletop clock, or resumes a paused one.
pub fn toggle_pause(state: &mut State) -> Vec<Effect> {
    let Some((inc, _)) = exercise::of(state).filter(|_| exercise::is_tabletop(state)) else {
        state.notice = Some(Notice::Exercise(ExerciseNotice::NotATabletop));
        return Vec::new();
    };
    if exercise::stopped_at(&inc.tree, &inc.walk).is_some() {
        state.notice = Some(Notice::Exercise(ExerciseNotice::ClockStopped));
        return Vec::new();
    }
    let running = inc.walk.paused();
    if state
        .pending_kinds()
        .any(|k| matches!(k, EventKind::ExerciseClock { .. }))
    {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    state
        .record(EventKind::ExerciseClock { running })
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}

/// Asks before ending the tabletop.
pub fn ask_end(state: &mut State) -> Vec<Effect> {
    if !exercise::is_tabletop(state) {
        state.notice = Some(Notice::Exercise(ExerciseNotice::NotATabletop));
        return Vec::new();
    }
    if super::closed::is_closed(state) {
        state.notice = Some(Notice::ReadOnly);
        return Vec::new();
    }
    state.dialog = Some(ConfirmDialog::EndExercise);
    Vec::new()
}

/// The facilitator confirmed: the incident closes, the clock stops.
pub fn end(state: &mut State) -> Vec<Effect> {
    state
        .record(EventKind::IncidentClosed {
            summary: Some(ENDED.to_string()),
        })
        .map(|(_, e)| vec![e])
        .unwrap_or_default()
}
