//! The runs pane's rows and every action on runs: drill-down, dispatch (form → confirm →
//! write → find the run → watch it), re-run, cancel, rollback, approvals, the deploy lock and
//! the release's health mark.

use super::action::WriteResult;
use super::effect::Effect;
use super::keymap::Key;
use super::state::{AppState, Level, Pane, RunDetail, Watch, WorkflowRule};
use super::write::{Choice, Confirm, ConfirmOutcome, WriteRequest};
use crate::release::snapshot::WorkflowRuns;
use crate::release::{Conclusion, Phase, Run, RunStatus};
use crossterm::event::KeyCode;

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

/// The rows, in display order.
#[must_use]
pub fn rows(state: &AppState) -> Vec<RunRow> {
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
        if state.runs_compact {
            rows.push(RunRow {
                wf,
                run: Some(0),
                job: None,
            });
            if let Some(jobs) = state.jobs.get(&w.runs[0].id) {
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
    let row = *rows(state).get(state.runs.selected)?;
    let w = release.workflows.get(row.wf)?;
    Some((w, row.run.and_then(|r| w.runs.get(r))))
}

/// The configured rule of a workflow row.
#[must_use]
pub fn rule_for<'a>(state: &'a AppState, w: &WorkflowRuns) -> Option<&'a WorkflowRule> {
    state
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

fn refuse_if_read_only(state: &mut AppState) -> bool {
    if state.read_only {
        state.record(
            Level::Warn,
            "read-only: actions are disabled (started with --read-only)",
        );
    }
    state.read_only
}

/// Enter on a run: jobs, steps, timings, and a failed job's log tail.
pub fn drill(state: &mut AppState) -> Vec<Effect> {
    let Some((w, Some(run))) = selected(state) else {
        state.record(Level::Info, "no run to show here");
        return Vec::new();
    };
    let (repo, run_id) = (w.repo.clone(), run.id);
    state.detail = Some(RunDetail {
        repo: repo.clone(),
        run_id,
        scroll: 0,
        log: None,
    });
    vec![Effect::FetchJobs { repo, run_id }]
}

/// `d`: opens the dispatch form of the selected workflow.
pub fn dispatch(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((w, _)) = selected(state) else {
        return Vec::new();
    };
    let (repo, file) = (w.repo.clone(), w.file.clone());
    open_form(state, &repo, &file, Vec::new())
}

fn open_form(
    state: &mut AppState,
    repo: &str,
    file: &str,
    prefill: Vec<(String, String)>,
) -> Vec<Effect> {
    let rule = state
        .workflow_rules
        .iter()
        .find(|r| r.file == file && r.repo.as_deref().is_none_or(|x| x == repo))
        .cloned();
    let Some(rule) = rule else {
        state.record(Level::Warn, format!("{file} is not a configured workflow"));
        return Vec::new();
    };
    if !rule.dispatch {
        state.record(
            Level::Warn,
            format!(
                "{file} is not dispatchable here: set `dispatch = true` on it in [[workflows]]"
            ),
        );
        return Vec::new();
    }
    if let Some(reason) = lock_refusal(state, &rule) {
        state.record(Level::Error, reason);
        return Vec::new();
    }
    let git_ref = state
        .release
        .as_ref()
        .map_or_else(|| "main".to_string(), |r| r.release_ref.clone());
    state.record(Level::Info, format!("reading {file} at {git_ref}…"));
    vec![Effect::LoadDispatchForm {
        repo: repo.to_string(),
        file: file.to_string(),
        git_ref,
        prefill,
    }]
}

/// Why a dispatch of `rule`'s workflow is refused while deploys are locked.
fn lock_refusal(state: &AppState, rule: &WorkflowRule) -> Option<String> {
    let lock = state.release.as_ref()?.lock.as_ref()?;
    if rule.phase != Phase::Deploy || rule.rollback {
        return None;
    }
    Some(format!(
        "deploys are locked{}: {} (press L to unlock)",
        lock.author
            .as_ref()
            .map(|a| format!(" by @{a}"))
            .unwrap_or_default(),
        lock.reason
    ))
}

/// `b`: the rollback workflow, pre-filled with the version of the last good deploy before the
/// current one.
pub fn rollback(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let repo = selected(state)
        .map(|(w, _)| w.repo.clone())
        .or_else(|| release.repos.first().cloned());
    let Some(repo) = repo else {
        return Vec::new();
    };
    let Some(rule) = state
        .workflow_rules
        .iter()
        .find(|r| r.rollback && r.repo.as_deref().is_none_or(|x| x == repo))
        .cloned()
    else {
        state.record(
            Level::Warn,
            "no rollback workflow configured: set `rollback = true` on one in [[workflows]]",
        );
        return Vec::new();
    };
    let deploys: Vec<&Run> = release
        .workflows
        .iter()
        .filter(|w| w.repo == repo)
        .filter(|w| {
            state
                .workflow_rules
                .iter()
                .any(|r| r.file == w.file && r.phase == Phase::Deploy && !r.rollback && r.dispatch)
        })
        .flat_map(|w| w.runs.iter())
        .filter(|r| r.is_green())
        .collect();
    let mut deploys = deploys;
    deploys.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    let mut prefill = Vec::new();
    match (deploys.first(), deploys.get(1)) {
        (Some(current), Some(previous)) => {
            if let Some(v) = version_in(&previous.display_title) {
                prefill.push(("version".to_string(), v));
            }
            if let Some(env) = environment_in(&current.display_title) {
                prefill.push(("environment".to_string(), env));
            }
            prefill.push((
                "reason".to_string(),
                format!(
                    "roll back {}",
                    version_in(&current.display_title)
                        .unwrap_or_else(|| current.short_sha().to_string())
                ),
            ));
        }
        _ => state.record(
            Level::Warn,
            format!("no earlier successful deploy found in {repo}; fill in the version"),
        ),
    }
    open_form(state, &repo, &rule.file, prefill)
}

/// The first version-looking word of a run title: `v2.4.0-rc.1`, `1.2.3`.
#[must_use]
pub fn version_in(title: &str) -> Option<String> {
    title
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | '(' | ')' | '"' | '\'')))
        .find(|t| {
            let digits = t.strip_prefix('v').unwrap_or(t);
            digits.starts_with(|c: char| c.is_ascii_digit()) && digits.contains('.')
        })
        .map(str::to_string)
}

/// The environment a deploy title names: "Deploy v1 to staging" → `staging`.
#[must_use]
pub fn environment_in(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    words
        .windows(2)
        .rev()
        .find(|w| w[0].eq_ignore_ascii_case("to"))
        .map(|w| {
            w[1].trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_string()
        })
        .filter(|s| !s.is_empty())
}

/// `R`: re-run the failed jobs of the selected run, after confirmation.
pub fn rerun_failed(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if run.status != RunStatus::Completed
        || !run
            .conclusion
            .is_some_and(|c| c.is_bad() || c == Conclusion::Cancelled)
    {
        state.record(
            Level::Warn,
            format!("#{} has no failed jobs to re-run", run.run_number),
        );
        return Vec::new();
    }
    let context = format!(
        "Re-run the failed jobs of {} #{}?",
        run.name.clone().unwrap_or_default(),
        run.run_number
    );
    state.confirm = Some(Confirm::new(
        "Re-run failed jobs",
        &context,
        WriteRequest::RerunFailed {
            repo,
            run_id: run.id,
            run_number: run.run_number,
        },
    ));
    Vec::new()
}

/// `X`: cancel the selected run, after confirmation.
pub fn cancel(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if !run.status.is_active() {
        state.record(Level::Warn, format!("#{} is not running", run.run_number));
        return Vec::new();
    }
    let mut c = Confirm::new(
        "Cancel run",
        &format!(
            "Cancel {} #{} ({})?",
            run.name.clone().unwrap_or_default(),
            run.run_number,
            run.display_title
        ),
        WriteRequest::Cancel {
            repo,
            run_id: run.id,
            run_number: run.run_number,
        },
    );
    c.danger = true;
    state.confirm = Some(c);
    Vec::new()
}

/// `a`: loads what a waiting run waits for, then asks approve or reject.
pub fn review(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if run.status != RunStatus::Waiting {
        state.record(
            Level::Warn,
            format!("#{} is not waiting for a review", run.run_number),
        );
        return Vec::new();
    }
    vec![Effect::LoadPendingDeployments {
        repo,
        run_id: run.id,
        run_number: run.run_number,
    }]
}

/// The run the drill-down shows, else the selected one.
fn target_run(state: &mut AppState) -> Option<(String, Run)> {
    if let Some(d) = &state.detail {
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

/// `L`: lock deploys (with a reason) or unlock them.
pub fn toggle_lock(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let Some(t) = &release.tracking else {
        state.record(
            Level::Warn,
            "the lock lives on the tracking issue, and there is none (shipdeck init)",
        );
        return Vec::new();
    };
    let (repo, number, milestone, label) = (
        t.repo.clone(),
        t.number,
        release.title.clone(),
        state.lock_label.clone(),
    );
    state.confirm = Some(if let Some(lock) = &release.lock {
        Confirm::new(
            "Unlock deploys",
            &format!("Deploys of {milestone} are locked: {}", lock.reason),
            WriteRequest::Unlock {
                repo,
                number,
                milestone,
                label,
            },
        )
    } else {
        let mut c = Confirm::new(
            "Lock deploys",
            &format!(
                "Lock deploys of {milestone}? Dispatches of deploy workflows will be refused until unlocked."
            ),
            WriteRequest::Lock {
                repo,
                number,
                milestone,
                label,
                reason: String::new(),
            },
        );
        c.text = Some(("reason".into(), String::new()));
        c
    });
    Vec::new()
}

/// `m`: mark the release healthy or faulty after a deploy.
pub fn mark_health(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let Some(t) = &release.tracking else {
        state.record(
            Level::Warn,
            "the health mark lives on the tracking issue, and there is none (shipdeck init)",
        );
        return Vec::new();
    };
    let mut c = Confirm::new(
        "Mark the release",
        &format!("After the deploy, {} is:", release.title),
        WriteRequest::MarkHealth {
            repo: t.repo.clone(),
            number: t.number,
            label: state.rules.healthy_label.clone(),
            other_label: state.rules.faulty_label.clone(),
            healthy: true,
            comment: String::new(),
        },
    );
    c.choice = Some(Choice {
        label: "health".into(),
        options: vec!["healthy".into(), "faulty".into()],
        selected: 0,
    });
    c.text = Some(("comment".into(), String::new()));
    state.confirm = Some(c);
    Vec::new()
}

/// A key while the dispatch form is open.
pub fn form_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            state.form = None;
            state.record(Level::Info, "dispatch cancelled");
        }
        KeyCode::Tab if key.mods.contains(crossterm::event::KeyModifiers::SHIFT) => {
            form.prev_field()
        }
        KeyCode::Tab | KeyCode::Down => form.next_field(),
        KeyCode::BackTab | KeyCode::Up => form.prev_field(),
        KeyCode::Left => form.cycle(-1),
        KeyCode::Right => form.cycle(1),
        KeyCode::Backspace => form.backspace(),
        KeyCode::Char(' ') if !form.is_text_focused() => form.toggle(),
        KeyCode::Char(c) => form.type_char(c),
        KeyCode::Enter => return submit_form(state),
        _ => {}
    }
    Vec::new()
}

/// Enter in the form: on the ref field after editing it, re-read the workflow at that ref;
/// otherwise validate and ask for confirmation.
fn submit_form(state: &mut AppState) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    if form.focus == 0 && form.git_ref.trim() != state.form_ref && !form.git_ref.trim().is_empty() {
        let prefill = form.inputs().into_iter().collect();
        let (repo, file, git_ref) = (
            form.repo.clone(),
            form.workflow_file.clone(),
            form.git_ref.trim().to_string(),
        );
        state.record(Level::Info, format!("reading {file} at {git_ref}…"));
        return vec![Effect::LoadDispatchForm {
            repo,
            file,
            git_ref,
            prefill,
        }];
    }
    if !form.validate() {
        state.record(Level::Warn, "fix the marked fields");
        return Vec::new();
    }
    let form = form.clone();
    let rule = state
        .workflow_rules
        .iter()
        .find(|r| r.file == form.workflow_file && r.repo.as_deref().is_none_or(|x| x == form.repo))
        .cloned();
    if let Some(reason) = rule.as_ref().and_then(|r| lock_refusal(state, r)) {
        state.record(Level::Error, reason);
        return Vec::new();
    }
    let environment = form
        .environment()
        .or_else(|| rule.as_ref().and_then(|r| r.environment.clone()));
    let production = environment.as_deref() == Some(state.production_env.as_str());
    let protected = rule.as_ref().is_some_and(|r| r.protected)
        || environment
            .as_ref()
            .is_some_and(|e| state.protected_envs.contains(e));
    let mut context = format!(
        "Dispatch {} ({}) in {} on {}",
        form.workflow_name, form.workflow_file, form.repo, form.git_ref
    );
    if let Some(env) = &environment {
        context.push_str(&format!(" to {env}"));
    }
    if let Some(lock) = state.release.as_ref().and_then(|r| r.lock.as_ref()) {
        context.push_str(&format!(
            "\nNote: deploys are locked ({}); a rollback is allowed.",
            lock.reason
        ));
    }
    let mut c = Confirm::new(
        if production {
            "Dispatch to PRODUCTION"
        } else {
            "Dispatch workflow"
        },
        &context,
        WriteRequest::Dispatch {
            repo: form.repo.clone(),
            file: form.workflow_file.clone(),
            git_ref: form.git_ref.clone(),
            inputs: form.inputs(),
            workflow_name: form.workflow_name.clone(),
        },
    );
    c.danger = production;
    if protected {
        c.typed_requirement = Some(environment.unwrap_or_else(|| form.workflow_file.clone()));
    }
    state.confirm = Some(c);
    Vec::new()
}

/// A key while the confirm dialog is open.
pub fn confirm_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(confirm) = state.confirm.as_mut() else {
        return Vec::new();
    };
    match confirm.key(key) {
        ConfirmOutcome::Open => Vec::new(),
        ConfirmOutcome::NeedsTyping => {
            let need = confirm.typed_requirement.clone().unwrap_or_default();
            state.record(Level::Warn, format!("type \"{need}\" to confirm"));
            Vec::new()
        }
        ConfirmOutcome::Cancelled => {
            state.confirm = None;
            state.record(Level::Info, "cancelled; nothing was sent");
            Vec::new()
        }
        ConfirmOutcome::Confirmed(request) => {
            state.confirm = None;
            if let WriteRequest::Dispatch { repo, file, .. } = &request {
                state.form = None;
                state.watch = Some(Watch {
                    repo: repo.clone(),
                    file: file.clone(),
                    run_id: None,
                });
            }
            state.record(Level::Info, format!("{}…", request.summary()));
            vec![Effect::Write(request)]
        }
    }
}

/// A confirmed write came back.
pub fn write_done(
    state: &mut AppState,
    request: &WriteRequest,
    result: Result<WriteResult, String>,
) -> Vec<Effect> {
    match result {
        Err(message) => {
            state.record(
                Level::Error,
                format!("{} failed: {message}", request.summary()),
            );
            if matches!(request, WriteRequest::Dispatch { .. }) {
                state.watch = None;
            }
            Vec::new()
        }
        Ok(WriteResult::Dispatched(outcome)) => {
            let WriteRequest::Dispatch {
                repo,
                file,
                git_ref,
                ..
            } = request
            else {
                return Vec::new();
            };
            if let Some(run_id) = outcome.run_id {
                state.watch = Some(Watch {
                    repo: repo.clone(),
                    file: file.clone(),
                    run_id: Some(run_id),
                });
                state.record(
                    Level::Info,
                    format!(
                        "dispatched {file}: run {run_id}{}",
                        outcome
                            .html_url
                            .map(|u| format!(" {u}"))
                            .unwrap_or_default()
                    ),
                );
                let mut fx = super::update::begin_refresh(state);
                fx.push(Effect::FetchJobs {
                    repo: repo.clone(),
                    run_id,
                });
                fx
            } else {
                state.record(
                    Level::Info,
                    format!("dispatched {file}; GitHub did not name the run, looking for it (best guess)…"),
                );
                vec![Effect::FindDispatchedRun {
                    repo: repo.clone(),
                    file: file.clone(),
                    branch: git_ref.clone(),
                    since: state.now,
                }]
            }
        }
        Ok(WriteResult::Done) => {
            state.record(Level::Info, format!("{}: done", request.summary()));
            super::update::begin_refresh(state)
        }
    }
}

/// The fallback found (or gave up on) the dispatched run.
pub fn dispatched_run_found(
    state: &mut AppState,
    repo: &str,
    file: &str,
    run: Option<&Run>,
) -> Vec<Effect> {
    match run {
        Some(run) => {
            state.best_guess.push(run.id);
            state.watch = Some(Watch {
                repo: repo.to_string(),
                file: file.to_string(),
                run_id: Some(run.id),
            });
            state.record(
                Level::Info,
                format!(
                    "best guess: {file} run #{} ({}) by {}",
                    run.run_number,
                    run.short_sha(),
                    run.actor.clone().unwrap_or_default()
                ),
            );
            super::update::begin_refresh(state)
        }
        None => {
            state.watch = None;
            state.record(
                Level::Warn,
                format!("no run of {file} found after the grace period; check the Actions tab (o opens it)"),
            );
            Vec::new()
        }
    }
}

/// The pending deployments of a waiting run: ask approve or reject.
pub fn pending_loaded(
    state: &mut AppState,
    repo: String,
    run_id: u64,
    run_number: u64,
    result: Result<Vec<crate::release::PendingDeployment>, String>,
) {
    let pending = match result {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            state.record(
                Level::Info,
                format!("#{run_number} has nothing waiting for review"),
            );
            return;
        }
        Err(e) => {
            state.record(
                Level::Error,
                format!("reading what #{run_number} waits for failed: {e}"),
            );
            return;
        }
    };
    let can: Vec<_> = pending
        .iter()
        .filter(|p| p.current_user_can_approve)
        .collect();
    if can.is_empty() {
        let who: Vec<String> = pending.iter().flat_map(|p| p.reviewers.clone()).collect();
        state.record(
            Level::Warn,
            format!(
                "you are not a required reviewer of #{run_number}; reviewers: {}",
                who.join(", ")
            ),
        );
        return;
    }
    let environments: Vec<String> = can.iter().map(|p| p.environment.clone()).collect();
    let production = environments.contains(&state.production_env);
    let mut c = Confirm::new(
        "Review deployment",
        &format!(
            "Run #{run_number} waits to deploy to {}.",
            environments.join(", ")
        ),
        WriteRequest::Review {
            repo,
            run_id,
            run_number,
            environment_ids: can.iter().map(|p| p.environment_id).collect(),
            environments,
            approve: true,
            comment: String::new(),
        },
    );
    c.danger = production;
    c.choice = Some(Choice {
        label: "decision".into(),
        options: vec!["approve".into(), "reject".into()],
        selected: 0,
    });
    c.text = Some(("comment".into(), String::new()));
    state.confirm = Some(c);
}

/// After a refresh: follow the watched run, keep the drill-down and compact jobs fresh.
pub fn after_refresh(state: &mut AppState) -> Vec<Effect> {
    let mut fx = Vec::new();
    if let Some(Watch {
        repo,
        run_id: Some(id),
        ..
    }) = state.watch.clone()
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
        state.runs.selected = pos;
        state.focus = Pane::Runs;
        state.watch = None;
    }
    if let Some(d) = &state.detail {
        let active = find_run(state, &d.repo, d.run_id).is_none_or(|r| r.status.is_active());
        if active {
            fx.push(Effect::FetchJobs {
                repo: d.repo.clone(),
                run_id: d.run_id,
            });
        }
    }
    if state.runs_compact
        && let Some(release) = &state.release
    {
        for w in &release.workflows {
            if let Some(run) = w.runs.first()
                && (run.status.is_active() || !state.jobs.contains_key(&run.id))
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
    state.jobs.insert(run_id, jobs);
    let mut fx = Vec::new();
    if let Some(d) = state.detail.as_mut()
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

/// Up/Down inside the drill-down scroll it.
pub fn scroll_detail(state: &mut AppState, delta: i32) -> bool {
    match state.detail.as_mut() {
        Some(d) => {
            d.scroll = d
                .scroll
                .saturating_add_signed(i16::try_from(delta).unwrap_or(0));
            true
        }
        None => false,
    }
}

/// Whether the runs pane has focus (for run commands).
#[must_use]
pub fn runs_focused(state: &AppState) -> bool {
    state.focus == Pane::Runs || state.detail.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_environments_from_titles() {
        assert_eq!(
            version_in("Deploy v2.4.0-rc.2 to staging").as_deref(),
            Some("v2.4.0-rc.2")
        );
        assert_eq!(version_in("Release 1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(version_in("Bump deps"), None);
        assert_eq!(
            environment_in("Deploy v2.4.0-rc.2 to staging").as_deref(),
            Some("staging")
        );
        assert_eq!(environment_in("Nightly"), None);
    }
}
