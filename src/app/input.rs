//! A one-line text input (titles, variable values, search queries).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Longest line accepted; longer pastes are cut, never a reason to panic.
const MAX_CHARS: usize = 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        let text: String = text.chars().take(MAX_CHARS).collect();
        let cursor = text.chars().count();
        Self { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Applies an editing key; returns whether the text changed.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let changed = !self.text.is_empty();
                self.text.clear();
                self.cursor = 0;
                changed
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() && len < MAX_CHARS => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_multibyte_text_by_characters() {
        let mut input = LineInput::new("日本");
        input.handle(&key(KeyCode::Left));
        input.handle(&key(KeyCode::Char('x')));
        assert_eq!(input.text(), "日x本");
        input.handle(&key(KeyCode::Backspace));
        input.handle(&key(KeyCode::Backspace));
        input.handle(&key(KeyCode::Backspace));
        assert_eq!(input.text(), "本");
        input.handle(&key(KeyCode::End));
        input.handle(&key(KeyCode::Delete));
        assert_eq!((input.text(), input.cursor()), ("本", 1));
    }
}
