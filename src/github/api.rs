//! The API trait the rest of shipdeck talks to. Everything in and out is a release type, and it
//! keeps no state a caller must fetch afterwards: a write returns its own audit record.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::ApiError;
use crate::release::call::Call;
use crate::release::kpis::MergedPr;
use crate::release::notes::publish::RepoRelease;
use crate::release::{
    Comment, Issue, Job, Milestone, PendingDeployment, RateBudget, RefStatus, Run, Workflow,
    WriteRecord,
};

/// Result of an API call.
pub type ApiResult<T> = Result<T, ApiError>;

/// GitHub's answer to a write: the status and the body as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// The commits of `compare/{base}...{head}` (those in head and not in base), oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// `ahead`, `behind`, `identical` or `diverged`.
    pub status: String,
    /// How many commits GitHub counted; more than `shas` holds when the list was cut (250).
    pub total_commits: u64,
    pub shas: Vec<String>,
}

/// What changed in a repository's issues, from [`GitHubApi::issue_changes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueChanges {
    /// Issues and pull requests updated recently, newest update first, each with the number
    /// of its milestone (`None`: none).
    pub issues: Vec<(Issue, Option<u64>)>,
    /// The first page's ETag, to send next time.
    pub etag: Option<String>,
}

/// A write call that was sent (or tried): its audit record and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub record: WriteRecord,
    pub result: ApiResult<Reply>,
}

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
    /// Change detection: the first page of `repo`'s issues and pull requests (any milestone),
    /// most recently updated first, asked with `If-None-Match: etag`. `None` when GitHub
    /// answers 304: nothing changed since the page that ETag came from (a 304 costs no
    /// rate-limit point). Otherwise every issue on it, and on the pages after it while a whole
    /// page was updated at or after `since`, with the first page's new ETag.
    async fn issue_changes(
        &self,
        repo: &str,
        etag: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<Option<IssueChanges>>;
    /// One issue.
    async fn issue(&self, repo: &str, number: u64) -> ApiResult<Issue>;
    /// The sub-issues of issue `number`, all pages, in GitHub's order; each carries the
    /// repository it lives in (another repository of the same owner is possible).
    async fn sub_issues(&self, repo: &str, number: u64) -> ApiResult<Vec<Issue>>;
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
    /// The login of the token's user (`GET /user`).
    async fn user(&self) -> ApiResult<String>;
    /// The head commit of `git_ref` and the state of commit-status `context` on it, from the
    /// combined status (`GET …/commits/{ref}/status`), asked conditionally: an unchanged
    /// answer is a free 304.
    async fn ref_status(&self, repo: &str, git_ref: &str, context: &str) -> ApiResult<RefStatus>;
    /// The core API budget, from `GET /rate_limit` (which costs nothing).
    async fn rate_limit(&self) -> ApiResult<RateBudget>;
    // Writes. Each call is sent exactly once, never retried (a failed or timed-out write may
    // still have been applied); what was sent comes back with the outcome, for the audit.

    /// Sends one write call, byte for byte as described, and returns its audit record with
    /// GitHub's answer.
    async fn send(&self, call: &Call) -> Sent;

    /// Every comment of an issue, oldest first, all pages.
    async fn comments(&self, repo: &str, number: u64) -> ApiResult<Vec<Comment>>;
    /// The text of a file at `git_ref` (the default branch when `None`), from the contents
    /// API.
    async fn file_at(&self, repo: &str, path: &str, git_ref: Option<&str>) -> ApiResult<String>;
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
    /// The deployments of a run waiting for a reviewer.
    async fn pending_deployments(
        &self,
        repo: &str,
        run_id: u64,
    ) -> ApiResult<Vec<PendingDeployment>>;
    /// The plain-text log of a job (GitHub redirects to a short-lived download URL).
    async fn job_logs(&self, repo: &str, job_id: u64) -> ApiResult<String>;
    /// The repository's releases, drafts included (the token needs push access to see
    /// drafts), all pages.
    async fn releases(&self, repo: &str) -> ApiResult<Vec<RepoRelease>>;

    /// GitHub's own release notes for `tag` (`POST …/releases/generate-notes`, which saves
    /// nothing): the body text, for comparison with shipdeck's.
    async fn generate_notes(&self, repo: &str, tag: &str) -> ApiResult<String>;

    // The delivery history the KPIs read.

    /// Runs of workflow `file` whose creation matches `created` (GitHub's search syntax:
    /// `>=2026-09-01T00:00:00Z`, `<…`), newest first, all pages up to `max` runs.
    async fn runs_created(
        &self,
        repo: &str,
        file: &str,
        created: &str,
        max: usize,
    ) -> ApiResult<Vec<Run>>;
    /// `compare/{base}...{head}`: the commits `head` has and `base` has not.
    async fn compare(&self, repo: &str, base: &str, head: &str) -> ApiResult<Comparison>;
    /// Pull requests merged and last updated at or after `since`, newest update first.
    async fn merged_pulls(&self, repo: &str, since: DateTime<Utc>) -> ApiResult<Vec<MergedPr>>;
    /// Issues carrying `label` (open and closed) updated at or after `since`, each with its
    /// milestone's title.
    async fn labelled_issues(
        &self,
        repo: &str,
        label: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<Vec<(Issue, Option<String>)>>;
}
