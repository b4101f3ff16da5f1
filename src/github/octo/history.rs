//! The delivery-history reads behind the KPIs: runs by creation date, comparisons, merged pull
//! requests and labelled issues. Lists are paged by hand where GitHub's own paging does not
//! fit: runs come wrapped in an object, and pull requests are read only back to a date.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{Octo, encode, name_repo};
use crate::github::api::{ApiResult, Comparison};
use crate::github::{dto, history_dto};
use crate::release::call::segment as seg;
use crate::release::kpis::MergedPr;
use crate::release::{Issue, Run};

/// Page size of the history lists.
const PER_PAGE: usize = 100;
/// Pages read at most per list (GitHub's search-backed lists stop at 1,000 results anyway).
const MAX_PAGES: usize = 10;

fn stamp(t: DateTime<Utc>) -> String {
    encode(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

impl Octo {
    pub(super) async fn history_runs(
        &self,
        repo: &str,
        file: &str,
        created: &str,
        max: usize,
    ) -> ApiResult<Vec<Run>> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let r: dto::RunsDto = self
                .get_json(&format!(
                    "/repos/{repo}/actions/workflows/{}/runs?created={}&per_page={PER_PAGE}&page={page}",
                    seg(file),
                    encode(created)
                ))
                .await?;
            let n = r.workflow_runs.len();
            out.extend(r.workflow_runs.into_iter().map(|r| r.into_run(repo)));
            if n < PER_PAGE || out.len() >= max {
                break;
            }
        }
        out.truncate(max);
        Ok(out)
    }

    pub(super) async fn history_compare(
        &self,
        repo: &str,
        base: &str,
        head: &str,
    ) -> ApiResult<Comparison> {
        let c: history_dto::CompareDto = self
            .get_json(&format!(
                "/repos/{repo}/compare/{}...{}?per_page=250",
                seg(base),
                seg(head)
            ))
            .await
            .map_err(|e| name_repo(e, repo))?;
        Ok(Comparison {
            status: c.status,
            total_commits: c.total_commits,
            shas: c.commits.into_iter().map(|s| s.sha).collect(),
        })
    }

    pub(super) async fn history_pulls(
        &self,
        repo: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<Vec<MergedPr>> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let list: Vec<history_dto::PullDto> = self
                .get_json(&format!(
                    "/repos/{repo}/pulls?state=closed&sort=updated&direction=desc&per_page={PER_PAGE}&page={page}"
                ))
                .await?;
            let n = list.len();
            let mut older = false;
            for p in list {
                if p.updated_at.is_some_and(|u| u < since) {
                    older = true;
                    continue;
                }
                out.extend(p.into_merged(repo));
            }
            if n < PER_PAGE || older {
                break;
            }
        }
        Ok(out)
    }

    pub(super) async fn generated_notes(&self, repo: &str, tag: &str) -> ApiResult<String> {
        // A POST that changes nothing: sent once like a write, but not audited.
        let call = crate::release::call::Call {
            method: crate::release::call::Method::Post,
            path: format!("/repos/{repo}/releases/generate-notes"),
            body: Some(serde_json::json!({ "tag_name": tag }).to_string()),
            absent_ok: false,
            fallback: None,
        };
        let (_, reply) = self.send_write_unrecorded(&call).await;
        let reply = reply?;
        let v: history_dto::GeneratedNotesDto = serde_json::from_str(&reply.body)
            .map_err(|e| crate::github::ApiError::Decode(format!("generate-notes: {e}")))?;
        Ok(v.body)
    }

    pub(super) async fn history_labelled(
        &self,
        repo: &str,
        label: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<Vec<(Issue, Option<String>)>> {
        let list: Vec<history_dto::LabelledIssueDto> = self
            .get_all(&format!(
                "/repos/{repo}/issues?labels={}&state=all&since={}&per_page={PER_PAGE}",
                encode(label),
                stamp(since)
            ))
            .await?;
        Ok(list
            .into_iter()
            .map(|i| (i.issue.into_issue(repo), i.milestone.map(|m| m.title)))
            .collect())
    }
}
