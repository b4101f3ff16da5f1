//! Carrying out confirmed writes (dispatch, re-run, cancel, reviews, the deploy lock, health
//! marks) and the runs pane's reads (dispatch forms, log tails, the dispatch fallback). Every
//! write's record goes to the audit pane and the audit file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use crate::app::Action;
use crate::app::action::WriteResult;
use crate::app::write::WriteRequest;
use crate::github::{ApiError, GitHubApi};
use crate::release::dispatch::{DispatchForm, parse_workflow};
use crate::release::snapshot::{DeployLock, UNLOCK_MARKER};

/// Where write records are appended as JSON lines (`None`: only the pane).
#[derive(Clone, Debug, Default)]
pub struct AuditLog {
    pub path: Option<PathBuf>,
}

impl AuditLog {
    /// Takes the API's new write records, appends them to the file, and sends them to the UI.
    pub async fn flush(&self, api: &dyn GitHubApi, tx: &mpsc::Sender<Action>) {
        let records = api.drain_writes();
        if records.is_empty() {
            return;
        }
        if let Some(path) = &self.path
            && let Err(e) = append_jsonl(path, &records)
        {
            tracing::error!(path = %path.display(), error = %e, "could not append to the audit file");
        }
        let _ = tx.send(Action::Audited(records)).await;
    }
}

fn append_jsonl(path: &Path, records: &[crate::release::WriteRecord]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    for r in records {
        let line = serde_json::to_string(r).map_err(std::io::Error::other)?;
        writeln!(f, "{line}")?;
    }
    f.sync_data()
}

/// Carries out a confirmed write. Nothing here retries a write: a retried dispatch could run
/// a workflow twice.
pub async fn write(api: &dyn GitHubApi, request: &WriteRequest) -> Result<WriteResult, ApiError> {
    match request {
        WriteRequest::Dispatch {
            repo,
            file,
            git_ref,
            inputs,
            ..
        } => api
            .dispatch(repo, file, git_ref, inputs)
            .await
            .map(WriteResult::Dispatched),
        WriteRequest::RerunFailed { repo, run_id, .. } => api
            .rerun_failed_jobs(repo, *run_id)
            .await
            .map(|()| WriteResult::Done),
        WriteRequest::Cancel { repo, run_id, .. } => api
            .cancel_run(repo, *run_id)
            .await
            .map(|()| WriteResult::Done),
        WriteRequest::Review {
            repo,
            run_id,
            environment_ids,
            approve,
            comment,
            ..
        } => {
            let comment = if comment.is_empty() {
                if *approve {
                    "Approved in shipdeck"
                } else {
                    "Rejected in shipdeck"
                }
            } else {
                comment.as_str()
            };
            api.review_deployments(repo, *run_id, environment_ids, *approve, comment)
                .await
                .map(|()| WriteResult::Done)
        }
        WriteRequest::Lock {
            repo,
            number,
            milestone,
            label,
            reason,
        } => {
            let reason = if reason.trim().is_empty() {
                "no reason given"
            } else {
                reason.trim()
            };
            api.add_labels(repo, *number, std::slice::from_ref(label))
                .await?;
            api.create_comment(repo, *number, &DeployLock::comment(milestone, reason))
                .await?;
            Ok(WriteResult::Done)
        }
        WriteRequest::Unlock {
            repo,
            number,
            milestone,
            label,
        } => {
            match api.remove_label(repo, *number, label).await {
                Ok(()) | Err(ApiError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            api.create_comment(
                repo,
                *number,
                &format!("{UNLOCK_MARKER} for {milestone} (via shipdeck).\n"),
            )
            .await?;
            Ok(WriteResult::Done)
        }
        WriteRequest::MarkHealth {
            repo,
            number,
            label,
            other_label,
            healthy,
            comment,
        } => {
            api.add_labels(repo, *number, std::slice::from_ref(label))
                .await?;
            match api.remove_label(repo, *number, other_label).await {
                Ok(()) | Err(ApiError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            let word = if *healthy {
                "✅ healthy"
            } else {
                "❌ faulty"
            };
            let text = if comment.trim().is_empty() {
                format!("Release marked {word} after the deploy (via shipdeck).\n")
            } else {
                format!(
                    "Release marked {word} after the deploy (via shipdeck).\n\n{}\n",
                    comment.trim()
                )
            };
            api.create_comment(repo, *number, &text).await?;
            Ok(WriteResult::Done)
        }
    }
}

/// Reads the workflow file at `git_ref` and builds its form, with `prefill` applied.
pub async fn load_form(
    api: &dyn GitHubApi,
    repo: &str,
    file: &str,
    git_ref: &str,
    prefill: &[(String, String)],
) -> Result<DispatchForm, String> {
    let path = format!(".github/workflows/{file}");
    let yaml = api
        .file_at(repo, &path, Some(git_ref))
        .await
        .map_err(|e| format!("reading {path} at {git_ref}: {e}"))?;
    let spec = parse_workflow(file, &yaml, &[])?;
    let mut form = DispatchForm::new(repo, file, git_ref, spec);
    for (name, value) in prefill {
        form.set_value(name, value);
    }
    Ok(form)
}

/// The last `lines` lines of a job's log, with GitHub's timestamp prefixes removed.
pub async fn log_tail(
    api: &dyn GitHubApi,
    repo: &str,
    job_id: u64,
    lines: usize,
) -> Result<Vec<String>, String> {
    let text = api
        .job_logs(repo, job_id)
        .await
        .map_err(|e| e.to_string())?;
    let all: Vec<String> = text
        .lines()
        .map(|l| match l.split_once(' ') {
            Some((ts, rest)) if DateTime::parse_from_rfc3339(ts).is_ok() => rest.to_string(),
            _ => l.to_string(),
        })
        .collect();
    Ok(all[all.len().saturating_sub(lines)..].to_vec())
}

/// Polls for the run a dispatch started until it appears or `grace` runs out.
pub async fn find_dispatched_run(
    api: Arc<dyn GitHubApi>,
    repo: &str,
    file: &str,
    branch: &str,
    since: DateTime<Utc>,
    grace: Duration,
    every: Duration,
) -> Option<crate::release::Run> {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        match api
            .find_dispatched_run(repo, file, branch, None, since)
            .await
        {
            Ok(Some(run)) => return Some(run),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "looking for the dispatched run"),
        }
        if tokio::time::Instant::now() + every > deadline {
            return None;
        }
        tokio::time::sleep(every).await;
    }
}
