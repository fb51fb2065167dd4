//! Keys of the exercise screens: the feedback after a scored decision, the
//! scorecard or facilitator panel, and the inject shown over the screen.

use super::exercise::{self, ExerciseNotice, PanelView};
use super::{Action, Effect, Notice, Screen, State};

pub fn feedback_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Screen::Feedback(view) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Up) => view.scroll = view.scroll.saturating_sub(1),
        Some(Action::Down) => view.scroll += 1,
        Some(Action::PageUp) => view.scroll = view.scroll.saturating_sub(10),
        Some(Action::PageDown) => view.scroll += 10,
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
    match action {
        Some(Action::Up) => view.scroll = view.scroll.saturating_sub(1),
        Some(Action::Down) => view.scroll += 1,
        Some(Action::PageUp) => view.scroll = view.scroll.saturating_sub(10),
        Some(Action::PageDown) => view.scroll += 10,
        Some(Action::ReleaseInject) => return exercise::release_next(state),
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
