//! `shipdeck retro [--format md|json] [--out FILE] [--follow-up N,N… [--yes]]`: the
//! retrospective draft of the release, and optionally follow-up issues from picked lines.

use std::process::ExitCode;

use chrono::{DateTime, TimeDelta, Utc};
use color_eyre::eyre::eyre;

use super::Setup;
use super::dispatch::confirm;
use super::status::github_time;
use crate::app::write::WriteRequest;
use crate::cli::{NotesFormat, RetroArgs};
use crate::github::follow_up::read_plan;
use crate::github::sync::fetch_within;
use crate::github::write::execute;
use crate::release::call::describe;
use crate::release::retro::{self, Inputs, Retro};
use crate::release::{Milestone, Phase, Release, Snapshot, gates, kpis, text};

/// Fetches the release and its delivery history, drafts the retrospective, writes it (stdout
/// or `--out`) and, with `--follow-up`, files the picked lines.
///
/// # Errors
/// `--follow-up` with `--read-only`, the fetch failed, the file could not be written, a line
/// number is not in the draft, the user did not confirm, or a call failed.
pub async fn run(setup: &Setup, args: &RetroArgs) -> color_eyre::Result<ExitCode> {
    if !args.follow_up.is_empty() && setup.read_only {
        return Err(eyre!(
            "--read-only: --follow-up would create issues; nothing was read or sent"
        ));
    }
    let snapshot = fetch_within(setup.api.as_ref(), &setup.plan, Utc::now(), None, true).await?;
    let at = github_time(setup.api.as_ref()).await;
    let retro = draft(setup, &snapshot, at).await;
    if !retro.is_review() {
        eprintln!(
            "warning: {} is in its {} phase, not Review: this drafts the facts so far",
            text::line(&retro.milestone),
            retro.phase.title()
        );
    }
    let out = match args.format {
        NotesFormat::Md => retro::markdown(&retro),
        NotesFormat::Json => format!("{}\n", serde_json::to_string_pretty(&retro::json(&retro))?),
    };
    super::notes::emit(
        &out,
        args.format,
        args.out.as_deref(),
        "retrospective",
        &retro.milestone,
    )?;
    if !args.follow_up.is_empty() {
        file(setup, &retro, &snapshot, args).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The retrospective of `snapshot` at `at`: the release derived as everywhere else, the deploy
/// verdict, and the KPI report from the history read once.
async fn draft(setup: &Setup, snapshot: &Snapshot, at: DateTime<Utc>) -> Retro {
    let rules = setup.config.rules(&snapshot.milestone);
    let release = Release::derive(snapshot, &rules);
    let gate = gates::evaluate(&release, Phase::Deploy, &rules.gates, at);
    let plan = super::setup::history_plan_for(&setup.config);
    let history = crate::github::history::fetch_history(setup.api.as_ref(), &plan, at, None)
        .await
        .map_err(|e| e.to_string());
    let report = history.as_ref().ok().map(|h| {
        kpis::report_for(
            h,
            snapshot,
            &plan.production,
            TimeDelta::hours(i64::from(setup.config.kpis.failure_window_hours)),
            at,
        )
    });
    let history = match (&history, &report) {
        (Ok(h), Some(r)) => Ok((h, r)),
        (Err(e), _) => Err(e.as_str()),
        (Ok(_), None) => Err("no KPI report"),
    };
    Retro::build(&Inputs {
        snapshot,
        release: &release,
        history,
        gate: Some(&gate),
        now: at,
    })
}

/// Reads each repository's next milestone and open follow-up issues, shows the calls, asks,
/// then sends them one by one, each appended to the audit log.
async fn file(
    setup: &Setup,
    retro: &Retro,
    snapshot: &Snapshot,
    args: &RetroArgs,
) -> color_eyre::Result<()> {
    let repos: Vec<(String, Milestone)> = snapshot
        .repos
        .iter()
        .map(|r| (r.repo.clone(), r.milestone.clone()))
        .collect();
    let plan = read_plan(
        setup.api.as_ref(),
        &repos,
        &setup.config.retro.follow_up_label,
    )
    .await
    .map_err(|e| eyre!("{e}; nothing was sent"))?;
    let filing = retro::follow_up_calls(&retro.origin(), &retro.lines(), &args.follow_up, &plan)
        .map_err(|e| eyre!(e))?;
    for why in &filing.skipped {
        eprintln!("{}", text::line(why));
    }
    if filing.calls.is_empty() {
        eprintln!("nothing to file: every picked line is already filed");
        return Ok(());
    }
    if !filing.without_milestone.is_empty() {
        eprintln!(
            "{}",
            text::line(&format!(
                "no next open milestone (due after {}) in {}: the issues there get no milestone",
                retro.milestone,
                filing.without_milestone.join(", ")
            ))
        );
        if args.yes && !args.without_milestone {
            return Err(eyre!(
                "pass --without-milestone to file without a milestone; nothing was sent"
            ));
        }
    }
    let request = WriteRequest::FileFollowUps {
        milestone: retro.milestone.clone(),
        calls: filing.calls,
    };
    let calls = request.calls();
    eprintln!(
        "{}",
        text::lines(&format!(
            "{}\nThe calls, exactly as they will be sent:\n{}",
            request.summary(),
            describe(&calls)
        ))
    );
    if !args.yes {
        confirm()?;
    }
    for (k, call) in calls.iter().enumerate() {
        let executed = execute(setup.api.as_ref(), std::slice::from_ref(call)).await;
        if let Err(e) = crate::files::append_jsonl(&setup.audit_path(), &executed.records) {
            eprintln!("warning: could not append to the audit log: {e}");
        }
        match executed.result {
            Ok(answer) => {
                let url = serde_json::from_str::<serde_json::Value>(&answer.reply.body)
                    .ok()
                    .and_then(|v| v["html_url"].as_str().map(str::to_string))
                    .unwrap_or_default();
                eprintln!("{}", text::line(&format!("filed {url}")));
            }
            Err(stopped) => {
                let left = calls.len() - k - 1;
                return Err(eyre!(
                    "{} {} failed: {}; {left} further call(s) not sent",
                    call.method,
                    call.path,
                    stopped.error
                ));
            }
        }
    }
    Ok(())
}
