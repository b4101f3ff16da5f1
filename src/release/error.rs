//! Typed API errors, each with a message a user can act on. Pure data, so they cross the worker
//! boundary intact: the refresh and tick workers obey `retry_after` and `reset`.

use chrono::{DateTime, Utc};

/// What went wrong talking to GitHub.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "GitHub rejected the token (401 {}): set GH_TOKEN or GITHUB_TOKEN to a valid token, or run `gh auth login`",
        safe(.message)
    )]
    Unauthorized { message: String },
    #[error("no token: set GH_TOKEN or GITHUB_TOKEN, run `gh auth login`, or try `shipdeck demo`")]
    NoToken,
    #[error("not found (404): {}; check the name and that the token can read it", safe(.what))]
    NotFound { what: String },
    #[error("GitHub refused (403): {}{}", safe(.message), forbidden_hint(.message))]
    Forbidden { message: String },
    #[error("rate limited by GitHub{}", rate_detail(*.reset, *.retry_after))]
    RateLimited {
        reset: Option<DateTime<Utc>>,
        retry_after: Option<u64>,
    },
    /// GitHub's message, verbatim, for a request it understood and refused: 422 (bad input),
    /// 400, 409 (conflicts with the current state, e.g. cancelling a completed run) or 410.
    #[error("GitHub said ({status}): {}", safe(.message))]
    Rejected { status: u16, message: String },
    #[error("GitHub had a problem ({status}): {}", safe(.message))]
    Server { status: u16, message: String },
    #[error(
        "GitHub did not answer in time; if the server is slow, raise github.timeout_secs in the config"
    )]
    Timeout,
    #[error("cannot reach GitHub: {}", safe(.0))]
    Network(String),
    #[error("unexpected answer from GitHub: {}", safe(.0))]
    Decode(String),
    /// The API root is not GitHub's REST API (a web page, a login portal, another service,
    /// GitHub's web host instead of its API host). `answer` says what came back, `hint` where
    /// the API usually is. Not transient: asking again gets the same page.
    #[error(
        "the server at {} did not answer with GitHub's JSON API (it answered {}); {}",
        safe(.url), safe(.answer), safe(.hint)
    )]
    NotGitHub {
        url: String,
        answer: String,
        hint: String,
    },
    /// `https://` to a port that speaks plain HTTP (the TLS handshake got an HTTP answer).
    #[error("the server at {} speaks plain HTTP, not HTTPS; use {}", safe(.url), safe(.http_url))]
    PlainHttp { url: String, http_url: String },
}

/// The permission hint, only when the 403 is about access (GitHub also answers 403 to
/// state errors such as re-running a run that is still going).
fn forbidden_hint(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("not accessible")
        || m.contains("permission")
        || m.contains("admin rights")
        || m.contains("must have")
        || m.contains("forbidden")
    {
        "; the token may lack the Issues or Actions permission"
    } else {
        ""
    }
}

/// Text from GitHub (or a server claiming to be it), made safe for a terminal: these errors are
/// printed by the CLI and shown in the dashboard, and their messages quote the server.
fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    super::text::line(s)
}

fn rate_detail(reset: Option<DateTime<Utc>>, retry_after: Option<u64>) -> String {
    match (retry_after, reset) {
        (Some(s), _) => format!(" (secondary limit): try again in {s}s"),
        (None, Some(r)) => format!(": budget resets at {}", r.format("%H:%M:%S UTC")),
        (None, None) => String::new(),
    }
}

impl ApiError {
    /// Worth retrying a safe (GET) request: server errors, timeouts, network blips.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Server { .. } | ApiError::Timeout | ApiError::Network(_)
        )
    }
}

/// Why a refresh failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("no repositories configured: pass --repo OWNER/NAME or set github.repos in the config")]
    NoRepos,
    #[error("{} has no open milestone; create one, or pass --milestone TITLE", safe(.repo))]
    NoOpenMilestone { repo: String },
    #[error(
        "milestone \"{}\" not found in {}; milestones there: {}",
        safe(.title), safe(.repo), safe(.existing)
    )]
    MilestoneMissing {
        repo: String,
        title: String,
        existing: String,
    },
    /// The error's text is in this one's, so it is not its `source` (a report would print it
    /// twice).
    #[error("{}: {error}", safe(.repo))]
    Api { repo: String, error: ApiError },
    #[error(
        "the refresh did not finish within {secs} s: GitHub is slow or stalling; if it is just slow, raise github.timeout_secs in the config"
    )]
    Deadline { secs: u64 },
}

impl SyncError {
    /// The API error behind the failure, if GitHub (or the network) caused it.
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            SyncError::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl ApiError {
    /// For a write: GitHub may have applied it although no success came back (a server
    /// error, a timeout or a dropped connection), so the outcome is ambiguous.
    #[must_use]
    pub fn is_ambiguous(&self) -> bool {
        self.is_transient()
    }

    /// When GitHub allows the next request after a rate limit: `retry-after` seconds from
    /// `now` (a secondary limit), else the budget's reset time. `None` for other errors.
    #[must_use]
    pub fn retry_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            ApiError::RateLimited {
                retry_after: Some(s),
                ..
            } => Some(now + chrono::Duration::seconds(i64::try_from(*s).unwrap_or(i64::MAX / 2))),
            ApiError::RateLimited {
                reset: Some(r),
                retry_after: None,
            } => Some(*r),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_secondary_limit_waits_as_asked_and_a_primary_until_the_reset() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 1, 14, 0, 0)
            .single()
            .expect("date");
        let reset = now + chrono::Duration::minutes(5);
        let secondary = ApiError::RateLimited {
            reset: Some(reset),
            retry_after: Some(60),
        };
        assert_eq!(
            secondary.retry_at(now),
            Some(now + chrono::Duration::seconds(60))
        );
        let primary = ApiError::RateLimited {
            reset: Some(reset),
            retry_after: None,
        };
        assert_eq!(primary.retry_at(now), Some(reset));
        assert_eq!(ApiError::Timeout.retry_at(now), None);
        assert!(ApiError::Timeout.is_ambiguous());
        assert!(!ApiError::NotFound { what: "x".into() }.is_ambiguous());
    }
}
