//! The retrospective overlay (`V`): the draft of the loaded release as numbered lines (the same
//! facts as `shipdeck retro`), lines picked with space, `F` filing the picked ones as
//! follow-up issues after the confirm dialog.

use chrono::{DateTime, Utc};

use super::action::Command;
use super::effect::Effect;
use super::overlay::Overlay;
use super::runs::refuse_if_read_only;
use super::state::{AppState, Level};
use super::write::{Confirm, WriteRequest};
use crate::release::Phase;
use crate::release::retro::{self, FollowUpPlan, Inputs, Line, Origin, Retro};

/// The open draft: its lines as built when `V` was pressed, the cursor and the picked lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetroView {
    pub origin: Origin,
    pub lines: Vec<Line>,
    pub phase: Phase,
    pub at: DateTime<Utc>,
    /// Index into `lines`.
    pub cursor: usize,
    /// Picked line numbers, in the order picked.
    pub picked: Vec<usize>,
}

/// The retrospective of the loaded release: the KPI pane's history and report, the verdict
/// as evaluated now; `None` before the release loads.
#[must_use]
pub fn current(state: &AppState) -> Option<Retro> {
    let (snapshot, release) = (state.snapshot.as_ref()?, state.release.as_ref()?);
    let k = &state.kpis;
    let history = match (&k.history, &k.report) {
        (Some(h), Some(r)) => Ok((h, r)),
        _ => Err(k
            .error
            .as_deref()
            .unwrap_or("the delivery history is not read yet")),
    };
    Some(Retro::build(&Inputs {
        snapshot,
        release,
        history,
        gate: state.verdict.as_ref(),
        now: state.now,
    }))
}

/// `V`: opens the draft; warns (does not refuse) before the Review phase.
pub fn open(state: &mut AppState) {
    let Some(r) = current(state) else {
        state.record(Level::Warn, "the release is not loaded yet");
        return;
    };
    if !r.is_review() {
        state.record(
            Level::Warn,
            format!(
                "the release is in its {} phase, not Review: the retrospective drafts the facts so far",
                r.phase.title()
            ),
        );
    }
    state.overlays.open(Overlay::Retro(Box::new(RetroView {
        origin: r.origin(),
        lines: r.lines(),
        phase: r.phase,
        at: r.at,
        cursor: 0,
        picked: Vec::new(),
    })));
}

/// A command while the draft is on top.
pub fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(view) = state.overlays.retro_mut() else {
        return Vec::new();
    };
    let len = view.lines.len();
    match cmd {
        Command::Close => {
            state.overlays.close_top();
        }
        Command::Up => view.cursor = view.cursor.saturating_sub(1),
        Command::Down => view.cursor = (view.cursor + 1).min(len.saturating_sub(1)),
        Command::Top => view.cursor = 0,
        Command::Bottom => view.cursor = len.saturating_sub(1),
        Command::ToggleItem => {
            if let Some(n) = view.lines.get(view.cursor).map(|l| l.number) {
                if let Some(i) = view.picked.iter().position(|p| *p == n) {
                    view.picked.remove(i);
                } else {
                    view.picked.push(n);
                }
            }
        }
        Command::FileFollowUps => return file(state),
        Command::Help => state.overlays.open(Overlay::Help { scroll: 0 }),
        _ => {}
    }
    Vec::new()
}

/// `F`: reads what filing needs (next milestones, follow-ups already open), then asks.
fn file(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    if state.overlays.retro().is_none_or(|v| v.picked.is_empty()) {
        state.record(
            Level::Warn,
            "no line picked: space picks the line under the cursor",
        );
        return Vec::new();
    }
    let Some(snapshot) = &state.snapshot else {
        return Vec::new();
    };
    let repos = snapshot
        .repos
        .iter()
        .map(|r| (r.repo.clone(), r.milestone.clone()))
        .collect();
    state.record(
        Level::Info,
        "reading the next milestones and open follow-ups…",
    );
    vec![Effect::LoadFollowUpPlan {
        repos,
        label: state.session.follow_up_label.clone(),
    }]
}

/// The reads came back: the confirm dialog with the exact calls, or why there are none.
pub fn plan_loaded(state: &mut AppState, result: Result<FollowUpPlan, String>) {
    if refuse_if_read_only(state) {
        return;
    }
    let plan = match result {
        Ok(plan) => plan,
        Err(e) => {
            state.record(
                Level::Error,
                format!("could not read what filing needs; nothing was sent: {e}"),
            );
            return;
        }
    };
    let Some(view) = state.overlays.retro() else {
        return;
    };
    let filing = match retro::follow_up_calls(&view.origin, &view.lines, &view.picked, &plan) {
        Ok(f) => f,
        Err(e) => {
            state.record(Level::Error, e);
            return;
        }
    };
    let milestone = view.origin.milestone.clone();
    if filing.calls.is_empty() {
        state.record(
            Level::Warn,
            format!("nothing to file: {}", filing.skipped.join("; ")),
        );
        return;
    }
    let mut context = format!(
        "Follow-up issues labelled {} from the retrospective of {milestone}:",
        plan.label
    );
    for why in &filing.skipped {
        context.push('\n');
        context.push_str(why);
    }
    if !filing.without_milestone.is_empty() {
        context.push_str(&format!(
            "\nNo next open milestone in {}: the issues there are created without a milestone.",
            filing.without_milestone.join(", ")
        ));
    }
    state.overlays.ask(Confirm::new(
        "File follow-up issues",
        &context,
        WriteRequest::FileFollowUps {
            milestone,
            calls: filing.calls,
        },
    ));
}
