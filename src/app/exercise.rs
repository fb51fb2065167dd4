//! Training runs and tabletop exercises on the screen. An incident started
//! from a scenario carries the scenario and its confirmed events; the
//! scenario module's own replays (`TrainingRun`, `Tabletop`, `InjectQueue`)
//! are rebuilt from those events whenever they are needed.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Effect, Incident, Notice, Screen, State};
use crate::scenario::clock::between;
use crate::scenario::{
    FakeClock, InjectQueue, Scenario, Tabletop, TabletopError, TrainingError, TrainingRun,
};
use crate::store::event::{Event, EventKind, Mode};
use crate::tree::{Localized, NodeKind, Tree};

#[derive(Debug, Clone)]
pub struct Exercise {
    pub scenario: Arc<Scenario>,
    /// The confirmed events the scenario's replays read (see [`replayed`]),
    /// oldest first; lookup results and the like stay with the walk.
    pub events: Vec<Event>,
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
    pub fn new(scenario: Arc<Scenario>, events: Vec<Event>) -> Self {
        let moved = events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::ChoiceMade { .. } | EventKind::Backtrack { .. }
            )
        }) || events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::NodeEntered { .. }))
            .count()
            > 1;
        // A run that has not moved yet shows its story, then whatever the
        // start released; a resumed one shows only what comes next.
        let unseen = if moved {
            Vec::new()
        } else {
            events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::InjectReleased { inject, .. } => Some(inject.clone()),
                    _ => None,
                })
                .collect()
        };
        Self {
            scenario,
            events: events.into_iter().filter(|e| replayed(&e.kind)).collect(),
            unseen,
            story_pending: !moved,
        }
    }

    /// When the exercise began: its first recorded event.
    pub fn started_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.events.first().map_or(now, |e| e.at)
    }

    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        between(self.started_at(now), now)
    }

    /// The training run as the record has it, scored up to now.
    pub fn training<'a>(
        &'a self,
        tree: &'a Tree,
        clock: &'a FakeClock,
    ) -> Result<TrainingRun<'a>, TrainingError> {
        TrainingRun::replay(tree, &self.scenario, clock, &self.events)
    }

    /// The tabletop as the record has it.
    pub fn tabletop<'a>(
        &'a self,
        tree: &'a Tree,
        clock: &'a FakeClock,
    ) -> Result<Tabletop<'a>, TabletopError> {
        Tabletop::replay(tree, &self.scenario, clock, &self.events)
    }

    /// The inject queue with every recorded release marked.
    pub fn queue(&self, now: DateTime<Utc>) -> InjectQueue<'_> {
        let start = self.started_at(now);
        let mut queue = InjectQueue::new(&self.scenario);
        for e in &self.events {
            if let EventKind::InjectReleased { inject, cause } = &e.kind {
                queue.mark(inject, between(start, e.at), *cause);
            }
        }
        queue
    }

    /// The recording a released inject swapped in for `lookup`, if any.
    pub fn recording_for(&self, lookup: &str, now: DateTime<Utc>) -> Option<String> {
        self.queue(now).recording_for(lookup).map(str::to_string)
    }
}

/// The events scoring, timers and the inject queue are rebuilt from: the
/// walk's moves, hints, injects and tabletop notes, and the scenario's
/// start (whose time starts the exercise clock).
fn replayed(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::ScenarioStarted { .. }
            | EventKind::NodeEntered { .. }
            | EventKind::Backtrack { .. }
            | EventKind::ChoiceMade { .. }
            | EventKind::HintShown { .. }
            | EventKind::InjectReleased { .. }
            | EventKind::TabletopNote { .. }
    )
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
    let at_outcome = inc
        .tree
        .node(inc.current_node_id())
        .is_some_and(|n| matches!(n.kind, NodeKind::Outcome { .. }));
    if at_outcome {
        return false;
    }
    inc.meta.mode == Mode::Tabletop || ex.queue(state.now).next_timed(Duration::ZERO).is_some()
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
    let outcome = ex.training(&tree, &clock).and_then(|mut run| {
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
    let effects = events
        .into_iter()
        .filter_map(|kind| state.record(kind).map(|(_, e)| e))
        .collect();
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
    let event = match ex.training(&tree, &clock) {
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
    let elapsed = ex.elapsed(state.now);
    let mut queue = ex.queue(state.now);
    // A release already on its way to the store is not sent twice.
    for kind in state.pending.values() {
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
    let Some((_, ex)) = of(state) else {
        return Vec::new();
    };
    let elapsed = ex.elapsed(state.now);
    let next = ex.queue(state.now).release_next(elapsed).map(|(_, e)| e);
    record_or_say(state, next, ExerciseNotice::NoInjectLeft)
}

/// A write of this kind is still on its way to the store: one key press
/// reveals one hint or releases one inject, so the press is refused.
fn still_saving(state: &mut State, of_kind: impl Fn(&EventKind) -> bool) -> bool {
    let saving = state.pending.values().any(of_kind);
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

/// A confirmed event: kept for the replays; a released inject is shown;
/// a trainee who reaches an outcome sees the scorecard.
pub fn confirmed(state: &mut State, event: &Event) -> Vec<Effect> {
    let Some(ex) = state.incident.as_mut().and_then(|i| i.exercise.as_mut()) else {
        return Vec::new();
    };
    if replayed(&event.kind) {
        ex.events.push(event.clone());
    }
    match &event.kind {
        EventKind::InjectReleased { inject, .. } => {
            ex.unseen.push(inject.clone());
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
}
