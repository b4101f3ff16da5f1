//! Keymap tests: key parsing and display, `[keys]` overrides and their warnings, lookups.
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
