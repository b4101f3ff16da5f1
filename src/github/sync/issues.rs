//! A milestone's issues for one refresh: a list that fits one page is read whole (its ETag
//! makes an unchanged one free); past one page, a conditional change probe per repository
//! (see [`GitHubApi::issue_changes`]) is merged into the previous list, and the whole list is
//! read again only when asked, when the merge does not add up to the milestone's own counts,
//! or every [`RELIST_EVERY`].

use chrono::{DateTime, TimeDelta, Utc};

use crate::github::ApiError;
use crate::github::api::GitHubApi;
use crate::release::snapshot::RepoSnapshot;
use crate::release::{Issue, Milestone};

/// Page size of issue lists.
const ISSUES_PER_PAGE: u64 = 100;

/// Issues updated this long before the previous probe are taken as possibly changed since
/// (clock skew between us and GitHub).
const SINCE_MARGIN: TimeDelta = TimeDelta::seconds(120);

/// A milestone past one page is read whole again at least this often, even when every probe
/// said nothing changed (its pages are asked conditionally, so unchanged ones stay free).
pub const RELIST_EVERY: TimeDelta = TimeDelta::minutes(30);

/// What the next refresh of one repository needs to ask only for what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RepoMemo {
    /// The ETag of the change probe's last answer.
    pub probe: Option<String>,
    /// When that probe was sent: whatever changed after it is on the probe's first pages.
    pub probed_at: DateTime<Utc>,
    /// When the milestone's list was last read whole.
    pub listed_at: DateTime<Utc>,
}

/// The previous refresh of one repository.
#[derive(Clone, Copy)]
pub(super) struct PrevRepo<'a> {
    pub snapshot: &'a RepoSnapshot,
    /// `None`: a snapshot from elsewhere (the disk, a caller), no probe made yet.
    pub memo: Option<&'a RepoMemo>,
    pub fetched_at: DateTime<Utc>,
}

/// The milestone's issues in GitHub's order (see [`sort_issues`]), and what the next refresh
/// needs (`None` for a list that fits one page).
pub(super) async fn milestone_issues(
    api: &dyn GitHubApi,
    repo: &str,
    milestone: &Milestone,
    prev: Option<PrevRepo<'_>>,
    now: DateTime<Utc>,
    full: bool,
) -> Result<(Vec<Issue>, Option<RepoMemo>), ApiError> {
    let expected = milestone.open_issues + milestone.closed_issues;
    if expected <= ISSUES_PER_PAGE {
        let mut issues = api.milestone_issues(repo, milestone.number, None).await?;
        sort_issues(&mut issues);
        return Ok((issues, None));
    }
    if let Some(p) = prev
        && p.snapshot.milestone.number == milestone.number
        && !full
    {
        let listed_at = p.memo.map_or(p.fetched_at, |m| m.listed_at);
        if now - listed_at < RELIST_EVERY {
            let (etag, since) = match p.memo {
                Some(m) => (m.probe.as_deref(), m.probed_at),
                None => (None, p.fetched_at),
            };
            let changes = api.issue_changes(repo, etag, since - SINCE_MARGIN).await?;
            let (merged, probe) = match changes {
                None => (p.snapshot.issues.clone(), etag.map(str::to_string)),
                Some(c) => (
                    merge(&p.snapshot.issues, c.issues, milestone.number),
                    c.etag,
                ),
            };
            if merged.len() as u64 == expected {
                let memo = RepoMemo {
                    probe,
                    probed_at: now,
                    listed_at,
                };
                return Ok((merged, Some(memo)));
            }
            tracing::info!(
                repo,
                merged = merged.len(),
                expected,
                "issue counts disagree; reading all"
            );
        }
    }
    // The probe goes first: any change after it shows in the next probe, even one this read
    // already saw. Only its first page is wanted here, and unchanged it is free.
    let last_probe = prev.and_then(|p| p.memo).and_then(|m| m.probe.clone());
    let probe = match api
        .issue_changes(repo, last_probe.as_deref(), DateTime::<Utc>::MAX_UTC)
        .await?
    {
        None => last_probe,
        Some(c) => c.etag,
    };
    let mut issues = api.milestone_issues(repo, milestone.number, None).await?;
    sort_issues(&mut issues);
    let memo = RepoMemo {
        probe,
        probed_at: now,
        listed_at: now,
    };
    Ok((issues, Some(memo)))
}

/// `prev` with what changed: an issue now in milestone `number` replaces its old self or
/// joins; one in another milestone or none leaves. An older copy of an issue (read on a later
/// page while it changed) never replaces a newer one.
fn merge(prev: &[Issue], changed: Vec<(Issue, Option<u64>)>, number: u64) -> Vec<Issue> {
    let mut merged = prev.to_vec();
    for (issue, milestone) in changed {
        let at = merged.iter().position(|i| i.number == issue.number);
        if at.is_some_and(|k| merged[k].updated_at > issue.updated_at) {
            continue;
        }
        match (at, milestone == Some(number)) {
            (Some(k), true) => merged[k] = issue,
            (None, true) => merged.push(issue),
            (Some(k), false) => {
                merged.remove(k);
            }
            (None, false) => {}
        }
    }
    sort_issues(&mut merged);
    merged
}

/// GitHub's default order of issue lists: newest created first (ties: highest number first),
/// whether the list was read whole or merged.
pub(super) fn sort_issues(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(b.number.cmp(&a.number))
    });
}
