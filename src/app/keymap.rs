//! The keymap: defaults as a table of (focus, command, keys, description), patched by the
//! user's `[keys.<focus>]` config. Footer hints and the help overlay are built from it.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

mod table;

use table::DEFAULTS;
pub use table::DIALOG_KEYS;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Focus {
    Global,
    Board,
    Checklist,
    Risks,
    Runs,
    Gates,
    Notes,
    Kpis,
    /// The retrospective draft (`V`).
    Retro,
    /// The detail view of an issue or pull request.
    Issue,
    Popup,
}

impl Focus {
    /// The config name (`global`, `board`, …).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Focus::Global => "global",
            Focus::Board => "board",
            Focus::Checklist => "checklist",
            Focus::Risks => "risks",
            Focus::Runs => "runs",
            Focus::Gates => "gates",
            Focus::Notes => "notes",
            Focus::Kpis => "kpis",
            Focus::Retro => "retro",
            Focus::Issue => "issue",
            Focus::Popup => "popup",
        }
    }

    /// Every focus, in the order the help overlay lists them.
    pub const ALL: [Focus; 11] = [
        Focus::Global,
        Focus::Board,
        Focus::Checklist,
        Focus::Risks,
        Focus::Runs,
        Focus::Gates,
        Focus::Notes,
        Focus::Kpis,
        Focus::Retro,
        Focus::Issue,
        Focus::Popup,
    ];

    fn parse(s: &str) -> Option<Focus> {
        Focus::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// A key with its modifiers, e.g. `ctrl-r`, `shift-tab`, `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// From a crossterm event. Shift is dropped for printable characters (it is in the char).
    #[must_use]
    pub fn from_event(e: KeyEvent) -> Self {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        if matches!(code, KeyCode::Char(_)) {
            mods -= KeyModifiers::SHIFT;
        }
        Key { code, mods }
    }

    /// Parses `q`, `?`, `ctrl-c`, `shift-tab`, `f5`, `space`, `enter`, `esc`, `up`, `pgdn`, …
    ///
    /// # Errors
    /// A message naming the key that could not be read.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        while let Some((m, r)) = strip_modifier(rest) {
            mods |= m;
            rest = r;
        }
        let code = match rest.to_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "delete" | "del" => KeyCode::Delete,
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse::<u8>().map_err(|e| e.to_string())?)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                            mods -= KeyModifiers::SHIFT;
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => return Err(format!("unknown key \"{s}\"")),
                }
            }
        };
        Ok(Key { code, mods })
    }
}

/// The modifier `s` starts with (`ctrl-`, `c-`, `alt-`, `m-`, `shift-`, in any ASCII case) and
/// the text after it. The prefixes are compared byte for byte, never through `to_lowercase`,
/// whose result can differ in length (the Kelvin sign K lowers to a one-byte `k`), so the
/// rest is always sliced on a character boundary.
fn strip_modifier(s: &str) -> Option<(KeyModifiers, &str)> {
    const PREFIXES: [(&str, KeyModifiers); 5] = [
        ("ctrl-", KeyModifiers::CONTROL),
        ("c-", KeyModifiers::CONTROL),
        ("alt-", KeyModifiers::ALT),
        ("m-", KeyModifiers::ALT),
        ("shift-", KeyModifiers::SHIFT),
    ];
    PREFIXES.iter().find_map(|(prefix, m)| {
        let head = s.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| (*m, &s[prefix.len()..]))
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Backspace => f.write_str("backspace"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Ctrl-C: quits from anywhere, popups included (the terminal is restored on the way out).
/// It is not in the bindable table: no config can take it away or give it another meaning.
pub const INTERRUPT: Key = Key {
    code: KeyCode::Char('c'),
    mods: KeyModifiers::CONTROL,
};

/// One binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub focus: Focus,
    pub command: Command,
    pub keys: Vec<Key>,
    pub description: String,
    /// Shown in the footer.
    pub hint: bool,
}

/// The active keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(focus, command, keys, description, hint)| Binding {
                focus: *focus,
                command: *command,
                keys: keys.iter().filter_map(|k| Key::parse(k).ok()).collect(),
                description: (*description).to_string(),
                hint: *hint,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults patched by `[keys.<focus>] command = [keys]`. Returns warnings for unknown
    /// focuses, commands and keys (shown until the config is fixed; never fatal). A key that
    /// cannot be read drops only itself: the list's other keys apply, and when none of them
    /// can be read the command keeps its default keys. An empty list unbinds the command.
    #[must_use]
    pub fn with_overrides(
        overrides: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    ) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut warnings = Vec::new();
        for (focus_name, commands) in overrides {
            let Some(focus) = Focus::parse(focus_name) else {
                warnings.push(format!("[keys.{focus_name}]: unknown focus"));
                continue;
            };
            for (command_name, keys) in commands {
                let Some(command) = Command::parse(command_name) else {
                    warnings.push(format!(
                        "[keys.{focus_name}] {command_name}: unknown command"
                    ));
                    continue;
                };
                let mut parsed = Vec::new();
                let mut bad = Vec::new();
                for k in keys {
                    match Key::parse(k) {
                        Ok(key) if key == INTERRUPT => {
                            bad.push(format!("{key} always quits and cannot be bound"));
                        }
                        Ok(key) => parsed.push(key),
                        Err(e) => bad.push(e),
                    }
                }
                let existing = map
                    .bindings
                    .iter_mut()
                    .find(|b| b.focus == focus && b.command == command);
                let keep_defaults = parsed.is_empty() && !bad.is_empty();
                let what = match (&existing, keep_defaults) {
                    (Some(b), true) => {
                        format!("ignored; the default keys {} stay", Keymap::keys_label(b))
                    }
                    _ => "ignored".to_string(),
                };
                warnings.extend(
                    bad.into_iter()
                        .map(|e| format!("[keys.{focus_name}] {command_name}: {e} ({what})")),
                );
                if keep_defaults {
                    continue;
                }
                match existing {
                    Some(b) => b.keys = parsed,
                    None => map.bindings.push(Binding {
                        focus,
                        command,
                        keys: parsed,
                        description: "custom binding".into(),
                        hint: false,
                    }),
                }
            }
        }
        (map, warnings)
    }

    /// Binds `[[commands]]` entry `index` to `key` in `focus`, first, so it wins over a
    /// default binding of the same key there.
    pub fn bind_custom(&mut self, focus: Focus, key: Key, index: u8, name: &str) {
        self.bindings.insert(
            0,
            Binding {
                focus,
                command: Command::Custom(index),
                keys: vec![key],
                description: name.to_string(),
                hint: false,
            },
        );
    }

    /// The command `key` runs in `focus`: the focus's own bindings first, then global ones
    /// (except in a popup, which captures every key).
    #[must_use]
    pub fn lookup(&self, focus: Focus, key: Key) -> Option<Command> {
        let find = |f: Focus| {
            self.bindings
                .iter()
                .find(|b| b.focus == f && b.keys.contains(&key))
                .map(|b| b.command)
        };
        find(focus).or_else(|| {
            if focus == Focus::Popup {
                None
            } else {
                find(Focus::Global)
            }
        })
    }

    /// The bindings to show in the footer for `focus`, each once: `?` help first (so that it
    /// is still there when the line is too narrow for every hint), then the focus's own hints,
    /// then the other global ones. A popup shows only its own.
    #[must_use]
    pub fn hints(&self, focus: Focus) -> Vec<&Binding> {
        let shown = |b: &&Binding| b.hint && !b.keys.is_empty();
        let own = self
            .bindings
            .iter()
            .filter(|b| shown(b) && b.focus == focus);
        if focus == Focus::Popup {
            return own.collect();
        }
        let global = || {
            self.bindings
                .iter()
                .filter(|b| shown(b) && b.focus == Focus::Global)
        };
        let mut v: Vec<&Binding> = global().filter(|b| b.command == Command::Help).collect();
        if focus != Focus::Global {
            v.extend(own);
        }
        v.extend(global().filter(|b| b.command != Command::Help));
        v
    }

    /// The default keys of `binding`'s command where they differ from its keys now (the
    /// user rebound it: `Some(defaults)`, empty for a binding the defaults do not have).
    #[must_use]
    pub fn rebound(binding: &Binding) -> Option<Vec<Key>> {
        if matches!(binding.command, Command::Custom(_)) {
            return None;
        }
        let defaults: Vec<Key> = DEFAULTS
            .iter()
            .find(|(f, c, ..)| *f == binding.focus && *c == binding.command)
            .map(|(_, _, keys, ..)| keys.iter().filter_map(|k| Key::parse(k).ok()).collect())
            .unwrap_or_default();
        (defaults != binding.keys).then_some(defaults)
    }

    /// The keys of a binding, e.g. `j/↓`.
    #[must_use]
    pub fn keys_label(binding: &Binding) -> String {
        binding
            .keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests;
