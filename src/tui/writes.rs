//! Carrying out confirmed writes (dispatch, re-run, cancel, reviews, the deploy lock, health
//! marks) and the runs pane's reads (dispatch forms, log tails, the dispatch fallback). Every
//! write's record goes to the audit pane and the audit file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use crate::app::Action;
use crate::app::action::WriteResult;
use crate::app::write::{Approved, WriteRequest};
use crate::github::GitHubApi;
use crate::github::write::{dispatch_outcome, execute};
use crate::release::WriteRecord;
use crate::release::call::Stopped;
use crate::release::dispatch::{DispatchForm, parse_workflow};

/// Where write records are appended as JSON lines (`None`: only the pane).
#[derive(Clone, Debug, Default)]
pub struct AuditLog {
    pub path: Option<PathBuf>,
}

impl AuditLog {
    /// Appends `records` to the file and sends them to the UI.
    pub async fn record(&self, records: Vec<WriteRecord>, tx: &mpsc::Sender<Action>) {
        if records.is_empty() {
            return;
        }
        if let Some(path) = &self.path
            && let Err(e) = crate::files::append_jsonl(path, &records)
        {
            tracing::error!(path = %path.display(), error = %e, "could not append to the audit file");
        }
        let _ = tx.send(Action::Audited(records)).await;
    }
}

/// Carries out a confirmed write: exactly the calls the dialog showed, each once, in order.
/// Nothing here retries a write: a retried dispatch could run a workflow twice. Returns the
/// audit records with the result.
pub async fn write(
    api: &dyn GitHubApi,
    approved: &Approved,
) -> (Vec<WriteRecord>, Result<WriteResult, Stopped>) {
    let executed = execute(api, &approved.calls).await;
    let result = executed.result.map(|answer| match approved.request {
        WriteRequest::Dispatch { .. } => WriteResult::Dispatched(dispatch_outcome(&answer)),
        _ => WriteResult::Done,
    });
    (executed.records, result)
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

/// Polls for the run a dispatch started (by `actor` when known) until it appears or `grace`
/// runs out.
#[allow(clippy::too_many_arguments)]
pub async fn find_dispatched_run(
    api: Arc<dyn GitHubApi>,
    repo: &str,
    file: &str,
    branch: &str,
    actor: Option<&str>,
    since: DateTime<Utc>,
    grace: Duration,
    every: Duration,
) -> Option<crate::release::Run> {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        match api
            .find_dispatched_run(repo, file, branch, actor, since)
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
