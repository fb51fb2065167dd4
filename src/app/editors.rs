//! Screens where the responder types: notes, choice reasons, variables; and
//! the confirmation dialogs that protect what was typed.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{TextArea, WrapMode};

use super::input::LineInput;
use super::node::{Move, do_move, try_move};
use super::{Action, Effect, NodeView, Notice, Screen, State};
use crate::store::event::{EventKind, NoteTag, ValueSource};
use crate::tree::template;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmDialog {
    /// Moving on while mandatory checklist items are open.
    LeaveWithOpenItems { open: usize, then: Move },
    /// Closing the note editor with unsaved text.
    DiscardNote,
    /// Closing the reason editor with unsaved text.
    DiscardReason,
    /// Quitting with a draft, a lookup or an action in flight.
    Quit(super::quit::AtStake),
    /// Reopening a closed incident (recorded).
    Reopen,
    /// Ending a tabletop: the incident closes and the clock stops.
    EndExercise,
    /// A jump's target is an outcome: the walk would end without a decision.
    JumpToOutcome,
    /// A teammate recorded a different choice at this node (read from
    /// Sentinel): recording this one anyway is the responder's call.
    TeammateChose {
        /// Who, as Sentinel names them (untrusted: shown made visible).
        author: String,
        /// Their choice's label in the incident's language.
        choice: String,
        at: Option<chrono::DateTime<chrono::Utc>>,
        then: Move,
    },
    /// The walk reached an outcome: close the incident now?
    CloseAtOutcome,
}

fn text_area() -> TextArea<'static> {
    let mut t = TextArea::default();
    // Wrap long lines (and Japanese) inside the box instead of scrolling sideways.
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t
}

#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub textarea: TextArea<'static>,
    /// The node the note is attached to; None attaches it to the incident only.
    pub node: Option<String>,
    /// The write in flight; the editor closes only when it is confirmed.
    pub saving: Option<u64>,
    /// In a tabletop: how the note is filed in the after-action report.
    pub tag: Option<NoteTag>,
}

impl NoteEditor {
    pub fn new(node: Option<String>) -> Self {
        Self {
            textarea: text_area(),
            node,
            saving: None,
            tag: None,
        }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn is_dirty(&self) -> bool {
        !self.text().trim().is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct ReasonEditor {
    /// The node the choice is made at.
    pub node: String,
    /// The choice being made.
    pub choice: usize,
    pub textarea: TextArea<'static>,
}

impl ReasonEditor {
    pub fn new(node: &str, choice: usize) -> Self {
        Self {
            node: node.to_string(),
            choice,
            textarea: text_area(),
        }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n").trim().to_string()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VariablesView {
    /// Index into the tree's variables.
    pub cursor: usize,
    /// The value being typed, when editing.
    pub editing: Option<LineInput>,
    pub error: Option<String>,
    pub saving: Option<u64>,
}

pub fn confirm_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Some(dialog) = state.dialog.clone() else {
        return Vec::new();
    };
    match action {
        Some(Action::Quit) => super::quit::quit(state),
        Some(Action::Yes) if matches!(dialog, ConfirmDialog::Quit(_)) => {
            super::quit::finish(state, "the responder quit")
        }
        Some(Action::Yes) => {
            state.dialog = None;
            match dialog {
                ConfirmDialog::LeaveWithOpenItems { then, .. } => do_move(state, then),
                ConfirmDialog::DiscardNote | ConfirmDialog::DiscardReason => {
                    state.screen = state.node_screen();
                    Vec::new()
                }
                ConfirmDialog::Quit(_) => Vec::new(),
                ConfirmDialog::Reopen => super::closed::reopen(state),
                ConfirmDialog::EndExercise => super::exercise_clock::end(state),
                ConfirmDialog::JumpToOutcome => super::jump::commit(state),
                ConfirmDialog::TeammateChose { then, .. } => {
                    super::teammates::confirmed(state, then)
                }
                ConfirmDialog::CloseAtOutcome => super::home_close::close_at_outcome(state),
            }
        }
        Some(Action::No) => {
            state.dialog = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn note_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Screen::NoteEditor(editor) = &mut state.screen else {
        return Vec::new();
    };
    if editor.saving.is_some() {
        state.notice = Some(Notice::SavingInProgress);
        return Vec::new();
    }
    match action {
        Some(Action::Save) => {
            let text = editor.text().trim_end().to_string();
            if text.trim().is_empty() {
                let why = super::value_text::value_error(
                    state.language(),
                    &crate::tree::value::ValueError::Empty,
                );
                state.notice = Some(Notice::Invalid(why));
                return Vec::new();
            }
            let kind = match editor.tag {
                Some(tag) => EventKind::TabletopNote {
                    node: editor.node.clone(),
                    tag,
                    text,
                },
                None => EventKind::NoteAdded {
                    node: editor.node.clone(),
                    text,
                },
            };
            let Some((req, effect)) = state.record(kind) else {
                return Vec::new();
            };
            if let Screen::NoteEditor(editor) = &mut state.screen {
                editor.saving = Some(req);
            }
            vec![effect]
        }
        Some(Action::Tag) if editor.tag.is_some() => {
            editor.tag = editor.tag.map(|t| match t {
                NoteTag::Note => NoteTag::Strength,
                NoteTag::Strength => NoteTag::Improvement,
                NoteTag::Improvement => NoteTag::Note,
            });
            Vec::new()
        }
        Some(Action::Attach) => {
            // A note belongs to the incident; the node is optional context.
            editor.node = match editor.node.take() {
                Some(_) => None,
                None => state
                    .incident
                    .as_ref()
                    .map(|i| i.current_node_id().to_string()),
            };
            Vec::new()
        }
        Some(Action::Cancel) => {
            if editor.is_dirty() {
                state.dialog = Some(ConfirmDialog::DiscardNote);
            } else {
                state.screen = state.node_screen();
            }
            Vec::new()
        }
        _ => {
            editor.textarea.input(key);
            Vec::new()
        }
    }
}

pub fn reason_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Screen::Reason(editor) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Save) => {
            let text = editor.text();
            let mv = Move::Choice {
                index: editor.choice,
                reason: (!text.is_empty()).then_some(text),
            };
            let Some(inc) = &state.incident else {
                return Vec::new();
            };
            if inc.current_node_id() != editor.node {
                // Someone moved the walk meanwhile: this choice was for a
                // node the incident has left. The text stays.
                if let Some(step) = inc.walk.path.last() {
                    state.notice = Some(Notice::Refused {
                        actor: step.stamp.actor.label(),
                        at: step.stamp.at,
                    });
                }
                return Vec::new();
            }
            let tree = inc.tree.clone();
            let Some(node) = tree.node(inc.current_node_id()) else {
                return Vec::new();
            };
            try_move(state, node, mv)
        }
        Some(Action::Cancel) => {
            if editor.text().is_empty() {
                state.screen = state.node_screen();
            } else {
                state.dialog = Some(ConfirmDialog::DiscardReason);
            }
            Vec::new()
        }
        _ => {
            editor.textarea.input(key);
            Vec::new()
        }
    }
}

pub fn variables_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(inc) = &state.incident else {
        return Vec::new();
    };
    let tree = inc.tree.clone();
    let values = inc.walk.values.clone();
    let lang = inc.language().to_string();
    let Screen::Variables(view) = &mut state.screen else {
        return Vec::new();
    };
    let var = tree.variables.get(view.cursor);
    if let Some(input) = &mut view.editing {
        if view.saving.is_some() {
            state.notice = Some(Notice::SavingInProgress);
            return Vec::new();
        }
        match action {
            Some(Action::Save) => {
                let Some(var) = var else { return Vec::new() };
                match template::accept(&tree, &var.name.value, input.text()) {
                    Err(e) => view.error = Some(super::value_text::entry_error(&lang, &e)),
                    Ok(value) => {
                        view.error = None;
                        let kind = EventKind::VariableSet {
                            name: var.name.value.clone(),
                            value,
                            source: ValueSource::Typed,
                        };
                        let Some((req, effect)) = state.act(vec![kind]) else {
                            return Vec::new();
                        };
                        if let Screen::Variables(view) = &mut state.screen {
                            view.saving = Some(req);
                        }
                        return vec![effect];
                    }
                }
            }
            Some(Action::Cancel) => {
                view.editing = None;
                view.error = None;
            }
            _ => {
                if input.handle(&key) {
                    view.error = None;
                }
            }
        }
        return Vec::new();
    }
    let last = tree.variables.len().saturating_sub(1);
    match action {
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::Down) => view.cursor = (view.cursor + 1).min(last),
        Some(Action::Select) => {
            if let Some(var) = var {
                let current = values.get(var.name.as_str()).map_or("", String::as_str);
                view.editing = Some(LineInput::new(current));
            }
        }
        Some(Action::Copy) => {
            let text = var.and_then(|v| values.get(v.name.as_str()).cloned());
            return super::node::copy(state, text);
        }
        Some(Action::Back) => state.screen = state.node_screen(),
        Some(Action::Help) => super::views::open_help(state),
        _ => {}
    }
    Vec::new()
}

/// A write the store confirmed: close the editor that was waiting for it.
pub fn write_confirmed(state: &mut State, req: u64) {
    let move_pending = state.move_pending();
    match &mut state.screen {
        Screen::NoteEditor(e) if e.saving == Some(req) => {
            state.screen = state.node_screen();
        }
        Screen::Variables(v) if v.saving == Some(req) => {
            v.saving = None;
            v.editing = None;
        }
        // The choice is recorded: the reason went with it.
        Screen::Reason(_) if !move_pending => {
            state.screen = Screen::Node(NodeView::default());
        }
        _ => {}
    }
}

/// A write failed: keep what the responder typed so they can try again.
pub fn write_failed(state: &mut State, req: u64) {
    super::home_close::failed(state, req);
    match &mut state.screen {
        Screen::NoteEditor(e) if e.saving == Some(req) => e.saving = None,
        Screen::Variables(v) if v.saving == Some(req) => v.saving = None,
        _ => {}
    }
}
