//! [`GitHubApi`] over HTTP with octocrab: timeouts set, octocrab's retry left out (it would
//! repeat POSTs), conditional GETs with ETags, `Link` pagination, rate-limit tracking, and
//! jittered retries for safe requests only.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use futures::StreamExt;
use http::header::{HeaderMap, HeaderValue};
use octocrab::Octocrab;
use serde::de::DeserializeOwned;

use super::api::{ApiResult, GitHubApi};
use super::dto;
use super::error::ApiError;
use crate::release::{Issue, Job, Milestone, RateBudget, Run, Workflow};

/// How many times a GET is tried before its error is returned.
const GET_ATTEMPTS: u32 = 3;
/// Pages fetched at once after the first page named the last.
const PAGE_CONCURRENCY: usize = 4;

/// A cached GET answer: the ETag GitHub gave and the body it came with.
#[derive(Clone)]
struct Cached {
    etag: String,
    body: String,
    link: Option<String>,
}

/// The octocrab-backed client.
pub struct Octo {
    crab: Octocrab,
    base: String,
    cache: Mutex<HashMap<String, Cached>>,
    rate: Mutex<Option<RateBudget>>,
}

/// A GET answer: body, `Link` header, and whether it came from a 304.
struct Got {
    body: String,
    link: Option<String>,
}

impl Octo {
    /// Builds a client for `api_url` with `token`.
    ///
    /// # Errors
    /// An unusable URL, or octocrab failing to build its HTTP client.
    pub fn new(api_url: &str, token: &str, timeout: Duration) -> Result<Self, ApiError> {
        let crab = Octocrab::builder()
            .base_uri(api_url)
            .map_err(|e| ApiError::Network(format!("bad API URL {api_url}: {e}")))?
            .personal_token(token.to_string())
            .set_connect_timeout(Some(timeout))
            .set_read_timeout(Some(timeout))
            .set_write_timeout(Some(timeout))
            .build()
            .map_err(|e| ApiError::Network(e.to_string()))?;
        Ok(Self {
            crab,
            base: api_url.trim_end_matches('/').to_string(),
            cache: Mutex::new(HashMap::new()),
            rate: Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    fn note_rate(&self, headers: &HeaderMap) -> Option<u64> {
        let num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<i64>().ok())
        };
        let remaining = num("x-ratelimit-remaining");
        if let (Some(limit), Some(rem), Some(reset)) = (
            num("x-ratelimit-limit"),
            remaining,
            num("x-ratelimit-reset"),
        ) && let Some(reset) = Utc.timestamp_opt(reset, 0).single()
        {
            *self
                .rate
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(RateBudget {
                limit: u64::try_from(limit).unwrap_or(0),
                remaining: u64::try_from(rem).unwrap_or(0),
                reset,
            });
        }
        remaining.and_then(|r| u64::try_from(r).ok())
    }

    fn error_for(&self, status: u16, headers: &HeaderMap, body: &str, what: &str) -> ApiError {
        let remaining = self.note_rate(headers);
        let reset = headers
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(|s| Utc.timestamp_opt(s, 0).single());
        let retry_after = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        ApiError::from_status(status, body, what, remaining, reset, retry_after)
    }

    /// One conditional GET, no retries.
    async fn get_once(&self, url: &str) -> ApiResult<Got> {
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(url)
            .cloned();
        let mut headers = HeaderMap::new();
        if let Some(c) = &cached
            && let Ok(v) = HeaderValue::from_str(&c.etag)
        {
            headers.insert(http::header::IF_NONE_MATCH, v);
        }
        let resp = self
            .crab
            ._get_with_headers(url, Some(headers))
            .await
            .map_err(transport_error)?;
        let status = resp.status().as_u16();
        let resp_headers = resp.headers().clone();
        if status == 304
            && let Some(c) = cached
        {
            self.note_rate(&resp_headers);
            tracing::debug!(url, "304 not modified");
            return Ok(Got {
                body: c.body,
                link: c.link,
            });
        }
        let body = self
            .crab
            .body_to_string(resp)
            .await
            .map_err(transport_error)?;
        if !(200..300).contains(&status) {
            return Err(self.error_for(status, &resp_headers, &body, &path_of(url)));
        }
        self.note_rate(&resp_headers);
        let link = resp_headers
            .get(http::header::LINK)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(etag) = resp_headers
            .get(http::header::ETAG)
            .and_then(|v| v.to_str().ok())
        {
            self.cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(
                    url.to_string(),
                    Cached {
                        etag: etag.to_string(),
                        body: body.clone(),
                        link: link.clone(),
                    },
                );
        }
        Ok(Got { body, link })
    }

    /// A GET, retried with jittered backoff on server errors, timeouts and network errors.
    async fn get(&self, path: &str) -> ApiResult<Got> {
        let url = self.url(path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.get_once(&url).await {
                Err(e) if e.is_transient() && attempt < GET_ATTEMPTS => {
                    let wait = backoff(attempt);
                    tracing::warn!(%url, error = %e, ?wait, "GET failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        let got = self.get(path).await?;
        decode(&got.body)
    }

    /// Every page of a list. Once the first page's `Link` names the last page, the rest are
    /// fetched concurrently.
    async fn get_all<T: DeserializeOwned + Send>(&self, path: &str) -> ApiResult<Vec<T>> {
        let first = self.get(path).await?;
        let mut items: Vec<T> = decode(&first.body)?;
        let Some(link) = first.link.as_deref() else {
            return Ok(items);
        };
        let links = parse_link(link);
        if let Some(last) = links.get("last") {
            let last_page = page_of(last).unwrap_or(1);
            let urls: Vec<String> = (2..=last_page).map(|p| with_page(last, p)).collect();
            let pages: Vec<ApiResult<Vec<T>>> = futures::stream::iter(urls)
                .map(|u| async move {
                    let got = self.get(&u).await?;
                    decode::<Vec<T>>(&got.body)
                })
                .buffered(PAGE_CONCURRENCY)
                .collect()
                .await;
            for page in pages {
                items.extend(page?);
            }
        } else {
            let mut next = links.get("next").cloned();
            while let Some(url) = next {
                let got = self.get(&url).await?;
                items.extend(decode::<Vec<T>>(&got.body)?);
                next = got
                    .link
                    .as_deref()
                    .and_then(|l| parse_link(l).remove("next"));
            }
        }
        Ok(items)
    }

    /// A write: sent once, never retried here (a retried POST could run a workflow twice).
    async fn send_write(
        &self,
        method: http::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> ApiResult<(u16, String)> {
        let url = self.url(path);
        let request = self
            .crab
            .build_request(
                http::Request::builder().method(method).uri(url.as_str()),
                Some(body),
            )
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let resp = self.crab.execute(request).await.map_err(transport_error)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = self
            .crab
            .body_to_string(resp)
            .await
            .map_err(transport_error)?;
        if !(200..300).contains(&status) {
            return Err(self.error_for(status, &headers, &text, path));
        }
        self.note_rate(&headers);
        Ok((status, text))
    }
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

    async fn milestone_issues(&self, repo: &str, number: u64) -> ApiResult<Vec<Issue>> {
        let list: Vec<dto::IssueDto> = self
            .get_all(&format!(
                "/repos/{repo}/issues?milestone={number}&state=all&per_page=100"
            ))
            .await?;
        Ok(list.into_iter().map(|i| i.into_issue(repo)).collect())
    }

    async fn issue(&self, repo: &str, number: u64) -> ApiResult<Issue> {
        let i: dto::IssueDto = self
            .get_json(&format!("/repos/{repo}/issues/{number}"))
            .await?;
        Ok(i.into_issue(repo))
    }

    async fn update_issue_body(&self, repo: &str, number: u64, body: &str) -> ApiResult<Issue> {
        let (_, text) = self
            .send_write(
                http::Method::PATCH,
                &format!("/repos/{repo}/issues/{number}"),
                &serde_json::json!({ "body": body }),
            )
            .await?;
        let i: dto::IssueDto = decode(&text)?;
        Ok(i.into_issue(repo))
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
            encode(file)
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
        let r: dto::RateLimitDto = self.get_json("/rate_limit").await?;
        let reset = Utc
            .timestamp_opt(r.resources.core.reset, 0)
            .single()
            .unwrap_or_else(Utc::now);
        Ok(RateBudget {
            limit: r.resources.core.limit,
            remaining: r.resources.core.remaining,
            reset,
        })
    }

    fn last_rate_budget(&self) -> Option<RateBudget> {
        *self
            .rate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn decode<T: DeserializeOwned>(body: &str) -> ApiResult<T> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}

fn name_repo(e: ApiError, repo: &str) -> ApiError {
    match e {
        ApiError::NotFound { .. } => ApiError::NotFound {
            what: format!("repository {repo}"),
        },
        other => other,
    }
}

fn transport_error(e: octocrab::Error) -> ApiError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    let lower = text.to_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") || lower.contains("elapsed") {
        ApiError::Timeout
    } else {
        ApiError::Network(text)
    }
}

fn path_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.path().to_string())
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// 250 ms, 500 ms, 1 s … plus up to 50 % jitter.
fn backoff(attempt: u32) -> Duration {
    let base = 250u64 << attempt.saturating_sub(1).min(6);
    let jitter = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos()),
    ) % (base / 2 + 1);
    Duration::from_millis(base + jitter)
}

/// Parses a `Link` header into rel → URL.
#[must_use]
pub fn parse_link(header: &str) -> HashMap<String, String> {
    header
        .split(',')
        .filter_map(|part| {
            let (url, params) = part.split_once(';')?;
            let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
            let rel = params.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k.trim() == "rel").then(|| v.trim().trim_matches('"').to_string())
            })?;
            Some((rel, url.to_string()))
        })
        .collect()
}

fn page_of(url: &str) -> Option<u32> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
}

fn with_page(url: &str, page: u32) -> String {
    let Ok(mut u) = url::Url::parse(url) else {
        return url.to_string();
    };
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            if k == "page" {
                (k.into_owned(), page.to_string())
            } else {
                (k.into_owned(), v.into_owned())
            }
        })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

/// The time a rate budget resets, for display.
#[must_use]
pub fn reset_in(budget: &RateBudget, now: DateTime<Utc>) -> chrono::Duration {
    (budget.reset - now).max(chrono::Duration::zero())
}

#[cfg(test)]
mod tests {
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
    fn backoff_grows() {
        assert!(
            backoff(1) >= Duration::from_millis(250) && backoff(1) < Duration::from_millis(400)
        );
        assert!(backoff(3) >= Duration::from_millis(1000));
    }
}
