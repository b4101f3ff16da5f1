//! A key press and the command it runs: popups and the filter line first, then the keymap;
//! moving the cursor of the focused pane.

use super::action::Command;
use super::effect::Effect;
use super::keymap::{Focus, INTERRUPT, Key};
use super::overlay::{self, Overlay};
use super::state::{AppState, Level, Pane};
use super::update::start_refresh;
use super::{
    checklist, controls, detail, dispatch, kpis, lists, notes, palette, review, risks, runs,
};
use crate::release::risk::Axis;

/// Rows moved by PageUp / PageDown.
const PAGE: isize = 10;

/// A key press: the one place that decides who gets it. Ctrl-C quits from anywhere; a dialog
/// that takes text gets the key raw; otherwise it goes through the bindings of the topmost
/// popup, else of the focused pane.
pub(super) fn key_press(state: &mut AppState, key: Key) -> Vec<Effect> {
    if key == INTERRUPT {
        state.quit = true;
        state.dirty = true;
        return Vec::new();
    }
    // The `/` input of a list pane takes every key, q and j included, until Enter or Esc.
    if state.overlays.top().is_none() && lists::editing(state) {
        return lists::key(state, key);
    }
    let Some(focus) = state.key_focus() else {
        state.dirty = true;
        if let Some(Overlay::Palette(_)) = state.overlays.top() {
            return match palette::key(state, key) {
                Some(palette::Chosen::Command(focus, cmd)) => {
                    if let Some(pane) = palette::pane_of(focus) {
                        state.focus = pane;
                    }
                    command(state, cmd)
                }
                Some(palette::Chosen::Argument(arg)) => {
                    palette::run(state, arg);
                    Vec::new()
                }
                None => Vec::new(),
            };
        }
        return overlay::dialog_key(state, key);
    };
    if let Some(cmd) = state.session.keymap.lookup(focus, key) {
        return command(state, cmd);
    }
    if focus != Focus::Popup {
        state.status = Some(super::state::Entry {
            at: state.now,
            level: Level::Info,
            text: format!("{key} does nothing here; press ? for keys"),
        });
        state.dirty = true;
    }
    Vec::new()
}

pub(super) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    state.dirty = true;
    // Quit asks once while ticks are pending; any other key in between asks again.
    let quit_asked = std::mem::take(&mut state.quit_asked);
    if let Some(effects) = overlay::command(state, cmd) {
        return effects;
    }
    match cmd {
        Command::Quit => checklist::quit(state, quit_asked),
        Command::Help => state.overlays.open(Overlay::Help { scroll: 0 }),
        Command::Close if kpis::focused(state) && kpis::close_events(state) => {}
        Command::Close if lists::clear(state) => {}
        Command::Close => state.zoomed = false,
        Command::Filter => lists::start(state),
        Command::FocusAudit => state.focus = Pane::Audit,
        Command::FocusBurnup => state.focus = Pane::Burnup,
        Command::FocusNotes => state.focus = Pane::Notes,
        Command::FocusKpis => state.focus = Pane::Kpis,
        Command::Palette => palette::open(state),
        Command::Custom(i) => return super::custom::run(state, usize::from(i)),
        Command::Drill if kpis::focused(state) => kpis::open_events(state),
        Command::WriteNotes if notes::focused(state) => return notes::write_file(state),
        Command::PublishNotes if notes::focused(state) => return notes::publish(state),
        Command::GeneratedNotes if notes::focused(state) => return notes::toggle_generated(state),
        Command::WriteNotes | Command::PublishNotes | Command::GeneratedNotes => {}
        // Outside an issue's details (which takes it first) there is nothing to comment on.
        Command::Comment => {}
        Command::Drill if runs::runs_focused(state) => return runs::drill(state),
        Command::Drill if detail::focused(state) => return detail::open(state),
        Command::Compact if runs::runs_focused(state) => {
            state.runs.compact = !state.runs.compact;
            state.runs.cursor.selected = 0;
            return runs::after_refresh(state);
        }
        Command::Dispatch if runs::runs_focused(state) => return dispatch::dispatch(state),
        Command::Rerun if runs::runs_focused(state) => return controls::rerun(state),
        Command::CancelRun if runs::runs_focused(state) => return controls::cancel(state),
        Command::Rollback if runs::runs_focused(state) => return dispatch::rollback(state),
        Command::Review if runs::runs_focused(state) => return controls::review(state),
        Command::ToggleLock => return controls::toggle_lock(state),
        Command::MarkHealth => return controls::mark_health(state),
        Command::Signoff => return controls::signoff(state),
        Command::StatusUpdate => return controls::status_update(state),
        Command::CloseMilestone => return controls::close_milestone(state),
        Command::NewRisk if risks::focused(state) => return risks::new_risk(state),
        Command::RaiseLikelihood if risks::focused(state) => {
            return risks::step(state, Axis::Likelihood, 1);
        }
        Command::LowerLikelihood if risks::focused(state) => {
            return risks::step(state, Axis::Likelihood, -1);
        }
        Command::RaiseImpact if risks::focused(state) => {
            return risks::step(state, Axis::Impact, 1);
        }
        Command::LowerImpact if risks::focused(state) => {
            return risks::step(state, Axis::Impact, -1);
        }
        Command::RetireRisk if risks::focused(state) => return risks::retire(state),
        Command::NewRisk
        | Command::RaiseLikelihood
        | Command::LowerLikelihood
        | Command::RaiseImpact
        | Command::LowerImpact
        | Command::RetireRisk => {}
        Command::Retro => super::retro::open(state),
        Command::FileFollowUps => {}
        Command::Drill
        | Command::Compact
        | Command::Dispatch
        | Command::Rerun
        | Command::CancelRun
        | Command::Rollback
        | Command::Review => {}
        Command::NextPane => state.focus = Pane::ALL[(state.focus.index() + 1) % Pane::ALL.len()],
        Command::PrevPane => {
            state.focus = Pane::ALL[(state.focus.index() + Pane::ALL.len() - 1) % Pane::ALL.len()];
        }
        Command::FocusBoard => state.focus = Pane::Board,
        Command::FocusChecklist => state.focus = Pane::Checklist,
        Command::FocusRisks => state.focus = Pane::Risks,
        Command::FocusRuns => state.focus = Pane::Runs,
        Command::FocusGates => state.focus = Pane::Gates,
        Command::FocusActivity => state.focus = Pane::Activity,
        Command::Up => move_cursor(state, -1),
        Command::Down => move_cursor(state, 1),
        Command::PageUp => move_cursor(state, -PAGE),
        Command::PageDown => move_cursor(state, PAGE),
        Command::Top => move_cursor(state, isize::MIN / 2),
        Command::Bottom => move_cursor(state, isize::MAX / 2),
        Command::Left => move_column(state, -1),
        Command::Right => move_column(state, 1),
        Command::Zoom => state.zoomed = !state.zoomed,
        Command::Refresh => {
            state.record(Level::Info, "refresh requested");
            kpis::refresh_requested(state);
            return start_refresh(state, true);
        }
        Command::OpenInBrowser => {
            // Links come from GitHub's text: only the configured GitHub's own pages open.
            return match selected_url(state).map(|url| (state.session.web.check(&url), url)) {
                Some((Ok(()), url)) => vec![Effect::OpenUrl(url)],
                Some((Err(refused), _)) => {
                    state.record(Level::Warn, refused);
                    Vec::new()
                }
                None => {
                    state.record(Level::Warn, "nothing to open here");
                    Vec::new()
                }
            };
        }
        Command::ToggleItem => return checklist::toggle_item(state),
        Command::Undo => return checklist::undo_tick(state),
        Command::ReviewTicks => review::open(state),
        Command::CopyUrl => {
            return match selected_url(state) {
                Some(url) => {
                    // What was sent, not what happened: a terminal may ignore OSC 52 silently.
                    state.record(
                        Level::Info,
                        format!("sent the URL to the terminal clipboard (OSC 52): {url}"),
                    );
                    vec![Effect::CopyToClipboard(url)]
                }
                None => {
                    state.record(Level::Warn, "nothing to copy here");
                    Vec::new()
                }
            };
        }
    }
    Vec::new()
}

/// Rows in the focused list pane.
pub(super) fn pane_len(state: &AppState, pane: Pane) -> usize {
    if state.release.is_none() {
        return 0;
    }
    match pane {
        Pane::Board => lists::board_cards(state, state.board.column).len(),
        Pane::Checklist => lists::checklist_rows(state).len(),
        Pane::Risks => lists::risk_rows(state).len(),
        Pane::Runs => runs::rows(state).len(),
        Pane::Gates => state.verdict.as_ref().map_or(0, |r| r.gates.len()),
        Pane::Activity => state.activity.log.len(),
        Pane::Audit => state.audit.records.len(),
        Pane::Burnup => 0,
        Pane::Kpis => kpis::rows(state),
        Pane::Notes => notes::current(state).map_or(0, |n| notes::rows(&n).len()),
    }
}

/// Moves the focused pane's cursor by `delta` rows (among the rows its filter shows).
pub(super) fn move_cursor(state: &mut AppState, delta: isize) {
    let len = pane_len(state, state.focus);
    match state.focus {
        Pane::Board => {
            let mut c = super::state::Cursor {
                selected: state.board.card,
            };
            c.step(delta, len);
            state.board.card = c.selected;
        }
        Pane::Checklist => state.checklist.cursor.step(delta, len),
        Pane::Risks => state.risks.step(delta, len),
        Pane::Runs => state.runs.cursor.step(delta, len),
        Pane::Gates => state.gates.step(delta, len),
        Pane::Activity => state.activity.cursor.step(delta, len),
        Pane::Audit => state.audit.cursor.step(delta, len),
        Pane::Burnup => {}
        Pane::Notes => state.notes.step(delta, len),
        Pane::Kpis => kpis::step(state, delta),
    }
}

fn move_column(state: &mut AppState, delta: isize) {
    if state.focus != Pane::Board {
        return;
    }
    let columns = state.release.as_ref().map_or(0, |r| r.board().len()).max(1);
    state.board.column = state
        .board
        .column
        .saturating_add_signed(delta)
        .min(columns - 1);
    let len = pane_len(state, Pane::Board);
    state.board.card = state.board.card.min(len.saturating_sub(1));
}

pub(super) fn selected_url(state: &AppState) -> Option<String> {
    if let Some(url) = detail::url(state) {
        return url;
    }
    if let Some(d) = state.overlays.detail() {
        return runs::find_run(state, &d.repo, d.run_id).map(|r| r.html_url);
    }
    let release = state.release.as_ref()?;
    match state.focus {
        Pane::Board => {
            let card = *lists::board_cards(state, state.board.column).get(state.board.card)?;
            release
                .board()
                .get(state.board.column)?
                .cards
                .get(card)
                .map(|c| c.html_url.clone())
        }
        Pane::Checklist => {
            // A sub-issue item opens that issue; a task-list item, the tracking issue.
            let tracking = release.tracking.as_ref()?;
            let item = lists::checklist_rows(state)
                .get(state.checklist.cursor.selected)
                .and_then(|i| release.checklist.get(*i));
            let sub = item
                .and_then(|i| i.sub_issue.as_ref())
                .and_then(|r| tracking.sub_issue(r));
            Some(sub.map_or_else(|| tracking.html_url.clone(), |i| i.html_url.clone()))
        }
        Pane::Risks => lists::selected_risk(state).map(|r| r.html_url.clone()),
        Pane::Runs => runs::selected(state).and_then(|(_, run)| run.map(|r| r.html_url.clone())),
        Pane::Notes => {
            notes::current(state).and_then(|n| match notes::rows(&n).get(state.notes.selected) {
                Some(notes::Row::Entry(e)) => Some(e.html_url.clone()),
                _ => None,
            })
        }
        Pane::Kpis => kpis::selected_url(state),
        Pane::Gates | Pane::Activity | Pane::Audit | Pane::Burnup => None,
    }
}
