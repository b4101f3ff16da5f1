//! The `:` command palette: every command of the live keymap by name and description, with its
//! keys, fuzzy-searched; Enter runs the selected one (a pane's command moves the focus to that
//! pane first), Esc closes.

use super::keymap::{Focus, Key};
use super::state::{AppState, Level, Pane};
use super::{Command, overlay::Overlay};
use crate::config::ThemeName;

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
    pub description: String,
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
            description: b.description.clone(),
            name: match b.command {
                Command::Custom(_) => b.description.clone(),
                other => other.name(),
            },
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

/// A palette line that takes an argument instead of naming a keymap command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    /// `theme [dark|light]`: switch theme (the next one when none is named).
    Theme(ThemeName),
    /// `repo [name]`: show only repository `name` in every list pane; no name shows all again.
    Repo(Option<String>),
    /// The command is known but its argument is not: why, shown instead of running.
    Invalid(String),
}

/// What Enter in the palette runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// A keymap command, from the pane whose focus owns it.
    Command(Focus, Command),
    Argument(Argument),
}

/// The query read as an argument command (`theme light`, `repo storefront`), with the line
/// the palette shows for it; `None` when the query's first word is neither.
#[must_use]
pub fn argument(state: &AppState, query: &str) -> Option<(Argument, String)> {
    let mut words = query.split_whitespace();
    let verb = words.next()?.to_lowercase();
    let arg = words.next();
    match verb.as_str() {
        "theme" => Some(match arg {
            None => {
                let all = ThemeName::ALL;
                let at = all
                    .iter()
                    .position(|t| *t == state.session.theme)
                    .unwrap_or(0);
                let next = all[(at + 1) % all.len()];
                (
                    Argument::Theme(next),
                    format!("Switch to the {} theme", next.as_str()),
                )
            }
            Some(name) => match ThemeName::parse(name) {
                Some(t) => (
                    Argument::Theme(t),
                    format!("Switch to the {} theme", t.as_str()),
                ),
                None => invalid(format!("No theme \"{name}\": dark or light")),
            },
        }),
        "repo" => Some(match arg {
            None => (
                Argument::Repo(None),
                "Show every repository in the lists again".into(),
            ),
            Some(name) => {
                let repos = &state.repos;
                let wanted = name.to_lowercase();
                let found = repos.iter().find(|r| {
                    let r = r.to_lowercase();
                    r == wanted || r.rsplit('/').next() == Some(wanted.as_str())
                });
                match found {
                    Some(r) => (
                        Argument::Repo(Some(r.clone())),
                        format!("Show only {r} in the board, checklist, risks and runs"),
                    ),
                    None => invalid(format!(
                        "No repository \"{name}\" in this release: {}",
                        repos.join(", ")
                    )),
                }
            }
        }),
        _ => None,
    }
}

fn invalid(why: String) -> (Argument, String) {
    (Argument::Invalid(why.clone()), why)
}

/// Runs an argument command.
pub fn run(state: &mut AppState, arg: Argument) {
    let text = match arg {
        Argument::Theme(t) => {
            state.session.theme = t;
            format!("Theme: {}", t.as_str())
        }
        Argument::Repo(repo) => {
            super::lists::scope_to_repo(state, repo.as_deref());
            repo.map_or_else(
                || "Showing every repository".to_string(),
                |r| format!("Showing only {r}; :repo shows all again"),
            )
        }
        Argument::Invalid(why) => why,
    };
    state.status = Some(super::state::Entry {
        at: state.now,
        level: Level::Info,
        text,
    });
    state.dirty = true;
}

/// `:` opens the palette.
pub fn open(state: &mut AppState) {
    state.overlays.open(Overlay::Palette(Palette::default()));
}

/// A key while the palette is on top: typing edits the query, ↑/↓ move, Enter returns the
/// chosen command (and closes the palette), Esc closes.
pub fn key(state: &mut AppState, key: Key) -> Option<Chosen> {
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
            let arg = argument(state, &p.query).map(|(a, _)| a);
            let offset = usize::from(arg.is_some());
            if p.cursor == 0
                && let Some(arg) = arg
            {
                return Some(Chosen::Argument(arg));
            }
            return found
                .get(p.cursor - offset)
                .map(|e| Chosen::Command(e.focus, e.command));
        }
        KeyCode::Up => p.cursor = p.cursor.saturating_sub(1),
        KeyCode::Down => {
            let rows = found.len() + usize::from(argument(state, &p.query).is_some());
            p.cursor = (p.cursor + 1).min(rows.saturating_sub(1));
        }
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
