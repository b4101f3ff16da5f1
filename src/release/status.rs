//! The `status --json` document: a stable, scriptable summary of the release.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::gates::GateReport;
use super::snapshot::{Missing, Release};
use super::{Phase, State};

/// The whole document.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub milestone: MilestoneStatus,
    pub current_phase: Phase,
    pub phases: Vec<PhaseStatus>,
    /// The issues and PRs without a phase label (the board's "Unsorted" column).
    pub unsorted: UnsortedStatus,
    pub checklist: ChecklistStatus,
    pub risks: Vec<RiskStatus>,
    pub workflows: Vec<WorkflowStatus>,
    /// Watched workflows without runs: absent from a repository, or not asked for.
    pub missing_workflows: Vec<MissingWorkflowStatus>,
    pub blockers: Vec<BlockerStatus>,
    pub gate: GateReport,
    /// The delivery KPIs (`null` when the history could not be read: `kpis_error` says why).
    pub kpis: Option<super::kpis::KpiReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpis_error: Option<String>,
    pub fetched_at: DateTime<Utc>,
}

/// The milestone. `open_issues`/`closed_issues` count the issues and PRs on the board (every
/// phase and the unsorted ones), so they add up to `phases[]` plus `unsorted`.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneStatus {
    pub title: String,
    pub due_on: Option<DateTime<Utc>>,
    pub open_issues: usize,
    pub closed_issues: usize,
    pub repos: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseStatus {
    pub name: Phase,
    pub open: usize,
    pub closed: usize,
    pub checklist_total: usize,
    pub checklist_checked: usize,
}

/// Issues and PRs with no phase label: how many are open and closed, and which.
#[derive(Debug, Clone, Serialize)]
pub struct UnsortedStatus {
    pub open: usize,
    pub closed: usize,
    pub issues: Vec<CardStatus>,
}

/// One issue or PR of the board.
#[derive(Debug, Clone, Serialize)]
pub struct CardStatus {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub state: State,
    pub is_pull_request: bool,
    pub assignee: Option<String>,
    pub html_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistStatus {
    pub total: usize,
    pub checked: usize,
    pub issue: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskStatus {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub score: u8,
    pub state: State,
    pub owner: Option<String>,
    pub mitigated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkflowStatus {
    pub repo: String,
    pub file: String,
    pub phase: Phase,
    pub required: bool,
    pub latest_run: Option<RunStatusJson>,
}

/// A watched workflow without runs in one repository, and why.
#[derive(Debug, Clone, Serialize)]
pub struct MissingWorkflowStatus {
    pub repo: String,
    pub file: String,
    pub phase: Phase,
    pub required: bool,
    /// `not found`, or `not fetched: the release ref cannot exist`.
    pub reason: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunStatusJson {
    pub id: u64,
    pub run_number: u64,
    pub status: &'static str,
    pub conclusion: Option<&'static str>,
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub html_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockerStatus {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub html_url: String,
}

impl StatusReport {
    /// Builds the document from a derived release.
    #[must_use]
    pub fn new(release: &Release, gate: GateReport, fetched_at: DateTime<Utc>) -> Self {
        let (checked, total) = release.checklist_progress();
        let issues = release.issue_counts();
        let unsorted = super::snapshot::IssueCounts::of(&release.unsorted);
        StatusReport {
            milestone: MilestoneStatus {
                title: release.title.clone(),
                due_on: release.due_on,
                open_issues: issues.open,
                closed_issues: issues.closed,
                repos: release.repos.clone(),
            },
            current_phase: release.current_phase,
            phases: release
                .phases
                .iter()
                .map(|c| PhaseStatus {
                    name: c.phase,
                    open: c.open,
                    closed: c.closed,
                    checklist_total: c.checklist_total,
                    checklist_checked: c.checklist_checked,
                })
                .collect(),
            unsorted: UnsortedStatus {
                open: unsorted.open,
                closed: unsorted.closed,
                issues: release
                    .unsorted
                    .iter()
                    .map(|c| CardStatus {
                        repo: c.repo.clone(),
                        number: c.number,
                        title: c.title.clone(),
                        state: c.state,
                        is_pull_request: c.is_pull_request,
                        assignee: c.assignee.clone(),
                        html_url: c.html_url.clone(),
                    })
                    .collect(),
            },
            checklist: ChecklistStatus {
                total,
                checked,
                issue: release.tracking.as_ref().map(|t| t.html_url.clone()),
            },
            risks: release
                .risks
                .iter()
                .map(|r| RiskStatus {
                    repo: r.repo.clone(),
                    number: r.number,
                    title: r.title.clone(),
                    likelihood: r.likelihood.value(),
                    impact: r.impact.value(),
                    score: r.score(),
                    state: r.state,
                    owner: r.owner.clone(),
                    mitigated: r.mitigation.is_some(),
                })
                .collect(),
            workflows: release
                .workflows
                .iter()
                .map(|w| WorkflowStatus {
                    repo: w.repo.clone(),
                    file: w.file.clone(),
                    phase: w.phase,
                    required: w.required,
                    latest_run: w.runs.first().map(|r| RunStatusJson {
                        id: r.id,
                        run_number: r.run_number,
                        status: r.status.as_str(),
                        conclusion: r.conclusion.map(super::Conclusion::as_str),
                        head_branch: r.head_branch.clone(),
                        head_sha: r.head_sha.clone(),
                        html_url: r.html_url.clone(),
                    }),
                })
                .collect(),
            missing_workflows: release
                .missing_workflows
                .iter()
                .map(|m| MissingWorkflowStatus {
                    repo: m.repo.clone(),
                    file: m.file.clone(),
                    phase: m.phase,
                    required: m.required,
                    reason: match m.why {
                        Missing::NotFound { .. } => "not found",
                        Missing::BadRef => "not fetched: the release ref cannot exist",
                    },
                })
                .collect(),
            blockers: release
                .blockers
                .iter()
                .map(|b| BlockerStatus {
                    repo: b.repo.clone(),
                    number: b.number,
                    title: b.title.clone(),
                    html_url: b.html_url.clone(),
                })
                .collect(),
            gate,
            kpis: None,
            kpis_error: None,
            fetched_at,
        }
    }
}
