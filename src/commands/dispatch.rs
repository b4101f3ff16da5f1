//! `shipdeck dispatch WORKFLOW [-R R] [--ref REF] -f key=value… [--watch] [--override REASON]
//! [--yes]`: a gate-enforced dispatch for scripts and runbooks. Exit 0 dispatched (with
//! `--watch`: the run succeeded), 1 the watched run did not succeed, 2 not started or not
//! followed (every error).

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use color_eyre::eyre::eyre;

use super::{Setup, dashboard, gate};
use crate::app::dispatch::{DispatchTarget, blocking_lock, is_gated};
use crate::app::state::WorkflowRule;
use crate::app::write::{GateOverride, WriteRequest};
use crate::cli::DispatchArgs;
use crate::github::GitHubApi;
use crate::github::write::{dispatch_outcome, execute};
use crate::release::call::describe;
use crate::release::dispatch::{DispatchForm, FORM_ERROR_KEY, InputField, REF_ERROR_KEY};
use crate::release::gates::{GateReport, Verdict};
use crate::release::snapshot::Missing;
use crate::release::{Conclusion, Phase, Release, Run, RunStatus, text};

/// How often `--watch` reads the run.
const WATCH_EVERY: Duration = Duration::from_secs(3);
/// `--watch` gives up after this many failed reads in a row.
const WATCH_GIVE_UP: u32 = 10;
/// How long to look for a run GitHub did not name (or whose dispatch answer was lost).
const FIND_GRACE: Duration = Duration::from_secs(60);
/// How often to look for it.
const FIND_EVERY: Duration = Duration::from_secs(3);

/// Resolves the workflow, fills and checks its inputs, enforces the deploy gate, shows the calls,
/// asks (unless `--yes`), sends them once, prints the run's URL and, with `--watch`, follows the
/// run.
///
/// # Errors
/// Anything that stops the dispatch from starting (refused, invalid inputs, the send failed) or
/// a watched run that could not be followed: the caller exits 2.
pub async fn run(setup: &Setup, args: &DispatchArgs) -> color_eyre::Result<ExitCode> {
    if setup.read_only {
        return Err(eyre!(
            "--read-only: dispatch would start a workflow; nothing was read or sent"
        ));
    }
    let (release, report) = gate::evaluate(setup, Phase::Deploy).await?;
    let state = dashboard::initial_state(setup);
    let session = &state.session;
    let (repo, rule) = resolve(
        &args.workflow,
        args.repo.as_deref(),
        &release,
        &session.workflow_rules,
    )
    .map_err(|e| eyre!(e))?;
    if let Some(lock) = blocking_lock(&release, &rule) {
        return Err(eyre!(
            "deploys are locked{}: {}; {} was not dispatched (unlock in the dashboard with L)",
            lock.author
                .as_ref()
                .map(|a| format!(" by @{a}"))
                .unwrap_or_default(),
            lock.reason,
            rule.file
        ));
    }
    let git_ref = args.git_ref.as_deref().unwrap_or(&release.release_ref);
    let mut form =
        crate::tui::writes::load_form(setup.api.as_ref(), &repo, &rule.file, git_ref, &[])
            .await
            .map_err(|e| eyre!(e))?;
    fill(&mut form, &args.fields).map_err(|e| eyre!(e))?;
    let target = DispatchTarget::of(
        &form,
        Some(&rule),
        &session.production_env,
        &session.protected_envs,
    );
    let mut request = WriteRequest::dispatch(&form);
    let gate_override = gate_override(
        &release,
        &report,
        is_gated(Some(&rule), target.protected),
        rule.rollback,
        args.override_reason.as_deref(),
    )?;
    if let WriteRequest::Dispatch {
        gate_override: slot,
        ..
    } = &mut request
    {
        *slot = gate_override;
    }
    let calls = request.calls();
    eprintln!(
        "{}",
        text::lines(&format!(
            "{}{}\nThe calls, exactly as they will be sent:\n{}",
            context(&form, &target),
            if target.production {
                " (PRODUCTION)"
            } else {
                ""
            },
            describe(&calls)
        ))
    );
    if !args.yes {
        confirm()?;
    }
    let since = Utc::now();
    let executed = execute(setup.api.as_ref(), &calls).await;
    if let Err(e) = crate::files::append_jsonl(&setup.audit_path(), &executed.records) {
        eprintln!("warning: could not append to the audit log: {e}");
    }
    let run = match executed.result {
        Ok(answer) => {
            let outcome = dispatch_outcome(&answer);
            match outcome.run_id {
                Some(id) => Found::Named(id, outcome.html_url),
                None => {
                    eprintln!(
                        "dispatched {}; GitHub did not name the run, looking for it (best guess)…",
                        rule.file
                    );
                    find(setup, &form, since)
                        .await
                        .map_or(Found::Nothing, |r| Found::Guess(Box::new(r)))
                }
            }
        }
        Err(stopped) if stopped.error.is_ambiguous() && stopped.done + 1 == stopped.of => {
            eprintln!(
                "{}",
                text::lines(&format!(
                    "{}; the dispatch of {} may have started (ambiguous): looking for its run for a minute — do not dispatch again yet",
                    stopped.error, rule.file
                ))
            );
            match find(setup, &form, since).await {
                Some(run) => Found::Guess(Box::new(run)),
                None => {
                    return Err(eyre!(
                        "no run of {} found after a minute: it probably did not start; check the repository's Actions tab before dispatching again",
                        rule.file
                    ));
                }
            }
        }
        Err(stopped) => {
            let failed = calls
                .get(stopped.done)
                .map(|c| format!("{} {}", c.method, c.path))
                .unwrap_or_default();
            let what = if stopped.done + 1 < stopped.of {
                "nothing was dispatched"
            } else {
                "the workflow was not dispatched"
            };
            return Err(eyre!("{failed} failed: {}; {what}", stopped.error));
        }
    };
    let run_id = match run {
        Found::Named(id, url) => {
            let url = match url {
                Some(u) => Some(u),
                None => setup.api.run(&repo, id).await.ok().map(|r| r.html_url),
            };
            eprintln!("dispatched {}: run {id}", rule.file);
            if let Some(url) = url {
                println!("{}", text::line(&url));
            }
            id
        }
        Found::Guess(run) => {
            eprintln!(
                "{}",
                text::lines(&format!(
                    "best guess: {} run #{} ({}) by {}",
                    rule.file,
                    run.run_number,
                    run.short_sha(),
                    run.actor.clone().unwrap_or_default()
                ))
            );
            println!("{}", text::line(&run.html_url));
            run.id
        }
        Found::Nothing if args.watch => {
            return Err(eyre!(
                "{} was dispatched, but no run of it was found within a minute: nothing to watch; check the repository's Actions tab",
                rule.file
            ));
        }
        Found::Nothing => {
            eprintln!(
                "{} was dispatched, but no run of it was found within a minute; check the repository's Actions tab",
                rule.file
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    if args.watch {
        watch(setup.api.as_ref(), &repo, run_id).await
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// The run a dispatch started, as far as it is known.
enum Found {
    /// GitHub named it (with its URL when the answer had it).
    Named(u64, Option<String>),
    /// Matched among recent runs.
    Guess(Box<Run>),
    /// Not found.
    Nothing,
}

/// The `(repository, rule)` that `wanted` names: a configured workflow's file, its file name
/// without the extension, or its `name:` (any case), in a repository of the release that has it
/// (`in_repo` when given).
fn resolve(
    wanted: &str,
    in_repo: Option<&str>,
    release: &Release,
    rules: &[WorkflowRule],
) -> Result<(String, WorkflowRule), String> {
    if let Some(r) = in_repo
        && !release.repos.iter().any(|x| x == r)
    {
        return Err(format!(
            "-R/--in {r}: not a repository of the release ({})",
            release.repos.join(", ")
        ));
    }
    // Every (repository, configured workflow) of the release, the first rule that applies.
    let mut all: Vec<(String, &WorkflowRule, Option<&str>)> = Vec::new();
    for repo in &release.repos {
        for rule in rules {
            let applies = rule.repo.as_deref().is_none_or(|r| r == repo);
            let absent = release.missing_workflows.iter().any(|m| {
                m.repo == *repo && m.file == rule.file && matches!(m.why, Missing::NotFound { .. })
            });
            let seen = all.iter().any(|(r, w, _)| r == repo && w.file == rule.file);
            if applies && !absent && !seen {
                let name = release
                    .workflows
                    .iter()
                    .find(|w| w.repo == *repo && w.file == rule.file)
                    .map(|w| w.name.as_str());
                all.push((repo.clone(), rule, name));
            }
        }
    }
    let names = |file: &str, name: Option<&str>| {
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        wanted == file || wanted == stem || name.is_some_and(|n| n.eq_ignore_ascii_case(wanted))
    };
    let matching: Vec<&(String, &WorkflowRule, Option<&str>)> =
        all.iter().filter(|(_, w, n)| names(&w.file, *n)).collect();
    if matching.is_empty() {
        let dispatchable: Vec<String> = all
            .iter()
            .filter(|(_, w, _)| w.dispatch)
            .map(|(r, w, _)| format!("{} ({r})", w.file))
            .collect();
        return Err(format!(
            "no configured workflow {wanted:?} in {}; dispatchable: {}",
            release.repos.join(", "),
            if dispatchable.is_empty() {
                "none (set `dispatch = true` in [[workflows]])".to_string()
            } else {
                dispatchable.join(", ")
            }
        ));
    }
    if let Some((_, w, _)) = matching.iter().find(|(_, w, _)| !w.dispatch) {
        return Err(format!(
            "{} is not dispatchable here: set `dispatch = true` on it in [[workflows]]",
            w.file
        ));
    }
    let chosen: Vec<_> = matching
        .iter()
        .filter(|(r, _, _)| in_repo.is_none_or(|x| x == r))
        .collect();
    match chosen.as_slice() {
        [(repo, rule, _)] => Ok((repo.clone(), (*rule).clone())),
        [] => Err(format!(
            "{wanted} is not in {}; it is in {}",
            in_repo.unwrap_or_default(),
            matching
                .iter()
                .map(|(r, _, _)| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        several => Err(format!(
            "{wanted} is in several repositories ({}): choose one with -R/--in OWNER/NAME",
            several
                .iter()
                .map(|(r, _, _)| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Applies `-f key=value` to the form and checks it as the dashboard's form does.
///
/// # Errors
/// Every problem at once: unknown inputs (with the inputs the workflow takes), then each
/// invalid value.
fn fill(form: &mut DispatchForm, fields: &[(String, String)]) -> Result<(), String> {
    let unknown: Vec<&str> = fields
        .iter()
        .filter(|(k, v)| !form.set_value(k, v))
        .map(|(k, _)| k.as_str())
        .collect();
    if !unknown.is_empty() {
        let takes = if form.fields.is_empty() {
            "it takes no inputs".to_string()
        } else {
            format!(
                "it takes:\n{}",
                form.fields
                    .iter()
                    .map(|f| format!("  {}", describe_input(f)))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        };
        return Err(format!(
            "{} has no input {}; {takes}",
            form.workflow_file,
            unknown.join(", ")
        ));
    }
    if form.validate() {
        return Ok(());
    }
    let problems: Vec<String> = form
        .errors
        .iter()
        .map(|(key, message)| match key.as_str() {
            REF_ERROR_KEY => format!("  --ref: {message}"),
            FORM_ERROR_KEY => format!("  {message}"),
            input => format!("  {input}: {message}"),
        })
        .collect();
    Err(format!(
        "the inputs of {} are not valid; nothing was sent:\n{}",
        form.workflow_file,
        problems.join("\n")
    ))
}

/// "environment (choice: staging, production; required)".
fn describe_input(f: &InputField) -> String {
    let mut s = format!("{} ({}", f.name, f.kind.hint());
    if let Some(options) = f.kind.options() {
        s.push_str(&format!(": {}", options.join(", ")));
    }
    if f.required {
        s.push_str("; required");
    }
    if let Some(d) = &f.default {
        s.push_str(&format!("; default {d:?}"));
    }
    s.push(')');
    s
}

/// The override to post, if one is needed: a gated workflow while the deploy verdict is
/// NO-GO needs `--override REASON`; otherwise a given reason is not posted.
///
/// # Errors
/// NO-GO on a gated workflow without a reason (the failing gates listed), or with no tracking
/// issue to post the override on.
fn gate_override(
    release: &Release,
    report: &GateReport,
    gated: bool,
    rollback: bool,
    reason: Option<&str>,
) -> color_eyre::Result<Option<GateOverride>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let failing: String = report
        .failing()
        .map(|g| format!("\n  {}", g.line()))
        .collect();
    if !(gated && report.verdict == Verdict::NoGo) {
        if rollback {
            eprintln!(
                "{}",
                text::lines(&format!(
                    "Go/no-go: {} (a rollback is never blocked){failing}",
                    report.verdict.label()
                ))
            );
        }
        if reason.is_some() {
            eprintln!(
                "--override is not needed ({}): it is not posted",
                if gated {
                    "the deploy verdict is GO"
                } else {
                    "this workflow is not held by the deploy gate"
                }
            );
        }
        return Ok(None);
    }
    let Some(reason) = reason else {
        return Err(eyre!(
            "the deploy verdict is NO-GO:{failing}\nnothing was sent; use --override REASON to dispatch anyway; the override is posted on the tracking issue"
        ));
    };
    let Some(tracking) = &release.tracking else {
        return Err(eyre!(
            "the deploy verdict is NO-GO and there is no tracking issue to record an override on; nothing was sent"
        ));
    };
    let mut o = GateOverride::of(report, tracking, &release.title);
    o.reason = reason.to_string();
    Ok(Some(o))
}

/// "Dispatch Deploy (deploy.yml) in acme/storefront on release/v2.4.0 to staging".
fn context(form: &DispatchForm, target: &DispatchTarget) -> String {
    let mut s = format!(
        "Dispatch {} ({}) in {} on {}",
        form.workflow_name,
        form.workflow_file,
        form.repo,
        form.sent_ref()
    );
    if let Some(env) = &target.environment {
        s.push_str(&format!(" to {env}"));
    }
    s
}

/// Asks "Send? [y/N]" on the terminal.
///
/// # Errors
/// stdin is not a terminal (a script must pass `--yes`), or the answer was not yes.
pub(crate) fn confirm() -> color_eyre::Result<()> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(eyre!(
            "stdin is not a terminal: pass --yes to send without asking; nothing was sent"
        ));
    }
    eprint!("Send? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(eyre!("cancelled; nothing was sent"))
    }
}

/// Looks for the run the dispatch started, by the token's user, for up to a minute.
async fn find(setup: &Setup, form: &DispatchForm, since: DateTime<Utc>) -> Option<Run> {
    let actor = setup.api.user().await.ok();
    crate::tui::writes::find_dispatched_run(
        setup.api.clone(),
        &form.repo,
        &form.workflow_file,
        form.sent_ref(),
        actor.as_deref(),
        since,
        FIND_GRACE,
        FIND_EVERY,
    )
    .await
}

/// Follows run `id` until it completes, one line on stderr per change of state; exit 0 when
/// it succeeded, 1 otherwise.
async fn watch(api: &dyn GitHubApi, repo: &str, id: u64) -> color_eyre::Result<ExitCode> {
    let mut last: Option<(RunStatus, Option<Conclusion>, Vec<String>)> = None;
    let mut failures = 0;
    loop {
        match api.run(repo, id).await {
            Ok(run) => {
                failures = 0;
                let now = (run.status, run.conclusion, run.waiting_for.clone());
                if last.as_ref() != Some(&now) {
                    eprintln!("{}", text::line(&status_line(&run)));
                    last = Some(now);
                }
                if run.status == RunStatus::Completed {
                    return Ok(if run.conclusion == Some(Conclusion::Success) {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    });
                }
            }
            Err(e) => {
                failures += 1;
                eprintln!("{}", text::line(&format!("warning: reading run {id}: {e}")));
                if failures >= WATCH_GIVE_UP {
                    return Err(eyre!(
                        "lost track of run {id} after {failures} failed reads: it may still be running"
                    ));
                }
            }
        }
        tokio::time::sleep(WATCH_EVERY).await;
    }
}

/// "run #212: in_progress", "run #212: waiting (for production)", "run #212: completed:
/// success".
fn status_line(run: &Run) -> String {
    let mut s = format!("run #{}: {}", run.run_number, run.status.as_str());
    if !run.waiting_for.is_empty() {
        s.push_str(&format!(" (for {})", run.waiting_for.join(", ")));
    }
    if let Some(c) = run.conclusion {
        s.push_str(&format!(": {}", c.as_str()));
    }
    s
}
