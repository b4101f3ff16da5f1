//! One refresh: resolve the milestone in every repository, fetch its issues, find the tracking
//! issue, and fetch the configured workflows' runs on the release ref (recording the ones a
//! repository lacks, and asking for those again only now and then).

use chrono::{DateTime, Utc};

use self::issues::{PrevRepo, RepoMemo};
use super::ApiError;
use super::api::GitHubApi;
use crate::release::git_ref::{check_ref_name, release_ref};
use crate::release::snapshot::{
    DeployLock, Missing, MissingWorkflow, RepoSnapshot, TrackingIssue, WorkflowRuns,
};
use crate::release::sub_issues::ChecklistMode;
use crate::release::{Milestone, Phase, RunStatus, Snapshot, State};

/// Which milestone to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MilestoneChoice {
    /// The open milestone with the nearest due date (in the first repository), chosen at the
    /// session's first refresh and kept after it closes.
    Auto,
    /// The milestone with this title, open or closed.
    Title(String),
}

impl MilestoneChoice {
    /// `"auto"` or a title.
    #[must_use]
    pub fn parse(s: &str) -> Self {
        if s.trim().eq_ignore_ascii_case("auto") {
            MilestoneChoice::Auto
        } else {
            MilestoneChoice::Title(s.trim().to_string())
        }
    }
}

/// A workflow to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedWorkflow {
    pub file: String,
    /// `None`: every repository that has it.
    pub repo: Option<String>,
    pub phase: Phase,
    pub required: bool,
}

/// What to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPlan {
    pub repos: Vec<String>,
    pub milestone: MilestoneChoice,
    pub workflows: Vec<WatchedWorkflow>,
    /// Branch or tag pattern; `{milestone}` is replaced by the title.
    pub ref_pattern: String,
    pub checklist_label: String,
    /// The label on the tracking issue that locks deploys.
    pub lock_label: String,
    /// Runs kept per workflow.
    pub runs_per_workflow: u8,
    /// Where the checklist lives; in sub-issues mode the tracking issue's sub-issues are read.
    pub checklist_mode: ChecklistMode,
    /// The commit-status context whose state on the release ref's head is read each refresh
    /// (conditionally: free when unchanged), when the verdict is posted; `None` otherwise.
    pub status_context: Option<String>,
    /// One request's deadline (`github.timeout_secs`); a refresh gets [`REFRESH_DEADLINES`] of
    /// them.
    pub timeout: std::time::Duration,
}

pub use crate::release::error::SyncError;
pub use issues::RELIST_EVERY;

mod issues;

impl SyncError {
    fn api(repo: &str) -> impl FnOnce(ApiError) -> SyncError + '_ {
        move |error| SyncError::Api {
            repo: repo.to_string(),
            error,
        }
    }
}

/// Fetches the whole release. Repositories are fetched concurrently.
///
/// # Errors
/// Any repository failing, or the milestone missing (the message lists the ones that exist).
pub async fn fetch_snapshot(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
) -> Result<Snapshot, SyncError> {
    fetch_snapshot_since(api, plan, now, None, true).await
}

/// A workflow a repository was found to lack is asked for again after this long, or on a full
/// refresh. Each such 404 costs a rate-limit point, unlike the 304 of an unchanged answer.
pub const RECHECK_ABSENT: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What a refresh leaves for the next one besides the snapshot: per repository whose
/// milestone is past one page, the ETag of its change probe and when its list was last read
/// whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncMemo {
    repos: std::collections::BTreeMap<String, RepoMemo>,
}

/// A snapshot and what the next refresh needs to ask only for what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub snapshot: Snapshot,
    pub memo: SyncMemo,
}

/// Like [`fetch_snapshot`], but incremental when `prev` is given (see [`refresh`]; without
/// the previous refresh's memo, a milestone past one page is probed once without an ETag).
///
/// # Errors
/// Any repository failing, or the milestone missing (the message lists the ones that exist).
pub async fn fetch_snapshot_since(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<&Snapshot>,
    full: bool,
) -> Result<Snapshot, SyncError> {
    let memo = SyncMemo::default();
    fetch(api, plan, now, prev.map(|p| (p, &memo)), full)
        .await
        .map(|s| s.snapshot)
}

/// One refresh after `prev`. A milestone that fits one page is read whole, conditionally (free
/// when unchanged). Past one page, one conditional probe per repository (its issues most
/// recently updated first, any milestone) costs nothing when nothing changed; what it shows
/// changed is merged in (issues that joined, left, were relabelled or closed), and the whole
/// list is read again only when `full`, when the merge does not add up to the milestone's own
/// counts (an issue deleted or transferred), or every [`RELIST_EVERY`]. A workflow `prev`
/// found absent from a repository is not asked for again until [`RECHECK_ABSENT`] has passed,
/// unless `full` (the user asked for the refresh).
///
/// # Errors
/// Any repository failing, or the milestone missing (the message lists the ones that exist).
pub async fn refresh(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<&Synced>,
    full: bool,
) -> Result<Synced, SyncError> {
    fetch(api, plan, now, prev.map(|p| (&p.snapshot, &p.memo)), full).await
}

async fn fetch(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<(&Snapshot, &SyncMemo)>,
    full: bool,
) -> Result<Synced, SyncError> {
    let (prev, memo) = (prev.map(|p| p.0), prev.map(|p| p.1));
    // `auto` picks among open milestones once: a refresh keeps the release on screen even after
    // its milestone is closed, rather than swapping in the next one.
    let title = match (&plan.milestone, prev) {
        (MilestoneChoice::Auto, Some(p)) => p.milestone.clone(),
        _ => resolve_title(api, plan, now).await?,
    };
    let release_ref = release_ref(&plan.ref_pattern, &title);
    let runs = RunsQuery {
        release_ref: &release_ref,
        ref_is_valid: check_ref_name(&release_ref).is_ok(),
        now,
        full,
    };

    let fetched = futures::future::join_all(plan.repos.iter().map(|repo| {
        let prev_repo = prev.filter(|p| p.milestone == title).and_then(|p| {
            p.repos.iter().find(|r| &r.repo == repo).map(|r| PrevRepo {
                snapshot: r,
                memo: memo.and_then(|m| m.repos.get(repo)),
                fetched_at: p.fetched_at,
            })
        });
        fetch_repo(api, plan, repo, &title, &runs, prev_repo)
    }))
    .await;
    let mut next_memo = SyncMemo::default();
    let mut repos = Vec::with_capacity(plan.repos.len());
    for one in fetched {
        let (repo, memo) = one?;
        if let Some(m) = memo {
            next_memo.repos.insert(repo.repo.clone(), m);
        }
        repos.push(repo);
    }
    if let Some(context) = &plan.status_context
        && check_ref_name(&release_ref).is_ok()
    {
        let statuses = futures::future::join_all(
            repos
                .iter()
                .map(|r| api.ref_status(&r.repo, &release_ref, context)),
        )
        .await;
        for (repo, status) in repos.iter_mut().zip(statuses) {
            // A repository without the release ref has no commit to mark: left out, not an
            // error of the refresh.
            repo.verdict_status = status
                .inspect_err(|e| {
                    tracing::debug!(repo = %repo.repo, error = %e, "no commit status read");
                })
                .ok();
        }
    }

    let tracking = repos.iter().find_map(|r| {
        r.issues
            .iter()
            .filter(|i| i.has_label(&plan.checklist_label) && !i.is_pull_request)
            .min_by_key(|i| (i.state == State::Closed, i.number))
            .map(|i| TrackingIssue {
                repo: r.repo.clone(),
                number: i.number,
                title: i.title.clone(),
                body: i.body.clone().unwrap_or_default(),
                html_url: i.html_url.clone(),
                updated_at: i.updated_at,
                labels: i.labels.clone(),
                lock: None,
                sub_issues: None,
                signoffs: Vec::new(),
                status_comments: Vec::new(),
                overrides: Vec::new(),
            })
    });
    let mut tracking = tracking;
    if let Some(t) = tracking.as_mut()
        && plan.checklist_mode == ChecklistMode::SubIssues
    {
        t.sub_issues = Some(
            api.sub_issues(&t.repo, t.number)
                .await
                .map_err(SyncError::api(&t.repo))?,
        );
    }
    if let Some(t) = tracking.as_mut() {
        // Read on every refresh (its ETag makes an unchanged list free): the lock's reason, the
        // sign-offs and the status comments live in these comments.
        let comments = api
            .comments(&t.repo, t.number)
            .await
            .map_err(SyncError::api(&t.repo))?;
        t.signoffs = comments
            .iter()
            .filter_map(crate::release::signoff::Command::from_comment)
            .collect();
        t.status_comments = crate::release::status_update::newest_per_author(&comments);
        t.overrides = comments
            .iter()
            .filter_map(crate::release::overrides::OverrideNote::from_comment)
            .collect();
        if t.labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(&plan.lock_label))
        {
            t.lock = Some(
                comments
                    .iter()
                    .rev()
                    .find_map(DeployLock::from_comment)
                    .unwrap_or(DeployLock {
                        reason: format!(
                            "the `{}` label is set (no lock comment found)",
                            plan.lock_label
                        ),
                        author: None,
                        at: None,
                    }),
            );
        }
    }

    Ok(Synced {
        snapshot: Snapshot {
            milestone: title,
            repos,
            tracking,
            fetched_at: now,
        },
        memo: next_memo,
    })
}

/// The milestone title the plan names: as given, or for `auto` the open milestone due soonest
/// in the first repository.
///
/// # Errors
/// No repositories, no open milestone, or the API failing.
pub async fn resolve_title(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
) -> Result<String, SyncError> {
    let first = plan.repos.first().ok_or(SyncError::NoRepos)?;
    let title = match &plan.milestone {
        MilestoneChoice::Title(t) => t.clone(),
        MilestoneChoice::Auto => {
            let open = api
                .milestones(first, "open")
                .await
                .map_err(SyncError::api(first))?;
            pick_auto(&open, now)
                .ok_or_else(|| SyncError::NoOpenMilestone {
                    repo: first.clone(),
                })?
                .title
                .clone()
        }
    };
    Ok(title)
}

/// The open milestone due soonest (overdue ones included); without due dates, the lowest number.
#[must_use]
pub fn pick_auto(open: &[Milestone], now: DateTime<Utc>) -> Option<&Milestone> {
    let _ = now;
    open.iter()
        .filter(|m| m.state == State::Open)
        .min_by_key(|m| (m.due_on.is_none(), m.due_on, m.number))
}

/// The milestone titled `title` in `repo`; when missing, the error lists the ones that exist.
///
/// # Errors
/// Missing milestone, or the API failing.
pub async fn find_milestone(
    api: &dyn GitHubApi,
    repo: &str,
    title: &str,
) -> Result<Milestone, SyncError> {
    let all = api
        .milestones(repo, "all")
        .await
        .map_err(SyncError::api(repo))?;
    let Some(milestone) = all.iter().find(|m| m.title == title).cloned() else {
        let existing = if all.is_empty() {
            "none".to_string()
        } else {
            all.iter()
                .map(|m| {
                    let state = if m.state == State::Open {
                        "open"
                    } else {
                        "closed"
                    };
                    match m.due_on {
                        Some(d) => format!("{} ({state}, due {})", m.title, d.format("%Y-%m-%d")),
                        None => format!("{} ({state})", m.title),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(SyncError::MilestoneMissing {
            repo: repo.to_string(),
            title: title.to_string(),
            existing,
        });
    };
    Ok(milestone)
}

/// How the runs of one refresh are asked for.
struct RunsQuery<'a> {
    release_ref: &'a str,
    /// `false`: the ref cannot exist, so no runs are asked for.
    ref_is_valid: bool,
    now: DateTime<Utc>,
    /// Ask again for workflows known to be absent.
    full: bool,
}

async fn fetch_repo(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    repo: &str,
    title: &str,
    query: &RunsQuery<'_>,
    prev: Option<PrevRepo<'_>>,
) -> Result<(RepoSnapshot, Option<RepoMemo>), SyncError> {
    let milestone = find_milestone(api, repo, title).await?;

    let issues_fut = issues::milestone_issues(api, repo, &milestone, prev, query.now, query.full);
    let runs_fut = futures::future::join_all(
        plan.workflows
            .iter()
            .filter(|w| w.repo.as_deref().is_none_or(|r| r == repo))
            .map(|w| {
                let known_absent = prev.and_then(|p| {
                    p.snapshot.missing.iter().find_map(|m| match m.why {
                        Missing::NotFound { checked_at } if m.file == w.file => Some(checked_at),
                        _ => None,
                    })
                });
                lookup_workflow(api, plan, repo, w, query, known_absent)
            }),
    );
    let (issues, runs) = futures::join!(issues_fut, runs_fut);
    let (issues, memo) = issues.map_err(SyncError::api(repo))?;
    let mut workflows = Vec::new();
    let mut missing = Vec::new();
    for lookup in runs {
        match lookup.map_err(SyncError::api(repo))? {
            Lookup::Runs(found) => workflows.push(found),
            Lookup::Missing(absent) => missing.push(absent),
        }
    }
    let snapshot = RepoSnapshot {
        verdict_status: None,
        repo: repo.to_string(),
        milestone,
        issues,
        workflows,
        missing,
    };
    Ok((snapshot, memo))
}

/// What a refresh knows of one watched workflow in one repository.
enum Lookup {
    Runs(WorkflowRuns),
    Missing(MissingWorkflow),
}

/// One watched workflow in one repository: its runs, or why there are none: the ref cannot
/// exist, or the repository lacks the workflow (known from `known_absent`, a previous 404 not
/// yet due to be asked again, or from GitHub's 404 now).
async fn lookup_workflow(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    repo: &str,
    w: &WatchedWorkflow,
    query: &RunsQuery<'_>,
    known_absent: Option<DateTime<Utc>>,
) -> Result<Lookup, ApiError> {
    let missing = |why| MissingWorkflow {
        repo: repo.to_string(),
        file: w.file.clone(),
        phase: w.phase,
        required: w.required,
        named: w.repo.is_some(),
        why,
    };
    if !query.ref_is_valid {
        return Ok(Lookup::Missing(missing(Missing::BadRef)));
    }
    if let Some(checked_at) = known_absent
        && !query.full
    {
        if query.now - checked_at < RECHECK_ABSENT {
            return Ok(Lookup::Missing(missing(Missing::NotFound { checked_at })));
        }
        // Due to be asked again: the repository's workflow list answers with a free 304 while
        // it is unchanged (a 404 for the runs would cost a point every time).
        if lacks_workflow(api, repo, &w.file).await {
            return Ok(Lookup::Missing(missing(Missing::NotFound {
                checked_at: query.now,
            })));
        }
    }
    let mut runs = match api
        .workflow_runs(
            repo,
            &w.file,
            Some(query.release_ref),
            plan.runs_per_workflow,
        )
        .await
    {
        Ok(runs) => runs,
        Err(ApiError::NotFound { .. }) => {
            // Read the workflow list once now, so that its ETag makes the later rechecks free.
            lacks_workflow(api, repo, &w.file).await;
            return Ok(Lookup::Missing(missing(Missing::NotFound {
                checked_at: query.now,
            })));
        }
        Err(e) => return Err(e),
    };
    // Runs waiting for a reviewer: which environments they wait for.
    for run in runs.iter_mut().filter(|r| r.status == RunStatus::Waiting) {
        match api.pending_deployments(repo, run.id).await {
            Ok(pending) => {
                run.waiting_for = pending.into_iter().map(|p| p.environment).collect();
            }
            Err(e) => tracing::warn!(run = run.id, error = %e, "pending deployments"),
        }
    }
    Ok(Lookup::Runs(WorkflowRuns {
        repo: repo.to_string(),
        file: w.file.clone(),
        name: runs
            .first()
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| w.file.clone()),
        phase: w.phase,
        required: w.required,
        runs,
    }))
}

/// Whether `repo`'s workflow list (one page, asked with its ETag) shows no workflow that
/// `file` names: by file name, path or numeric id, as GitHub accepts all three. `false` when
/// the list cannot tell: it failed, or it fills its page and may go on.
async fn lacks_workflow(api: &dyn GitHubApi, repo: &str, file: &str) -> bool {
    match api.workflows(repo).await {
        Ok(list) => {
            list.len() < 100
                && !list
                    .iter()
                    .any(|w| w.file() == file || w.path == file || w.id.to_string() == file)
        }
        Err(e) => {
            tracing::debug!(repo, error = %e, "workflow list");
            false
        }
    }
}

/// How many request deadlines one refresh may take in all (its requests run concurrently,
/// and a GET is tried up to three times).
pub const REFRESH_DEADLINES: u32 = 4;

/// [`refresh`] within a total deadline of [`REFRESH_DEADLINES`] × the plan's request timeout.
///
/// # Errors
/// As [`refresh`], or [`SyncError::Deadline`] when the whole refresh took too long.
pub async fn refresh_within(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<&Synced>,
    full: bool,
) -> Result<Synced, SyncError> {
    within_deadline(plan, refresh(api, plan, now, prev, full)).await
}

/// `work` cut off after [`REFRESH_DEADLINES`] × the plan's request timeout.
async fn within_deadline<T>(
    plan: &SyncPlan,
    work: impl std::future::Future<Output = Result<T, SyncError>>,
) -> Result<T, SyncError> {
    let deadline = plan.timeout * REFRESH_DEADLINES;
    tokio::time::timeout(deadline, work)
        .await
        .unwrap_or(Err(SyncError::Deadline {
            secs: deadline.as_secs(),
        }))
}

/// [`fetch_snapshot_since`] within a total deadline of [`REFRESH_DEADLINES`] × the plan's
/// request timeout.
///
/// # Errors
/// As [`fetch_snapshot_since`], or [`SyncError::Deadline`] when the whole refresh took too long.
pub async fn fetch_within(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<&Snapshot>,
    full: bool,
) -> Result<Snapshot, SyncError> {
    within_deadline(plan, fetch_snapshot_since(api, plan, now, prev, full)).await
}
