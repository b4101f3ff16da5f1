//! Wire types written from GitHub's OpenAPI description (only the fields shipdeck reads), with
//! nullable fields as `Option`, and their conversion into release types at the edge.
//!
//! GitHub Enterprise Server and older API versions leave out fields that newer answers carry
//! (`display_title` on runs, `html_url` on milestones, …), so only what shipdeck cannot work
//! without is required: ids and numbers (and a milestone's title, which names the release).
//! Every other field has a default or an `Option` with a fallback, so that a missing field
//! never fails a whole refresh.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::release::{self, Conclusion, RunStatus, State};

#[derive(Debug, Clone, Deserialize)]
pub struct UserDto {
    pub login: Option<String>,
}

/// The login of an optional user, `None` when the user or the login is missing.
fn login(user: Option<UserDto>) -> Option<String> {
    user.and_then(|u| u.login)
}

/// When a timestamp is missing everywhere it could come from: the Unix epoch ("long ago").
fn or_epoch(t: Option<DateTime<Utc>>) -> DateTime<Utc> {
    t.unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LabelDto {
    Name(String),
    Full { name: Option<String> },
}

impl LabelDto {
    fn name(self) -> Option<String> {
        match self {
            LabelDto::Name(n) => Some(n),
            LabelDto::Full { name } => name,
        }
    }
}

/// `milestone`: number and title required. Missing counts read as 0 (the sync then reads the
/// whole issue list rather than trusting them), a missing state as open.
#[derive(Debug, Clone, Deserialize)]
pub struct MilestoneDto {
    pub number: u64,
    pub title: String,
    pub description: Option<String>,
    pub state: Option<String>,
    pub due_on: Option<DateTime<Utc>>,
    #[serde(default)]
    pub open_issues: u64,
    #[serde(default)]
    pub closed_issues: u64,
    pub html_url: Option<String>,
}

impl From<MilestoneDto> for release::Milestone {
    fn from(m: MilestoneDto) -> Self {
        release::Milestone {
            number: m.number,
            title: m.title,
            description: m.description,
            state: parse_state(m.state.as_deref()),
            due_on: m.due_on,
            open_issues: m.open_issues,
            closed_issues: m.closed_issues,
            html_url: m.html_url.unwrap_or_default(),
        }
    }
}

/// `issue` (also a pull request listed as an issue): only the number is required.
#[derive(Debug, Clone, Deserialize)]
pub struct IssueDto {
    /// The issue's id (what adding a sub-issue names), not its number.
    #[serde(default)]
    pub id: Option<u64>,
    pub number: u64,
    /// `…/repos/{owner}/{repo}`: says which repository a sub-issue lives in.
    #[serde(default)]
    pub repository_url: Option<String>,
    #[serde(default)]
    pub title: String,
    pub state: Option<String>,
    pub body: Option<String>,
    pub html_url: Option<String>,
    pub user: Option<UserDto>,
    #[serde(default)]
    pub labels: Option<Vec<LabelDto>>,
    #[serde(default)]
    pub assignees: Option<Vec<UserDto>>,
    pub pull_request: Option<PullRequestRefDto>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub state_reason: Option<String>,
}

/// An issue of a repository-wide list, with its milestone's number (the change probe needs
/// to see issues leave the milestone).
#[derive(Debug, Clone, Deserialize)]
pub struct ChangedIssueDto {
    #[serde(flatten)]
    pub issue: IssueDto,
    pub milestone: Option<NumberDto>,
}

/// Anything with a `number`.
#[derive(Debug, Clone, Deserialize)]
pub struct NumberDto {
    pub number: u64,
}

/// The `pull_request` object of an issue that is a pull request. Only a non-null `url` makes
/// one: some servers send `"pull_request": null` or an object of nulls on plain issues.
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequestRefDto {
    pub url: Option<String>,
    /// When it was merged; `null` while open or when closed without merging.
    #[serde(default)]
    pub merged_at: Option<DateTime<Utc>>,
}

impl IssueDto {
    /// The `owner/name` its `repository_url` names, if it names one.
    #[must_use]
    pub fn repo_name(&self) -> Option<String> {
        let url = self.repository_url.as_deref()?;
        let (_, rest) = url.rsplit_once("/repos/")?;
        let mut parts = rest.trim_end_matches('/').split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(owner), Some(name), None) if !owner.is_empty() && !name.is_empty() => {
                Some(format!("{owner}/{name}"))
            }
            _ => None,
        }
    }

    /// Converts into the release type for `repo`.
    #[must_use]
    pub fn into_issue(self, repo: &str) -> release::Issue {
        release::Issue {
            repo: repo.to_string(),
            number: self.number,
            title: self.title,
            state: parse_state(self.state.as_deref()),
            is_pull_request: self.pull_request.as_ref().is_some_and(|p| p.url.is_some()),
            merged_at: self
                .pull_request
                .as_ref()
                .filter(|p| p.url.is_some())
                .and_then(|p| p.merged_at),
            state_reason: self.state_reason,
            labels: self
                .labels
                .unwrap_or_default()
                .into_iter()
                .filter_map(LabelDto::name)
                .collect(),
            assignees: self
                .assignees
                .unwrap_or_default()
                .into_iter()
                .filter_map(|u| u.login)
                .collect(),
            author: login(self.user),
            body: self.body,
            html_url: self.html_url.unwrap_or_default(),
            created_at: or_epoch(self.created_at.or(self.updated_at)),
            updated_at: or_epoch(self.updated_at.or(self.closed_at).or(self.created_at)),
            closed_at: self.closed_at,
        }
    }
}

/// `release`, the fields shipdeck reads.
#[derive(Debug, Clone, Deserialize)]
pub struct ReleaseDto {
    pub id: u64,
    #[serde(default)]
    pub tag_name: String,
    pub name: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub html_url: Option<String>,
}

impl From<ReleaseDto> for release::notes::publish::RepoRelease {
    fn from(r: ReleaseDto) -> Self {
        Self {
            id: r.id,
            tag_name: r.tag_name,
            name: r.name,
            draft: r.draft,
            html_url: r.html_url.unwrap_or_default(),
        }
    }
}

/// `workflow`: only the id is required; a workflow without a name is named by its file.
#[derive(Debug, Clone, Deserialize)]
pub struct WorkflowDto {
    pub id: u64,
    pub name: Option<String>,
    #[serde(default)]
    pub path: String,
    pub state: Option<String>,
    pub html_url: Option<String>,
}

impl From<WorkflowDto> for release::Workflow {
    fn from(w: WorkflowDto) -> Self {
        let mut workflow = release::Workflow {
            id: w.id,
            name: String::new(),
            path: w.path,
            state: w.state.unwrap_or_else(|| "active".to_string()),
            html_url: w.html_url.unwrap_or_default(),
        };
        workflow.name = w.name.unwrap_or_else(|| workflow.file().to_string());
        workflow
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkflowsDto {
    pub workflows: Vec<WorkflowDto>,
}

/// `workflow-run`: id and run number required. Without `display_title` (GitHub Enterprise
/// Server before it had one) a run is named by its head commit's first line, else by its
/// workflow's name.
#[derive(Debug, Clone, Deserialize)]
pub struct RunDto {
    pub id: u64,
    pub run_number: u64,
    pub run_attempt: Option<u64>,
    #[serde(default)]
    pub workflow_id: u64,
    pub name: Option<String>,
    pub display_title: Option<String>,
    pub head_commit: Option<HeadCommitDto>,
    #[serde(default)]
    pub event: String,
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub head_branch: Option<String>,
    #[serde(default)]
    pub head_sha: String,
    pub actor: Option<UserDto>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub run_started_at: Option<DateTime<Utc>>,
    pub html_url: Option<String>,
}

/// `nullable-simple-commit`: the run's head commit, read for its message only.
#[derive(Debug, Clone, Deserialize)]
pub struct HeadCommitDto {
    pub message: Option<String>,
}

impl RunDto {
    /// Converts into the release type for `repo`.
    #[must_use]
    pub fn into_run(self, repo: &str) -> release::Run {
        let display_title = self
            .display_title
            .or_else(|| {
                self.head_commit
                    .and_then(|c| c.message)
                    .and_then(|m| m.lines().next().map(str::to_string))
                    .filter(|m| !m.trim().is_empty())
            })
            .or_else(|| self.name.clone())
            .unwrap_or_default();
        let created_at = self.created_at.or(self.run_started_at).or(self.updated_at);
        release::Run {
            repo: repo.to_string(),
            id: self.id,
            run_number: self.run_number,
            run_attempt: self.run_attempt.unwrap_or(1),
            workflow_id: self.workflow_id,
            name: self.name,
            display_title,
            event: self.event,
            status: RunStatus::parse(self.status.as_deref()),
            conclusion: Conclusion::parse(self.conclusion.as_deref()),
            head_branch: self.head_branch,
            head_sha: self.head_sha,
            actor: login(self.actor),
            created_at: or_epoch(created_at),
            updated_at: or_epoch(self.updated_at.or(created_at)),
            run_started_at: self.run_started_at,
            html_url: self.html_url.unwrap_or_default(),
            waiting_for: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct RunsDto {
    pub workflow_runs: Vec<RunDto>,
}

/// A step of a job: only its number is required.
#[derive(Debug, Clone, Deserialize)]
pub struct StepDto {
    pub number: u64,
    #[serde(default)]
    pub name: String,
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// `job`: its id and its run's id required.
#[derive(Debug, Clone, Deserialize)]
pub struct JobDto {
    pub id: u64,
    pub run_id: u64,
    #[serde(default)]
    pub name: String,
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub html_url: Option<String>,
    #[serde(default)]
    pub steps: Option<Vec<StepDto>>,
}

impl From<JobDto> for release::Job {
    fn from(j: JobDto) -> Self {
        release::Job {
            id: j.id,
            run_id: j.run_id,
            name: j.name,
            status: RunStatus::parse(j.status.as_deref()),
            conclusion: Conclusion::parse(j.conclusion.as_deref()),
            started_at: j.started_at,
            completed_at: j.completed_at,
            html_url: j.html_url,
            steps: j
                .steps
                .unwrap_or_default()
                .into_iter()
                .map(|s| release::Step {
                    number: s.number,
                    name: s.name,
                    status: RunStatus::parse(s.status.as_deref()),
                    conclusion: Conclusion::parse(s.conclusion.as_deref()),
                    started_at: s.started_at,
                    completed_at: s.completed_at,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobsDto {
    pub jobs: Vec<JobDto>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RateResourceDto {
    pub limit: u64,
    pub remaining: u64,
    pub reset: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RateLimitResourcesDto {
    pub core: RateResourceDto,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RateLimitDto {
    pub resources: RateLimitResourcesDto,
}

/// `issue-comment`: `body` is optional and `user` nullable in the schema; only the id is
/// required.
#[derive(Debug, Clone, Deserialize)]
pub struct CommentDto {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    pub user: Option<UserDto>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub html_url: Option<String>,
}

impl From<CommentDto> for release::Comment {
    fn from(c: CommentDto) -> Self {
        release::Comment {
            id: c.id,
            author: login(c.user),
            body: c.body.unwrap_or_default(),
            created_at: or_epoch(c.created_at.or(c.updated_at)),
            html_url: c.html_url.unwrap_or_default(),
        }
    }
}

/// `workflow-dispatch-response`: the `200` answer to a dispatch with `return_run_details`.
#[derive(Debug, Clone, Deserialize)]
pub struct DispatchResponseDto {
    pub workflow_run_id: u64,
    #[serde(default)]
    pub run_url: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
}

/// The `environment` object of a pending deployment (every field optional in the schema).
#[derive(Debug, Clone, Deserialize)]
pub struct PendingEnvironmentDto {
    pub id: Option<u64>,
    pub name: Option<String>,
}

/// `pending-deployment`: a missing wait timer reads as none, a missing approval flag as "may
/// not approve" (GitHub then answers the review itself).
#[derive(Debug, Clone, Deserialize)]
pub struct PendingDeploymentDto {
    pub environment: PendingEnvironmentDto,
    #[serde(default)]
    pub wait_timer: u64,
    #[serde(default)]
    pub current_user_can_approve: bool,
    #[serde(default)]
    pub reviewers: Vec<ReviewerDto>,
}

/// One reviewer entry: `{type: User|Team, reviewer: simple-user | team}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewerDto {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub reviewer: Option<ReviewerWhoDto>,
}

/// A user (`login`) or a team (`slug`, `name`).
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewerWhoDto {
    pub login: Option<String>,
    pub slug: Option<String>,
    pub name: Option<String>,
}

impl ReviewerDto {
    fn display(self) -> Option<String> {
        let who = self.reviewer?;
        if self.kind.as_deref() == Some("Team") || who.login.is_none() {
            who.slug.or(who.name).map(|t| format!("team:{t}"))
        } else {
            who.login
        }
    }
}

impl From<PendingDeploymentDto> for release::PendingDeployment {
    fn from(p: PendingDeploymentDto) -> Self {
        release::PendingDeployment {
            environment_id: p.environment.id.unwrap_or_default(),
            environment: p.environment.name.unwrap_or_default(),
            wait_timer: p.wait_timer,
            current_user_can_approve: p.current_user_can_approve,
            reviewers: p
                .reviewers
                .into_iter()
                .filter_map(ReviewerDto::display)
                .collect(),
        }
    }
}

/// `content-file` (the contents API answers an array for a directory, which does not parse).
/// Only the content is required: a missing type reads as a file, a missing encoding as
/// base64 (the only one GitHub uses for content it sends).
#[derive(Debug, Clone, Deserialize)]
pub struct ContentFileDto {
    #[serde(rename = "type", default = "file_kind")]
    pub kind: String,
    #[serde(default = "base64_encoding")]
    pub encoding: String,
    pub content: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub path: String,
}

fn file_kind() -> String {
    "file".to_string()
}

fn base64_encoding() -> String {
    "base64".to_string()
}

/// `closed` is closed; anything else (also a missing state) is open.
fn parse_state(s: Option<&str>) -> State {
    if s.is_some_and(|s| s.eq_ignore_ascii_case("closed")) {
        State::Closed
    } else {
        State::Open
    }
}

/// `combined-commit-status`: the head commit and the latest status of each context.
#[derive(Debug, Clone, Deserialize)]
pub struct CombinedStatusDto {
    pub sha: String,
    #[serde(default)]
    pub statuses: Vec<SimpleStatusDto>,
}

/// `simple-commit-status`, the fields shipdeck reads.
#[derive(Debug, Clone, Deserialize)]
pub struct SimpleStatusDto {
    pub context: Option<String>,
    pub state: Option<String>,
    pub description: Option<String>,
}

impl CombinedStatusDto {
    /// The head commit and the state of `context` on it.
    #[must_use]
    pub fn for_context(self, context: &str) -> release::RefStatus {
        let ours = self
            .statuses
            .into_iter()
            .find(|s| s.context.as_deref() == Some(context));
        release::RefStatus {
            sha: self.sha,
            state: ours.as_ref().and_then(|s| s.state.clone()),
            description: ours.and_then(|s| s.description),
        }
    }
}
