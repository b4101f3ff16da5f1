//! The keymap: defaults as a table of (focus, command, keys, description), patched by the
//! user's `[keys.<focus>]` config. Footer hints and the help overlay are built from it.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

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

/// The default table: (focus, command, keys, description, shown in the footer).
#[rustfmt::skip]
const DEFAULTS: &[(Focus, Command, &[&str], &str, bool)] = &[
    (Focus::Global, Command::Quit, &["q"], "quit", true),
    (Focus::Global, Command::Help, &["?"], "help", true),
    (Focus::Global, Command::NextPane, &["tab"], "next pane", false),
    (Focus::Global, Command::PrevPane, &["shift-tab"], "previous pane", false),
    (Focus::Global, Command::FocusBoard, &["1"], "phase board", false),
    (Focus::Global, Command::FocusChecklist, &["2"], "checklist", false),
    (Focus::Global, Command::FocusRisks, &["3"], "risks", false),
    (Focus::Global, Command::FocusRuns, &["4"], "runs", false),
    (Focus::Global, Command::FocusGates, &["5"], "gates", false),
    (Focus::Global, Command::FocusActivity, &["6"], "activity log", false),
    (Focus::Global, Command::Up, &["k", "up"], "up", false),
    (Focus::Global, Command::Down, &["j", "down"], "down", false),
    (Focus::Global, Command::Top, &["g", "home"], "first", false),
    (Focus::Global, Command::Bottom, &["G", "end"], "last", false),
    (Focus::Global, Command::PageUp, &["pgup", "ctrl-u"], "page up", false),
    (Focus::Global, Command::PageDown, &["pgdn", "ctrl-d"], "page down", false),
    (Focus::Global, Command::Refresh, &["r", "f5"], "refresh", true),
    (Focus::Global, Command::Zoom, &["z"], "zoom", true),
    (Focus::Global, Command::OpenInBrowser, &["o"], "open", true),
    (Focus::Global, Command::CopyUrl, &["y"], "copy URL", false),
    (Focus::Global, Command::Filter, &["/"], "filter the list", false),
    (Focus::Global, Command::Close, &["esc"], "clear the filter / unzoom", false),
    (Focus::Board, Command::Left, &["h", "left"], "prev phase", true),
    (Focus::Board, Command::Right, &["l", "right"], "next phase", true),
    (Focus::Board, Command::Drill, &["enter"], "issue / PR details", false),
    (Focus::Risks, Command::Drill, &["enter"], "risk details", false),
    (Focus::Risks, Command::NewRisk, &["n"], "new risk", true),
    (Focus::Risks, Command::RaiseLikelihood, &["+"], "likelihood +1", false),
    (Focus::Risks, Command::LowerLikelihood, &["-"], "likelihood −1", false),
    (Focus::Risks, Command::RaiseImpact, &[">"], "impact +1", false),
    (Focus::Risks, Command::LowerImpact, &["<"], "impact −1", false),
    (Focus::Risks, Command::RetireRisk, &["x"], "retire risk", true),
    (Focus::Checklist, Command::Drill, &["i"], "linked issue details", false),
    (Focus::Checklist, Command::ToggleItem, &["space", "enter"], "tick", true),
    (Focus::Checklist, Command::Undo, &["u"], "undo tick", true),
    (Focus::Global, Command::ReviewTicks, &["T"], "ticks to review", false),
    (Focus::Global, Command::FocusAudit, &["7"], "audit log", false),
    (Focus::Global, Command::FocusBurnup, &["8"], "burn-up chart", false),
    (Focus::Global, Command::FocusNotes, &["9"], "release notes", false),
    (Focus::Global, Command::FocusKpis, &["0"], "delivery KPIs", false),
    (Focus::Global, Command::Palette, &[":"], "command palette", false),
    (Focus::Global, Command::ToggleLock, &["L"], "lock / unlock deploys", false),
    (Focus::Global, Command::MarkHealth, &["m"], "mark release healthy / faulty", false),
    (Focus::Global, Command::StatusUpdate, &["U"], "post / edit status comment", false),
    (Focus::Global, Command::CloseMilestone, &["C"], "close the milestone", false),
    (Focus::Global, Command::Retro, &["V"], "retrospective draft", false),
    (Focus::Runs, Command::Drill, &["enter"], "details", true),
    (Focus::Runs, Command::Close, &["esc"], "close details", false),
    (Focus::Runs, Command::Dispatch, &["d"], "dispatch", true),
    (Focus::Runs, Command::Rerun, &["R"], "re-run", true),
    (Focus::Runs, Command::CancelRun, &["X"], "cancel run", true),
    (Focus::Runs, Command::Rollback, &["b"], "roll back", true),
    (Focus::Runs, Command::Review, &["a"], "approve / reject", true),
    (Focus::Runs, Command::Compact, &["c"], "compact", false),
    (Focus::Gates, Command::Signoff, &["S"], "sign off / withdraw", true),
    (Focus::Notes, Command::WriteNotes, &["w"], "write notes-<milestone>.md", true),
    (Focus::Notes, Command::PublishNotes, &["P"], "create / update draft releases", true),
    (Focus::Notes, Command::GeneratedNotes, &["n"], "GitHub's generated notes side by side", false),
    (Focus::Kpis, Command::Drill, &["enter"], "events behind the number", true),
    (Focus::Kpis, Command::Close, &["esc"], "back to the metrics", false),
    (Focus::Retro, Command::Up, &["k", "up"], "up", false),
    (Focus::Retro, Command::Down, &["j", "down"], "down", false),
    (Focus::Retro, Command::ToggleItem, &["space"], "pick line", true),
    (Focus::Retro, Command::FileFollowUps, &["F"], "file picked lines as follow-ups", true),
    (Focus::Retro, Command::Close, &["esc", "q"], "close", true),
    (Focus::Issue, Command::Close, &["esc"], "close", true),
    (Focus::Issue, Command::Comment, &["c"], "comment", true),
    (Focus::Popup, Command::Close, &["esc", "q", "?"], "close", true),
    (Focus::Popup, Command::Up, &["k", "up"], "scroll up", false),
    (Focus::Popup, Command::Down, &["j", "down"], "scroll down", false),
];

/// The keys of the popups that take keys raw because they have text to type (and of the tick
/// review), which `[keys]` does not rebind: (where, [(keys, what they do)]). `?` and the README
/// list them; their handlers are `dispatch::edit_form` (both forms), `Confirm::key`, `lists::key`,
/// `palette::key`, `custom::key` and `review::key`.
pub const DIALOG_KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "In the dispatch form",
        &[
            ("tab/↓ shift-tab/↑", "next / previous field"),
            ("←/→", "choose an option"),
            ("space", "flip a yes/no field"),
            ("typing", "edit a text field (q too)"),
            ("enter", "review; on an edited ref, read the workflow again"),
            ("esc", "cancel"),
        ],
    ),
    (
        "In a confirm dialog",
        &[
            ("←/→ tab", "No / Yes (No first)"),
            ("↑/↓", "change the choice"),
            ("typing", "the comment, reason or name asked for"),
            ("y / n", "Yes / No, where there is nothing to type"),
            ("enter", "the selected button"),
            ("esc q", "cancel (q where there is nothing to type)"),
        ],
    ),
    (
        "In a pane's / filter",
        &[
            (
                "typing",
                "narrow the rows: text @login label:x is:open repo:name",
            ),
            ("ctrl-u", "clear the query"),
            ("↑/↓", "move among the rows shown"),
            ("enter", "keep the filter, keys back to the pane"),
            ("esc", "clear the filter"),
        ],
    ),
    (
        "In the : palette",
        &[
            (
                "typing",
                "search commands; also theme [dark|light], repo [name], q",
            ),
            ("↑/↓", "choose"),
            ("enter", "run it (from its pane)"),
            ("esc", "close"),
        ],
    ),
    (
        "In a [[commands]] popup",
        &[
            ("y/enter n/esc", "run / cancel (confirm = true)"),
            ("j/k pgup/pgdn", "scroll the output"),
            ("esc q", "close"),
        ],
    ),
    (
        "In the ticks to review (T)",
        &[
            ("j/k", "move"),
            ("r/enter", "retry the tick"),
            ("d/x/delete", "discard it"),
            ("esc q", "close"),
        ],
    ),
    (
        "With the mouse ([ui] mouse)",
        &[
            ("click", "focus a pane, select a row, switch tab"),
            ("wheel", "move in the pane, scroll a popup"),
        ],
    ),
];

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
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).expect("valid key")
    }

    #[test]
    fn parses_keys() {
        assert_eq!(
            key("ctrl-c"),
            Key {
                code: KeyCode::Char('c'),
                mods: KeyModifiers::CONTROL
            }
        );
        assert_eq!(
            key("shift-tab"),
            Key {
                code: KeyCode::Tab,
                mods: KeyModifiers::SHIFT
            }
        );
        assert_eq!(
            key("G"),
            Key {
                code: KeyCode::Char('G'),
                mods: KeyModifiers::NONE
            }
        );
        assert_eq!(key("f5").code, KeyCode::F(5));
        assert_eq!(key("space").code, KeyCode::Char(' '));
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn events_normalise_like_config_keys() {
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(backtab), key("shift-tab"));
        let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(big_g), key("G"));
    }

    #[test]
    fn focus_bindings_win_then_global() {
        let map = Keymap::default();
        assert_eq!(map.lookup(Focus::Board, key("l")), Some(Command::Right));
        assert_eq!(map.lookup(Focus::Runs, key("j")), Some(Command::Down));
        assert_eq!(map.lookup(Focus::Popup, key("q")), Some(Command::Close));
        assert_eq!(map.lookup(Focus::Popup, key("r")), None);
    }

    #[test]
    fn risk_edits_are_risks_pane_keys_and_rebindable() {
        let map = Keymap::default();
        for (k, cmd) in [
            ("n", Command::NewRisk),
            ("+", Command::RaiseLikelihood),
            ("-", Command::LowerLikelihood),
            (">", Command::RaiseImpact),
            ("<", Command::LowerImpact),
            ("x", Command::RetireRisk),
        ] {
            assert_eq!(map.lookup(Focus::Risks, key(k)), Some(cmd), "{k}");
            assert_eq!(map.lookup(Focus::Board, key(k)), None, "{k} on the board");
            assert!(cmd.is_write(), "{cmd:?} is disabled by --read-only");
        }
        let overrides = BTreeMap::from([(
            "risks".to_string(),
            BTreeMap::from([("raise_likelihood".to_string(), vec!["+".into(), "=".into()])]),
        )]);
        let (map, warnings) = Keymap::with_overrides(&overrides);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            map.lookup(Focus::Risks, key("=")),
            Some(Command::RaiseLikelihood)
        );
    }

    #[test]
    fn every_focus_shows_each_hint_once_help_first() {
        let map = Keymap::default();
        for focus in Focus::ALL {
            let hints: Vec<Command> = map.hints(focus).iter().map(|b| b.command).collect();
            let mut unique = hints.clone();
            unique.sort_by_key(|c| c.name());
            unique.dedup();
            assert_eq!(hints.len(), unique.len(), "{focus:?}: {hints:?}");
            if focus != Focus::Popup {
                assert_eq!(hints.first(), Some(&Command::Help), "{focus:?}");
                assert!(hints.contains(&Command::Quit), "{focus:?}");
            }
        }
    }

    fn overrides(
        focus: &str,
        pairs: &[(&str, &[&str])],
    ) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
        BTreeMap::from([(
            focus.to_string(),
            pairs
                .iter()
                .map(|(c, keys)| {
                    (
                        (*c).to_string(),
                        keys.iter().map(|k| (*k).to_string()).collect(),
                    )
                })
                .collect(),
        )])
    }

    #[test]
    fn a_bad_key_drops_only_itself() {
        // The only key is bad: the defaults stay.
        let (map, warnings) =
            Keymap::with_overrides(&overrides("global", &[("refresh", &["hyper-r"])]));
        assert_eq!(map.lookup(Focus::Global, key("r")), Some(Command::Refresh));
        assert_eq!(map.lookup(Focus::Global, key("f5")), Some(Command::Refresh));
        assert_eq!(
            warnings,
            vec![
                "[keys.global] refresh: unknown key \"hyper-r\" (ignored; the default keys r/f5 stay)"
                    .to_string()
            ]
        );
        // One good key beside the bad one: the good one replaces the defaults.
        let (map, warnings) =
            Keymap::with_overrides(&overrides("global", &[("refresh", &["hyper-r", "f6"])]));
        assert_eq!(map.lookup(Focus::Global, key("f6")), Some(Command::Refresh));
        assert_eq!(map.lookup(Focus::Global, key("r")), None);
        assert_eq!(
            warnings,
            vec!["[keys.global] refresh: unknown key \"hyper-r\" (ignored)".to_string()]
        );
        // A new binding whose keys are all bad binds nothing.
        let (map, _) = Keymap::with_overrides(&overrides("board", &[("refresh", &["hyper-x"])]));
        assert_eq!(map.bindings, Keymap::default().bindings);
        // An empty list is not a mistake: it unbinds the command.
        let (map, warnings) = Keymap::with_overrides(&overrides("global", &[("zoom", &[])]));
        assert_eq!(map.lookup(Focus::Global, key("z")), None);
        assert!(warnings.is_empty());
    }

    #[test]
    fn overrides_patch_only_what_they_name_and_warn() {
        let mut o = BTreeMap::new();
        o.insert(
            "global".to_string(),
            BTreeMap::from([
                ("quit".to_string(), vec!["ctrl-q".to_string()]),
                ("fly".to_string(), vec!["f".to_string()]),
                ("refresh".to_string(), vec!["hyper-r".to_string()]),
            ]),
        );
        let (map, warnings) = Keymap::with_overrides(&o);
        assert_eq!(
            map.lookup(Focus::Global, key("ctrl-q")),
            Some(Command::Quit)
        );
        assert_eq!(map.lookup(Focus::Global, key("q")), None);
        assert_eq!(map.lookup(Focus::Global, key("?")), Some(Command::Help));
        assert_eq!(
            warnings,
            vec![
                "[keys.global] fly: unknown command".to_string(),
                "[keys.global] refresh: unknown key \"hyper-r\" (ignored; the default keys r/f5 stay)"
                    .to_string()
            ]
        );
    }
}
