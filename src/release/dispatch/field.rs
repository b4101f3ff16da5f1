//! Editing one form field ([`InputField`]) and the [`Form`] keys every form answers: shared by
//! the dispatch form and the new-risk form.

use super::{InputField, InputKind, field_error};

impl InputField {
    /// Types a character into a text field; `false` (nothing typed) on booleans, choices and
    /// control characters.
    pub fn type_char(&mut self, c: char) -> bool {
        if c.is_control() || !self.kind.is_text() {
            return false;
        }
        self.value.push(c);
        true
    }

    /// Deletes the last character of a text field; `false` on booleans and choices.
    pub fn backspace(&mut self) -> bool {
        if !self.kind.is_text() {
            return false;
        }
        self.value.pop();
        true
    }

    /// Steps through the options of a choice or environment by `delta` (wrapping; from no
    /// option yet, +1 picks the first and -1 the last); flips a boolean when `delta` is odd.
    /// `false` when nothing changed (text fields).
    pub fn cycle(&mut self, delta: i32) -> bool {
        if delta == 0 {
            return false;
        }
        if self.kind == InputKind::Boolean {
            if delta % 2 == 0 {
                return false;
            }
            self.value = if self.value == "true" {
                "false"
            } else {
                "true"
            }
            .to_string();
            return true;
        }
        let Some(options) = self.kind.options() else {
            return false;
        };
        let Ok(len) = i64::try_from(options.len()) else {
            return false;
        };
        if len == 0 {
            return false;
        }
        let at = options
            .iter()
            .position(|o| *o == self.value)
            .and_then(|i| i64::try_from(i).ok());
        let next = match at {
            Some(i) => (i + i64::from(delta)).rem_euclid(len),
            // Not on an option yet: +1 picks the first, -1 the last.
            None if delta >= 0 => (i64::from(delta) - 1).rem_euclid(len),
            None => (len + i64::from(delta)).rem_euclid(len),
        };
        match usize::try_from(next).ok().and_then(|i| options.get(i)) {
            Some(option) => {
                self.value = option.clone();
                true
            }
            None => false,
        }
    }

    /// What is wrong with the value, if anything: required and empty, or not a number.
    #[must_use]
    pub fn error(&self) -> Option<String> {
        field_error(self)
    }
}

/// A form of fields edited from the keyboard: the dispatch form and the new-risk form answer
/// the same keys through this (see `app::dispatch::edit_form`).
pub trait Form {
    /// Focus on the next field, wrapping.
    fn next_field(&mut self);
    /// Focus on the previous field, wrapping.
    fn prev_field(&mut self);
    /// Whether the focused field takes typed text (so space and letters are text).
    fn is_text_focused(&self) -> bool;
    /// Types into the focused text field.
    fn type_char(&mut self, c: char);
    /// Deletes the last character of the focused text field.
    fn backspace(&mut self);
    /// Steps the focused choice (or flips the focused boolean).
    fn cycle(&mut self, delta: i32);
}
