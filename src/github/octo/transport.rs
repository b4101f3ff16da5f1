//! The HTTP side of [`Octo`]: conditional GETs with an ETag cache, retries with jittered
//! backoff for safe requests only, `Link` pagination (pages fetched concurrently once the last
//! is known), rate-limit errors, and writes sent exactly once with their audit record.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::{StreamExt, TryStreamExt};
use http::header::{HeaderMap, HeaderValue};
use octocrab::Octocrab;
use serde::de::DeserializeOwned;

use super::{
    Cached, GET_ATTEMPTS, Got, MAX_IN_FLIGHT, Mode, Octo, PAGE_CONCURRENCY, status_text,
    write_failure,
};
use crate::github::api::{ApiResult, Reply, Sent};
use crate::github::error::{ApiError, not_github};
use crate::release::WriteRecord;
use crate::release::call::{Call, Method};

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
            deadline: timeout,
            in_flight: tokio::sync::Semaphore::new(MAX_IN_FLIGHT),
            seen_github: AtomicBool::new(false),
        })
    }

    pub(super) fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            on_base(&self.base, path)
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// The budget left, from a response's `x-ratelimit-remaining`.
    pub(super) fn note_rate(headers: &HeaderMap) -> Option<u64> {
        headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
    }

    /// The error for a non-2xx answer. A 4xx without GitHub's headers that is not JSON (a web
    /// page), or a 404 without them before GitHub ever answered, blames the API root, not
    /// what was asked for.
    pub(super) fn error_for(
        &self,
        status: u16,
        headers: &HeaderMap,
        body: &str,
        what: &str,
    ) -> ApiError {
        let from_github = is_from_github(headers);
        if (400..500).contains(&status)
            && status != 429
            && !from_github
            && !body.trim().is_empty()
            && !looks_like_json(body)
        {
            return not_github(&self.base, &answer(status, headers));
        }
        if status == 404 && !from_github && !self.seen_github.load(Ordering::Relaxed) {
            return not_github(
                &self.base,
                "404 without GitHub's headers: the API root is wrong, not the repository",
            );
        }
        let remaining = Self::note_rate(headers);
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

    /// One GET, no retries; conditional in [`Mode::Conditional`]. The whole exchange, body
    /// included, ends within the deadline: octocrab's timeouts apply to each read, so a server
    /// that trickles a byte at a time would otherwise hold it for ever.
    pub(super) async fn get_once(&self, url: &str, mode: Mode<'_>) -> ApiResult<Got> {
        // Waiting for a slot is not part of the request's deadline.
        let _slot = self.in_flight.acquire().await;
        tokio::time::timeout(self.deadline, self.get_once_unbounded(url, mode))
            .await
            .unwrap_or(Err(ApiError::Timeout))
    }

    async fn get_once_unbounded(&self, url: &str, mode: Mode<'_>) -> ApiResult<Got> {
        let cached = match mode {
            // Only a list reader takes a page kept parsed, without its body.
            Mode::Conditional | Mode::Page => self
                .cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(url)
                .filter(|c| mode == Mode::Page || c.parsed.is_none())
                .cloned(),
            Mode::Fresh | Mode::Tagged(_) => None,
        };
        let if_none_match = match mode {
            Mode::Tagged(etag) => etag,
            _ => cached.as_ref().map(|c| c.etag.as_str()),
        };
        let mut headers = HeaderMap::new();
        if let Some(etag) = if_none_match
            && let Ok(v) = HeaderValue::from_str(etag)
        {
            headers.insert(http::header::IF_NONE_MATCH, v);
        }
        let resp = self
            .crab
            ._get_with_headers(url, Some(headers))
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        let resp_headers = resp.headers().clone();
        if is_from_github(&resp_headers) {
            self.seen_github.store(true, Ordering::Relaxed);
        }
        if status == 304
            && let Some(c) = cached
        {
            tracing::debug!(url, "304 not modified");
            return Ok(Got {
                body: c.body,
                link: c.link,
                answer: answer(status, &resp_headers),
                date: date_of(&resp_headers),
                etag: Some(c.etag),
                not_modified: false,
                parsed: c.parsed,
            });
        }
        if status == 304 && matches!(mode, Mode::Tagged(Some(_))) {
            tracing::debug!(url, "304 not modified");
            return Ok(Got {
                body: String::new(),
                link: None,
                answer: answer(status, &resp_headers),
                date: date_of(&resp_headers),
                etag: etag_of(&resp_headers),
                not_modified: true,
                parsed: None,
            });
        }
        let body = self
            .crab
            .body_to_string(resp)
            .await
            .map_err(|e| self.transport_error(e))?;
        if !(200..300).contains(&status) {
            return Err(self.error_for(status, &resp_headers, &body, &path_of(url)));
        }
        let link = resp_headers
            .get(http::header::LINK)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // Only JSON is cached: a web page served with an ETag must not come back as a 304.
        // Only an answer that is whole JSON is kept: a 200 cut short would otherwise be served
        // again from the cache on every 304 until the data changed.
        let etag = etag_of(&resp_headers);
        if matches!(mode, Mode::Conditional | Mode::Page)
            && serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok()
            && let Some(etag) = &etag
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
                        parsed: None,
                    },
                );
        }
        Ok(Got {
            body,
            link,
            answer: answer(status, &resp_headers),
            date: date_of(&resp_headers),
            etag,
            not_modified: false,
            parsed: None,
        })
    }

    /// A conditional GET, retried with jittered backoff on server errors, timeouts and
    /// network errors.
    pub(super) async fn get(&self, path: &str) -> ApiResult<Got> {
        self.get_mode(path, Mode::Conditional).await
    }

    /// A GET in `mode`, retried like [`Self::get`].
    pub(super) async fn get_mode(&self, path: &str, mode: Mode<'_>) -> ApiResult<Got> {
        let url = self.url(path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.get_once(&url, mode).await {
                Err(e) if e.is_transient() && attempt < GET_ATTEMPTS => {
                    let wait = backoff(attempt);
                    tracing::warn!(%url, error = %e, ?wait, "GET failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    pub(super) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        let got = self.get(path).await?;
        self.decode(&got)
    }

    /// Every page of a list. Once the first page's `Link` names the last page, the rest are
    /// fetched concurrently ([`PAGE_CONCURRENCY`] at once, in whatever order they answer,
    /// joined in page order; the first error stops the rest), each page reported to
    /// [`crate::github::progress`].
    pub(super) async fn get_all<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &self,
        path: &str,
    ) -> ApiResult<Vec<T>> {
        let first = self.get_mode(path, Mode::Page).await?;
        let mut items: Vec<T> = self.page(path, &first)?;
        let Some(link) = first.link.as_deref() else {
            return Ok(items);
        };
        let links = parse_link(link);
        if let Some(last) = links.get("last") {
            let last_page = page_of(last).unwrap_or(1);
            let what = list_name(&self.url(path));
            let done = std::sync::atomic::AtomicU32::new(1);
            crate::github::progress::report(&what, 1, last_page);
            let urls: Vec<(u32, String)> =
                (2..=last_page).map(|p| (p, with_page(last, p))).collect();
            let mut pages: Vec<(u32, Vec<T>)> = futures::stream::iter(urls)
                .map(|(p, u)| {
                    let (what, done) = (&what, &done);
                    async move {
                        let got = self.get_mode(&u, Mode::Page).await?;
                        let page = self.page::<T>(&u, &got)?;
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        crate::github::progress::report(what, n, last_page);
                        Ok::<_, ApiError>((p, page))
                    }
                })
                .buffer_unordered(PAGE_CONCURRENCY)
                .try_collect()
                .await?;
            pages.sort_unstable_by_key(|(p, _)| *p);
            items.extend(pages.into_iter().flat_map(|(_, page)| page));
        } else {
            let mut next = links.get("next").cloned();
            while let Some(url) = next {
                let got = self.get_mode(&url, Mode::Page).await?;
                items.extend(self.page::<T>(&url, &got)?);
                next = got
                    .link
                    .as_deref()
                    .and_then(|l| parse_link(l).remove("next"));
            }
        }
        Ok(items)
    }

    /// One page of a list: the parsed copy the cache kept on a `304`, else the body decoded,
    /// and then kept parsed in place of the body.
    fn page<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &self,
        path: &str,
        got: &Got,
    ) -> ApiResult<Vec<T>> {
        if let Some(page) = got.parsed.as_ref().and_then(|p| p.downcast_ref::<Vec<T>>()) {
            return Ok(page.clone());
        }
        let page: Vec<T> = self.decode(got)?;
        if let Some(etag) = &got.etag {
            let mut cache = self
                .cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(c) = cache.get_mut(&self.url(path))
                && &c.etag == etag
            {
                c.body = String::new();
                c.parsed = Some(std::sync::Arc::new(page.clone()));
            }
        }
        Ok(page)
    }

    /// A write: sent exactly once, never retried (a retried POST could run a workflow twice),
    /// without conditional headers (GitHub answers 400 to them on writes), with the body's
    /// bytes exactly as described. Returns the audit record with the answer.
    pub(super) async fn send_write(&self, call: &Call) -> Sent {
        let at = Utc::now();
        let (status, result) = self.send_write_unrecorded(call).await;
        let outcome = match (&result, status) {
            (Ok(_), Some(s)) => status_text(s),
            (Ok(_), None) => "sent".to_string(),
            (Err(ApiError::NotFound { .. }), _) if call.absent_ok => {
                "404 Not Found (already so)".to_string()
            }
            (Err(e), _) => write_failure(e),
        };
        tracing::info!(method = %call.method, path = call.path, ?status, %outcome, "write");
        Sent {
            record: WriteRecord {
                at,
                method: call.method.to_string(),
                path: path_of(&self.url(&call.path)),
                body: call.body.clone(),
                status,
                outcome,
            },
            result,
        }
    }

    /// The write itself, within the deadline (body included); also returns the HTTP status
    /// when one came back.
    pub(super) async fn send_write_unrecorded(
        &self,
        call: &Call,
    ) -> (Option<u16>, ApiResult<Reply>) {
        tokio::time::timeout(self.deadline, self.send_write_unbounded(call))
            .await
            .unwrap_or((None, Err(ApiError::Timeout)))
    }

    async fn send_write_unbounded(&self, call: &Call) -> (Option<u16>, ApiResult<Reply>) {
        let url = self.url(&call.path);
        let method = match call.method {
            Method::Post => http::Method::POST,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        };
        // The body's bytes go out as described: a raw JSON value is serialised verbatim.
        let raw = match call
            .body
            .as_deref()
            .map(|b| serde_json::value::RawValue::from_string(b.to_string()))
            .transpose()
        {
            Ok(raw) => raw,
            Err(e) => {
                return (
                    None,
                    Err(ApiError::Decode(format!("body is not JSON: {e}"))),
                );
            }
        };
        let request = match self.crab.build_request(
            http::Request::builder().method(method).uri(url.as_str()),
            raw.as_deref(),
        ) {
            Ok(r) => r,
            Err(e) => return (None, Err(ApiError::Network(e.to_string()))),
        };
        let resp = match self.crab.execute(request).await {
            Ok(r) => r,
            Err(e) => return (None, Err(self.transport_error(e))),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = match self.crab.body_to_string(resp).await {
            Ok(t) => t,
            Err(e) => return (Some(status), Err(self.transport_error(e))),
        };
        if !(200..300).contains(&status) {
            return (
                Some(status),
                Err(self.error_for(status, &headers, &text, &call.path)),
            );
        }
        (Some(status), Ok(Reply { status, body: text }))
    }
}

impl Octo {
    /// The error for a request that got no HTTP answer. `https://` to a plain-HTTP port shows
    /// up as rustls reading an HTTP answer where a TLS record should be; that is said plainly.
    pub(super) fn transport_error(&self, e: octocrab::Error) -> ApiError {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text = format!("{text}: {s}");
            source = s.source();
        }
        let lower = text.to_lowercase();
        if lower.contains("timed out") || lower.contains("timeout") || lower.contains("elapsed") {
            ApiError::Timeout
        } else if lower.contains("invalidcontenttype")
            && let Some(rest) = self.base.strip_prefix("https://")
        {
            ApiError::PlainHttp {
                url: self.base.clone(),
                http_url: format!("http://{rest}"),
            }
        } else {
            ApiError::Network(text)
        }
    }
}

/// What a list URL reads, for progress lines: `acme/storefront issues` for
/// `…/repos/acme/storefront/issues?…`.
fn list_name(url: &str) -> String {
    let path = path_of(url);
    let rest = path.split_once("/repos/").map_or(path.as_str(), |(_, r)| r);
    let mut parts = rest.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(owner), Some(name), Some(what)) => format!("{owner}/{name} {what}"),
        _ => rest.to_string(),
    }
}

/// Whether an answer carries GitHub's own headers (every REST answer does, errors included).
fn is_from_github(headers: &HeaderMap) -> bool {
    headers.contains_key("x-github-request-id") || headers.contains_key("x-github-media-type")
}

/// `200 text/html`: the status and the content type without its parameters.
fn answer(status: u16, headers: &HeaderMap) -> String {
    match headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(ct) => format!("{status} {ct}"),
        None => format!("{status} without a content type"),
    }
}

/// Whether a body is JSON at all: GitHub's REST answers are objects or arrays, and so is a
/// truncated one. A web page, plain text or an empty body is not.
pub(super) fn looks_like_json(body: &str) -> bool {
    matches!(
        body.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('{' | '[')
    )
}

pub(super) fn path_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.path().to_string())
}

/// 250 ms, 500 ms, 1 s … plus up to 50 % jitter.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = 250u64 << attempt.saturating_sub(1).min(6);
    let jitter = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos()),
    ) % (base / 2 + 1);
    Duration::from_millis(base + jitter)
}

/// `url` with the scheme and authority of `base` exactly as configured, when both name the
/// same server (same scheme, host and port, a default port counting as written); any other
/// URL unchanged. A `Link` URL, or one `url::Url` rewrote, loses an explicit default port
/// (`https://ghe.example:443` becomes `https://ghe.example`), and octocrab sends the token
/// only to the authority it was built with: without this, page 2 and later went without it.
pub(super) fn on_base(base: &str, url: &str) -> String {
    let (Ok(b), Ok(u)) = (url::Url::parse(base), url::Url::parse(url)) else {
        return url.to_string();
    };
    let same = b.scheme() == u.scheme()
        && b.host_str() == u.host_str()
        && b.port_or_known_default() == u.port_or_known_default();
    match (same, split_origin(base), split_origin(url)) {
        (true, Some((origin, _)), Some((_, rest))) => format!("{origin}{rest}"),
        _ => url.to_string(),
    }
}

/// `scheme://authority` and the rest (path, query, fragment) of an absolute URL as written.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let after_scheme = url.find("://")? + 3;
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    Some(url.split_at(end))
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

pub(super) fn page_of(url: &str) -> Option<u32> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
}

pub(super) fn with_page(url: &str, page: u32) -> String {
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

/// A response's `ETag`.
fn etag_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(http::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The server's clock from a response's `Date` header (RFC 7231, e.g. `Tue, 01 Dec 2026
/// 10:00:00 GMT`).
fn date_of(headers: &HeaderMap) -> Option<chrono::DateTime<chrono::Utc>> {
    let value = headers.get(http::header::DATE)?.to_str().ok()?;
    chrono::DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::on_base;

    #[test]
    fn page_urls_keep_the_configured_authority() {
        // A `Link` (or `url::Url`) without the explicit default port gets it back.
        assert_eq!(
            on_base(
                "https://ghe.example:443/api/v3",
                "https://ghe.example/api/v3/repos/a/b/issues?page=2"
            ),
            "https://ghe.example:443/api/v3/repos/a/b/issues?page=2"
        );
        assert_eq!(
            on_base(
                "http://127.0.0.1:80",
                "http://127.0.0.1/repos/a/b/issues?page=3"
            ),
            "http://127.0.0.1:80/repos/a/b/issues?page=3"
        );
        // Already as configured: unchanged.
        assert_eq!(
            on_base("http://127.0.0.1:8787", "http://127.0.0.1:8787/x?page=2"),
            "http://127.0.0.1:8787/x?page=2"
        );
        // Another server, scheme or port: left alone (the token is not sent there).
        for other in [
            "https://elsewhere.example/api/v3/x",
            "http://ghe.example/api/v3/x",
            "https://ghe.example:8443/api/v3/x",
        ] {
            assert_eq!(on_base("https://ghe.example:443/api/v3", other), other);
        }
    }
}
