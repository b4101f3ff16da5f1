//! The `:` command palette: every command of the live keymap by name and description, with its
//! keys, fuzzy-searched; Enter runs the selected one (a pane's command moves the focus to that
//! pane first), Esc closes.

use super::keymap::{Focus, Key};
use super::state::{AppState, Pane};
use super::{Command, overlay::Overlay};

/// The palette's text and cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub query: String,
    pub cursor: usize,
}

/// One command the palette offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub focus: Focus,
    pub command: Command,
    /// Its keys as the keymap has them ("d", "space/enter").
    pub keys: String,
    pub description: &'static str,
    /// The config name (`dispatch`, `refresh`, …).
    pub name: String,
}

/// The pane whose focus owns `focus`'s commands; `None` for commands of every pane.
#[must_use]
pub fn pane_of(focus: Focus) -> Option<Pane> {
    match focus {
        Focus::Board => Some(Pane::Board),
        Focus::Checklist => Some(Pane::Checklist),
        Focus::Risks => Some(Pane::Risks),
        Focus::Runs => Some(Pane::Runs),
        Focus::Gates => Some(Pane::Gates),
        Focus::Notes => Some(Pane::Notes),
        Focus::Kpis => Some(Pane::Kpis),
        Focus::Global | Focus::Popup | Focus::Retro | Focus::Issue => None,
    }
}

/// Every command a user can run from the palette: those of the panes and the global ones, not
/// those that only mean something inside a popup.
#[must_use]
pub fn entries(state: &AppState) -> Vec<Entry> {
    state
        .session
        .keymap
        .bindings
        .iter()
        .filter(|b| b.focus == Focus::Global || pane_of(b.focus).is_some())
        .filter(|b| b.command != Command::Palette)
        .map(|b| Entry {
            focus: b.focus,
            command: b.command,
            keys: b
                .keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("/"),
            description: b.description,
            name: b.command.name(),
        })
        .collect()
}

/// How well `query` matches `entry`, higher is better; `None` when it does not. Every word
/// of the query must match the name, the description or the pane: as a prefix of a word
/// (best), as a substring, or as letters in order (fuzzy: in the name, then anywhere).
#[must_use]
pub fn score(query: &str, entry: &Entry) -> Option<u32> {
    let pane = pane_of(entry.focus).map_or("", Pane::title).to_lowercase();
    let hay = format!(
        "{} {} {}",
        entry.name.replace('_', " "),
        entry.description.to_lowercase(),
        pane
    );
    let mut total = 0;
    for word in query.to_lowercase().split_whitespace() {
        total += if entry.name == word {
            100
        } else if hay
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(word))
        {
            30
        } else if hay.contains(word) {
            20
        } else if in_order(word, &entry.name) {
            10
        } else if in_order(word, &hay) {
            5
        } else {
            return None;
        };
    }
    Some(total)
}

fn in_order(needle: &str, hay: &str) -> bool {
    let mut rest = hay.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

/// The entries matching the palette's query, best first (the keymap's order among equals).
#[must_use]
pub fn matches(state: &AppState, query: &str) -> Vec<Entry> {
    let mut scored: Vec<(u32, usize, Entry)> = entries(state)
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| score(query, &e).map(|s| (s, i, e)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, e)| e).collect()
}

/// `:` opens the palette.
pub fn open(state: &mut AppState) {
    state.overlays.open(Overlay::Palette(Palette::default()));
}

/// A key while the palette is on top: typing edits the query, ↑/↓ move, Enter returns the
/// chosen command (and closes the palette), Esc closes.
pub fn key(state: &mut AppState, key: Key) -> Option<(Focus, Command)> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let Some(Overlay::Palette(p)) = state.overlays.top() else {
        return None;
    };
    let mut p = p.clone();
    let found = matches(state, &p.query);
    match key.code {
        KeyCode::Esc => {
            state.overlays.close_top();
            return None;
        }
        KeyCode::Enter => {
            state.overlays.close_top();
            return found.get(p.cursor).map(|e| (e.focus, e.command));
        }
        KeyCode::Up => p.cursor = p.cursor.saturating_sub(1),
        KeyCode::Down => p.cursor = (p.cursor + 1).min(found.len().saturating_sub(1)),
        KeyCode::Backspace => {
            p.query.pop();
            p.cursor = 0;
        }
        KeyCode::Char(c) if !key.mods.contains(KeyModifiers::CONTROL) => {
            p.query.push(c);
            p.cursor = 0;
        }
        _ => {}
    }
    if let Some(Overlay::Palette(slot)) = state.overlays.top_mut() {
        *slot = p;
    }
    None
}
