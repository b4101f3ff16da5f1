//! `?` is complete: every binding of the live keymap (the user's `[[commands]]` included) and
//! every key of the dialogs is in it, the focused pane's keys come first, and a key the user
//! rebound says so with its default.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::keymap::{DIALOG_KEYS, Keymap};
use shipdeck::app::{Action, AppState, Command, update};

/// The whole help, every line (drawn tall enough that nothing scrolls away).
fn help_text(state: &AppState) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(100, 400)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    let b = terminal.backend().buffer();
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn every_binding_and_dialog_key_is_listed_and_rebinding_is_marked() {
    let mut state = common::demo_app_state();
    let overrides: BTreeMap<String, BTreeMap<String, Vec<String>>> = [(
        "global".to_string(),
        [("refresh".to_string(), vec!["ctrl-r".to_string()])].into(),
    )]
    .into();
    state.apply_key_overrides(&overrides);
    let commands: shipdeck::config::Config = toml::from_str(
        "[[commands]]\nname = \"run info\"\nkey = \"I\"\nscope = \"runs\"\nargv = [\"echo\", \"{run_id}\"]\n",
    )
    .unwrap();
    state.add_custom_commands(&commands.commands);
    update(&mut state, Action::Command(Command::FocusRuns));
    update(&mut state, Action::Command(Command::Help));
    let text = help_text(&state);
    let has = |needle: &str| text.iter().any(|l| l.contains(needle));

    for b in state
        .session
        .keymap
        .bindings
        .iter()
        .filter(|b| !b.keys.is_empty())
    {
        let keys = Keymap::keys_label(b);
        assert!(
            text.iter()
                .any(|l| l.contains(&format!("  {keys:<16}")) && l.contains(b.description.as_str())),
            "{:?} {keys} {} is not in the help",
            b.focus,
            b.description
        );
    }
    for (context, keys) in DIALOG_KEYS {
        assert!(has(context), "{context}");
        for (key, what) in *keys {
            assert!(
                text.iter().any(|l| l.contains(key) && l.contains(what)),
                "{context}: {key} {what}"
            );
        }
    }
    assert!(has(&format!(
        "{:<16}refresh (rebound; default r/f5)",
        "ctrl-r"
    )));
    assert!(has(&format!("{:<16}run info ([[commands]])", "I")));
    assert!(!has("help (rebound"), "keys left alone are not marked");
    let first_section = text
        .iter()
        .position(|l| l.contains("In the runs pane (here)"));
    let everywhere = text.iter().position(|l| l.contains("Everywhere"));
    assert!(
        first_section.unwrap() < everywhere.unwrap(),
        "the focused pane's keys come first"
    );
}
