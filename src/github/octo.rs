//! [`GitHubApi`] over HTTP with octocrab: timeouts set, octocrab's retry left out (it would
//! repeat POSTs), conditional GETs with ETags, `Link` pagination, rate-limit tracking,
//! jittered retries for safe requests only, and every write sent once, its record returned.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use octocrab::Octocrab;
use serde::de::DeserializeOwned;

mod history;
mod probe;
mod transport;

use super::api::{ApiResult, Comparison, GitHubApi, IssueChanges, Sent};
use super::dto;
use super::error::ApiError;
use crate::release::call::{Call, segment as seg};
use crate::release::kpis::MergedPr;
use crate::release::notes::publish::RepoRelease;
use crate::release::{
    Comment, Issue, Job, Milestone, PendingDeployment, RateBudget, RefStatus, Run, Workflow,
};
pub use transport::parse_link;

/// How many times a GET is tried before its error is returned.
const GET_ATTEMPTS: u32 = 3;
/// Pages of one list fetched at once after the first page named the last.
const PAGE_CONCURRENCY: usize = 8;
/// GETs in flight at once from one client, all lists together: well under GitHub's secondary
/// limit of 100 concurrent requests.
const MAX_IN_FLIGHT: usize = 24;
/// How far before the dispatch time a run may have been created and still be ours (clock
/// skew between us and GitHub).
const DISPATCH_GRACE_SECS: i64 = 5;

/// Whether a GET may use the ETag cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode<'a> {
    /// Send `If-None-Match` for a cached ETag and serve the cached body on `304`.
    Conditional,
    /// Neither send nor store an ETag: the answer must be fresh (polls for something new,
    /// logs).
    Fresh,
    /// Send `If-None-Match` with this ETag (the caller keeps it, not the cache); a `304` comes
    /// back as [`Got::not_modified`] with no body.
    Tagged(Option<&'a str>),
    /// Like `Conditional`, for a page of a list: a cached page may come back parsed
    /// ([`Got::parsed`]) rather than as a body.
    Page,
}

/// Parsed data kept in the ETag cache: the page a list read decoded (a `Vec` of wire types).
type Parsed = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// A cached GET answer: the ETag GitHub gave and the body it came with, or, for a page of a
/// list, the page parsed instead of its body (a fraction of its size).
#[derive(Clone)]
struct Cached {
    etag: String,
    /// Empty once `parsed` is kept.
    body: String,
    link: Option<String>,
    parsed: Option<Parsed>,
}

/// The octocrab-backed client.
pub struct Octo {
    crab: Octocrab,
    base: String,
    cache: Mutex<HashMap<String, Cached>>,
    /// The whole of one request, body included, must end within this.
    deadline: std::time::Duration,
    /// Bounds the GETs in flight ([`MAX_IN_FLIGHT`]).
    in_flight: tokio::sync::Semaphore,
    /// An answer with GitHub's headers has come back: the API root is right, so a later bare
    /// 404 is about what was asked for.
    seen_github: std::sync::atomic::AtomicBool,
}

/// A GET answer: body, `Link` header, and what the server answered (status and content
/// type, e.g. `200 text/html`) for messages about servers that are not GitHub.
struct Got {
    body: String,
    link: Option<String>,
    answer: String,
    /// The server's clock when it answered (its `Date` header).
    date: Option<DateTime<Utc>>,
    /// The answer's `ETag`.
    etag: Option<String>,
    /// A `304` to a [`Mode::Tagged`] GET: the body is empty.
    not_modified: bool,
    /// A `304` to a [`Mode::Page`] GET answered from the page kept parsed: the body is empty.
    parsed: Option<Parsed>,
}

#[async_trait]
impl GitHubApi for Octo {
    async fn milestones(&self, repo: &str, state: &str) -> ApiResult<Vec<Milestone>> {
        let list: Vec<dto::MilestoneDto> = self
            .get_all(&format!(
                "/repos/{repo}/milestones?state={state}&sort=due_on&direction=asc&per_page=100"
            ))
            .await
            .map_err(|e| name_repo(e, repo))?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    async fn milestone_issues(
        &self,
        repo: &str,
        number: u64,
        since: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<Issue>> {
        let mut path = format!("/repos/{repo}/issues?milestone={number}&state=all&per_page=100");
        if let Some(since) = since {
            path.push_str(&format!(
                "&since={}",
                encode(&since.to_rfc3339_opts(SecondsFormat::Secs, true))
            ));
        }
        let list: Vec<dto::IssueDto> = self.get_all(&path).await?;
        Ok(list.into_iter().map(|i| i.into_issue(repo)).collect())
    }

    async fn issue_changes(
        &self,
        repo: &str,
        etag: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<Option<IssueChanges>> {
        self.probe_issues(repo, etag, since).await
    }

    async fn issue(&self, repo: &str, number: u64) -> ApiResult<Issue> {
        let i: dto::IssueDto = self
            .get_json(&format!("/repos/{repo}/issues/{number}"))
            .await?;
        Ok(i.into_issue(repo))
    }

    async fn sub_issues(&self, repo: &str, number: u64) -> ApiResult<Vec<Issue>> {
        let list: Vec<dto::IssueDto> = self
            .get_all(&format!(
                "/repos/{repo}/issues/{number}/sub_issues?per_page=100"
            ))
            .await?;
        Ok(list
            .into_iter()
            .map(|i| {
                let home = i.repo_name().unwrap_or_else(|| repo.to_string());
                i.into_issue(&home)
            })
            .collect())
    }

    async fn workflows(&self, repo: &str) -> ApiResult<Vec<Workflow>> {
        let w: dto::WorkflowsDto = self
            .get_json(&format!("/repos/{repo}/actions/workflows?per_page=100"))
            .await?;
        Ok(w.workflows.into_iter().map(Into::into).collect())
    }

    async fn workflow_runs(
        &self,
        repo: &str,
        file: &str,
        branch: Option<&str>,
        count: u8,
    ) -> ApiResult<Vec<Run>> {
        let mut path = format!(
            "/repos/{repo}/actions/workflows/{}/runs?per_page={count}",
            seg(file)
        );
        if let Some(b) = branch {
            path.push_str(&format!("&branch={}", encode(b)));
        }
        let r: dto::RunsDto = self.get_json(&path).await?;
        Ok(r.workflow_runs
            .into_iter()
            .map(|r| r.into_run(repo))
            .collect())
    }

    async fn run(&self, repo: &str, id: u64) -> ApiResult<Run> {
        let r: dto::RunDto = self
            .get_json(&format!("/repos/{repo}/actions/runs/{id}"))
            .await?;
        Ok(r.into_run(repo))
    }

    async fn run_jobs(&self, repo: &str, run_id: u64) -> ApiResult<Vec<Job>> {
        let j: dto::JobsDto = self
            .get_json(&format!(
                "/repos/{repo}/actions/runs/{run_id}/jobs?per_page=100"
            ))
            .await?;
        Ok(j.jobs.into_iter().map(Into::into).collect())
    }

    async fn rate_limit(&self) -> ApiResult<RateBudget> {
        // Fresh: the budget is the point, and `GET /rate_limit` costs nothing.
        let got = self.get_mode("/rate_limit", Mode::Fresh).await?;
        let r: dto::RateLimitDto = self.decode(&got)?;
        let reset = Utc
            .timestamp_opt(r.resources.core.reset, 0)
            .single()
            .unwrap_or_else(Utc::now);
        Ok(RateBudget {
            limit: r.resources.core.limit,
            remaining: r.resources.core.remaining,
            reset,
            server_time: got.date,
        })
    }

    async fn user(&self) -> ApiResult<String> {
        let user: dto::UserDto = self.decode(&self.get_mode("/user", Mode::Fresh).await?)?;
        user.login
            .ok_or_else(|| ApiError::Decode("GET /user answered without a login".into()))
    }

    async fn ref_status(&self, repo: &str, git_ref: &str, context: &str) -> ApiResult<RefStatus> {
        // `{ref}` may span segments (`release/v2.4.0`): each is encoded, the slashes kept.
        let url = format!(
            "/repos/{repo}/commits/{}/status?per_page=100",
            file_path(git_ref)
        );
        let combined: dto::CombinedStatusDto = self.decode(&self.get(&url).await?)?;
        Ok(combined.for_context(context))
    }

    async fn send(&self, call: &Call) -> Sent {
        self.send_write(call).await
    }

    async fn releases(&self, repo: &str) -> ApiResult<Vec<RepoRelease>> {
        let list: Vec<dto::ReleaseDto> = self
            .get_all(&format!("/repos/{repo}/releases?per_page=100"))
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    async fn runs_created(
        &self,
        repo: &str,
        file: &str,
        created: &str,
        max: usize,
    ) -> ApiResult<Vec<Run>> {
        self.history_runs(repo, file, created, max).await
    }

    async fn generate_notes(&self, repo: &str, tag: &str) -> ApiResult<String> {
        self.generated_notes(repo, tag).await
    }

    async fn compare(&self, repo: &str, base: &str, head: &str) -> ApiResult<Comparison> {
        self.history_compare(repo, base, head).await
    }

    async fn merged_pulls(&self, repo: &str, since: DateTime<Utc>) -> ApiResult<Vec<MergedPr>> {
        self.history_pulls(repo, since).await
    }

    async fn labelled_issues(
        &self,
        repo: &str,
        label: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<Vec<(Issue, Option<String>)>> {
        self.history_labelled(repo, label, since).await
    }

    async fn comments(&self, repo: &str, number: u64) -> ApiResult<Vec<Comment>> {
        let list: Vec<dto::CommentDto> = self
            .get_all(&format!(
                "/repos/{repo}/issues/{number}/comments?per_page=100"
            ))
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    async fn file_at(&self, repo: &str, path: &str, git_ref: Option<&str>) -> ApiResult<String> {
        let mut url = format!("/repos/{repo}/contents/{}", file_path(path));
        if let Some(r) = git_ref {
            url.push_str("?ref=");
            url.push_str(&encode(r));
        }
        let got = self.get(&url).await.map_err(|e| match e {
            ApiError::NotFound { .. } => ApiError::NotFound {
                what: format!(
                    "{path} in {repo} at {}",
                    git_ref.unwrap_or("the default branch")
                ),
            },
            other => other,
        })?;
        let v: serde_json::Value = self.decode(&got)?;
        if v.is_array() {
            return Err(ApiError::Decode(format!(
                "{path} is a directory, not a file"
            )));
        }
        let f: dto::ContentFileDto =
            serde_json::from_value(v).map_err(|e| ApiError::Decode(format!("{path}: {e}")))?;
        if f.kind != "file" {
            return Err(ApiError::Decode(format!(
                "{} is a {}, not a file",
                f.path, f.kind
            )));
        }
        if f.encoding != "base64" {
            // GitHub answers `encoding: "none"` with empty content for files over 1 MB.
            return Err(ApiError::Decode(format!(
                "{} ({} bytes) is too large for the contents API",
                f.path, f.size
            )));
        }
        decode_content(&f.content)
    }

    async fn find_dispatched_run(
        &self,
        repo: &str,
        workflow_file: &str,
        branch: &str,
        actor: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<Option<Run>> {
        let from = since - chrono::Duration::seconds(DISPATCH_GRACE_SECS);
        let created = format!(">={}", from.to_rfc3339_opts(SecondsFormat::Secs, true));
        let path = format!(
            "/repos/{repo}/actions/workflows/{}/runs?event=workflow_dispatch&branch={}&created={}&per_page=20",
            seg(workflow_file),
            encode(branch),
            encode(&created),
        );
        // Fresh, not conditional: this poll looks for something new, and a stale 304 (or a
        // cached empty list) must not hide the run.
        let got = self.get_mode(&path, Mode::Fresh).await?;
        let runs: dto::RunsDto = self.decode(&got)?;
        // `created` has second precision and GitHub's filter is its own; check again here.
        Ok(runs
            .workflow_runs
            .into_iter()
            .map(|r| r.into_run(repo))
            .filter(|r| r.event == "workflow_dispatch")
            .filter(|r| r.head_branch.as_deref() == Some(branch))
            .filter(|r| r.created_at >= from)
            .filter(|r| {
                actor.is_none_or(|a| {
                    r.actor
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(a))
                })
            })
            .max_by_key(|r| (r.created_at, r.id)))
    }

    async fn pending_deployments(
        &self,
        repo: &str,
        run_id: u64,
    ) -> ApiResult<Vec<PendingDeployment>> {
        let list: Vec<dto::PendingDeploymentDto> = self
            .get_json(&format!(
                "/repos/{repo}/actions/runs/{run_id}/pending_deployments"
            ))
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    async fn job_logs(&self, repo: &str, job_id: u64) -> ApiResult<String> {
        // octocrab follows the 302 to the signed download URL (and drops the token when it
        // points at another host).
        let got = self
            .get_mode(
                &format!("/repos/{repo}/actions/jobs/{job_id}/logs"),
                Mode::Fresh,
            )
            .await?;
        Ok(got.body)
    }
}

impl Octo {
    /// A GET answer's JSON. A body that is not JSON at all (a web page) means the API root is
    /// not GitHub's API; one that is JSON but does not fit, or is empty (cut off), is a
    /// [`ApiError::Decode`].
    fn decode<T: DeserializeOwned>(&self, got: &Got) -> ApiResult<T> {
        if !got.body.trim().is_empty() && !transport::looks_like_json(&got.body) {
            return Err(super::error::not_github(&self.base, &got.answer));
        }
        serde_json::from_str(&got.body).map_err(|e| ApiError::Decode(e.to_string()))
    }
}

fn name_repo(e: ApiError, repo: &str) -> ApiError {
    match e {
        ApiError::NotFound { .. } => ApiError::NotFound {
            what: format!("repository {repo}"),
        },
        other => other,
    }
}

/// Encodes a query value.
fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Encodes a file path segment by segment, keeping its slashes.
fn file_path(path: &str) -> String {
    path.trim_matches('/')
        .split('/')
        .map(seg)
        .collect::<Vec<_>>()
        .join("/")
}

/// `201 Created`.
fn status_text(status: u16) -> String {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("{status} {reason}").trim_end().to_string()
}

/// The audit line for a failed write; says so when GitHub may have applied it anyway.
fn write_failure(e: &ApiError) -> String {
    let mut text = e.to_string();
    if text.chars().count() > 200 {
        text = text.chars().take(199).collect::<String>() + "…";
    }
    if matches!(
        e,
        ApiError::Server { .. } | ApiError::Timeout | ApiError::Network(_)
    ) {
        text.push_str(" (not retried; it may still have been applied)");
    }
    text
}

/// Decodes the base64 `content` of the contents API (GitHub wraps it at 60 columns).
fn decode_content(content: &str) -> ApiResult<String> {
    let clean: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(clean)
        .map_err(|e| ApiError::Decode(format!("file content is not base64: {e}")))?;
    String::from_utf8(bytes).map_err(|_| ApiError::Decode("the file is not UTF-8 text".into()))
}

/// The time a rate budget resets, for display.
#[must_use]
pub fn reset_in(budget: &RateBudget, now: DateTime<Utc>) -> chrono::Duration {
    (budget.reset - now).max(chrono::Duration::zero())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::transport::{backoff, page_of, with_page};
    use super::*;

    #[test]
    fn link_header_like_githubs() {
        let h = r#"<https://api.github.com/repositories/1/issues?milestone=3&per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues?milestone=3&per_page=100&page=5>; rel="last""#;
        let l = parse_link(h);
        assert_eq!(page_of(&l["next"]), Some(2));
        assert_eq!(page_of(&l["last"]), Some(5));
        assert_eq!(
            with_page(&l["last"], 3),
            "https://api.github.com/repositories/1/issues?milestone=3&per_page=100&page=3"
        );
    }

    #[test]
    fn file_paths_are_escaped_per_segment() {
        assert_eq!(file_path("/docs/a b/c.md"), "docs/a%20b/c.md");
    }

    #[test]
    fn wrapped_base64_content_decodes() {
        assert_eq!(
            decode_content("bmFtZTog\nRGVwbG95\n"),
            Ok("name: Deploy".to_string())
        );
        assert!(decode_content("***").is_err());
    }

    #[test]
    fn failed_writes_say_they_may_have_happened() {
        let e = ApiError::Timeout;
        assert!(write_failure(&e).ends_with("(not retried; it may still have been applied)"));
        let e = ApiError::Rejected {
            status: 409,
            message: "Cannot cancel a workflow run that is completed.".into(),
        };
        assert_eq!(
            write_failure(&e),
            "GitHub said (409): Cannot cancel a workflow run that is completed."
        );
        assert_eq!(status_text(202), "202 Accepted");
    }

    #[test]
    fn backoff_grows() {
        assert!(
            backoff(1) >= Duration::from_millis(250) && backoff(1) < Duration::from_millis(400)
        );
        assert!(backoff(3) >= Duration::from_millis(1000));
    }
}
