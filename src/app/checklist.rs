//! Checklist ticks in the app: pending until GitHub confirms, undo, and keeping a confirmed
//! tick on screen when an older refresh arrives.

use super::action::{Command, PendingTick};
use super::effect::Effect;
use super::state::{AppState, Level, Pane};
use super::update::apply_snapshot;
use crate::release::Snapshot;

/// Ticks or unticks the selected checklist item: shown as pending at once, confirmed later.
pub(super) fn toggle_item(state: &mut AppState) -> Vec<Effect> {
    if state.focus != Pane::Checklist {
        return Vec::new();
    }
    if state.session.read_only {
        state.record(
            Level::Warn,
            "read-only: ticking is disabled (started with --read-only)",
        );
        return Vec::new();
    }
    // The cursor is a position among the rows the filter shows.
    let index = super::lists::checklist_rows(state)
        .get(state.checklist.cursor.selected)
        .copied();
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let (Some(tracking), Some(item)) = (
        &release.tracking,
        index.and_then(|i| release.checklist.get(i)),
    ) else {
        return Vec::new();
    };
    let key = item.key();
    let current = state.pending_tick(&key).map_or(item.checked, |p| p.checked);
    let tick = PendingTick {
        repo: tracking.repo.clone(),
        number: tracking.number,
        key,
        checked: !current,
    };
    state.checklist.history.push(tick.clone());
    queue_tick(state, tick)
}

/// Quits, unless ticks are not on GitHub yet and the user has not been told: then it says so
/// once, and quitting again quits (the ticks stay in the outbox for the next start).
pub(super) fn quit(state: &mut AppState, asked: bool) {
    let waiting = state.checklist.pending.len();
    if waiting == 0 || asked {
        state.quit = true;
        return;
    }
    let key = state
        .session
        .keymap
        .bindings
        .iter()
        .find(|b| b.command == Command::Quit)
        .and_then(|b| b.keys.first())
        .map_or_else(|| "quit".to_string(), ToString::to_string);
    let (ticks, they) = if waiting == 1 {
        ("tick", "it")
    } else {
        ("ticks", "they")
    };
    state.record(
        Level::Warn,
        format!(
            "{waiting} {ticks} not yet on GitHub — {key} again to quit anyway; {they} will be applied next start"
        ),
    );
    state.quit_asked = true;
}

/// Undoes the newest tick of this session by setting the box back.
pub(super) fn undo_tick(state: &mut AppState) -> Vec<Effect> {
    if state.session.read_only {
        state.record(
            Level::Warn,
            "read-only: ticking is disabled (started with --read-only)",
        );
        return Vec::new();
    }
    let Some(last) = state.checklist.history.pop() else {
        state.record(Level::Info, "nothing to undo");
        return Vec::new();
    };
    state.record(
        Level::Info,
        format!(
            "undo: {} \"{}\"",
            if last.checked { "unticking" } else { "ticking" },
            last.key.text
        ),
    );
    queue_tick(
        state,
        PendingTick {
            checked: !last.checked,
            ..last
        },
    )
}

fn queue_tick(state: &mut AppState, tick: PendingTick) -> Vec<Effect> {
    let same_text = state.release.as_ref().map_or(1, |r| {
        r.checklist
            .iter()
            .filter(|i| i.text == tick.key.text)
            .count()
    });
    let sub_issue = state.release.as_ref().and_then(|r| {
        r.checklist
            .iter()
            .find(|i| i.key() == tick.key)
            .and_then(|i| i.sub_issue.clone())
    });
    state
        .checklist
        .pending
        .retain(|p| !(p.repo == tick.repo && p.number == tick.number && p.key == tick.key));
    state.checklist.pending.push(tick.clone());
    state.dirty = true;
    vec![Effect::QueueTick {
        repo: tick.repo,
        number: tick.number,
        key: tick.key,
        checked: tick.checked,
        same_text,
        sub_issue,
    }]
}

/// GitHub confirmed a tick: the body read back replaces the shown one.
pub(super) fn tick_applied(
    state: &mut AppState,
    tick: &PendingTick,
    body: String,
    updated_at: chrono::DateTime<chrono::Utc>,
    sub_issue: Option<crate::release::Issue>,
) {
    // A newer tick of the same item (e.g. an undo) keeps showing as pending.
    if let Some(pos) = state.checklist.pending.iter().position(|p| p == tick) {
        state.checklist.pending.remove(pos);
    }
    state.record(
        Level::Info,
        format!(
            "{} \"{}\"",
            if tick.checked { "ticked" } else { "unticked" },
            tick.key.text
        ),
    );
    let Some(mut snapshot) = state.snapshot.clone() else {
        return;
    };
    if let Some(issue) = sub_issue {
        // A sub-issue's tick changed that issue, not the body: show it as read back.
        if let Some(shown) = snapshot
            .tracking
            .as_mut()
            .and_then(|t| t.sub_issues.as_mut())
            .and_then(|subs| {
                subs.iter_mut()
                    .find(|s| s.repo == issue.repo && s.number == issue.number)
            })
            && *shown != issue
        {
            *shown = issue;
            apply_snapshot(state, snapshot);
        }
        return;
    }
    if let Some(t) = snapshot.tracking.as_mut()
        && t.repo == tick.repo
        && t.number == tick.number
        && t.body != body
    {
        t.body = body;
        t.updated_at = t.updated_at.max(updated_at);
        apply_snapshot(state, snapshot);
    }
}

/// A refresh that started before a tick landed must not show the older body again.
pub(super) fn keep_newer_tracking(old: Option<&Snapshot>, new: &mut Snapshot) {
    if let (Some(old), Some(new_t)) = (old.and_then(|o| o.tracking.as_ref()), new.tracking.as_mut())
        && old.repo == new_t.repo
        && old.number == new_t.number
        && old.updated_at > new_t.updated_at
    {
        new_t.body.clone_from(&old.body);
        new_t.updated_at = old.updated_at;
    }
    // Sub-issues change on their own: keep whichever copy of each is newer.
    if let (Some(old_subs), Some(new_subs)) = (
        old.and_then(|o| o.tracking.as_ref())
            .and_then(|t| t.sub_issues.as_ref()),
        new.tracking.as_mut().and_then(|t| t.sub_issues.as_mut()),
    ) {
        for s in new_subs.iter_mut() {
            if let Some(o) = old_subs
                .iter()
                .find(|o| o.repo == s.repo && o.number == s.number && o.updated_at > s.updated_at)
            {
                s.clone_from(o);
            }
        }
    }
}
