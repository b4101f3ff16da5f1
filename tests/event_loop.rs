//! The real event loop with scripted keys, the real client and the simulator on loopback.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::{AppState, Pane};
use shipdeck::tui::{self, Workers};
use tokio::sync::mpsc;

fn key(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[tokio::test]
async fn loads_the_release_navigates_and_quits() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let config = common::demo_config();
    let mut state = AppState::new(
        Utc::now(),
        common::REPOS.iter().map(|r| (*r).to_string()).collect(),
        config.rules("auto"),
        config.release.ref_pattern.clone(),
    );
    let (tx, rx) = mpsc::channel(64);
    let jobs = Workers::new(api, common::demo_plan(), tx, None);
    let (keys_tx, keys_rx) = mpsc::unbounded_channel();
    let input = tokio_stream_from(keys_rx);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut out = Vec::new();

    let driver = async {
        // Wait until the first refresh has reached the simulator's runs endpoints.
        for _ in 0..200 {
            if sim
                .requests()
                .iter()
                .filter(|r| r.path.contains("/runs"))
                .count()
                >= 6
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        for c in ['2', 'j', 'j', 'G'] {
            keys_tx.send(key(c)).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        keys_tx.send(key('q')).unwrap();
    };
    let (result, ()) = tokio::join!(
        tui::run(
            &mut terminal,
            &mut state,
            input,
            &jobs,
            rx,
            &mut out,
            Utc::now
        ),
        driver
    );
    result.unwrap();

    assert!(state.quit);
    assert_eq!(state.focus, Pane::Checklist);
    let release = state.release.as_ref().expect("the release loaded");
    assert_eq!(release.title, "v2.4.0");
    assert_eq!(state.checklist.cursor.selected, release.checklist.len() - 1);
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("v2.4.0"), "{screen}");
    assert!(screen.contains("2 Checklist 15/34"), "{screen}");
    assert!(
        screen.contains("acme/storefront, acme/payments"),
        "{screen}"
    );
}

fn press(code: KeyCode, mods: KeyModifiers) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, mods)))
}

/// `q` closes the run details instead of quitting; Ctrl-C quits from the help over them.
#[tokio::test]
async fn q_closes_a_popup_and_ctrl_c_quits_from_one() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let config = common::demo_config();
    let mut state = AppState::new(
        Utc::now(),
        common::REPOS.iter().map(|r| (*r).to_string()).collect(),
        config.rules("auto"),
        config.release.ref_pattern.clone(),
    );
    let (tx, rx) = mpsc::channel(64);
    let workers = Workers::new(api, common::demo_plan(), tx, None);
    let (keys_tx, keys_rx) = mpsc::unbounded_channel();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut out = Vec::new();

    let driver = async {
        for _ in 0..200 {
            if sim
                .requests()
                .iter()
                .filter(|r| r.path.contains("/runs"))
                .count()
                >= 6
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The runs pane, the first run's details, then q.
        let _ = keys_tx.send(key('4'));
        let _ = keys_tx.send(press(KeyCode::Enter, KeyModifiers::NONE));
        let _ = keys_tx.send(key('q'));
        // Details again, help over them, then Ctrl-C.
        let _ = keys_tx.send(press(KeyCode::Enter, KeyModifiers::NONE));
        let _ = keys_tx.send(key('?'));
        tokio::time::sleep(Duration::from_millis(200)).await;
        // (A loop that already ended has dropped its input.)
        let _ = keys_tx.send(press(KeyCode::Char('c'), KeyModifiers::CONTROL));
    };
    let run = tokio::time::timeout(
        Duration::from_secs(10),
        tui::run(
            &mut terminal,
            &mut state,
            tokio_stream_from(keys_rx),
            &workers,
            rx,
            &mut out,
            Utc::now,
        ),
    );
    let (result, ()) = tokio::join!(run, driver);
    result.expect("Ctrl-C ends the loop").unwrap();
    assert!(state.quit);
    let screen = format!("{}", terminal.backend());
    // q did not quit: the last frame shows the help over the run details reopened after it.
    assert!(screen.contains(" Keys "), "help is open:\n{screen}");
    assert!(screen.contains(" Run #"), "over the run details:\n{screen}");
}

fn tokio_stream_from(
    rx: mpsc::UnboundedReceiver<std::io::Result<Event>>,
) -> impl futures::Stream<Item = std::io::Result<Event>> + Unpin {
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|event| (event, rx))
    }))
}
