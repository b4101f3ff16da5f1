//! What filing retrospective follow-ups reads first, for the CLI and the dashboard alike: each
//! repository's next milestone and its open issues with the follow-up label.

use chrono::DateTime;

use super::GitHubApi;
use crate::release::retro::{FollowUpPlan, next_milestone};
use crate::release::{Milestone, State};

/// Reads, for each `(repository, current milestone)`, the next open milestone by due date and
/// the titles of the open issues labelled `label`.
///
/// # Errors
/// The first read that failed, naming the repository.
pub async fn read_plan(
    api: &dyn GitHubApi,
    repos: &[(String, Milestone)],
    label: &str,
) -> Result<FollowUpPlan, String> {
    let mut plan = FollowUpPlan {
        label: label.to_string(),
        ..FollowUpPlan::default()
    };
    for (repo, current) in repos {
        let milestones = api
            .milestones(repo, "open")
            .await
            .map_err(|e| format!("listing the milestones of {repo}: {e}"))?;
        plan.next_milestone
            .push((repo.clone(), next_milestone(&milestones, current)));
        let labelled = api
            .labelled_issues(repo, label, DateTime::UNIX_EPOCH)
            .await
            .map_err(|e| format!("listing the {label} issues of {repo}: {e}"))?;
        plan.existing.push((
            repo.clone(),
            labelled
                .into_iter()
                .filter(|(i, _)| i.state == State::Open && !i.is_pull_request)
                .map(|(i, _)| i.title)
                .collect(),
        ));
    }
    Ok(plan)
}
