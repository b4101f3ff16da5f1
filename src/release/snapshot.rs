//! The snapshot (everything fetched from GitHub for one release) and the release derived from
//! it (phase board, checklist, risks, blockers, gates), computed once per new snapshot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::git_ref::{self, RefNameError};
use super::risk::Risk;
use super::task_list::{self, ChecklistItem, HeadingNames, Section};
use super::{Issue, Milestone, Phase, Run, State};

/// What was fetched from GitHub, as it was fetched. Cached on disk between sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The milestone title shared by every repository.
    pub milestone: String,
    pub repos: Vec<RepoSnapshot>,
    /// The milestone's tracking issue (label `release-checklist`), if one exists.
    pub tracking: Option<TrackingIssue>,
    pub fetched_at: DateTime<Utc>,
}

impl Snapshot {
    /// The same data, whenever each was read (`fetched_at` aside).
    #[must_use]
    pub fn same_data(&self, other: &Snapshot) -> bool {
        self.milestone == other.milestone
            && self.repos == other.repos
            && self.tracking == other.tracking
    }
}

/// One repository's part of the release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoSnapshot {
    pub repo: String,
    /// The release ref's head commit and shipdeck's go/no-go status on it; read only when the
    /// verdict is posted (`[gates] post_status`).
    #[serde(default)]
    pub verdict_status: Option<super::RefStatus>,
    pub milestone: Milestone,
    pub issues: Vec<Issue>,
    pub workflows: Vec<WorkflowRuns>,
    /// Watched workflows whose runs this repository's part does not hold, and why.
    #[serde(default)]
    pub missing: Vec<MissingWorkflow>,
}

/// A watched workflow without runs in one repository: absent there, or not asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingWorkflow {
    pub repo: String,
    pub file: String,
    pub phase: Phase,
    pub required: bool,
    /// Configured for this repository by name, not for "every repository that has it".
    pub named: bool,
    pub why: Missing,
}

/// Why a watched workflow has no runs in a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Missing {
    /// GitHub answered 404: the repository has no such workflow, as of `checked_at`.
    NotFound { checked_at: DateTime<Utc> },
    /// Not asked: the release ref cannot be a branch or tag name.
    BadRef,
}

/// A configured workflow and its latest runs on the release ref, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRuns {
    pub repo: String,
    pub file: String,
    pub name: String,
    pub phase: Phase,
    pub required: bool,
    pub runs: Vec<Run>,
}

/// The issue whose body holds the release checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingIssue {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub body: String,
    pub html_url: String,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub labels: Vec<String>,
    /// Set while deploys are locked (the lock label is on the issue), from the newest lock
    /// comment.
    #[serde(default)]
    pub lock: Option<DeployLock>,
    /// In sub-issues mode, its sub-issues: they are the checklist (the body's task list is
    /// not). `None` in task-list mode, and in caches written before sub-issues.
    #[serde(default)]
    pub sub_issues: Option<Vec<Issue>>,
    /// The `/signoff` and `/signoff-revoke` commands among its comments, oldest first.
    #[serde(default)]
    pub signoffs: Vec<super::signoff::Command>,
    /// The newest status comment of each author among its comments (the token user's own is
    /// the one `U` edits).
    #[serde(default)]
    pub status_comments: Vec<super::status_update::StatusComment>,
    /// The gate overrides recorded among its comments, oldest first.
    #[serde(default)]
    pub overrides: Vec<super::overrides::OverrideNote>,
}

impl TrackingIssue {
    /// The checklist: the sub-issues when read in sub-issues mode, else the body's task list.
    #[must_use]
    pub fn checklist(&self, rules: &ReleaseRules) -> Vec<ChecklistItem> {
        match &self.sub_issues {
            Some(subs) => super::sub_issues::items(subs, &rules.phase_labels),
            None => task_list::parse(&self.body, &rules.headings),
        }
    }

    /// The sub-issue `r` names, as last read.
    #[must_use]
    pub fn sub_issue(&self, r: &super::sub_issues::IssueRef) -> Option<&Issue> {
        self.sub_issues
            .as_ref()?
            .iter()
            .find(|i| i.repo == r.repo && i.number == r.number)
    }
}

/// A deploy lock: a label on the tracking issue plus a comment saying why and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployLock {
    pub reason: String,
    pub author: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// The first line of a lock comment; the reason follows on a line starting `Reason: `.
pub const LOCK_MARKER: &str = "🔒 Deploys locked";
/// The first line of an unlock comment.
pub const UNLOCK_MARKER: &str = "🔓 Deploys unlocked";

impl DeployLock {
    /// The comment that records a lock.
    #[must_use]
    pub fn comment(milestone: &str, reason: &str) -> String {
        format!("{LOCK_MARKER} for {milestone} (via shipdeck).\n\nReason: {reason}\n")
    }

    /// Reads a lock from a comment written by [`DeployLock::comment`]; `None` for other comments.
    #[must_use]
    pub fn from_comment(comment: &super::Comment) -> Option<Self> {
        let body = comment.body.trim_start();
        if !body.starts_with(LOCK_MARKER) {
            return None;
        }
        let reason = body
            .lines()
            .find_map(|l| l.trim().strip_prefix("Reason:"))
            .map_or_else(|| "no reason given".to_string(), |r| r.trim().to_string());
        Some(DeployLock {
            reason,
            author: comment.author.clone(),
            at: Some(comment.created_at),
        })
    }
}

/// The rules that turn a snapshot into a release: label names, heading names, thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRules {
    /// The label of each phase, e.g. `phase:plan`.
    pub phase_labels: Vec<(Phase, String)>,
    pub headings: HeadingNames,
    pub checklist_label: String,
    pub risk_label: String,
    pub blocker_label: String,
    pub likelihood_prefix: String,
    pub impact_prefix: String,
    /// Which gates hold before each phase, the risk threshold, windows, freezes and sign-off
    /// roles.
    pub gates: super::gates::Policy,
    /// The branch or tag runs are watched on, already resolved for this milestone.
    pub release_ref: String,
    /// Labels on the tracking issue that mark the release healthy or faulty after a deploy.
    pub healthy_label: String,
    pub faulty_label: String,
    /// When the scope froze, from the config; `None`: when the Plan phase's last issue closed.
    pub scope_freeze: Option<DateTime<Utc>>,
}

impl Default for ReleaseRules {
    fn default() -> Self {
        Self {
            phase_labels: Phase::ALL
                .iter()
                .map(|p| (*p, format!("phase:{}", p.key())))
                .collect(),
            headings: HeadingNames::default(),
            checklist_label: "release-checklist".into(),
            risk_label: "risk".into(),
            blocker_label: "release-blocker".into(),
            likelihood_prefix: "likelihood:".into(),
            impact_prefix: "impact:".into(),
            gates: super::gates::Policy::default(),
            release_ref: "main".into(),
            healthy_label: "release:healthy".into(),
            faulty_label: "release:faulty".into(),
            scope_freeze: None,
        }
    }
}

/// A card on the phase board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub assignee: Option<String>,
    pub state: State,
    pub is_pull_request: bool,
    pub html_url: String,
}

impl From<&Issue> for Card {
    fn from(i: &Issue) -> Self {
        Card {
            repo: i.repo.clone(),
            number: i.number,
            title: i.title.clone(),
            assignee: i.assignees.first().cloned(),
            state: i.state,
            is_pull_request: i.is_pull_request,
            html_url: i.html_url.clone(),
        }
    }
}

/// How many cards are open and how many closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueCounts {
    pub open: usize,
    pub closed: usize,
}

impl IssueCounts {
    /// Counts `cards` by state: the one count of the board's columns, the header and
    /// `status --json`.
    #[must_use]
    pub fn of(cards: &[Card]) -> Self {
        let open = cards.iter().filter(|c| c.state == State::Open).count();
        IssueCounts {
            open,
            closed: cards.len() - open,
        }
    }

    /// Open and closed together.
    #[must_use]
    pub fn total(self) -> usize {
        self.open + self.closed
    }
}

/// A column of the phase board as drawn and navigated: a phase, or the issues with no phase
/// label ("Unsorted").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardColumn<'a> {
    /// The phase column; `None` for the unsorted one.
    pub phase: Option<&'a PhaseColumn>,
    /// Open cards first, then closed; each group by repository and number.
    pub cards: &'a [Card],
}

impl BoardColumn<'_> {
    /// The column heading: the phase's title, or "Unsorted".
    #[must_use]
    pub fn title(&self) -> &'static str {
        self.phase.map_or("Unsorted", |c| c.phase.title())
    }

    /// Its cards by state.
    #[must_use]
    pub fn counts(&self) -> IssueCounts {
        IssueCounts::of(self.cards)
    }
}

/// One column of the phase board with its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseColumn {
    pub phase: Phase,
    pub open: usize,
    pub closed: usize,
    pub checklist_total: usize,
    pub checklist_checked: usize,
    /// Open cards first, then closed; each group by number.
    pub cards: Vec<Card>,
}

impl PhaseColumn {
    /// Nothing left to do in this phase: every item ticked and every issue closed.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.open == 0 && self.checklist_checked == self.checklist_total
    }

    /// The phase's checklist is complete (or, for a phase without items, its issues are
    /// closed): the release has moved past it, even if stragglers remain open.
    #[must_use]
    pub fn is_passed(&self) -> bool {
        if self.checklist_total > 0 {
            self.checklist_checked == self.checklist_total
        } else {
            self.open == 0
        }
    }
}

/// The release as shown: derived from a [`Snapshot`] by [`Release::derive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub title: String,
    pub repos: Vec<String>,
    pub due_on: Option<DateTime<Utc>>,
    pub release_ref: String,
    pub phases: Vec<PhaseColumn>,
    /// Milestone issues and PRs with no phase label (risks and the tracking issue excluded:
    /// they have their own panes). Sorted like a phase column's cards.
    pub unsorted: Vec<Card>,
    pub checklist: Vec<ChecklistItem>,
    pub tracking: Option<TrackingIssue>,
    /// Sorted by score, highest first; retired (closed) risks last.
    pub risks: Vec<Risk>,
    pub blockers: Vec<Card>,
    pub workflows: Vec<WorkflowRuns>,
    /// Watched workflows without runs: absent from a repository, or not asked for.
    pub missing_workflows: Vec<MissingWorkflow>,
    /// Set when `release_ref` cannot be a branch or tag: its runs are not fetched.
    pub bad_ref: Option<RefNameError>,
    /// The first phase not yet passed (see [`PhaseColumn::is_passed`]), or Review.
    pub current_phase: Phase,
    /// Set while deploys are locked.
    pub lock: Option<DeployLock>,
    /// After a deploy: `Some(true)` healthy, `Some(false)` faulty, `None` not yet marked.
    pub health: Option<bool>,
    /// Scope and done per day, from the board's issues.
    pub burnup: super::burnup::Burnup,
    /// The milestone is closed in every repository (`C`, or on GitHub): the release is over.
    pub closed: bool,
}

impl Release {
    /// Derives the release from a snapshot. Pure; called once per new snapshot, not per frame.
    #[must_use]
    pub fn derive(snapshot: &Snapshot, rules: &ReleaseRules) -> Self {
        let checklist = snapshot
            .tracking
            .as_ref()
            .map(|t| t.checklist(rules))
            .unwrap_or_default();
        let tracking_key = snapshot
            .tracking
            .as_ref()
            .map(|t| (t.repo.as_str(), t.number));

        let all_issues = || snapshot.repos.iter().flat_map(|r| r.issues.iter());
        let phase_of = |issue: &Issue| {
            rules
                .phase_labels
                .iter()
                .find(|(_, label)| issue.has_label(label))
                .map(|(p, _)| *p)
        };

        let mut phases: Vec<PhaseColumn> = Phase::ALL
            .iter()
            .map(|&phase| {
                let items = checklist
                    .iter()
                    .filter(|i| i.section == Section::Phase(phase));
                PhaseColumn {
                    phase,
                    open: 0,
                    closed: 0,
                    checklist_total: items.clone().count(),
                    checklist_checked: items.filter(|i| i.checked).count(),
                    cards: Vec::new(),
                }
            })
            .collect();
        let mut unsorted = Vec::new();
        let mut risks = Vec::new();
        let mut blockers = Vec::new();
        // The board's issues with their dates, for the burn-up: the same set the board counts.
        let mut dated = Vec::new();
        let mut plan_closed: Vec<Option<DateTime<Utc>>> = Vec::new();
        for issue in all_issues() {
            if tracking_key == Some((issue.repo.as_str(), issue.number)) {
                continue;
            }
            if issue.has_label(&rules.risk_label) {
                risks.push(Risk::from_issue(
                    issue,
                    &rules.likelihood_prefix,
                    &rules.impact_prefix,
                ));
            }
            if issue.has_label(&rules.blocker_label) && issue.is_open() {
                blockers.push(Card::from(issue));
            }
            let on_board = match phase_of(issue) {
                Some(phase) => {
                    phases[phase.index()].cards.push(Card::from(issue));
                    if phase == Phase::Plan {
                        plan_closed.push(issue.closed_at.filter(|_| !issue.is_open()));
                    }
                    true
                }
                None if !issue.has_label(&rules.risk_label) => {
                    unsorted.push(Card::from(issue));
                    true
                }
                None => false,
            };
            if on_board {
                dated.push(super::burnup::Dated {
                    repo: issue.repo.clone(),
                    number: issue.number,
                    created_at: issue.created_at,
                    closed_at: issue.closed_at.filter(|_| !issue.is_open()),
                });
            }
        }
        let card_order = |c: &Card| (c.state == State::Closed, c.repo.clone(), c.number);
        for col in &mut phases {
            col.cards.sort_by_key(card_order);
            let counts = IssueCounts::of(&col.cards);
            (col.open, col.closed) = (counts.open, counts.closed);
        }
        unsorted.sort_by_key(card_order);
        risks.sort_by(|a, b| {
            (a.state == State::Closed)
                .cmp(&(b.state == State::Closed))
                .then(b.score().cmp(&a.score()))
                .then(a.number.cmp(&b.number))
        });
        // Scope froze when the config says, else when the Plan phase's last issue closed
        // (once all of them are closed).
        let freeze = match rules.scope_freeze {
            Some(at) => Some(super::burnup::Freeze {
                at,
                source: super::burnup::FreezeSource::Configured,
            }),
            None => super::burnup::completed_at(plan_closed).map(|at| super::burnup::Freeze {
                at,
                source: super::burnup::FreezeSource::PlanClosed,
            }),
        };
        let burnup = super::burnup::Burnup::of(&dated, freeze, snapshot.fetched_at);
        let current_phase = phases
            .iter()
            .find(|c| !c.is_passed())
            .map_or(Phase::Review, |c| c.phase);

        let tracking_labels = snapshot
            .tracking
            .as_ref()
            .map(|t| t.labels.clone())
            .unwrap_or_default();
        let has = |l: &str| tracking_labels.iter().any(|x| x.eq_ignore_ascii_case(l));
        let health = if has(&rules.faulty_label) {
            Some(false)
        } else if has(&rules.healthy_label) {
            Some(true)
        } else {
            None
        };
        Release {
            title: snapshot.milestone.clone(),
            repos: snapshot.repos.iter().map(|r| r.repo.clone()).collect(),
            due_on: snapshot
                .repos
                .iter()
                .filter_map(|r| r.milestone.due_on)
                .min(),
            release_ref: rules.release_ref.clone(),
            phases,
            unsorted,
            checklist,
            tracking: snapshot.tracking.clone(),
            risks,
            blockers,
            workflows: snapshot
                .repos
                .iter()
                .flat_map(|r| r.workflows.iter().cloned())
                .collect(),
            missing_workflows: snapshot
                .repos
                .iter()
                .flat_map(|r| r.missing.iter().cloned())
                .collect(),
            bad_ref: git_ref::check_ref_name(&rules.release_ref).err(),
            current_phase,
            lock: snapshot.tracking.as_ref().and_then(|t| t.lock.clone()),
            health,
            burnup,
            closed: !snapshot.repos.is_empty()
                && snapshot
                    .repos
                    .iter()
                    .all(|r| r.milestone.state == State::Closed),
        }
    }

    /// The phase board's columns, left to right: one per phase, then "Unsorted" while any
    /// issue lacks a phase label. The board view, its cursor and every issue count read this.
    #[must_use]
    pub fn board(&self) -> Vec<BoardColumn<'_>> {
        let phases = self.phases.iter().map(|c| BoardColumn {
            phase: Some(c),
            cards: &c.cards,
        });
        let unsorted = (!self.unsorted.is_empty()).then_some(BoardColumn {
            phase: None,
            cards: &self.unsorted,
        });
        phases.chain(unsorted).collect()
    }

    /// The issues and PRs on the board, open and closed, over all its columns: the count the
    /// header, the board's title and `status` show.
    #[must_use]
    pub fn issue_counts(&self) -> IssueCounts {
        self.board()
            .iter()
            .map(BoardColumn::counts)
            .fold(IssueCounts::default(), |a, b| IssueCounts {
                open: a.open + b.open,
                closed: a.closed + b.closed,
            })
    }

    /// Items ticked, out of all.
    #[must_use]
    pub fn checklist_progress(&self) -> (usize, usize) {
        (
            self.checklist.iter().filter(|i| i.checked).count(),
            self.checklist.len(),
        )
    }

    /// Whether any watched run is still going (polling speeds up while one is).
    #[must_use]
    pub fn has_active_run(&self) -> bool {
        self.workflows
            .iter()
            .any(|w| w.runs.first().is_some_and(|r| r.status.is_active()))
    }
}
