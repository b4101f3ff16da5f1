//! Change detection for a repository's issues: its first page, most recently updated first,
//! asked with the ETag of the last answer, so an unchanged repository costs a free 304.

use chrono::{DateTime, Utc};

use super::transport::parse_link;
use super::{Mode, Octo, dto};
use crate::github::api::{ApiResult, IssueChanges};

impl Octo {
    /// See [`crate::github::GitHubApi::issue_changes`].
    pub(super) async fn probe_issues(
        &self,
        repo: &str,
        etag: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<Option<IssueChanges>> {
        let path =
            format!("/repos/{repo}/issues?state=all&sort=updated&direction=desc&per_page=100");
        let first = self.get_mode(&path, Mode::Tagged(etag)).await?;
        if first.not_modified {
            return Ok(None);
        }
        let new_etag = first.etag.clone();
        let mut issues = Vec::new();
        let mut got = first;
        loop {
            let page: Vec<dto::ChangedIssueDto> = self.decode(&got)?;
            let mut whole_page_new = !page.is_empty();
            for d in page {
                let milestone = d.milestone.map(|m| m.number);
                let issue = d.issue.into_issue(repo);
                whole_page_new &= issue.updated_at >= since;
                issues.push((issue, milestone));
            }
            let next = got
                .link
                .as_deref()
                .and_then(|l| parse_link(l).remove("next"));
            match next {
                Some(url) if whole_page_new => got = self.get_mode(&url, Mode::Fresh).await?,
                _ => break,
            }
        }
        Ok(Some(IssueChanges {
            issues,
            etag: new_etag,
        }))
    }
}
