//! `shipdeck gate [--phase P] [--json] [--post-status]`: the go/no-go of a phase for CI. Exit
//! 0 go, 1 no-go, 2 could not decide (bad config, token, network).

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::Utc;

use super::Setup;
use super::status::{escape_unsafe, github_time};
use crate::app::gates::{STATUS_CONTEXT, status_request, status_state};
use crate::github::sync::fetch_within;
use crate::release::gates::{self, GateReport, Verdict};
use crate::release::{Phase, Release, text};

/// The exit code of a verdict: 0 go, 1 no-go (2, could not decide, is any error).
#[must_use]
pub fn exit_code(verdict: Verdict) -> ExitCode {
    match verdict {
        Verdict::Go => ExitCode::SUCCESS,
        Verdict::NoGo => ExitCode::from(1),
    }
}

/// Evaluates the gates before `phase` at GitHub's time, prints them, posts the commit status
/// when asked, and returns the exit code.
///
/// # Errors
/// Fetching failed, or a commit status asked for could not be set: the verdict is not known
/// to be in force, so the caller exits 2.
pub async fn run(
    setup: &Setup,
    phase: Phase,
    json: bool,
    post_status: bool,
) -> color_eyre::Result<ExitCode> {
    let (release, report) = evaluate(setup, phase).await?;
    if json {
        println!("{}", escape_unsafe(&serde_json::to_string_pretty(&report)?));
    } else {
        print!("{}", text::lines(&human(&report)));
    }
    if post_status {
        if setup.read_only {
            eprintln!("--read-only: the commit status was not posted");
        } else {
            post(setup, &release, &report).await?;
        }
    }
    Ok(exit_code(report.verdict))
}

/// Fetches the release and evaluates the gates before `phase` at GitHub's time.
///
/// # Errors
/// The fetch failed.
pub async fn evaluate(setup: &Setup, phase: Phase) -> color_eyre::Result<(Release, GateReport)> {
    let snapshot = fetch_within(setup.api.as_ref(), &setup.plan, Utc::now(), None, true).await?;
    let rules = setup.config.rules(&snapshot.milestone);
    let release = Release::derive(&snapshot, &rules);
    let at = github_time(setup.api.as_ref()).await;
    let report = gates::evaluate(&release, phase, &rules.gates, at);
    Ok((release, report))
}

/// "deploy: NO-GO (profile standard)" and one line per gate.
#[must_use]
pub fn human(report: &GateReport) -> String {
    let mut s = format!(
        "{}: {} (profile {}, {})\n",
        report.phase.key(),
        report.verdict.label(),
        report.profile,
        report.evaluated_at.format("%Y-%m-%d %H:%M UTC")
    );
    for g in &report.gates {
        let _ = writeln!(s, "  {}", g.line());
    }
    s
}

/// Sets `shipdeck/go-no-go` on the release ref's head commit in every repository where it is
/// not already this verdict with this description; each write is appended to the audit log.
async fn post(setup: &Setup, release: &Release, report: &GateReport) -> color_eyre::Result<()> {
    let api = setup.api.as_ref();
    let target = release.tracking.as_ref().map(|t| t.html_url.as_str());
    let mut failed = Vec::new();
    for repo in &release.repos {
        let head = match api
            .ref_status(repo, &release.release_ref, STATUS_CONTEXT)
            .await
        {
            Ok(head) => head,
            Err(e) => {
                eprintln!("{repo}: no commit status set: {e}");
                failed.push(repo.clone());
                continue;
            }
        };
        let request = status_request(repo, &head.sha, report, target);
        let calls = request.calls();
        let already = head.state.as_deref() == Some(status_state(report.verdict))
            && head.description.as_deref() == Some(report.summary(140).as_str());
        if already {
            eprintln!(
                "{repo}: {STATUS_CONTEXT} is already {} on {}",
                status_state(report.verdict),
                short(&head.sha)
            );
            continue;
        }
        let executed = crate::github::write::execute(api, &calls).await;
        if let Err(e) = crate::files::append_jsonl(&setup.audit_path(), &executed.records) {
            eprintln!("warning: could not append to the audit log: {e}");
        }
        match executed.result {
            Ok(_) => eprintln!(
                "{repo}: {STATUS_CONTEXT} = {} on {}",
                status_state(report.verdict),
                short(&head.sha)
            ),
            Err(stopped) => {
                eprintln!("{repo}: {STATUS_CONTEXT} not set: {}", stopped.error);
                failed.push(repo.clone());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(color_eyre::eyre::eyre!(
            "the commit status could not be set in {}",
            failed.join(", ")
        ))
    }
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
