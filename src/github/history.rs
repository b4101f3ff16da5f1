//! Reads the delivery history the KPIs are computed from: per repository, the deploy and
//! rollback runs of the last 90 days, what each successful production deploy shipped
//! (`compare` with the previous one), merged pull requests, incidents and faulty marks.
//!
//! Cost: per repository two or three run lists, one `compare` per successful production
//! deploy not already compared (a comparison between two fixed commits never changes, so the
//! previous history's answers are kept), the merged-PR pages back to the oldest compared
//! deploy, and two labelled-issue lists. Every list is asked conditionally (ETags), so a
//! repeat is mostly free 304s.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::api::GitHubApi;
use super::error::ApiError;
use crate::release::kpis::{
    History, RepoHistory, Shipped, ShippedCommits, successful_production_deploys,
};
use crate::release::{Issue, Run};

/// How far back the history reaches.
pub const HISTORY_DAYS: i64 = 90;
/// Runs read at most per workflow.
const MAX_RUNS: usize = 1000;
/// PRs merged this long before the oldest compared deploy are still read: a change can wait
/// that long between merge and deploy.
const MERGE_SLACK: TimeDelta = TimeDelta::days(30);

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPlan {
    pub repos: Vec<String>,
    /// Deploy workflows: file, and the one repository it is for (`None`: every repository).
    pub deploy_workflows: Vec<(String, Option<String>)>,
    /// Rollback workflows, likewise.
    pub rollback_workflows: Vec<(String, Option<String>)>,
    pub production: String,
    pub incident_label: String,
    pub faulty_label: String,
    /// The tracking issue's label: a faulty mark counts only on a tracking issue.
    pub checklist_label: String,
}

/// A repository whose history could not be read.
#[derive(Debug)]
pub struct HistoryError {
    pub repo: String,
    pub source: ApiError,
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.repo, self.source)
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn for_repo<'a>(
    list: &'a [(String, Option<String>)],
    repo: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    list.iter()
        .filter(move |(_, r)| r.as_deref().is_none_or(|r| r == repo))
        .map(|(f, _)| f.as_str())
}

/// Runs of each of `files`; a workflow the repository does not have is skipped.
async fn runs_of(
    api: &dyn GitHubApi,
    repo: &str,
    files: impl Iterator<Item = &str>,
    created: &str,
) -> Result<Vec<Run>, ApiError> {
    let mut out = Vec::new();
    for file in files {
        match api.runs_created(repo, file, created, MAX_RUNS).await {
            Ok(runs) => out.extend(runs),
            Err(ApiError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Reads the history of every repository at `now`, concurrently. `prev` is the last history
/// read: its comparisons are reused.
///
/// # Errors
/// The first repository whose history could not be read.
pub async fn fetch_history(
    api: &dyn GitHubApi,
    plan: &HistoryPlan,
    now: DateTime<Utc>,
    prev: Option<&History>,
) -> Result<History, HistoryError> {
    let since = now - TimeDelta::days(HISTORY_DAYS);
    let reads = plan.repos.iter().map(|repo| async move {
        let prev = prev.and_then(|h| h.repos.iter().find(|r| &r.repo == repo));
        repo_history(api, plan, repo, since, prev)
            .await
            .map_err(|source| HistoryError {
                repo: repo.clone(),
                source,
            })
    });
    let mut repos = Vec::new();
    let mut faulty_releases = Vec::new();
    for r in futures::future::join_all(reads).await {
        let (repo, faulty) = r?;
        repos.push(repo);
        for f in faulty {
            if !faulty_releases.contains(&f) {
                faulty_releases.push(f);
            }
        }
    }
    Ok(History {
        repos,
        faulty_releases,
        since: Some(since),
    })
}

async fn repo_history(
    api: &dyn GitHubApi,
    plan: &HistoryPlan,
    repo: &str,
    since: DateTime<Utc>,
    prev: Option<&RepoHistory>,
) -> Result<(RepoHistory, Vec<String>), ApiError> {
    let created = format!(">={}", stamp(since));
    let deploys = runs_of(api, repo, for_repo(&plan.deploy_workflows, repo), &created).await?;
    let rollbacks = runs_of(
        api,
        repo,
        for_repo(&plan.rollback_workflows, repo),
        &created,
    )
    .await?;
    let successes = successful_production_deploys(&deploys, &plan.production);
    // The deploy before the oldest one read: what the oldest one is compared with.
    let before = match successes.first() {
        None => None,
        Some(_) => {
            let older = runs_of(
                api,
                repo,
                for_repo(&plan.deploy_workflows, repo),
                &format!("<{}", stamp(since)),
            )
            .await?;
            successful_production_deploys(&older, &plan.production)
                .last()
                .map(|r| (*r).clone())
        }
    };
    let mut shipped = Vec::new();
    let mut base = before.as_ref();
    for d in &successes {
        let known = prev
            .and_then(|p| p.shipped.iter().find(|s| s.run_id == d.id))
            .filter(|s| matches!(s.commits, ShippedCommits::Known { .. }));
        let commits = match (known, base) {
            (Some(s), _) => s.commits.clone(),
            (None, None) => ShippedCommits::NoEarlierDeploy,
            (None, Some(b)) if b.head_sha == d.head_sha => {
                ShippedCommits::Known { shas: Vec::new() }
            }
            (None, Some(b)) => match api.compare(repo, &b.head_sha, &d.head_sha).await {
                Ok(c) if c.total_commits as usize > c.shas.len() => ShippedCommits::Unknown {
                    why: format!(
                        "compare lists {} of {} commits",
                        c.shas.len(),
                        c.total_commits
                    ),
                },
                Ok(c) if c.status == "ahead" || c.status == "identical" => {
                    ShippedCommits::Known { shas: c.shas }
                }
                Ok(c) => ShippedCommits::Unknown {
                    why: format!(
                        "{} is {} of the deploy before it",
                        short(&d.head_sha),
                        c.status
                    ),
                },
                Err(ApiError::NotFound { .. }) => ShippedCommits::Unknown {
                    why: "compare: a commit is gone (404)".into(),
                },
                Err(e) => return Err(e),
            },
        };
        shipped.push(Shipped {
            run_id: d.id,
            commits,
        });
        base = Some(d);
    }
    let merged_since = before.as_ref().map_or(since, |b| b.updated_at.min(since)) - MERGE_SLACK;
    let merged = api.merged_pulls(repo, merged_since).await?;
    let incidents: Vec<Issue> = api
        .labelled_issues(repo, &plan.incident_label, since)
        .await?
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let faulty: Vec<String> = api
        .labelled_issues(repo, &plan.faulty_label, since)
        .await?
        .into_iter()
        .filter(|(i, _)| i.has_label(&plan.checklist_label))
        .filter_map(|(_, m)| m)
        .collect();
    Ok((
        RepoHistory {
            repo: repo.to_string(),
            deploys,
            rollbacks,
            merged,
            incidents,
            shipped,
        },
        faulty,
    ))
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
