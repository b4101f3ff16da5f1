//! `shipdeck notes [--out FILE] [--format md|json] [--publish-draft [--yes]]`: the milestone's
//! release notes, and optionally a draft GitHub Release per repository with them.

use std::process::ExitCode;

use chrono::Utc;
use color_eyre::eyre::{WrapErr as _, eyre};

use super::Setup;
use super::dispatch::confirm;
use super::status::escape_unsafe;
use crate::cli::{NotesArgs, NotesFormat};
use crate::github::sync::fetch_within;
use crate::github::write::execute;
use crate::release::call::{Method, describe};
use crate::release::notes::publish::draft_calls;
use crate::release::notes::{self, Notes, render};
use crate::release::text;

/// Fetches the milestone, groups its notes, writes them (stdout or `--out`) and, with
/// `--publish-draft`, creates or updates one draft release per repository.
///
/// # Errors
/// `--publish-draft` with `--read-only`, the fetch failed, the file could not be written, the
/// user did not confirm, or a call failed.
pub async fn run(setup: &Setup, args: &NotesArgs) -> color_eyre::Result<ExitCode> {
    if args.publish_draft && setup.read_only {
        return Err(eyre!(
            "--read-only: --publish-draft would create or edit releases; nothing was read or sent"
        ));
    }
    let snapshot = fetch_within(setup.api.as_ref(), &setup.plan, Utc::now(), None, true).await?;
    let rules = setup.config.rules(&snapshot.milestone);
    let notes = notes::from_snapshot(&snapshot, &rules, &setup.config.notes.rules());
    let out = match args.format {
        NotesFormat::Md => render::markdown(&notes),
        NotesFormat::Json => format!("{}\n", serde_json::to_string_pretty(&render::json(&notes))?),
    };
    emit(
        &out,
        args.format,
        args.out.as_deref(),
        "notes",
        &notes.milestone,
    )?;
    if args.publish_draft {
        let repos: Vec<String> = snapshot.repos.iter().map(|r| r.repo.clone()).collect();
        publish(setup, &notes, &repos, args.yes).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists each repository's releases, shows the call per repository, asks, then sends them one
/// by one, each appended to the audit log.
/// Writes `out` (the `what` of `milestone`, in `format`) to `path` atomically, or prints it
/// made safe for the terminal: shared by `notes` and `retro`.
///
/// # Errors
/// The file could not be written; the message names it.
pub fn emit(
    out: &str,
    format: NotesFormat,
    path: Option<&std::path::Path>,
    what: &str,
    milestone: &str,
) -> color_eyre::Result<()> {
    match path {
        Some(path) => {
            crate::files::write_atomic(path, out.as_bytes())
                .wrap_err_with(|| format!("writing {}", path.display()))?;
            eprintln!(
                "wrote the {what} of {} to {}",
                text::line(milestone),
                path.display()
            );
        }
        None if format == NotesFormat::Json => print!("{}", escape_unsafe(out)),
        None => print!("{}", text::lines(out)),
    }
    Ok(())
}

async fn publish(
    setup: &Setup,
    notes: &Notes,
    repos: &[String],
    yes: bool,
) -> color_eyre::Result<()> {
    let tag = setup.config.notes.tag_for(&notes.milestone);
    let mut existing = Vec::new();
    for repo in repos {
        let releases = setup
            .api
            .releases(repo)
            .await
            .wrap_err_with(|| format!("listing the releases of {repo}"))?;
        existing.push((repo.clone(), releases));
    }
    let (calls, skipped) = draft_calls(notes, &tag, &existing);
    for why in &skipped {
        eprintln!("{}", text::line(why));
    }
    if calls.is_empty() {
        return Err(eyre!("no draft release to create or update"));
    }
    eprintln!(
        "{}",
        text::lines(&format!(
            "Draft release {tag} (never published) in {}\nThe calls, exactly as they will be sent:\n{}",
            repos.join(", "),
            describe(&calls)
        ))
    );
    if !yes {
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
                let what = if call.method == Method::Post {
                    "created"
                } else {
                    "updated"
                };
                eprintln!("{}", text::line(&format!("{what} draft {tag}: {url}")));
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
