//! The API trait the rest of shipdeck talks to. Everything in and out is a release type.

use async_trait::async_trait;

use super::ApiError;
use crate::release::{Issue, Job, Milestone, RateBudget, Run, Workflow};

/// Result of an API call.
pub type ApiResult<T> = Result<T, ApiError>;

/// The GitHub operations shipdeck uses. `Octo` implements it over HTTP; tests run it against
/// the simulator on loopback.
#[async_trait]
pub trait GitHubApi: Send + Sync {
    /// Milestones of `repo` in `state` (`open`, `closed` or `all`).
    async fn milestones(&self, repo: &str, state: &str) -> ApiResult<Vec<Milestone>>;
    /// Every issue and PR of milestone `number`, open and closed, all pages.
    async fn milestone_issues(&self, repo: &str, number: u64) -> ApiResult<Vec<Issue>>;
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
}
