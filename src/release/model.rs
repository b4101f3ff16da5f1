//! Plain data the release is made of: milestones, issues, workflows, runs, jobs.
//! The GitHub layer converts its wire types into these at the edge.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `open` or `closed`, for issues, PRs and milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Open,
    Closed,
}

/// A milestone in one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub number: u64,
    pub title: String,
    pub description: Option<String>,
    pub state: State,
    pub due_on: Option<DateTime<Utc>>,
    pub open_issues: u64,
    pub closed_issues: u64,
    pub html_url: String,
}

/// An issue or a pull request (GitHub lists both as issues).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub state: State,
    pub is_pull_request: bool,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    pub author: Option<String>,
    pub body: Option<String>,
    pub html_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// When a pull request was merged (`pull_request.merged_at`); `None` for an issue, an open
    /// PR, and a PR closed without merging.
    #[serde(default)]
    pub merged_at: Option<DateTime<Utc>>,
    /// Why it was closed: `completed`, `not_planned`, `duplicate` (`reopened` once reopened);
    /// `None` where the server does not say (older GitHub Enterprise).
    #[serde(default)]
    pub state_reason: Option<String>,
}

impl Issue {
    /// Whether the issue carries `label` (GitHub compares label names case-insensitively).
    #[must_use]
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l.eq_ignore_ascii_case(label))
    }

    /// Closed as done: not as "not planned" or a duplicate (an unknown reason counts as done).
    #[must_use]
    pub fn closed_as_done(&self) -> bool {
        self.state == State::Closed
            && !matches!(
                self.state_reason.as_deref(),
                Some("not_planned" | "duplicate")
            )
    }

    /// `true` while the issue is open.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.state == State::Open
    }
}

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Requested,
    Queued,
    Pending,
    Waiting,
    InProgress,
    Completed,
    Unknown,
}

impl RunStatus {
    /// Parses GitHub's status string; anything new becomes `Unknown`.
    #[must_use]
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("requested") => Self::Requested,
            Some("queued") => Self::Queued,
            Some("pending") => Self::Pending,
            Some("waiting") => Self::Waiting,
            Some("in_progress") => Self::InProgress,
            Some("completed") => Self::Completed,
            _ => Self::Unknown,
        }
    }

    /// GitHub's spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Queued => "queued",
            Self::Pending => "pending",
            Self::Waiting => "waiting",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Unknown => "unknown",
        }
    }

    /// Still going: anything but completed.
    #[must_use]
    pub fn is_active(self) -> bool {
        !matches!(self, Self::Completed | Self::Unknown)
    }
}

/// How a completed run or job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    Success,
    Failure,
    Cancelled,
    Skipped,
    TimedOut,
    ActionRequired,
    Neutral,
    Stale,
    StartupFailure,
    Unknown,
}

impl Conclusion {
    /// Parses GitHub's conclusion string; `None` stays `None` (not finished).
    #[must_use]
    pub fn parse(s: Option<&str>) -> Option<Self> {
        Some(match s? {
            "success" => Self::Success,
            "failure" => Self::Failure,
            "cancelled" => Self::Cancelled,
            "skipped" => Self::Skipped,
            "timed_out" => Self::TimedOut,
            "action_required" => Self::ActionRequired,
            "neutral" => Self::Neutral,
            "stale" => Self::Stale,
            "startup_failure" => Self::StartupFailure,
            _ => Self::Unknown,
        })
    }

    /// GitHub's spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Cancelled => "cancelled",
            Self::Skipped => "skipped",
            Self::TimedOut => "timed_out",
            Self::ActionRequired => "action_required",
            Self::Neutral => "neutral",
            Self::Stale => "stale",
            Self::StartupFailure => "startup_failure",
            Self::Unknown => "unknown",
        }
    }

    /// A result that should turn a gate red.
    #[must_use]
    pub fn is_bad(self) -> bool {
        matches!(
            self,
            Self::Failure | Self::TimedOut | Self::StartupFailure | Self::ActionRequired
        )
    }
}

/// An Actions workflow of a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    pub id: u64,
    pub name: String,
    /// `.github/workflows/deploy.yml`
    pub path: String,
    pub state: String,
    pub html_url: String,
}

impl Workflow {
    /// The file name, e.g. `deploy.yml`.
    #[must_use]
    pub fn file(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// One workflow run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub repo: String,
    pub id: u64,
    pub run_number: u64,
    pub run_attempt: u64,
    pub workflow_id: u64,
    pub name: Option<String>,
    pub display_title: String,
    pub event: String,
    pub status: RunStatus,
    pub conclusion: Option<Conclusion>,
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub run_started_at: Option<DateTime<Utc>>,
    pub html_url: String,
    /// Environments waiting for a reviewer's approval (status `waiting`).
    #[serde(default)]
    pub waiting_for: Vec<String>,
}

impl Run {
    /// The first seven characters of the commit.
    #[must_use]
    pub fn short_sha(&self) -> &str {
        self.head_sha.get(..7).unwrap_or(&self.head_sha)
    }

    /// Completed with success.
    #[must_use]
    pub fn is_green(&self) -> bool {
        self.status == RunStatus::Completed && self.conclusion == Some(Conclusion::Success)
    }

    /// How long the run took, or has taken so far at `now`.
    #[must_use]
    pub fn duration(&self, now: DateTime<Utc>) -> chrono::Duration {
        let start = self.run_started_at.unwrap_or(self.created_at);
        let end = if self.status == RunStatus::Completed {
            self.updated_at
        } else {
            now
        };
        (end - start).max(chrono::Duration::zero())
    }
}

/// A job of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub run_id: u64,
    pub name: String,
    pub status: RunStatus,
    pub conclusion: Option<Conclusion>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub html_url: Option<String>,
    pub steps: Vec<Step>,
}

/// A step of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub number: u64,
    pub name: String,
    pub status: RunStatus,
    pub conclusion: Option<Conclusion>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// The API budget as GitHub last reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateBudget {
    pub limit: u64,
    pub remaining: u64,
    pub reset: DateTime<Utc>,
    /// GitHub's clock when it answered (its `Date` header): deploy windows are judged by it, so
    /// a wrong local clock cannot open one.
    #[serde(default)]
    pub server_time: Option<DateTime<Utc>>,
}

/// A ref's head commit and the state of one commit-status context on it, from the combined
/// status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefStatus {
    pub sha: String,
    /// The context's latest state (`success`, `failure`, `pending`, `error`), `None` if unset.
    pub state: Option<String>,
    pub description: Option<String>,
}

/// A comment on an issue or pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    /// The commenter's login; `None` for a deleted account.
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub html_url: String,
}

/// A deployment of a run that waits for a reviewer (a protected environment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDeployment {
    /// What `review_deployments` takes to approve or reject it.
    pub environment_id: u64,
    /// The environment's name, e.g. `production`.
    pub environment: String,
    /// Minutes the environment's wait timer holds the job, 0 when none.
    pub wait_timer: u64,
    /// Whether the token's user is one of the required reviewers.
    pub current_user_can_approve: bool,
    /// Who may approve: user logins, and teams as `team:<slug>`.
    pub reviewers: Vec<String>,
}

/// What a workflow dispatch told us about the run it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchOutcome {
    /// The run's id when GitHub returned it; otherwise find it with `find_dispatched_run`
    /// (a best guess).
    pub run_id: Option<u64>,
    /// The run's page on GitHub, when returned.
    pub html_url: Option<String>,
    /// `false` when the server refused `return_run_details` (GitHub Enterprise Server ≤ 3.20)
    /// and the dispatch was sent again without it.
    pub details_supported: bool,
}

/// One write call made to GitHub and what came of it, for the audit pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteRecord {
    /// When the request was sent.
    pub at: DateTime<Utc>,
    /// `POST`, `PATCH`, `DELETE`, …
    pub method: String,
    /// The API path, e.g. `/repos/acme/app/actions/runs/1/cancel` (never a token).
    pub path: String,
    /// The JSON body exactly as sent, if the call had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The HTTP status, or `None` when no answer came (timeout, network error).
    pub status: Option<u16>,
    /// A short account: `201 Created`, or GitHub's error message.
    pub outcome: String,
}
