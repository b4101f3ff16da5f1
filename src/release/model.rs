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
}

impl Issue {
    /// Whether the issue carries `label` (GitHub compares label names case-insensitively).
    #[must_use]
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l.eq_ignore_ascii_case(label))
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
}
