//! `shipdeck init`: creates the milestone's tracking issue from the checklist template, unless
//! one exists. In sub-issues mode each template item becomes an issue of its own (its phase's
//! label, the milestone), added as a sub-issue of a tracking issue that only describes them.

use std::path::Path;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{WrapErr, eyre};

use crate::github::GitHubApi;
use crate::github::sync::{SyncPlan, find_milestone, resolve_title};
use crate::release::snapshot::ReleaseRules;
use crate::release::sub_issues::ChecklistMode;
use crate::release::task_list;

/// The built-in template: a checklist per phase drawn from common release practice.
pub const TEMPLATE: &str = include_str!("../../assets/templates/release-checklist.md");

/// Reads the template: the configured file, or the built-in one.
///
/// # Errors
/// The configured file cannot be read.
pub fn load_template(path: Option<&Path>) -> color_eyre::Result<String> {
    match path {
        Some(p) => std::fs::read_to_string(p)
            .wrap_err_with(|| format!("reading the checklist template {}", p.display())),
        None => Ok(TEMPLATE.to_string()),
    }
}

/// Creates the tracking issue in the first repository and returns a line for the user.
///
/// # Errors
/// A tracking issue exists already (the message names it), the milestone is missing, the
/// template has no task-list items, or GitHub refused.
pub async fn run(
    api: &dyn GitHubApi,
    plan: &SyncPlan,
    template: &str,
    rules: &ReleaseRules,
    now: DateTime<Utc>,
) -> color_eyre::Result<String> {
    let title = resolve_title(api, plan, now).await?;
    for repo in &plan.repos {
        let milestone = find_milestone(api, repo, &title).await?;
        let issues = api
            .milestone_issues(repo, milestone.number, None)
            .await
            .wrap_err_with(|| format!("listing the issues of {title} in {repo}"))?;
        if let Some(existing) = issues
            .iter()
            .find(|i| i.has_label(&plan.checklist_label) && !i.is_pull_request)
        {
            return Err(eyre!(
                "{title} already has a tracking issue: {repo}#{} \"{}\" ({}); nothing created",
                existing.number,
                existing.title,
                existing.html_url
            ));
        }
    }
    let body = template.replace("{milestone}", &title);
    let items = task_list::parse(&body, &rules.headings);
    if items.is_empty() {
        return Err(eyre!(
            "the checklist template has no task-list items (`- [ ] …` under phase headings)"
        ));
    }
    let repo = plan
        .repos
        .first()
        .ok_or_else(|| eyre!("no repositories configured"))?;
    let milestone = find_milestone(api, repo, &title).await?;
    let sub_issues = plan.checklist_mode == ChecklistMode::SubIssues;
    let tracking_body = if sub_issues {
        format!(
            "Release checklist for **{title}**. Its items are this issue's sub-issues, one per item, labelled with their phase: close one to tick it (shipdeck's `checklist.mode = \"sub-issues\"`).\n"
        )
    } else {
        body.clone()
    };
    let (_record, issue) = crate::github::write::create_issue(
        api,
        repo,
        &format!("Release {title} checklist"),
        &tracking_body,
        std::slice::from_ref(&plan.checklist_label),
        Some(milestone.number),
    )
    .await;
    let issue = issue.wrap_err_with(|| format!("creating the tracking issue in {repo}"))?;
    if sub_issues {
        for (done, item) in items.iter().enumerate() {
            let labels: Vec<String> = item
                .section
                .phase()
                .and_then(|p| rules.phase_labels.iter().find(|(q, _)| *q == p))
                .map(|(_, label)| label.clone())
                .into_iter()
                .collect();
            let (_records, created) = crate::github::write::create_sub_issue(
                api,
                repo,
                issue.number,
                repo,
                &item.text,
                &labels,
                Some(milestone.number),
            )
            .await;
            created.wrap_err_with(|| {
                format!(
                    "creating the sub-issue \"{}\" of {repo}#{} ({done} of {} created before it): {}",
                    item.text,
                    issue.number,
                    items.len(),
                    issue.html_url
                )
            })?;
        }
    }
    let phases = items.iter().filter(|i| i.section.phase().is_some()).count();
    let form = if sub_issues { " as sub-issues" } else { "" };
    Ok(format!(
        "created {repo}#{} \"{}\" with {} items{form} ({phases} under phase headings), labelled `{}`, in milestone {title}: {}",
        issue.number,
        issue.title,
        items.len(),
        plan.checklist_label,
        issue.html_url
    ))
}
