//! Training runs and tabletop exercises on the screen. An incident started
//! from a scenario carries the scenario; scoring, timers and the inject
//! queue are pure functions of the incident's projection (which the screen
//! keeps up to date as each event commits) and the scenario, so nothing is
//! replayed here.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Effect, Incident, Notice, Screen, State};
use crate::scenario::{
    FakeClock, InjectQueue, Scenario, Tabletop, TabletopError, TrainingError, TrainingRun,
};
use crate::store::IncidentState;
use crate::store::event::{Event, EventKind, Mode};
use crate::tree::{Localized, NodeKind, Tree};

#[derive(Debug, Clone)]
pub struct Exercise {
    pub scenario: Arc<Scenario>,
    /// Injects released and not yet acknowledged on the screen.
    pub unseen: Vec<String>,
    /// The story is shown once when a run that has not moved yet opens.
    pub story_pending: bool,
}

/// What a scored decision showed the trainee.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    pub node: String,
    pub choice: String,
    pub expected: String,
    pub correct: bool,
    pub points: u32,
    pub explanation: Localized,
    pub expected_explanation: Localized,
    pub scroll: usize,
}

/// The scorecard (training) or the facilitator's panel (tabletop).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelView {
    pub scroll: usize,
}

impl Exercise {
    pub fn new(scenario: Arc<Scenario>, walk: &IncidentState) -> Self {
        let moved = walk.has_moved();
        // A run that has not moved yet shows its story, then whatever the
        // start released; a resumed one shows only what comes next.
        let unseen = if moved {
            Vec::new()
        } else {
            walk.injects.iter().map(|r| r.inject.clone()).collect()
        };
        Self {
            scenario,
            unseen,
            story_pending: !moved,
        }
    }

    /// The exercise's running time: from its start to now, or to when the
    /// clock stopped (an outcome, the end), without paused time.
    pub fn elapsed(&self, tree: &Tree, walk: &IncidentState, now: DateTime<Utc>) -> Duration {
        walk.running_time(stopped_at(tree, walk).map_or(now, |s| s.min(now)))
    }

    /// A clock standing at the exercise's running time, for the tabletop's
    /// own timers (phase times, the facilitator's panel).
    pub fn clock(&self, tree: &Tree, walk: &IncidentState, now: DateTime<Utc>) -> FakeClock {
        let start = walk.started_at().unwrap_or(now);
        let ran = chrono::Duration::from_std(self.elapsed(tree, walk, now)).unwrap_or_default();
        FakeClock::new(start + ran)
    }

    /// The training run as the record has it, scored up to now.
    pub fn training<'a>(
        &'a self,
        tree: &'a Tree,
        walk: &IncidentState,
        clock: &'a FakeClock,
    ) -> Result<TrainingRun<'a>, TrainingError> {
        TrainingRun::from_projection(tree, &self.scenario, clock, walk)
    }

    /// The tabletop as the record has it.
    pub fn tabletop<'a>(
        &'a self,
        tree: &'a Tree,
        walk: &IncidentState,
        clock: &'a FakeClock,
    ) -> Result<Tabletop<'a>, TabletopError> {
        Tabletop::from_projection(tree, &self.scenario, clock, walk)
    }

    /// The inject queue with every recorded release marked.
    pub fn queue(&self, walk: &IncidentState) -> InjectQueue<'_> {
        InjectQueue::recorded(&self.scenario, walk)
    }

    /// The recording a released inject swapped in for `lookup`, if any.
    pub fn recording_for(&self, lookup: &str, walk: &IncidentState) -> Option<String> {
        self.queue(walk).recording_for(lookup).map(str::to_string)
    }
}

/// When the exercise clock stopped: the exercise ended (the incident was
/// closed), or the walk reached an outcome.
pub fn stopped_at(tree: &Tree, walk: &IncidentState) -> Option<DateTime<Utc>> {
    if let Some(closed) = &walk.closed {
        return Some(closed.stamp.at);
    }
    let at_outcome = walk
        .current_node
        .as_deref()
        .and_then(|n| tree.node(n))
        .is_some_and(|n| matches!(n.kind, NodeKind::Outcome { .. }));
    at_outcome.then(|| walk.path.last().map(|s| s.stamp.at))?
}

/// The open incident and its exercise, when it is one.
pub fn of(state: &State) -> Option<(&Incident, &Exercise)> {
    let inc = state.incident.as_ref()?;
    Some((inc, inc.exercise.as_ref()?))
}

pub fn is_training(state: &State) -> bool {
    of(state).is_some_and(|(inc, _)| inc.meta.mode == Mode::Training)
}

pub fn is_tabletop(state: &State) -> bool {
    of(state).is_some_and(|(inc, _)| inc.meta.mode == Mode::Tabletop)
}

/// The exercise's clock is on screen and must be redrawn every second:
/// always in a tabletop, in training while a timed inject is still to come.
pub fn clock_running(state: &State) -> bool {
    let Some((inc, ex)) = of(state) else {
        return false;
    };
    // Stopped (outcome, end) or paused: the clock on screen stands still.
    if stopped_at(&inc.tree, &inc.walk).is_some() || inc.walk.paused() {
        return false;
    }
    inc.meta.mode == Mode::Tabletop || ex.queue(&inc.walk).next_timed(Duration::ZERO).is_some()
}

/// A scored choice in training: the choice, its score and the node the
/// scenario sends the trainee to are recorded together, and the
/// explanation is shown at once.
pub fn choose_in_training(state: &mut State, index: usize, reason: Option<String>) -> Vec<Effect> {
    let Some((inc, ex)) = of(state) else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let clock = FakeClock::new(state.now);
    let outcome = ex.training(&tree, &inc.walk, &clock).and_then(|mut run| {
        let NodeKind::Decision { choices } = &run.current().kind else {
            return Err(TrainingError::NotADecision(run.current().id.value.clone()));
        };
        let Some(choice) = choices.get(index) else {
            return Err(TrainingError::UnknownChoice {
                node: run.current().id.value.clone(),
                choice: format!("#{}", index + 1),
            });
        };
        let choice = choice.id.value.clone();
        let r = run.choose(&choice)?;
        let view = FeedbackView {
            node: r.scored.node.clone(),
            choice: r.scored.choice.clone(),
            expected: r.scored.expected.clone(),
            correct: r.scored.correct,
            points: r.scored.points,
            explanation: r.explanation.clone(),
            expected_explanation: r.expected_explanation.clone(),
            scroll: 0,
        };
        Ok((view, r.events))
    });
    let (view, mut events) = match outcome {
        Ok(x) => x,
        Err(e) => {
            state.notice = Some(Notice::Invalid(e.to_string()));
            return Vec::new();
        }
    };
    if let Some(EventKind::ChoiceMade { reason: r, .. }) = events.first_mut() {
        *r = reason.filter(|r| !r.trim().is_empty());
    }
    // The choice, its score and the node it leads to: one transaction.
    let effects = state.act(events).map(|(_, e)| e).into_iter().collect();
    state.node_view = super::NodeView::default();
    state.screen = Screen::Feedback(view);
    effects
}

/// The current node's next hint, charged to the trainee's score.
pub fn hint(state: &mut State) -> Vec<Effect> {
    if !is_training(state) || still_saving(state, |k| matches!(k, EventKind::HintShown { .. })) {
        return Vec::new();
    }
    let Some((inc, ex)) = of(state) else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let clock = FakeClock::new(state.now);
    let event = match ex.training(&tree, &inc.walk, &clock) {
        Ok(mut run) => run.hint().map(|h| h.event),
        Err(e) => {
            state.notice = Some(Notice::Invalid(e.to_string()));
            return Vec::new();
        }
    };
    record_or_say(state, event, ExerciseNotice::NoHintLeft)
}

/// Injects whose node was reached or whose time has come, released now.
pub fn release_due(state: &mut State) -> Vec<Effect> {
    let Some((inc, ex)) = of(state) else {
        return Vec::new();
    };
    let elapsed = ex.elapsed(&inc.tree, &inc.walk, state.now);
    let mut queue = ex.queue(&inc.walk);
    // A release already on its way to the store is not sent twice.
    for kind in state.pending_kinds() {
        if let EventKind::InjectReleased { inject, cause } = kind {
            queue.mark(inject, elapsed, *cause);
        }
    }
    let mut kinds: Vec<EventKind> = queue
        .release_on_node(inc.current_node_id(), elapsed)
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    kinds.extend(queue.release_due(elapsed).into_iter().map(|(_, e)| e));
    kinds
        .into_iter()
        .filter_map(|kind| state.record(kind).map(|(_, e)| e))
        .collect()
}

/// The facilitator releases the next inject of the queue by hand.
pub fn release_next(state: &mut State) -> Vec<Effect> {
    if !is_tabletop(state) || still_saving(state, |k| matches!(k, EventKind::InjectReleased { .. }))
    {
        return Vec::new();
    }
    let Some((inc, ex)) = of(state) else {
        return Vec::new();
    };
    let elapsed = ex.elapsed(&inc.tree, &inc.walk, state.now);
    let next = ex.queue(&inc.walk).release_next(elapsed).map(|(_, e)| e);
    record_or_say(state, next, ExerciseNotice::NoInjectLeft)
}

/// A write of this kind is still on its way to the store: one key press
/// reveals one hint or releases one inject, so the press is refused.
fn still_saving(state: &mut State, of_kind: impl Fn(&EventKind) -> bool) -> bool {
    let saving = state.pending_kinds().any(of_kind);
    if saving {
        state.notice = Some(Notice::SavingInProgress);
    }
    saving
}

/// Records `kind`, or says why there is nothing to record.
fn record_or_say(state: &mut State, kind: Option<EventKind>, none: ExerciseNotice) -> Vec<Effect> {
    match kind {
        Some(kind) => state.record(kind).map(|(_, e)| vec![e]).unwrap_or_default(),
        None => {
            state.notice = Some(Notice::Exercise(none));
            Vec::new()
        }
    }
}

/// A confirmed event (already applied to the projection): a released
/// inject is shown; a trainee who reaches an outcome sees the scorecard.
pub fn confirmed(state: &mut State, event: &Event) -> Vec<Effect> {
    let Some(ex) = state.incident.as_mut().and_then(|i| i.exercise.as_mut()) else {
        return Vec::new();
    };
    match &event.kind {
        EventKind::InjectReleased { inject, .. } => {
            ex.unseen.push(inject.clone());
            if !overlay_screen(&state.screen) {
                state.notice = Some(Notice::Exercise(ExerciseNotice::InjectArrived));
            }
            Vec::new()
        }
        EventKind::NodeEntered { .. } | EventKind::Backtrack { .. } => {
            if is_training(state) && at_outcome(state) && matches!(state.screen, Screen::Node(_)) {
                state.screen = Screen::Panel(PanelView::default());
            }
            release_due(state)
        }
        _ => Vec::new(),
    }
}

fn at_outcome(state: &State) -> bool {
    state.incident.as_ref().is_some_and(|inc| {
        inc.tree
            .node(inc.current_node_id())
            .is_some_and(|n| matches!(n.kind, NodeKind::Outcome { .. }))
    })
}

/// Leaving the feedback: the scorecard when the run has ended.
pub fn feedback_done(state: &mut State) {
    state.screen = if at_outcome(state) && !state.move_pending() {
        Screen::Panel(PanelView::default())
    } else {
        state.node_screen()
    };
}

/// The story, then the oldest unseen inject, is acknowledged.
pub fn dismiss_inject(state: &mut State) {
    let Some(ex) = state.incident.as_mut().and_then(|i| i.exercise.as_mut()) else {
        return;
    };
    if ex.story_pending {
        ex.story_pending = false;
    } else if !ex.unseen.is_empty() {
        ex.unseen.remove(0);
    }
}

/// The inject on screen, if one waits to be read.
pub fn shown_inject(state: &State) -> Option<&crate::scenario::Inject> {
    let (_, ex) = of(state)?;
    let id = ex.unseen.first()?;
    ex.scenario.inject(id)
}

/// The screens an inject is drawn over (elsewhere it waits, announced).
pub fn overlay_screen(screen: &Screen) -> bool {
    matches!(
        screen,
        Screen::Node(_) | Screen::Feedback(_) | Screen::Panel(_)
    )
}

/// The story or an inject is drawn over the screen and takes the keys.
pub fn overlay_shown(state: &State) -> bool {
    of(state).is_some_and(|(_, ex)| ex.story_pending) || shown_inject(state).is_some()
}

/// Training walks forward only: each decision is scored once.
pub fn forbids_moving_back(state: &mut State) -> bool {
    if is_training(state) {
        state.notice = Some(Notice::Exercise(ExerciseNotice::ForwardOnly));
        return true;
    }
    false
}

/// Why an exercise key did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExerciseNotice {
    NoHintLeft,
    NoInjectLeft,
    ForwardOnly,
    NotAnExercise,
    /// Pause and end are the tabletop facilitator's.
    NotATabletop,
    /// The clock stopped at the outcome or the end: nothing to pause.
    ClockStopped,
    /// An inject was released (by this screen's clock or the facilitator's
    /// screen) while a screen that cannot show it is open: it waits for
    /// the node screen, and the status line says so now.
    InjectArrived,
}
