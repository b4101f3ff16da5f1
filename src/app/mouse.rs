//! The mouse: a click focuses a pane and selects the row under it, a click on a tab switches
//! pane, the wheel moves through the pane (or scrolls the popup) under the pointer. What is
//! under the pointer is the view's answer ([`Target`], from the regions of the last frame), so
//! the geometry lives in one place; what a click does lives here.

use super::effect::Effect;
use super::keymap::Key;
use super::overlay::Overlay;
use super::state::{AppState, Pane};

/// What a point of the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A tab of the narrow layout.
    Tab(Pane),
    /// A pane, away from its rows.
    Pane(Pane),
    /// A row of a list pane: `index` counts the rows shown (through the pane's filter), like
    /// the pane's cursor; `column` is the board's phase column (0 elsewhere).
    Row {
        pane: Pane,
        column: usize,
        index: usize,
    },
    /// A phase column of the board, away from its cards.
    Column(usize),
    /// A popup: clicks there do nothing (never a click through a dialog), the wheel scrolls it.
    Popup,
}

/// A mouse event, with what the view says is under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub target: Option<Target>,
}

/// The mouse events shipdeck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button pressed.
    Click,
    ScrollUp,
    ScrollDown,
}

/// Handles one mouse event. Off (`[ui] mouse = false`) it does nothing.
pub fn handle(state: &mut AppState, m: Mouse) -> Vec<Effect> {
    if !state.session.mouse {
        return Vec::new();
    }
    let wheel = match m.kind {
        MouseKind::Click => None,
        MouseKind::ScrollUp => Some(-1),
        MouseKind::ScrollDown => Some(1),
    };
    if let Some(top) = state.overlays.top() {
        // Popups with text to scroll take the wheel as ↑/↓; dialogs (a form, a confirm, the
        // palette) ignore the mouse, so a wheel never changes a choice.
        let scrolls = matches!(
            top,
            Overlay::Help { .. } | Overlay::RunDetail(_) | Overlay::Issue(_) | Overlay::Command(_)
        );
        return match wheel {
            Some(d) if scrolls => {
                let key = if d < 0 { "up" } else { "down" };
                Key::parse(key).map_or_else(
                    |_| Vec::new(),
                    |k| super::update(state, super::Action::Input(k)),
                )
            }
            _ => Vec::new(),
        };
    }
    if super::lists::editing(state) {
        // The filter line has the keys: leave it first (Enter or Esc).
        return Vec::new();
    }
    let Some(target) = m.target else {
        return Vec::new();
    };
    state.dirty = true;
    let pane = match target {
        Target::Tab(p) | Target::Pane(p) | Target::Row { pane: p, .. } => p,
        Target::Column(_) => Pane::Board,
        Target::Popup => return Vec::new(),
    };
    state.focus = pane;
    if let Some(d) = wheel {
        super::input::move_cursor(state, d);
        return Vec::new();
    }
    match target {
        Target::Column(column) => select_column(state, column),
        Target::Row {
            pane,
            column,
            index,
        } => {
            if pane == Pane::Board {
                select_column(state, column);
            }
            // From the top, then down to the row: the pane's own clamping applies.
            super::input::move_cursor(state, isize::MIN);
            super::input::move_cursor(state, isize::try_from(index).unwrap_or(isize::MAX));
        }
        _ => {}
    }
    Vec::new()
}

fn select_column(state: &mut AppState, column: usize) {
    if state.board.column != column {
        state.board.column = column;
        state.board.card = 0;
    }
}
