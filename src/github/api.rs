//! The API trait the rest of shipdeck talks to. Everything in and out is a release type.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::ApiError;
use crate::release::{
    Comment, DispatchOutcome, Issue, Job, Milestone, PendingDeployment, RateBudget, Run, Workflow,
    WriteRecord,
};

/// Result of an API call.
pub type ApiResult<T> = Result<T, ApiError>;

/// The GitHub operations shipdeck uses. `Octo` implements it over HTTP; tests run it against
/// the simulator on loopback.
#[async_trait]
pub trait GitHubApi: Send + Sync {
    /// Milestones of `repo` in `state` (`open`, `closed` or `all`).
    async fn milestones(&self, repo: &str, state: &str) -> ApiResult<Vec<Milestone>>;
    /// Every issue and PR of milestone `number`, open and closed, all pages; with `since`, only
    /// those updated at or after it.
    async fn milestone_issues(
        &self,
        repo: &str,
        number: u64,
        since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> ApiResult<Vec<Issue>>;
    /// One issue.
    async fn issue(&self, repo: &str, number: u64) -> ApiResult<Issue>;
    /// Replaces the body of an issue; returns the issue as GitHub stored it.
    async fn update_issue_body(&self, repo: &str, number: u64, body: &str) -> ApiResult<Issue>;
    /// The repository's workflows.
    async fn workflows(&self, repo: &str) -> ApiResult<Vec<Workflow>>;
    /// The newest `count` runs of workflow `file` (on `branch` if given), newest first.
    async fn workflow_runs(
        &self,
        repo: &str,
        file: &str,
        branch: Option<&str>,
        count: u8,
    ) -> ApiResult<Vec<Run>>;
    /// One run.
    async fn run(&self, repo: &str, id: u64) -> ApiResult<Run>;
    /// The jobs of a run, with their steps.
    async fn run_jobs(&self, repo: &str, run_id: u64) -> ApiResult<Vec<Job>>;
    /// The core API budget, from `GET /rate_limit` (which costs nothing).
    async fn rate_limit(&self) -> ApiResult<RateBudget>;
    /// The budget as the last response's `x-ratelimit-*` headers reported it.
    fn last_rate_budget(&self) -> Option<RateBudget>;

    // Writes. Each is sent exactly once, never retried (a failed or timed-out write may still
    // have been applied), and recorded for `drain_writes`.

    /// Opens an issue; returns it as GitHub stored it.
    async fn create_issue(
        &self,
        repo: &str,
        title: &str,
        body: &str,
        labels: &[String],
        milestone: Option<u64>,
    ) -> ApiResult<Issue>;
    /// Adds labels to an issue (creating unknown ones), keeping the labels it has.
    async fn add_labels(&self, repo: &str, number: u64, labels: &[String]) -> ApiResult<()>;
    /// Removes one label from an issue; a label the issue lacks is GitHub's 404.
    async fn remove_label(&self, repo: &str, number: u64, label: &str) -> ApiResult<()>;
    /// Every comment of an issue, oldest first, all pages.
    async fn comments(&self, repo: &str, number: u64) -> ApiResult<Vec<Comment>>;
    /// Comments on an issue; returns the comment as GitHub stored it.
    async fn create_comment(&self, repo: &str, number: u64, body: &str) -> ApiResult<Comment>;
    /// The text of a file at `git_ref` (the default branch when `None`), from the contents
    /// API.
    async fn file_at(&self, repo: &str, path: &str, git_ref: Option<&str>) -> ApiResult<String>;
    /// Dispatches workflow `workflow_file` on `git_ref` with `inputs` (all strings, as GitHub
    /// takes them), asking for the run's id. Where the server refuses that (400 from older
    /// GitHub Enterprise Server) it is sent once more without it: the outcome then has no run
    /// id and `details_supported: false`; look for the run with `find_dispatched_run`.
    async fn dispatch(
        &self,
        repo: &str,
        workflow_file: &str,
        git_ref: &str,
        inputs: &BTreeMap<String, String>,
    ) -> ApiResult<DispatchOutcome>;
    /// Best guess at the run a dispatch started when GitHub did not say: the newest
    /// `workflow_dispatch` run of the workflow on `branch`, by `actor` when given, created no
    /// earlier than 5 s before `since`. `None` when there is none yet (poll again for a
    /// while before giving up). Always asks GitHub afresh, never from the ETag cache.
    async fn find_dispatched_run(
        &self,
        repo: &str,
        workflow_file: &str,
        branch: &str,
        actor: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<Option<Run>>;
    /// Re-runs the failed jobs of a completed run (a new attempt of the same run id).
    async fn rerun_failed_jobs(&self, repo: &str, run_id: u64) -> ApiResult<()>;
    /// Re-runs every job of a completed run (a new attempt of the same run id).
    async fn rerun(&self, repo: &str, run_id: u64) -> ApiResult<()>;
    /// Asks GitHub to cancel a run (`202`); a completed run is GitHub's `409`, its message
    /// kept.
    async fn cancel_run(&self, repo: &str, run_id: u64) -> ApiResult<()>;
    /// The deployments of a run waiting for a reviewer.
    async fn pending_deployments(
        &self,
        repo: &str,
        run_id: u64,
    ) -> ApiResult<Vec<PendingDeployment>>;
    /// Approves (or rejects) the waiting deployments of a run to `environment_ids`.
    async fn review_deployments(
        &self,
        repo: &str,
        run_id: u64,
        environment_ids: &[u64],
        approve: bool,
        comment: &str,
    ) -> ApiResult<()>;
    /// The plain-text log of a job (GitHub redirects to a short-lived download URL).
    async fn job_logs(&self, repo: &str, job_id: u64) -> ApiResult<String>;
    /// Every write call made since the last drain, oldest first, with its result; empties
    /// the record.
    fn drain_writes(&self) -> Vec<WriteRecord>;
}
