//! `update(&mut AppState, Action) -> Vec<Effect>`: the only place state changes.

use chrono::Duration;

use super::action::{Action, FetchResult, PendingTick};
use super::effect::Effect;
use super::input::{command, key_press};
use super::overlay::Overlay;
use super::state::{AppState, Level};
use super::{checklist, controls, detail, dispatch, gates, kpis, lists, notes, review, runs};
use crate::release::{Release, RunStatus, Snapshot};

/// Applies one action; returns the work it asks for. The deploy verdict is evaluated after
/// every action (new data, a tick of the clock, a local change), so nothing on screen or in a
/// dialog reads a stale one.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let mut effects = apply(state, action);
    let fresh = !state.sync.from_cache;
    effects.extend(gates::reevaluate(state, fresh));
    effects.extend(kpis::after(state));
    effects
}

fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(cmd) => command(state, cmd),
        Action::Tick { now } => tick(state, now),
        Action::Resize => {
            state.dirty = true;
            Vec::new()
        }
        Action::FocusChanged(focused) => {
            state.terminal_focused = focused;
            if focused && state.now >= state.sync.next_due {
                return begin_refresh(state);
            }
            Vec::new()
        }
        Action::CachedSnapshot(snapshot) => {
            if state.snapshot.is_none() {
                state.sync.from_cache = true;
                state.record(
                    Level::Info,
                    format!(
                        "showing cached data from {}; refreshing",
                        snapshot.fetched_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                );
                apply_snapshot(state, *snapshot);
            }
            Vec::new()
        }
        Action::SnapshotLoaded { req, result, rate } => snapshot_loaded(state, req, result, rate),
        Action::SyncProgress { req, line } => {
            if state.sync.in_flight == Some(req) {
                state.sync.progress = Some(line);
                state.dirty = true;
            }
            Vec::new()
        }
        Action::TickApplied {
            repo,
            number,
            key,
            checked,
            body,
            updated_at,
            sub_issue,
        } => {
            checklist::tick_applied(
                state,
                &PendingTick {
                    repo,
                    number,
                    key,
                    checked,
                },
                body,
                updated_at,
                sub_issue,
            );
            github_answered(state)
        }
        Action::TickFailed {
            repo,
            number,
            key,
            checked,
            reason,
            kept_pending,
        } => {
            if !kept_pending {
                state.checklist.pending.retain(|p| {
                    !(p.repo == repo && p.number == number && p.key == key && p.checked == checked)
                });
            }
            state.record(
                Level::Error,
                format!("tick of \"{}\" failed: {reason}", key.text),
            );
            Vec::new()
        }
        Action::TicksRestored { pending, failed } => {
            if !pending.is_empty() {
                state.record(
                    Level::Info,
                    format!(
                        "applying {} tick(s) saved before shipdeck last stopped",
                        pending.len()
                    ),
                );
            }
            state.checklist.pending.extend(pending);
            review::restored(state, failed);
            Vec::new()
        }
        Action::TickNeedsReview(item) => {
            review::kept(state, item);
            Vec::new()
        }
        Action::Input(key) => key_press(state, key),
        Action::DispatchFormLoaded { result } => {
            state.dirty = true;
            match result {
                Ok(form) => state.overlays.open(Overlay::DispatchForm {
                    read_at: form.git_ref.clone(),
                    form,
                }),
                Err(e) => state.record(Level::Error, format!("cannot dispatch: {e}")),
            }
            Vec::new()
        }
        Action::WriteDone {
            request,
            started_at,
            result,
        } => {
            state.dirty = true;
            dispatch::write_done(state, &request, started_at, result)
        }
        Action::Notice(text) => {
            state.record(Level::Warn, text);
            Vec::new()
        }
        Action::Audited(records) => {
            state.audit.records.extend(records);
            state.dirty = true;
            Vec::new()
        }
        Action::CommentsLoaded {
            repo,
            number,
            result,
        } => {
            let answered = result.is_ok();
            detail::comments_loaded(state, repo, number, result);
            if answered {
                return github_answered(state);
            }
            Vec::new()
        }
        Action::Mouse(m) => super::mouse::handle(state, m),
        Action::ProgramDone { id, result } => {
            super::custom::finished(state, id, result);
            Vec::new()
        }
        Action::IssueLoaded {
            repo,
            number,
            result,
        } => {
            let answered = result.is_ok();
            detail::issue_loaded(state, repo, number, result.map(|i| *i));
            if answered {
                return github_answered(state);
            }
            Vec::new()
        }
        Action::JobsLoaded { run_id, result } => {
            state.dirty = true;
            let answered = result.is_ok();
            let mut fx = runs::jobs_loaded(state, run_id, result);
            if answered {
                fx.extend(github_answered(state));
            }
            fx
        }
        Action::UrlOpened { url, result } => {
            match result {
                Ok(program) => {
                    state.record(
                        Level::Info,
                        format!("opened in the browser ({program}): {url}"),
                    );
                }
                Err(why) => {
                    state.record(
                        Level::Warn,
                        format!("could not open a browser ({why}): {url}"),
                    );
                }
            }
            Vec::new()
        }
        Action::LogTailLoaded { job_id, result } => {
            if let Some(d) = state.overlays.detail_mut()
                && d.log.as_ref().is_some_and(|(id, _)| *id == job_id)
            {
                d.log = Some((job_id, result));
                state.dirty = true;
            }
            Vec::new()
        }
        Action::DispatchedRunFound { repo, file, run } => {
            state.dirty = true;
            dispatch::dispatched_run_found(state, &repo, &file, run.as_deref())
        }
        Action::DeployHistoryLoaded { ask, result } => {
            state.dirty = true;
            dispatch::deploy_history_loaded(state, ask, result)
        }
        Action::UserLoaded(result) => {
            let asked = state.sync.user_asked.take();
            match result {
                Ok(login) => {
                    state.session.login = Some(login);
                    if let Some(cmd) = asked {
                        return controls::after_login(state, cmd);
                    }
                }
                Err(e) => state.record(
                    Level::Error,
                    format!("could not read who you are (GET /user): {e}"),
                ),
            }
            Vec::new()
        }
        Action::NotesWritten { path, result } => {
            notes::written(state, &path, result);
            Vec::new()
        }
        Action::GeneratedNotesLoaded { result } => {
            notes::generated_loaded(state, result);
            Vec::new()
        }
        Action::CachedHistory { history, read_at } => {
            kpis::cached(state, *history, read_at);
            Vec::new()
        }
        Action::HistoryLoaded { result } => {
            kpis::history_loaded(state, result);
            Vec::new()
        }
        Action::FollowUpPlanLoaded { result } => {
            state.dirty = true;
            super::retro::plan_loaded(state, result);
            Vec::new()
        }
        Action::ReleasesLoaded { result } => {
            state.dirty = true;
            notes::releases_loaded(state, result);
            Vec::new()
        }
        Action::PendingDeploymentsLoaded {
            repo,
            run_id,
            run_number,
            result,
        } => {
            state.dirty = true;
            controls::pending_loaded(state, repo, run_id, run_number, result);
            Vec::new()
        }
    }
}

fn tick(state: &mut AppState, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    state.now = now;
    state.dirty = true;
    if state.sync.in_flight.is_none() && now >= state.sync.next_due {
        // Unfocused terminals poll at a quarter of the pace.
        if !state.terminal_focused && now < state.sync.next_due + state.sync.idle_every * 3 {
            return Vec::new();
        }
        return begin_refresh(state);
    }
    Vec::new()
}

/// GitHub answered a request while the header says it is unreachable: refresh now, so the
/// header leaves "offline" on this first good answer rather than at the next back-off step.
fn github_answered(state: &mut AppState) -> Vec<Effect> {
    if state.sync.last_error.is_some()
        && state.sync.in_flight.is_none()
        && state
            .sync
            .limited_until
            .is_none_or(|until| until <= state.now)
    {
        return begin_refresh(state);
    }
    Vec::new()
}

/// Starts a refresh unless one is running, in which case one more is queued. Workflows known
/// to be absent are not asked for again (see [`Effect::FetchSnapshot`]).
pub fn begin_refresh(state: &mut AppState) -> Vec<Effect> {
    start_refresh(state, false)
}

/// Starts (or queues) a refresh; `full` when the user asked for it.
pub(super) fn start_refresh(state: &mut AppState, full: bool) -> Vec<Effect> {
    if state.sync.in_flight.is_some() {
        state.sync.queued = true;
        state.sync.queued_full |= full;
        return Vec::new();
    }
    let req = state.sync.next_req;
    state.sync.next_req += 1;
    state.sync.in_flight = Some(req);
    state.sync.started = Some(state.now);
    state.dirty = true;
    vec![Effect::FetchSnapshot { req, full }]
}

fn snapshot_loaded(
    state: &mut AppState,
    req: u64,
    result: FetchResult,
    rate: Option<crate::release::RateBudget>,
) -> Vec<Effect> {
    if state.sync.in_flight != Some(req) {
        tracing::debug!(req, "dropping a stale refresh result");
        return Vec::new();
    }
    state.sync.in_flight = None;
    state.sync.progress = None;
    if let Some(rate) = rate {
        if let Some(server_time) = rate.server_time {
            state.sync.clock_skew = gates::skew(server_time, state.now);
        }
        state.rate = Some(rate);
    }
    let mut effects = Vec::new();
    match result {
        Ok(mut snapshot) => {
            checklist::keep_newer_tracking(state.snapshot.as_ref(), &mut snapshot);
            let first = state.sync.last_ok.is_none();
            state.sync.last_ok = Some(state.now);
            state.sync.failures = 0;
            state.sync.limited_until = None;
            state.sync.from_cache = false;
            if state.sync.last_error.take().is_some() {
                state.record(Level::Info, "GitHub is reachable again");
            }
            let changed = state
                .snapshot
                .as_ref()
                .is_none_or(|old| !old.same_data(&snapshot));
            if changed {
                for (what, result) in finished_runs(state.release.as_ref(), &snapshot) {
                    state.record(Level::Info, format!("{what} finished: {result}"));
                    if state.session.bell {
                        effects.push(Effect::Bell);
                    }
                }
                apply_snapshot(state, *snapshot);
                if first && let Some(release) = &state.release {
                    let text = format!(
                        "loaded {} ({} issues, {} repos)",
                        release.title,
                        release.issue_counts().total(),
                        release.repos.len()
                    );
                    state.record(Level::Info, text);
                }
            } else if let Some(old) = state.snapshot.as_mut() {
                old.fetched_at = snapshot.fetched_at;
            }
            effects.extend(runs::after_refresh(state));
        }
        Err(error) => {
            let message = error.to_string();
            state.sync.failures = state.sync.failures.saturating_add(1);
            state.sync.limited_until = error.api_error().and_then(|e| e.retry_at(state.now));
            match state.sync.limited_until {
                Some(until) => state.record(
                    Level::Warn,
                    format!(
                        "rate limited by GitHub until {} UTC; the next refresh waits until then",
                        until.format("%H:%M:%S")
                    ),
                ),
                None => state.record(Level::Error, format!("refresh failed: {message}")),
            }
            state.sync.last_error = Some(message);
        }
    }
    state.sync.next_due = state.now + refresh_interval(state);
    if let Some(until) = state.sync.limited_until {
        state.sync.next_due = state.sync.next_due.max(until);
    }
    state.dirty = true;
    if std::mem::take(&mut state.sync.queued) {
        let full = std::mem::take(&mut state.sync.queued_full);
        effects.extend(start_refresh(state, full));
    }
    effects
}

/// The wait before the next background refresh: fast while a watched run is going, slower as
/// the API budget runs low, and after errors.
#[must_use]
pub fn refresh_interval(state: &AppState) -> Duration {
    let mut every = if state.release.as_ref().is_some_and(Release::has_active_run) {
        state.sync.active_every.min(state.sync.idle_every)
    } else {
        state.sync.idle_every
    };
    if state.sync.failures > 0 {
        // 30 s, 1 min, 2 min, 4 min, then every 5 min while GitHub stays unreachable.
        let backoff = (Duration::seconds(30) * (1 << (state.sync.failures.min(5) - 1)))
            .min(Duration::minutes(5));
        every = every.max(backoff);
    }
    if let Some(rate) = state.rate
        && rate.limit > 0
    {
        if rate.remaining == 0 {
            return (rate.reset - state.now).max(Duration::seconds(60));
        }
        if rate.remaining * 10 < rate.limit {
            every = every * 4;
        }
    }
    every
}

/// Runs that were going in the old release and are completed in the new snapshot.
fn finished_runs(old: Option<&Release>, new: &Snapshot) -> Vec<(String, String)> {
    let Some(old) = old else {
        return Vec::new();
    };
    let mut done = Vec::new();
    for w in new.repos.iter().flat_map(|r| r.workflows.iter()) {
        for run in &w.runs {
            let was_active = old.workflows.iter().any(|ow| {
                ow.runs
                    .iter()
                    .any(|r| r.id == run.id && r.repo == run.repo && r.status.is_active())
            });
            if was_active && run.status == RunStatus::Completed {
                done.push((
                    format!("{} #{} ({})", w.file, run.run_number, w.repo),
                    run.conclusion.map_or("unknown", |c| c.as_str()).to_string(),
                ));
            }
        }
    }
    done
}

/// Stores a snapshot and derives the release from it (once, not per frame).
pub fn apply_snapshot(state: &mut AppState, snapshot: Snapshot) {
    state.rules.release_ref =
        crate::release::git_ref::release_ref(&state.session.ref_pattern, &snapshot.milestone);
    let release = Release::derive(&snapshot, &state.rules);
    if let Some(error) = release.bad_ref
        && state
            .release
            .as_ref()
            .is_none_or(|old| old.release_ref != release.release_ref)
    {
        state.record(
            Level::Warn,
            crate::release::git_ref::bad_ref_reason(&release.release_ref, error),
        );
    }
    if state.release.is_none() {
        state.board.column = release.current_phase.index();
    }
    state.board.column = state
        .board
        .column
        .min(release.board().len().saturating_sub(1));
    state.release = Some(release);
    state.snapshot = Some(snapshot);
    state.snapshot_version += 1;
    lists::clamp_cursors(state);
    state.dirty = true;
}
