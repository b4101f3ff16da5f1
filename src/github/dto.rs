//! Wire types written from GitHub's OpenAPI description (only the fields shipdeck reads), with
//! nullable fields as `Option`, and their conversion into release types at the edge.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::release::{self, Conclusion, RunStatus, State};

#[derive(Debug, Deserialize)]
pub struct UserDto {
    pub login: String,
}

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
pub struct MilestoneDto {
    pub number: u64,
    pub title: String,
    pub description: Option<String>,
    pub state: String,
    pub due_on: Option<DateTime<Utc>>,
    pub open_issues: u64,
    pub closed_issues: u64,
    pub html_url: String,
}

impl From<MilestoneDto> for release::Milestone {
    fn from(m: MilestoneDto) -> Self {
        release::Milestone {
            number: m.number,
            title: m.title,
            description: m.description,
            state: parse_state(&m.state),
            due_on: m.due_on,
            open_issues: m.open_issues,
            closed_issues: m.closed_issues,
            html_url: m.html_url,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct IssueDto {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub body: Option<String>,
    pub html_url: String,
    pub user: Option<UserDto>,
    #[serde(default)]
    pub labels: Vec<LabelDto>,
    #[serde(default)]
    pub assignees: Option<Vec<UserDto>>,
    pub pull_request: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl IssueDto {
    /// Converts into the release type for `repo`.
    #[must_use]
    pub fn into_issue(self, repo: &str) -> release::Issue {
        release::Issue {
            repo: repo.to_string(),
            number: self.number,
            title: self.title,
            state: parse_state(&self.state),
            is_pull_request: self.pull_request.is_some(),
            labels: self.labels.into_iter().filter_map(LabelDto::name).collect(),
            assignees: self
                .assignees
                .unwrap_or_default()
                .into_iter()
                .map(|u| u.login)
                .collect(),
            author: self.user.map(|u| u.login),
            body: self.body,
            html_url: self.html_url,
            created_at: self.created_at,
            updated_at: self.updated_at,
            closed_at: self.closed_at,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct WorkflowDto {
    pub id: u64,
    pub name: String,
    pub path: String,
    pub state: String,
    pub html_url: String,
}

impl From<WorkflowDto> for release::Workflow {
    fn from(w: WorkflowDto) -> Self {
        release::Workflow {
            id: w.id,
            name: w.name,
            path: w.path,
            state: w.state,
            html_url: w.html_url,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct WorkflowsDto {
    pub workflows: Vec<WorkflowDto>,
}

#[derive(Debug, Deserialize)]
pub struct RunDto {
    pub id: u64,
    pub run_number: u64,
    pub run_attempt: Option<u64>,
    pub workflow_id: u64,
    pub name: Option<String>,
    pub display_title: String,
    pub event: String,
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub actor: Option<UserDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub run_started_at: Option<DateTime<Utc>>,
    pub html_url: String,
}

impl RunDto {
    /// Converts into the release type for `repo`.
    #[must_use]
    pub fn into_run(self, repo: &str) -> release::Run {
        release::Run {
            repo: repo.to_string(),
            id: self.id,
            run_number: self.run_number,
            run_attempt: self.run_attempt.unwrap_or(1),
            workflow_id: self.workflow_id,
            name: self.name,
            display_title: self.display_title,
            event: self.event,
            status: RunStatus::parse(self.status.as_deref()),
            conclusion: Conclusion::parse(self.conclusion.as_deref()),
            head_branch: self.head_branch,
            head_sha: self.head_sha,
            actor: self.actor.map(|a| a.login),
            created_at: self.created_at,
            updated_at: self.updated_at,
            run_started_at: self.run_started_at,
            html_url: self.html_url,
            waiting_for: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RunsDto {
    pub workflow_runs: Vec<RunDto>,
}

#[derive(Debug, Deserialize)]
pub struct StepDto {
    pub number: u64,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct JobDto {
    pub id: u64,
    pub run_id: u64,
    pub name: String,
    pub status: String,
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
            status: RunStatus::parse(Some(&j.status)),
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
                    status: RunStatus::parse(Some(&s.status)),
                    conclusion: Conclusion::parse(s.conclusion.as_deref()),
                    started_at: s.started_at,
                    completed_at: s.completed_at,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct JobsDto {
    pub jobs: Vec<JobDto>,
}

#[derive(Debug, Deserialize)]
pub struct RateResourceDto {
    pub limit: u64,
    pub remaining: u64,
    pub reset: i64,
}

#[derive(Debug, Deserialize)]
pub struct RateLimitResourcesDto {
    pub core: RateResourceDto,
}

#[derive(Debug, Deserialize)]
pub struct RateLimitDto {
    pub resources: RateLimitResourcesDto,
}

/// `issue-comment`: `body` is optional and `user` nullable in the schema.
#[derive(Debug, Deserialize)]
pub struct CommentDto {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    pub user: Option<UserDto>,
    pub created_at: DateTime<Utc>,
    pub html_url: String,
}

impl From<CommentDto> for release::Comment {
    fn from(c: CommentDto) -> Self {
        release::Comment {
            id: c.id,
            author: c.user.map(|u| u.login),
            body: c.body.unwrap_or_default(),
            created_at: c.created_at,
            html_url: c.html_url,
        }
    }
}

/// `workflow-dispatch-response`: the `200` answer to a dispatch with `return_run_details`.
#[derive(Debug, Deserialize)]
pub struct DispatchResponseDto {
    pub workflow_run_id: u64,
    #[serde(default)]
    pub run_url: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
}

/// The `environment` object of a pending deployment (every field optional in the schema).
#[derive(Debug, Deserialize)]
pub struct PendingEnvironmentDto {
    pub id: Option<u64>,
    pub name: Option<String>,
}

/// `pending-deployment`.
#[derive(Debug, Deserialize)]
pub struct PendingDeploymentDto {
    pub environment: PendingEnvironmentDto,
    pub wait_timer: u64,
    pub current_user_can_approve: bool,
    #[serde(default)]
    pub reviewers: Vec<ReviewerDto>,
}

/// One reviewer entry: `{type: User|Team, reviewer: simple-user | team}`.
#[derive(Debug, Deserialize)]
pub struct ReviewerDto {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub reviewer: Option<ReviewerWhoDto>,
}

/// A user (`login`) or a team (`slug`, `name`).
#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize)]
pub struct ContentFileDto {
    #[serde(rename = "type")]
    pub kind: String,
    pub encoding: String,
    pub content: String,
    pub size: u64,
    pub path: String,
}

fn parse_state(s: &str) -> State {
    if s.eq_ignore_ascii_case("closed") {
        State::Closed
    } else {
        State::Open
    }
}
