//! Property tests for key names in `[keys]`: no string a user can type into the config makes
//! the keymap panic, and the names it documents keep working.

#![allow(clippy::unwrap_used)] // Tests may unwrap (STYLE §7).

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use shipdeck::app::keymap::{Focus, Key, Keymap};

/// Modifier prefixes as users write them, in any case, plus look-alikes whose lower case has a
/// different length (the Kelvin sign K, dotted İ, long ſ).
fn prefix() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ctrl-".to_string()),
        Just("CTRL-".to_string()),
        Just("c-".to_string()),
        Just("alt-".to_string()),
        Just("M-".to_string()),
        Just("shift-".to_string()),
        Just("Shift-".to_string()),
        Just("ſhift-".to_string()),
        Just("İ".to_string()),
        Just("\u{212A}".to_string()),
    ]
}

fn key_name() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prefix(), 0..4),
        prop_oneof![any::<String>(), "\\PC{0,3}", Just("\u{212A}".to_string())],
    )
        .prop_map(|(prefixes, rest)| prefixes.concat() + &rest)
}

#[test]
fn the_kelvin_sign_after_ctrl_is_a_key_not_a_panic() {
    let key = Key::parse("ctrl-\u{212A}").expect("one character after ctrl- is a key");
    assert_eq!(key.mods, KeyModifiers::CONTROL);
    assert_eq!(key.code, KeyCode::Char('\u{212A}'));
    assert!(Key::parse("\u{212A}\u{212A}-x").is_err());
}

#[test]
fn documented_names_still_parse() {
    let ctrl_r = Key::parse("CTRL-r").unwrap();
    assert_eq!(
        (ctrl_r.code, ctrl_r.mods),
        (KeyCode::Char('r'), KeyModifiers::CONTROL)
    );
    let back = Key::parse("Shift-Tab").unwrap();
    assert_eq!((back.code, back.mods), (KeyCode::Tab, KeyModifiers::SHIFT));
    let f5 = Key::parse("alt-F5").unwrap();
    assert_eq!((f5.code, f5.mods), (KeyCode::F(5), KeyModifiers::ALT));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_key_name_parses_or_is_refused_with_its_name(name in key_name()) {
        match Key::parse(&name) {
            Ok(key) => {
                // What parsed can be shown (help overlay, footer) without panicking.
                let _ = key.to_string();
            }
            Err(e) => prop_assert!(e.contains(&name), "{e} does not name {name:?}"),
        }
    }

    #[test]
    fn any_keys_table_builds_a_keymap(
        focus in prop_oneof![Just("global".to_string()), Just("checklist".to_string()), any::<String>()],
        command in prop_oneof![Just("quit".to_string()), Just("refresh".to_string()), any::<String>()],
        keys in prop::collection::vec(key_name(), 0..4),
    ) {
        let mut commands = BTreeMap::new();
        commands.insert(command, keys);
        let mut overrides = BTreeMap::new();
        overrides.insert(focus, commands);
        let (map, _warnings) = Keymap::with_overrides(&overrides);
        for focus in [Focus::Global, Focus::Checklist, Focus::Popup] {
            for b in map.hints(focus) {
                let _ = Keymap::keys_label(b);
            }
        }
    }
}
