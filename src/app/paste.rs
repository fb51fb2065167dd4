//! Pasted text (bracketed paste): inserted whole into the text field that
//! has focus, and never read as keys anywhere else, so a pasted URL on the
//! node screen cannot choose or run anything.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Context, Effect, Notice, Screen, State};

/// Where a paste goes in the current context.
enum Target {
    /// A multi-line editor (notes, reasons): the text as pasted.
    Lines,
    /// A one-line field: line breaks and tabs become spaces.
    Line,
    /// No text field, a dialog, or a field that must be typed (the
    /// confirmation of a destructive action): the paste is dropped.
    Refused,
}

fn target(ctx: Context) -> Target {
    match ctx {
        Context::Notes | Context::Reason => Target::Lines,
        Context::ActionConfirm => Target::Refused,
        c if c.takes_text() => Target::Line,
        _ => Target::Refused,
    }
}

pub fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    state.notice = None;
    match target(state.context()) {
        Target::Refused => {
            state.notice = Some(Notice::PasteIgnored);
            Vec::new()
        }
        Target::Lines => {
            let text = multi_line(text);
            match &mut state.screen {
                Screen::NoteEditor(e) if e.saving.is_none() => {
                    e.textarea.insert_str(text);
                }
                Screen::NoteEditor(_) => state.notice = Some(Notice::SavingInProgress),
                Screen::Reason(e) => {
                    e.textarea.insert_str(text);
                }
                _ => {}
            }
            Vec::new()
        }
        // Typed into the field one character at a time, with no key
        // resolved: the screen's own editing (and its validation) applies,
        // and no character can act as a command.
        Target::Line => {
            let mut effects = Vec::new();
            for c in single_line(text).chars() {
                let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                effects.extend(super::handle_key(state, None, key));
            }
            effects
        }
    }
}

/// Line endings as `\n`; other control characters dropped (tabs become
/// spaces), so pasted escape sequences never reach a field.
fn multi_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// One line: every line break and tab a space, other controls dropped, and
/// the trailing newline a copied line usually carries removed.
fn single_line(text: &str) -> String {
    multi_line(text.trim_end_matches(['\r', '\n']))
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_line_loses_breaks_and_control_characters() {
        assert_eq!(single_line("a\r\nb\tc\x1b[31m\n"), "a b c[31m");
        assert_eq!(multi_line("a\r\nb\rc\x07"), "a\nb\nc");
    }
}
