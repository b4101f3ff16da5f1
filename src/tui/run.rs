//! The event loop: one task owns the terminal; input, worker results and the clock become
//! actions; `update` returns effects for the workers; drawing happens only when state is dirty,
//! at most once per frame interval.

use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use super::workers::Workers;
use crate::app::keymap::Key;
use crate::app::{Action, AppState, Effect, update};

/// Minimum time between two frames.
const FRAME: Duration = Duration::from_millis(16);
/// Results drained per loop turn before drawing.
const DRAIN: usize = 32;

/// Runs until the user quits or the input ends. `out` receives terminal side effects (bell,
/// OSC 52 clipboard) between frames; `clock` gives the time for ticks.
///
/// # Errors
/// Drawing to the terminal failed.
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    state: &mut AppState,
    mut input: S,
    workers: &Workers,
    mut results: mpsc::Receiver<Action>,
    out: &mut dyn Write,
    clock: impl Fn() -> DateTime<Utc>,
) -> color_eyre::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut next_frame = Instant::now();
    // Where things were drawn on the last frame: what a click hits.
    let mut hits = crate::view::hits::HitMap::default();
    dispatch(state, Action::Tick { now: clock() }, workers, out);
    loop {
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => {
                    if let Some(action) = action_for(&event, &hits) {
                        dispatch(state, action, workers, out);
                    }
                }
                Some(Err(e)) => {
                    tracing::error!(error = %e, "terminal input failed");
                    break;
                }
                None => break,
            },
            Some(action) = results.recv() => {
                dispatch(state, action, workers, out);
                for _ in 0..DRAIN {
                    match results.try_recv() {
                        Ok(action) => dispatch(state, action, workers, out),
                        Err(_) => break,
                    }
                }
            }
            _ = ticks.tick() => dispatch(state, Action::Tick { now: clock() }, workers, out),
            () = tokio::time::sleep_until(next_frame), if state.dirty => {
                terminal.draw(|frame| hits = crate::view::render_with_hits(state, frame))?;
                state.dirty = false;
                next_frame = Instant::now() + FRAME;
            }
        }
        if state.quit {
            break;
        }
    }
    Ok(())
}

/// Turns a terminal event into an action: key presses (`update` decides who gets them),
/// clicks and the wheel (with what the last frame drew under the pointer), resize, focus.
fn action_for(event: &Event, hits: &crate::view::hits::HitMap) -> Option<Action> {
    use crate::app::mouse::{Mouse, MouseKind};
    use crossterm::event::{MouseButton, MouseEventKind};
    match event {
        Event::Mouse(m) => {
            let kind = match m.kind {
                MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
                MouseEventKind::ScrollUp => MouseKind::ScrollUp,
                MouseEventKind::ScrollDown => MouseKind::ScrollDown,
                _ => return None,
            };
            Some(Action::Mouse(Mouse {
                kind,
                target: hits.at(m.column, m.row),
            }))
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            Some(Action::Input(Key::from_event(*key)))
        }
        Event::Resize(..) => Some(Action::Resize),
        Event::FocusGained => Some(Action::FocusChanged(true)),
        Event::FocusLost => Some(Action::FocusChanged(false)),
        _ => None,
    }
}

fn dispatch(state: &mut AppState, action: Action, workers: &Workers, out: &mut dyn Write) {
    for effect in update(state, action) {
        match effect {
            Effect::Bell => {
                let _ = out.write_all(b"\x07");
                let _ = out.flush();
            }
            Effect::CopyToClipboard(text) => {
                let _ = write!(
                    out,
                    "\x1b]52;c;{}\x07",
                    base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        text.as_bytes()
                    )
                );
                let _ = out.flush();
            }
            other => workers.start(other),
        }
    }
}
