//! The simulator's own data model: repositories with their issues, labels, milestones,
//! files, workflows and runs. Plain data with public fields so tests can read and edit it.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::RunTiming;
use super::graph::Graph;
use super::statuses::CommitStatus;
use super::workflow::WorkflowSpec;

/// Everything the simulated GitHub knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    /// Login of the user the main token belongs to.
    pub login: String,
    /// The instant its times were written relative to (`World::new`'s `now`);
    /// [`World::shift`] moves it with them.
    pub dated_at: DateTime<Utc>,
    /// The repositories, looked up by `owner/name`.
    pub repos: Vec<Repo>,
    /// When set, a dispatch that sends `return_run_details` gets GHES's 400 answer.
    pub legacy_dispatch: bool,
    /// The primary (core) rate-limit window.
    pub rate: RateState,
    /// Id counters for new objects.
    pub ids: Ids,
}

/// The core rate-limit window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    /// Requests allowed per window (5000).
    pub limit: u32,
    /// Requests counted in this window.
    pub used: u32,
    /// End of the window, epoch seconds.
    pub reset: i64,
}

impl RateState {
    /// Requests left in this window.
    pub fn remaining(&self) -> u32 {
        self.limit.saturating_sub(self.used)
    }
}

/// Counters for ids handed to new runs, jobs and other objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ids {
    /// The next workflow-run id.
    pub next_run: u64,
    /// The next job id.
    pub next_job: u64,
    /// The next id for issues, comments, labels, deployments.
    pub next_object: u64,
}

impl Ids {
    /// Takes the next object id.
    pub fn object(&mut self) -> u64 {
        self.next_object += 1;
        self.next_object
    }
}

impl World {
    /// An empty world for `login`, with a rate window starting at `now`.
    pub fn new(login: &str, now: DateTime<Utc>) -> Self {
        Self {
            login: login.to_owned(),
            dated_at: now,
            repos: Vec::new(),
            legacy_dispatch: false,
            rate: RateState {
                limit: 5000,
                used: 0,
                reset: now.timestamp() + 3600,
            },
            ids: Ids {
                next_run: 9_000_000_001,
                next_job: 25_000_000_001,
                next_object: 3_000_000_000,
            },
        }
    }

    /// The repository `owner/name`.
    pub fn repo(&self, full_name: &str) -> Option<&Repo> {
        self.repos.iter().find(|r| r.full_name() == full_name)
    }

    /// The repository `owner/name`, mutable.
    pub fn repo_mut(&mut self, full_name: &str) -> Option<&mut Repo> {
        self.repos.iter_mut().find(|r| r.full_name() == full_name)
    }

    /// The run with `id` in any repository.
    pub fn run(&self, id: u64) -> Option<&Run> {
        self.repos.iter().flat_map(|r| &r.runs).find(|r| r.id == id)
    }
}

/// A repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// Owner login (`acme`).
    pub owner: String,
    /// Repository name (`storefront`).
    pub name: String,
    /// Numeric id.
    pub id: u64,
    /// Description.
    pub description: Option<String>,
    /// Default branch (`main`).
    pub default_branch: String,
    /// Main language.
    pub language: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Branch name → head commit.
    pub branches: BTreeMap<String, Commit>,
    /// Tag name → commit.
    pub tags: BTreeMap<String, Commit>,
    /// Path → content on every ref (workflow files live here).
    pub files: BTreeMap<String, String>,
    /// Ref → path → content that differs on that ref.
    pub ref_files: BTreeMap<String, BTreeMap<String, String>>,
    /// Repository labels.
    pub labels: Vec<Label>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// Issues and pull requests (one number space).
    pub issues: Vec<Issue>,
    /// Actions workflows.
    pub workflows: Vec<Workflow>,
    /// Workflow runs, any order (listings sort newest first).
    pub runs: Vec<Run>,
    /// Deployment environments.
    pub environments: Vec<Environment>,
    /// Commit SHA → the statuses set on it, oldest first.
    pub statuses: BTreeMap<String, Vec<CommitStatus>>,
    /// GitHub Releases, drafts included.
    pub releases: Vec<super::releases::Release>,
    /// Every commit with its parents; branches, tags and runs' head commits point into it.
    pub graph: Graph,
}

impl Repo {
    /// `owner/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// The commit a branch, tag (`refs/heads/x`, `refs/tags/x` or bare) or full SHA points at,
    /// with the short ref name.
    pub fn resolve_ref(&self, r: &str) -> Option<(String, Commit)> {
        let short = r
            .strip_prefix("refs/heads/")
            .or_else(|| r.strip_prefix("refs/tags/"))
            .unwrap_or(r);
        if let Some(c) = self.branches.get(short).or_else(|| self.tags.get(short)) {
            return Some((short.to_owned(), c.clone()));
        }
        self.branches
            .iter()
            .chain(&self.tags)
            .find(|(_, c)| c.sha == r)
            .map(|(n, c)| (n.clone(), c.clone()))
            .or_else(|| self.graph.get(r).map(|c| (r.to_owned(), c.clone())))
    }

    /// The commit with this full SHA: one of the graph, a branch head, a tag, or the head of
    /// one of its runs.
    pub fn commit(&self, sha: &str) -> Option<&Commit> {
        self.graph.get(sha).or_else(|| {
            self.branches
                .values()
                .chain(self.tags.values())
                .chain(self.runs.iter().map(|r| &r.head_commit))
                .find(|c| c.sha == sha)
        })
    }

    /// A file's content at `r` (a ref name; `None` = default branch).
    pub fn file_at(&self, r: Option<&str>, path: &str) -> Option<&String> {
        r.and_then(|r| self.ref_files.get(r))
            .and_then(|m| m.get(path))
            .or_else(|| self.files.get(path))
    }

    /// The issue or pull request with `number`.
    pub fn issue(&self, number: u64) -> Option<&Issue> {
        self.issues.iter().find(|i| i.number == number)
    }

    /// The issue or pull request with `number`, mutable.
    pub fn issue_mut(&mut self, number: u64) -> Option<&mut Issue> {
        self.issues.iter_mut().find(|i| i.number == number)
    }

    /// The label called `name` (case-insensitive, like GitHub).
    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
    }

    /// Adds a label with GitHub's default colour unless one with that name exists;
    /// returns the stored name.
    pub fn ensure_label(&mut self, ids: &mut Ids, name: &str) -> String {
        if let Some(l) = self.label(name) {
            return l.name.clone();
        }
        self.labels.push(Label {
            id: ids.object(),
            name: name.to_owned(),
            color: "ededed".to_owned(),
            description: None,
            default: false,
        });
        name.to_owned()
    }

    /// The workflow given by numeric id or file name (`deploy.yml`).
    pub fn workflow(&self, id_or_file: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|w| {
            w.id.to_string() == id_or_file
                || w.path == id_or_file
                || w.path.rsplit('/').next() == Some(id_or_file)
        })
    }

    /// The workflow file parsed at `r` (default branch when `None`); an empty spec (no
    /// triggers, no jobs) when the file is missing or not valid YAML.
    pub fn workflow_spec(&self, wf: &Workflow, r: Option<&str>) -> WorkflowSpec {
        self.file_at(r, &wf.path)
            .and_then(|t| WorkflowSpec::parse(t).ok())
            .unwrap_or_default()
    }

    /// The run with `id`.
    pub fn run_mut(&mut self, id: u64) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// Whether deployments to `env` wait for a reviewer.
    pub fn is_protected(&self, env: &str) -> bool {
        self.environments
            .iter()
            .any(|e| e.name == env && !e.reviewers.is_empty())
    }
}

/// A git commit as runs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// 40-hex SHA.
    pub sha: String,
    /// Full message.
    pub message: String,
    /// Author login.
    pub author: String,
    /// Commit time.
    pub timestamp: DateTime<Utc>,
}

/// A repository label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Numeric id.
    pub id: u64,
    /// Name, e.g. `phase:build`.
    pub name: String,
    /// Colour as six hex digits without `#`.
    pub color: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it is one of GitHub's default labels.
    pub default: bool,
}

/// A milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// Numeric id.
    pub id: u64,
    /// Number within the repository.
    pub number: u64,
    /// Title, e.g. `v2.4.0`.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// Due date.
    pub due_on: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Creator login.
    pub creator: String,
}

/// An issue, or a pull request when `pull` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Numeric id.
    pub id: u64,
    /// Number within the repository.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// `completed`, `not_planned`, `reopened`, `duplicate`.
    pub state_reason: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Assignee logins.
    pub assignees: Vec<String>,
    /// Author login.
    pub author: String,
    /// Milestone number.
    pub milestone: Option<u64>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// Comments, oldest first.
    pub comments: Vec<Comment>,
    /// Pull-request details when this is a PR.
    pub pull: Option<PullInfo>,
    /// Whether the conversation is locked.
    pub locked: bool,
    /// The ids (not numbers) of its sub-issues, in the order they were added; they may live
    /// in another repository of the same owner.
    pub sub_issues: Vec<u64>,
}

impl Issue {
    /// Marks a change made at `now`: `updated_at` moves forward by at least a second so
    /// that `since=` pollers always see it.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        let next = self.updated_at + TimeDelta::seconds(1);
        self.updated_at = if now > next { now } else { next };
    }
}

/// The pull-request part of an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullInfo {
    /// Whether it is a draft.
    pub draft: bool,
    /// When it was merged.
    pub merged_at: Option<DateTime<Utc>>,
    /// The branch it merges from (`saved-carts`).
    pub head_ref: String,
    /// The branch it merges into (the default branch).
    pub base_ref: String,
    /// The head commit of `head_ref`.
    pub head_sha: String,
    /// The merge commit on `base_ref` once merged (in [`Repo::graph`]).
    pub merge_commit_sha: Option<String>,
}

/// An issue comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Numeric id.
    pub id: u64,
    /// Author login.
    pub author: String,
    /// Markdown body.
    pub body: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

/// An Actions workflow; its YAML lives in `Repo::files[path]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// Numeric id.
    pub id: u64,
    /// Display name (the file's `name:`).
    pub name: String,
    /// `.github/workflows/<file>`.
    pub path: String,
    /// `active`, `disabled_manually`, ...
    pub state: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
    /// When set, the next run created for this workflow fails (then the flag clears).
    pub fail_next: bool,
}

/// A deployment environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Numeric id.
    pub id: u64,
    /// Name, e.g. `production`.
    pub name: String,
    /// Required reviewers (logins); none = unprotected.
    pub reviewers: Vec<String>,
    /// Wait timer in minutes (shown only).
    pub wait_timer: u32,
}

/// A workflow run (the current attempt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Numeric id.
    pub id: u64,
    /// Per-workflow run number.
    pub run_number: u64,
    /// Attempt, from 1.
    pub run_attempt: u64,
    /// The workflow's id.
    pub workflow_id: u64,
    /// The workflow's file path.
    pub path: String,
    /// The workflow's name.
    pub name: String,
    /// Title shown in lists (commit message, run-name, ...).
    pub display_title: String,
    /// Triggering event (`push`, `workflow_dispatch`, ...).
    pub event: String,
    /// Branch or tag the run is on.
    pub head_branch: String,
    /// The commit it runs on.
    pub head_commit: Commit,
    /// Login that started it.
    pub actor: String,
    /// Login that started this attempt.
    pub triggering_actor: String,
    /// `queued`, `in_progress`, `waiting` or `completed`.
    pub status: String,
    /// Set when completed.
    pub conclusion: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When this attempt started.
    pub run_started_at: DateTime<Utc>,
    /// `workflow_dispatch` inputs with defaults applied.
    pub inputs: BTreeMap<String, String>,
    /// Jobs of the current attempt.
    pub jobs: Vec<Job>,
    /// Environment name → review given to its pending deployment.
    pub reviews: BTreeMap<String, Review>,
    /// When the run started waiting for a review.
    pub waiting_since: Option<DateTime<Utc>>,
    /// Where a run that is still moving is; `None` once it is frozen.
    pub live: Option<Progress>,
}

/// A reviewer's decision on a pending deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// The deployment may go ahead.
    Approved,
    /// The deployment was refused.
    Rejected,
}

/// The lazy clock of a live run: where it is and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The run's pacing.
    pub pace: RunTiming,
    /// When the current phase (queue wait or current step) began.
    pub cursor: DateTime<Utc>,
    /// Index of the current job.
    pub job: usize,
    /// Index of the current step in that job.
    pub step: usize,
    /// Whether step durations vary around `per_step` (history) or are exact (new runs).
    pub vary: bool,
}

/// A job of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Numeric id.
    pub id: u64,
    /// Key under `jobs:`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Keys of jobs it needs.
    pub needs: Vec<String>,
    /// Environment it deploys to.
    pub environment: Option<String>,
    /// Whether its environment needs a review.
    pub protected: bool,
    /// `runs-on` labels.
    pub labels: Vec<String>,
    /// `queued`, `waiting`, `in_progress` or `completed`.
    pub status: String,
    /// Set when completed.
    pub conclusion: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Start time (creation time while queued, as GitHub reports).
    pub started_at: DateTime<Utc>,
    /// Completion time.
    pub completed_at: Option<DateTime<Utc>>,
    /// Steps, numbered from 1.
    pub steps: Vec<Step>,
    /// Runner that picked it up.
    pub runner: Option<u64>,
    /// Step number that will fail, if any.
    pub fail_at: Option<u64>,
    /// Extra log lines shown before the failure.
    pub error_log: Option<String>,
}

/// A step of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Number, from 1.
    pub number: u64,
    /// Display name.
    pub name: String,
    /// `queued`, `in_progress` or `completed`.
    pub status: String,
    /// Set when completed.
    pub conclusion: Option<String>,
    /// Start time.
    pub started_at: Option<DateTime<Utc>>,
    /// Completion time.
    pub completed_at: Option<DateTime<Utc>>,
}
