//! Keys of the exercise screens: the feedback after a scored decision, the
//! scorecard or facilitator panel, and the inject shown over the screen.

use super::exercise::{self, ExerciseNotice, PanelView};
use super::views::scrolled;
use super::{Action, Effect, NewIncident, Notice, Screen, State};
use crate::scenario::text::run_title;
use crate::scenario::{FakeClock, Tabletop, TrainingRun};
use crate::store::event::{Mode, ValueSource};

pub fn feedback_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Feedback(view) = &mut state.screen else {
        return Vec::new();
    };
    if let Some(s) = scrolled(view.scroll, action, usize::MAX) {
        view.scroll = s;
        return Vec::new();
    }
    match action {
        Some(Action::Back | Action::Select) => exercise::feedback_done(state),
        Some(Action::Help) => super::views::open_help(state),
        _ => {}
    }
    Vec::new()
}

pub fn panel_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Panel(view) = &mut state.screen else {
        return Vec::new();
    };
    if let Some(s) = scrolled(view.scroll, action, usize::MAX) {
        view.scroll = s;
        return Vec::new();
    }
    match action {
        Some(Action::ReleaseInject) => return exercise::release_next(state),
        Some(Action::Pause) => return super::exercise_clock::toggle_pause(state),
        Some(Action::EndExercise) => return super::exercise_clock::ask_end(state),
        Some(Action::Note) => return open_note(state),
        Some(Action::Language) => return super::switch_language(state),
        Some(Action::Help) => super::views::open_help(state),
        Some(Action::Back | Action::Exercise) => state.screen = state.node_screen(),
        _ => {}
    }
    Vec::new()
}

/// Any of the inject's keys acknowledges it; nothing else happens.
pub fn inject_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    if matches!(action, Some(Action::Back | Action::Select)) {
        exercise::dismiss_inject(state);
    }
    Vec::new()
}

/// The scorecard or the facilitator panel, from the node screen.
pub fn open_panel(state: &mut State) -> Vec<Effect> {
    if exercise::of(state).is_none() {
        state.notice = Some(Notice::Exercise(ExerciseNotice::NotAnExercise));
        return Vec::new();
    }
    state.screen = Screen::Panel(PanelView::default());
    Vec::new()
}

/// A note during an exercise; in a tabletop it is tagged for the report.
pub fn open_note(state: &mut State) -> Vec<Effect> {
    let node = state
        .incident
        .as_ref()
        .map(|inc| inc.current_node_id().to_string());
    let mut editor = super::NoteEditor::new(node);
    if exercise::is_tabletop(state) {
        editor.tag = Some(crate::store::event::NoteTag::Note);
    }
    state.screen = Screen::NoteEditor(editor);
    Vec::new()
}

/// A training run or tabletop of `state.scenarios[index]`, created with its
/// opening (scenario, its values, the first node) as the command line does.
pub fn start(state: &mut State, index: usize, mode: Mode) -> Vec<Effect> {
    let Some(scenario) = state.scenarios.get(index).cloned() else {
        return Vec::new();
    };
    let Some(tree) = state.tree(&scenario.tree).cloned() else {
        state.notice = Some(Notice::NoTrees);
        return Vec::new();
    };
    let language = super::home::incident_language(&tree, &state.lang);
    let clock = FakeClock::new(state.now);
    let opening = match mode {
        Mode::Training => TrainingRun::start(&tree, &scenario, &clock)
            .map(|(_, e)| e)
            .map_err(|e| e.to_string()),
        _ => Tabletop::start(&tree, &scenario, &clock)
            .map(|(_, u)| u.events)
            .map_err(|e| e.to_string()),
    };
    let opening = match opening {
        Ok(events) => events,
        Err(e) => {
            state.notice = Some(Notice::Invalid(e));
            return Vec::new();
        }
    };
    state.loading = true;
    vec![Effect::CreateIncident(NewIncident {
        tree_id: tree.id.value.clone(),
        title: run_title(mode, &scenario, &language),
        language,
        mode,
        variables: Vec::new(),
        variable_source: ValueSource::Typed,
        opening,
    })]
}
