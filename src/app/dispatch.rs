//! Dispatching a workflow: the form read from the workflow file, the confirm dialog with the
//! exact call, the write, and finding the run it started (by id, or a labelled best guess).
//! Rollback is a dispatch of the rollback workflow, pre-filled from the deploy history.

use crossterm::event::{KeyCode, KeyModifiers};

use super::action::WriteResult;
use super::effect::{Effect, RollbackAsk};
use super::keymap::Key;
use super::runs::{refuse_if_read_only, selected};
use super::state::{AppState, Level, Watch, WorkflowRule};
use super::write::{Confirm, ConfirmOutcome, GateOverride, WriteRequest};
use chrono::{DateTime, Utc};

use crate::release::call::Stopped;
use crate::release::dispatch::Form;
use crate::release::error::ApiError;
use crate::release::gates::Verdict;
use crate::release::snapshot::DeployLock;
use crate::release::{Phase, Release, Run, rollback};

/// Runs read per deploy workflow, on every branch, to propose a rollback (one page).
pub const DEPLOY_HISTORY_RUNS: u8 = 100;

/// `d`: opens the dispatch form of the selected workflow.
pub fn dispatch(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((w, _)) = selected(state) else {
        return Vec::new();
    };
    let (repo, file) = (w.repo.clone(), w.file.clone());
    open_form(state, &repo, &file, Vec::new(), None)
}

/// Reads `file` at the release ref and opens its form with `prefill`; `note` says where the
/// pre-filled values came from.
fn open_form(
    state: &mut AppState,
    repo: &str,
    file: &str,
    prefill: Vec<(String, String)>,
    note: Option<String>,
) -> Vec<Effect> {
    let rule = state
        .session
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
        note,
    }]
}

/// Why a dispatch of `rule`'s workflow is refused while deploys are locked.
fn lock_refusal(state: &AppState, rule: &WorkflowRule) -> Option<String> {
    let lock = blocking_lock(state.release.as_ref()?, rule)?;
    Some(format!(
        "deploys are locked{}: {} (press L to unlock)",
        lock.author
            .as_ref()
            .map(|a| format!(" by @{a}"))
            .unwrap_or_default(),
        lock.reason
    ))
}

/// The deploy lock that refuses a dispatch of `rule`'s workflow: deploys are locked and it is a
/// deploy-phase workflow other than the rollback. Shared by the dashboard and `shipdeck
/// dispatch`.
#[must_use]
pub fn blocking_lock<'a>(release: &'a Release, rule: &WorkflowRule) -> Option<&'a DeployLock> {
    let lock = release.lock.as_ref()?;
    (rule.phase == Phase::Deploy && !rule.rollback).then_some(lock)
}

/// `b`: the rollback workflow. First the deploy history is read (every branch: the last good
/// deploy is usually an earlier release's); [`deploy_history_loaded`] then opens the form.
pub fn rollback(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let under_cursor =
        selected(state).map(|(w, run)| (w.repo.clone(), w.file.clone(), run.map(|r| r.id)));
    let repo = under_cursor
        .as_ref()
        .map(|(repo, _, _)| repo.clone())
        .or_else(|| release.repos.first().cloned());
    let Some(repo) = repo else {
        return Vec::new();
    };
    let applies = |r: &WorkflowRule| r.repo.as_deref().is_none_or(|x| x == repo);
    let Some(rule) = state
        .session
        .workflow_rules
        .iter()
        .find(|r| r.rollback && applies(r))
        .cloned()
    else {
        state.record(
            Level::Warn,
            "no rollback workflow configured: set `rollback = true` on one in [[workflows]]",
        );
        return Vec::new();
    };
    let mut deploy_files: Vec<String> = state
        .session
        .workflow_rules
        .iter()
        .filter(|r| r.phase == Phase::Deploy && !r.rollback && r.dispatch && applies(r))
        .map(|r| r.file.clone())
        .collect();
    deploy_files.dedup();
    if deploy_files.is_empty() {
        let note = "no deploy workflow is configured (phase = \"deploy\", dispatch = true), so no version is proposed; fill in the form".to_string();
        let fx = open_form(state, &repo, &rule.file, Vec::new(), Some(note.clone()));
        state.record(Level::Warn, note);
        return fx;
    }
    // A rollback run under the cursor counts: `b` on it goes back before what it restored.
    let selected = under_cursor.and_then(|(r, file, run)| {
        (r == repo && (deploy_files.contains(&file) || file == rule.file))
            .then_some(run)
            .flatten()
    });
    state.record(
        Level::Info,
        format!(
            "reading the deploy history of {} and {}…",
            deploy_files.join(", "),
            rule.file
        ),
    );
    vec![Effect::FetchDeployHistory(RollbackAsk {
        repo,
        workflow: rule.file,
        deploy_files,
        selected,
    })]
}

/// The deploy history arrived: propose the rollback from it (with the runs already on screen),
/// say where the proposal came from, and open the rollback form pre-filled with it.
pub fn deploy_history_loaded(
    state: &mut AppState,
    ask: RollbackAsk,
    result: Result<rollback::History, String>,
) -> Vec<Effect> {
    if state.overlays.form().is_some() || state.overlays.confirm().is_some() {
        // The user has moved on to another form or dialog.
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let files = ask.deploy_files.join(", ");
    let (mut history, failure) = match result {
        Ok(history) => (history, None),
        Err(e) => (rollback::History::default(), Some(e)),
    };
    for w in release.workflows.iter().filter(|w| w.repo == ask.repo) {
        let runs = if ask.deploy_files.contains(&w.file) {
            &mut history.deploys
        } else if w.file == ask.workflow {
            &mut history.rollbacks
        } else {
            continue;
        };
        for run in &w.runs {
            if !runs.iter().any(|r| r.id == run.id) {
                runs.push(run.clone());
            }
        }
    }
    let (deploys, rollbacks) = (history.deploys.len(), history.rollbacks.len());
    let searched = match failure {
        None => format!(
            "the last {deploys} runs of {files} and {rollbacks} of {}",
            ask.workflow
        ),
        Some(e) => format!(
            "the {deploys} runs of {files} and {rollbacks} of {} on {} (the full history could not be read: {e})",
            ask.workflow, release.release_ref
        ),
    };
    let proposal = rollback::propose(&history, ask.selected, &state.session.production_env);
    let note = proposal.describe(state.now, &searched);
    let fx = open_form(
        state,
        &ask.repo,
        &ask.workflow,
        proposal.prefill(),
        Some(note.clone()),
    );
    if !fx.is_empty() {
        let level = if proposal.is_target() {
            Level::Info
        } else {
            Level::Warn
        };
        state.record(level, note);
    }
    fx
}

/// What a key did to a form (see [`edit_form`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// The form was edited, or the key did nothing.
    Edited,
    /// Esc: close the form.
    Cancel,
    /// Enter: check the form and ask to confirm.
    Submit,
}

/// The keys every form answers the same way: tab/↓ and shift-tab/↑ move between fields,
/// ←/→ choose, space toggles a non-text field, backspace and characters edit text.
pub fn edit_form(form: &mut impl Form, key: Key) -> FormKey {
    match key.code {
        KeyCode::Esc => return FormKey::Cancel,
        KeyCode::Enter => return FormKey::Submit,
        KeyCode::Tab if key.mods.contains(KeyModifiers::SHIFT) => form.prev_field(),
        KeyCode::Tab | KeyCode::Down => form.next_field(),
        KeyCode::BackTab | KeyCode::Up => form.prev_field(),
        KeyCode::Left => form.cycle(-1),
        KeyCode::Right => form.cycle(1),
        KeyCode::Backspace => form.backspace(),
        KeyCode::Char(' ') if !form.is_text_focused() => form.cycle(1),
        // Control and Alt chords are not text.
        KeyCode::Char(c)
            if !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            form.type_char(c);
        }
        _ => {}
    }
    FormKey::Edited
}

/// A key while the dispatch form is open.
pub fn form_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(form) = state.overlays.form_mut() else {
        return Vec::new();
    };
    match edit_form(form, key) {
        FormKey::Cancel => {
            state.overlays.close_form();
            state.record(Level::Info, "dispatch cancelled");
            Vec::new()
        }
        FormKey::Submit => submit_form(state),
        FormKey::Edited => Vec::new(),
    }
}

/// Enter in the form: on the ref field after editing it, re-read the workflow at that ref;
/// otherwise validate and ask for confirmation.
fn submit_form(state: &mut AppState) -> Vec<Effect> {
    let read_at = state
        .overlays
        .form_read_at()
        .unwrap_or_default()
        .to_string();
    let Some(form) = state.overlays.form_mut() else {
        return Vec::new();
    };
    if form.focus == 0 && form.git_ref.trim() != read_at && !form.git_ref.trim().is_empty() {
        let prefill = form.inputs().into_iter().collect();
        let (repo, file, git_ref, note) = (
            form.repo.clone(),
            form.workflow_file.clone(),
            form.git_ref.trim().to_string(),
            form.note.clone(),
        );
        state.record(Level::Info, format!("reading {file} at {git_ref}…"));
        return vec![Effect::LoadDispatchForm {
            repo,
            file,
            git_ref,
            prefill,
            note,
        }];
    }
    if !form.validate() {
        state.record(Level::Warn, "fix the marked fields");
        return Vec::new();
    }
    let form = form.clone();
    let rule = state
        .session
        .workflow_rules
        .iter()
        .find(|r| r.file == form.workflow_file && r.repo.as_deref().is_none_or(|x| x == form.repo))
        .cloned();
    if let Some(reason) = rule.as_ref().and_then(|r| lock_refusal(state, r)) {
        state.record(Level::Error, reason);
        return Vec::new();
    }
    let DispatchTarget {
        environment,
        production,
        protected,
    } = DispatchTarget::of(
        &form,
        rule.as_ref(),
        &state.session.production_env,
        &state.session.protected_envs,
    );
    let mut context = format!(
        "Dispatch {} ({}) in {} on {}",
        form.workflow_name,
        form.workflow_file,
        form.repo,
        form.sent_ref()
    );
    if let Some(env) = &environment {
        context.push_str(&format!(" to {env}"));
    }
    if let Some(note) = &form.note {
        context.push_str(&format!("\n{note}"));
    }
    if let Some(lock) = state.release.as_ref().and_then(|r| r.lock.as_ref()) {
        context.push_str(&format!(
            "\nNote: deploys are locked ({}); a rollback is allowed.",
            lock.reason
        ));
    }
    let rollback = rule.as_ref().is_some_and(|r| r.rollback);
    let mut request = WriteRequest::dispatch(&form);
    let mut needs_override = false;
    if let Some(report) = &state.verdict {
        let failing: Vec<String> = report
            .failing()
            .map(|g| format!("  {}", g.line()))
            .collect();
        if report.verdict == Verdict::NoGo && is_gated(rule.as_ref(), protected) {
            let (Some(release), Some(tracking)) = (
                state.release.as_ref(),
                state.release.as_ref().and_then(|r| r.tracking.as_ref()),
            ) else {
                state.record(
                    Level::Error,
                    "the deploy verdict is NO-GO and there is no tracking issue to record an override on",
                );
                return Vec::new();
            };
            if let WriteRequest::Dispatch { gate_override, .. } = &mut request {
                *gate_override = Some(GateOverride::of(report, tracking, &release.title));
            }
            needs_override = true;
            context.push_str(&format!(
                "\nThe deploy verdict is NO-GO:\n{}\nType \"{OVERRIDE}\", then a reason: both are posted on the tracking issue first.",
                failing.join("\n")
            ));
        } else if rollback {
            context.push_str(&format!(
                "\nGo/no-go: {}{} (a rollback is never blocked).",
                report.verdict.label(),
                if failing.is_empty() {
                    String::new()
                } else {
                    format!("\n{}", failing.join("\n"))
                }
            ));
        }
    }
    let mut c = Confirm::new(
        if production {
            "Dispatch to PRODUCTION"
        } else {
            "Dispatch workflow"
        },
        &context,
        request,
    );
    c.danger = production || needs_override;
    if needs_override {
        c.typed_requirement = Some(OVERRIDE.to_string());
        c = c.with_text("override reason", true);
    } else if protected {
        c.typed_requirement = Some(environment.unwrap_or_else(|| form.workflow_file.clone()));
    }
    state.overlays.ask(c);
    Vec::new()
}

/// Where a dispatch goes and how guarded it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchTarget {
    /// The form's environment input, else the workflow's configured environment.
    pub environment: Option<String>,
    /// The environment is the production one.
    pub production: bool,
    /// The workflow is configured `protected`, or its environment is a protected one.
    pub protected: bool,
}

impl DispatchTarget {
    /// The target of `form`'s dispatch under `rule`. Shared by the dashboard and `shipdeck
    /// dispatch`.
    #[must_use]
    pub fn of(
        form: &crate::release::dispatch::DispatchForm,
        rule: Option<&WorkflowRule>,
        production_env: &str,
        protected_envs: &[String],
    ) -> Self {
        let environment = form
            .environment()
            .or_else(|| rule.and_then(|r| r.environment.clone()));
        let production = environment.as_deref() == Some(production_env);
        let protected = rule.is_some_and(|r| r.protected)
            || environment
                .as_ref()
                .is_some_and(|e| protected_envs.contains(e));
        DispatchTarget {
            environment,
            production,
            protected,
        }
    }
}

/// What the user types to dispatch against a NO-GO verdict.
pub const OVERRIDE: &str = "override";

/// Whether a dispatch must pass the deploy verdict: a deploy-phase workflow or a protected
/// environment, but never the rollback. Shared by the dashboard and `shipdeck dispatch`.
#[must_use]
pub fn is_gated(rule: Option<&WorkflowRule>, protected: bool) -> bool {
    let rollback = rule.is_some_and(|r| r.rollback);
    !rollback && (protected || rule.is_some_and(|r| r.phase == Phase::Deploy))
}

/// A key while the confirm dialog is open.
pub fn confirm_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(confirm) = state.overlays.confirm_mut() else {
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
            state.overlays.close_confirm();
            state.record(Level::Info, "cancelled; nothing was sent");
            Vec::new()
        }
        ConfirmOutcome::NeedsText(label) => {
            state.record(Level::Warn, format!("type a {label} first"));
            Vec::new()
        }
        ConfirmOutcome::Confirmed(approved) => {
            state.overlays.close_confirm();
            if let WriteRequest::NewRisk { .. } = &approved.request {
                state.overlays.close_risk_form();
            }
            if let WriteRequest::Dispatch { repo, file, .. } = &approved.request {
                state.overlays.close_form();
                state.runs.watch = Some(Watch {
                    repo: repo.clone(),
                    file: file.clone(),
                    run_id: None,
                });
            }
            state.record(Level::Info, format!("{}…", approved.request.summary()));
            vec![Effect::Write(*approved)]
        }
    }
}

/// A confirmed write came back.
pub fn write_done(
    state: &mut AppState,
    request: &WriteRequest,
    started_at: DateTime<Utc>,
    result: Result<WriteResult, Stopped>,
) -> Vec<Effect> {
    match result {
        // A dispatch answered with a 5xx or not at all may have started the workflow: say so,
        // never "failed" (which invites a second deploy), and look for the run it started.
        // Only the dispatch itself (the last call; an override comment goes first) is ambiguous
        // about having started a run.
        Err(stopped)
            if stopped.error.is_ambiguous()
                && stopped.done + 1 == stopped.of
                && matches!(request, WriteRequest::Dispatch { .. }) =>
        {
            let WriteRequest::Dispatch { file, .. } = request else {
                return Vec::new();
            };
            let answer = match &stopped.error {
                ApiError::Server { status, .. } => format!("GitHub answered {status}"),
                ApiError::Timeout => "GitHub did not answer in time".to_string(),
                other => other.to_string(),
            };
            state.record(
                Level::Warn,
                format!(
                    "{answer}; the dispatch of {file} may have started (ambiguous): looking for its run for a minute — do not dispatch again yet"
                ),
            );
            look_for_run(request, started_at)
        }
        Err(message) => {
            state.record(
                Level::Error,
                format!("{} failed: {message}", request.summary()),
            );
            if matches!(request, WriteRequest::Dispatch { .. }) {
                state.runs.watch = None;
            }
            Vec::new()
        }
        Ok(WriteResult::Dispatched(outcome)) => {
            let WriteRequest::Dispatch { repo, file, .. } = request else {
                return Vec::new();
            };
            if let Some(run_id) = outcome.run_id {
                state.runs.watch = Some(Watch {
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
                look_for_run(request, started_at)
            }
        }
        Ok(WriteResult::Done) => {
            state.record(Level::Info, format!("{}: done", request.summary()));
            let mut effects = super::update::begin_refresh(state);
            // A comment from the detail view shows there: its comments are read again.
            if let WriteRequest::Comment { repo, number, .. } = request {
                effects.push(Effect::FetchComments {
                    repo: repo.clone(),
                    number: *number,
                });
            }
            effects
        }
    }
}

/// Looks for the run a dispatch started (GitHub did not name it, or its answer was lost),
/// among runs created since the dispatch was sent.
fn look_for_run(request: &WriteRequest, since: DateTime<Utc>) -> Vec<Effect> {
    match request {
        WriteRequest::Dispatch {
            repo,
            file,
            git_ref,
            ..
        } => vec![Effect::FindDispatchedRun {
            repo: repo.clone(),
            file: file.clone(),
            branch: git_ref.clone(),
            since,
        }],
        _ => Vec::new(),
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
            state.runs.best_guess.push(run.id);
            state.runs.watch = Some(Watch {
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
            state.runs.watch = None;
            state.record(
                Level::Warn,
                format!("no run of {file} found after the grace period: it probably did not start; check the Actions tab (o opens it) before dispatching again"),
            );
            Vec::new()
        }
    }
}
