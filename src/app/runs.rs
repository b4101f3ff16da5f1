//! The runs pane: its rows (runs, or jobs in the compact view), the drill-down, and keeping
//! both fresh after each refresh. Dispatching lives in `dispatch`, the other writes in
//! `controls`.

use super::effect::Effect;
use super::overlay::Overlay;
use super::state::{AppState, Level, Pane, RunDetail, Watch, WorkflowRule};
use crate::release::snapshot::WorkflowRuns;
use crate::release::{Conclusion, Run};

/// Runs listed per workflow in the normal view.
pub const RUNS_PER_WORKFLOW: usize = 5;

/// Lines of a failed job's log shown in the drill-down.
pub const LOG_TAIL: usize = 25;

/// One row of the runs pane: a workflow with no run, a run, or (compact view) a job of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunRow {
    pub wf: usize,
    pub run: Option<usize>,
    pub job: Option<usize>,
}

/// The rows shown, in display order: all of them, or those the pane's `/` filter keeps.
#[must_use]
pub fn rows(state: &AppState) -> Vec<RunRow> {
    let filter = state.filters.runs.parsed();
    let all = all_rows(state);
    let Some(release) = state.release.as_ref().filter(|_| !filter.is_empty()) else {
        return all;
    };
    all.into_iter()
        .filter(|row| {
            release
                .workflows
                .get(row.wf)
                .is_some_and(|w| super::lists::run_row_matches(state, &filter, w, *row))
        })
        .collect()
}

/// Every row, unfiltered, in display order.
#[must_use]
pub fn all_rows(state: &AppState) -> Vec<RunRow> {
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (wf, w) in release.workflows.iter().enumerate() {
        if w.runs.is_empty() {
            rows.push(RunRow {
                wf,
                run: None,
                job: None,
            });
            continue;
        }
        if state.runs.compact {
            rows.push(RunRow {
                wf,
                run: Some(0),
                job: None,
            });
            if let Some(jobs) = state.runs.jobs.get(&w.runs[0].id) {
                rows.extend((0..jobs.len()).map(|j| RunRow {
                    wf,
                    run: Some(0),
                    job: Some(j),
                }));
            }
        } else {
            rows.extend((0..w.runs.len().min(RUNS_PER_WORKFLOW)).map(|r| RunRow {
                wf,
                run: Some(r),
                job: None,
            }));
        }
    }
    rows
}

/// The workflow and run under the cursor.
#[must_use]
pub fn selected(state: &AppState) -> Option<(&WorkflowRuns, Option<&Run>)> {
    let release = state.release.as_ref()?;
    let row = *rows(state).get(state.runs.cursor.selected)?;
    let w = release.workflows.get(row.wf)?;
    Some((w, row.run.and_then(|r| w.runs.get(r))))
}

/// The configured rule of a workflow row.
#[must_use]
pub fn rule_for<'a>(state: &'a AppState, w: &WorkflowRuns) -> Option<&'a WorkflowRule> {
    state
        .session
        .workflow_rules
        .iter()
        .find(|r| r.file == w.file && r.repo.as_deref().is_none_or(|repo| repo == w.repo))
}

/// A run anywhere in the release, by id.
#[must_use]
pub fn find_run(state: &AppState, repo: &str, run_id: u64) -> Option<Run> {
    state
        .release
        .as_ref()?
        .workflows
        .iter()
        .filter(|w| w.repo == repo)
        .flat_map(|w| w.runs.iter())
        .find(|r| r.id == run_id)
        .cloned()
}

pub(super) fn refuse_if_read_only(state: &mut AppState) -> bool {
    if state.session.read_only {
        state.record(
            Level::Warn,
            "read-only: actions are disabled (started with --read-only)",
        );
    }
    state.session.read_only
}

/// Enter on a run: jobs, steps, timings, and a failed job's log tail.
pub fn drill(state: &mut AppState) -> Vec<Effect> {
    let Some((w, Some(run))) = selected(state) else {
        state.record(Level::Info, "no run to show here");
        return Vec::new();
    };
    let (repo, run_id) = (w.repo.clone(), run.id);
    state.overlays.open(Overlay::RunDetail(RunDetail {
        repo: repo.clone(),
        run_id,
        scroll: 0,
        log: None,
    }));
    vec![Effect::FetchJobs { repo, run_id }]
}

/// The run the drill-down shows, else the selected one.
pub(super) fn target_run(state: &mut AppState) -> Option<(String, Run)> {
    if let Some(d) = state.overlays.detail() {
        let (repo, id) = (d.repo.clone(), d.run_id);
        return find_run(state, &repo, id).map(|r| (repo, r));
    }
    match selected(state) {
        Some((w, Some(run))) => Some((w.repo.clone(), run.clone())),
        _ => {
            state.record(Level::Info, "select a run first");
            None
        }
    }
}

/// After a refresh: follow the watched run, keep the drill-down and compact jobs fresh.
pub fn after_refresh(state: &mut AppState) -> Vec<Effect> {
    let mut fx = Vec::new();
    if let Some(Watch {
        repo,
        run_id: Some(id),
        ..
    }) = state.runs.watch.clone()
        && let Some(pos) = rows(state).iter().position(|row| {
            state.release.as_ref().is_some_and(|r| {
                r.workflows[row.wf].repo == repo
                    && row.job.is_none()
                    && row
                        .run
                        .and_then(|i| r.workflows[row.wf].runs.get(i))
                        .is_some_and(|run| run.id == id)
            })
        })
    {
        // Selected once when it first shows up; from then on it is followed like every
        // active run (fast polling, a bell and a status line when it completes), and the
        // cursor is the user's again.
        state.runs.cursor.selected = pos;
        state.focus = Pane::Runs;
        state.runs.watch = None;
    }
    if let Some(d) = state.overlays.detail() {
        let active = find_run(state, &d.repo, d.run_id).is_none_or(|r| r.status.is_active());
        if active {
            fx.push(Effect::FetchJobs {
                repo: d.repo.clone(),
                run_id: d.run_id,
            });
        }
    }
    if state.runs.compact
        && let Some(release) = &state.release
    {
        for w in &release.workflows {
            if let Some(run) = w.runs.first()
                && (run.status.is_active() || !state.runs.jobs.contains_key(&run.id))
            {
                fx.push(Effect::FetchJobs {
                    repo: w.repo.clone(),
                    run_id: run.id,
                });
            }
        }
    }
    fx
}

/// Jobs arrived: keep them; for the drill-down, fetch the failed job's log tail once.
pub fn jobs_loaded(
    state: &mut AppState,
    run_id: u64,
    result: Result<Vec<crate::release::Job>, String>,
) -> Vec<Effect> {
    let jobs = match result {
        Ok(j) => j,
        Err(e) => {
            state.record(Level::Error, format!("jobs of run {run_id}: {e}"));
            return Vec::new();
        }
    };
    let failed = jobs
        .iter()
        .find(|j| j.conclusion.is_some_and(Conclusion::is_bad))
        .map(|j| j.id);
    state.runs.jobs.insert(run_id, jobs);
    let mut fx = Vec::new();
    if let Some(d) = state.overlays.detail_mut()
        && d.run_id == run_id
        && d.log.is_none()
        && let Some(job_id) = failed
    {
        d.log = Some((job_id, Ok(vec!["loading the log…".into()])));
        fx.push(Effect::FetchLogTail {
            repo: d.repo.clone(),
            job_id,
        });
    }
    fx
}

/// Whether the runs pane has focus (for run commands).
#[must_use]
pub fn runs_focused(state: &AppState) -> bool {
    state.focus == Pane::Runs || state.overlays.detail().is_some()
}
