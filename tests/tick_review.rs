//! `update` and ticks that are not on GitHub yet: quitting asks once while some are pending,
//! and ticks that cannot apply are reviewed in a popup (retry or discard), not warned about at
//! every start.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shipdeck::app::action::PendingTick;
use shipdeck::app::keymap::Key;
use shipdeck::app::review::ReviewItem;
use shipdeck::app::state::Level;
use shipdeck::app::{Action, AppState, Command, Effect, update};
use shipdeck::release::ReleaseRules;
use shipdeck::release::task_list::ItemKey;

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
    assert_eq!(s.checklist.pending.len(), 2);
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
}

fn kept(id: u64, text: &str, reason: &str) -> ReviewItem {
    ReviewItem {
        id,
        tick: PendingTick {
            repo: "acme/app".into(),
            number: 6,
            key: ItemKey {
                text: text.into(),
                occurrence: 0,
            },
            checked: true,
        },
        reason: reason.into(),
    }
}

fn press(s: &mut AppState, c: char) -> Vec<Effect> {
    let key = Key::from_event(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    update(s, Action::Input(key))
}

#[test]
fn ticks_kept_for_review_open_a_popup_at_start_instead_of_warnings() {
    let mut s = loaded();
    update(
        &mut s,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![
                kept(
                    11,
                    "scope",
                    "the item \"scope\" is no longer in the checklist",
                ),
                kept(
                    12,
                    "e2e",
                    "GitHub refused (403): Unable to edit a locked issue",
                ),
            ],
        },
    );
    assert!(s.overlays.tick_review(), "the popup shows them");
    assert_eq!(s.tick_review.items.len(), 2);
    assert!(
        s.activity.log.iter().all(|e| e.level != Level::Warn),
        "no warning per tick: {:?}",
        s.activity.log
    );
}

#[test]
fn each_kept_tick_is_retried_or_discarded_from_the_popup() {
    let mut s = loaded();
    update(
        &mut s,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![kept(11, "scope", "gone"), kept(12, "e2e", "locked")],
        },
    );
    press(&mut s, 'j');
    let fx = press(&mut s, 'r');
    assert_eq!(
        fx,
        vec![Effect::RetryTick {
            id: 12,
            tick: kept(12, "e2e", "locked").tick
        }]
    );
    assert_eq!(
        s.checklist.pending,
        vec![kept(12, "e2e", "").tick],
        "shown as pending again"
    );
    assert_eq!(s.tick_review.items.len(), 1);
    assert!(s.overlays.tick_review());
    let fx = press(&mut s, 'd');
    assert_eq!(fx, vec![Effect::DiscardTick { id: 11 }]);
    assert!(s.tick_review.items.is_empty());
    assert!(!s.overlays.tick_review(), "closes when nothing is left");
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("discarded the tick of \"scope\""),
        "{:?}",
        s.status
    );
}

#[test]
fn a_tick_that_cannot_apply_mid_session_opens_the_popup() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusChecklist));
    update(&mut s, Action::Command(Command::ToggleItem));
    let tick = s.checklist.pending[0].clone();
    update(
        &mut s,
        Action::TickNeedsReview(ReviewItem {
            id: 5,
            tick: tick.clone(),
            reason: "GitHub said (410): Gone".into(),
        }),
    );
    assert!(s.checklist.pending.is_empty(), "no longer shown as pending");
    assert!(s.overlays.tick_review());
    let status = s.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("kept for review"), "{}", status.text);
    // Closed, then opened again with its key.
    press(&mut s, 'q');
    assert!(!s.overlays.tick_review());
    assert!(!s.quit, "q closes the popup, it does not quit");
    update(&mut s, Action::Command(Command::ReviewTicks));
    assert!(s.overlays.tick_review());
}

#[test]
fn the_review_key_says_when_nothing_waits() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::ReviewTicks));
    assert!(!s.overlays.tick_review());
    assert_eq!(s.status.as_ref().unwrap().text, "no ticks wait for review");
}

/// Through the real event loop: while the popup is open its keys are its own (`r` retries the
/// tick, it does not refresh).
#[tokio::test]
async fn the_popup_gets_the_keys_in_the_event_loop() {
    let sim = common::demo_sim().await;
    let mut s = loaded();
    update(
        &mut s,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![kept(11, "scope", "gone")],
        },
    );
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    let workers = shipdeck::tui::Workers::new(common::client(&sim), common::demo_plan(), tx, None);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    let keys = futures::stream::iter(vec![Ok(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::NONE,
    )))]);
    let mut out = Vec::new();
    shipdeck::tui::run(
        &mut terminal,
        &mut s,
        keys,
        &workers,
        rx,
        &mut out,
        common::fixed_now,
    )
    .await
    .unwrap();
    assert!(s.tick_review.items.is_empty());
    assert_eq!(s.checklist.pending, vec![kept(11, "scope", "").tick]);
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("retrying the tick"),
        "{:?}",
        s.status
    );
}
