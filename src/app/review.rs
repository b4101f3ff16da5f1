//! Ticks that cannot apply (the item is gone or ambiguous, the issue is locked or gone), kept in
//! the outbox for review: a popup lists them, and each is retried or discarded there, so none
//! lingers as a warning at every start.

use crossterm::event::{KeyCode, KeyModifiers};

use super::action::PendingTick;
use super::effect::Effect;
use super::keymap::Key;
use super::overlay::Overlay;
use super::state::{AppState, Level};

/// A tick kept in the outbox for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    /// The intent's id in the outbox.
    pub id: u64,
    pub tick: PendingTick,
    /// Why it could not be applied.
    pub reason: String,
}

/// The ticks waiting for a decision and the selected one. Whether the popup shows is the
/// overlay stack's to say ([`Overlay::TickReview`]), like every popup's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReview {
    pub items: Vec<ReviewItem>,
    pub selected: usize,
}

impl TickReview {
    fn add(&mut self, item: ReviewItem) {
        self.items.retain(|i| i.id != item.id);
        self.items.push(item);
    }

    fn take_selected(&mut self) -> Option<ReviewItem> {
        if self.selected >= self.items.len() {
            return None;
        }
        let item = self.items.remove(self.selected);
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
        Some(item)
    }
}

/// Takes the selected tick out of the list; the popup closes when none is left.
fn take_selected(state: &mut AppState) -> Option<ReviewItem> {
    let item = state.tick_review.take_selected();
    if state.tick_review.items.is_empty() {
        state.overlays.close_tick_review();
    }
    item
}

/// Ticks found waiting for review at start-up: the popup opens on them.
pub(super) fn restored(state: &mut AppState, items: Vec<ReviewItem>) {
    if items.is_empty() {
        return;
    }
    state.record(
        Level::Info,
        format!(
            "{} saved tick(s) could not be applied; retry or discard them",
            items.len()
        ),
    );
    for item in items {
        state.tick_review.add(item);
    }
    state.overlays.open_beneath(Overlay::TickReview);
}

/// A tick that cannot apply: it is no longer pending, and the popup opens on it.
pub(super) fn kept(state: &mut AppState, item: ReviewItem) {
    state.checklist.pending.retain(|p| p != &item.tick);
    state.record(
        Level::Error,
        format!(
            "tick of \"{}\" cannot be applied: {}; kept for review",
            item.tick.key.text, item.reason
        ),
    );
    state.tick_review.add(item);
    state.overlays.open_beneath(Overlay::TickReview);
}

/// Opens the popup (its key), or says there is nothing to review.
pub(super) fn open(state: &mut AppState) {
    if state.tick_review.items.is_empty() {
        state.record(Level::Info, "no ticks wait for review");
        return;
    }
    // On top, even where it already waits beneath another popup.
    state.overlays.close_tick_review();
    state.overlays.open(Overlay::TickReview);
}

/// A key while the popup is on top: move, retry, discard or close (Ctrl-C never gets here:
/// it quits first).
pub(super) fn key(state: &mut AppState, key: Key) -> Vec<Effect> {
    state.dirty = true;
    if key.mods.contains(KeyModifiers::CONTROL) || key.mods.contains(KeyModifiers::ALT) {
        return Vec::new();
    }
    let review = &mut state.tick_review;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => state.overlays.close_tick_review(),
        KeyCode::Char('?') => state.overlays.open(Overlay::Help { scroll: 0 }),
        KeyCode::Up | KeyCode::Char('k') => review.selected = review.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => {
            review.selected = (review.selected + 1).min(review.items.len().saturating_sub(1));
        }
        KeyCode::Char('r') | KeyCode::Enter => return retry(state),
        KeyCode::Char('d' | 'x') | KeyCode::Delete => return discard(state),
        _ => {}
    }
    Vec::new()
}

fn retry(state: &mut AppState) -> Vec<Effect> {
    if state.session.read_only {
        state.record(
            Level::Warn,
            "read-only: ticking is disabled (started with --read-only)",
        );
        return Vec::new();
    }
    let Some(item) = take_selected(state) else {
        return Vec::new();
    };
    state.record(
        Level::Info,
        format!("retrying the tick of \"{}\"", item.tick.key.text),
    );
    state.checklist.pending.push(item.tick.clone());
    vec![Effect::RetryTick {
        id: item.id,
        tick: item.tick,
    }]
}

fn discard(state: &mut AppState) -> Vec<Effect> {
    let Some(item) = take_selected(state) else {
        return Vec::new();
    };
    state.record(
        Level::Info,
        format!(
            "discarded the tick of \"{}\" ({}#{}); GitHub was not changed",
            item.tick.key.text, item.tick.repo, item.tick.number
        ),
    );
    vec![Effect::DiscardTick { id: item.id }]
}
