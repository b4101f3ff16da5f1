//! `update` and ticks that are not on GitHub yet: quitting asks once while some are pending,
//! and ticks that cannot apply are reviewed in a popup (retry or discard), not warned about at
//! every start.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use shipdeck::app::state::Level;
use shipdeck::app::{Action, AppState, Command, Effect, update};
use shipdeck::release::ReleaseRules;

fn loaded() -> AppState {
    let mut s = AppState::new(
        common::fixed_now(),
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(
        &mut s,
        Action::Tick {
            now: common::fixed_now(),
        },
    );
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    s
}

fn tick_two(s: &mut AppState) {
    update(s, Action::Command(Command::FocusChecklist));
    update(s, Action::Command(Command::ToggleItem));
    update(s, Action::Command(Command::Down));
    update(s, Action::Command(Command::ToggleItem));
    assert_eq!(s.pending_ticks.len(), 2);
}

#[test]
fn quitting_with_pending_ticks_asks_once() {
    let mut s = loaded();
    tick_two(&mut s);
    update(&mut s, Action::Command(Command::Quit));
    assert!(!s.quit, "the first q only warns");
    let status = s.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Warn);
    assert_eq!(
        status.text,
        "2 ticks not yet on GitHub — q again to quit anyway; they will be applied next start"
    );
    update(&mut s, Action::Command(Command::Quit));
    assert!(s.quit, "the second q quits");
}

#[test]
fn another_key_between_the_two_qs_asks_again() {
    let mut s = loaded();
    tick_two(&mut s);
    update(&mut s, Action::Command(Command::Quit));
    update(&mut s, Action::Command(Command::Down));
    update(&mut s, Action::Command(Command::Quit));
    assert!(!s.quit);
    update(&mut s, Action::Command(Command::Quit));
    assert!(s.quit);
}

#[test]
fn quitting_with_nothing_pending_quits_at_once() {
    let mut s = loaded();
    let fx = update(&mut s, Action::Command(Command::Quit));
    assert!(fx.is_empty());
    assert!(s.quit);
}

#[test]
fn one_pending_tick_is_named_in_the_singular() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusChecklist));
    update(&mut s, Action::Command(Command::ToggleItem));
    update(&mut s, Action::Command(Command::Quit));
    assert!(!s.quit);
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("1 tick not yet on GitHub — q again to quit anyway; it will be applied"),
        "{:?}",
        s.status
    );
    let _ = Effect::Bell;
}
