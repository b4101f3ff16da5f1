//! Typed API errors, each with a message a user can act on.

use chrono::{DateTime, Utc};

/// What went wrong talking to GitHub.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "GitHub rejected the token (401 {message}): set GH_TOKEN or GITHUB_TOKEN to a valid token, or run `gh auth login`"
    )]
    Unauthorized { message: String },
    #[error("no token: set GH_TOKEN or GITHUB_TOKEN, run `gh auth login`, or try `shipdeck demo`")]
    NoToken,
    #[error("not found (404): {what}; check the name and that the token can read it")]
    NotFound { what: String },
    #[error("GitHub refused (403): {message}; the token may lack the Issues or Actions permission")]
    Forbidden { message: String },
    #[error("rate limited by GitHub{}", rate_detail(*.reset, *.retry_after))]
    RateLimited {
        reset: Option<DateTime<Utc>>,
        retry_after: Option<u64>,
    },
    /// GitHub's 422 (or 400) message, verbatim.
    #[error("GitHub said ({status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("GitHub had a problem ({status}): {message}")]
    Server { status: u16, message: String },
    #[error("GitHub did not answer in time")]
    Timeout,
    #[error("cannot reach GitHub: {0}")]
    Network(String),
    #[error("unexpected answer from GitHub: {0}")]
    Decode(String),
}

fn rate_detail(reset: Option<DateTime<Utc>>, retry_after: Option<u64>) -> String {
    match (retry_after, reset) {
        (Some(s), _) => format!(" (secondary limit): retrying after {s}s"),
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

    /// Builds the error for an HTTP status and GitHub's error body.
    #[must_use]
    pub fn from_status(
        status: u16,
        body: &str,
        what: &str,
        rate_remaining: Option<u64>,
        reset: Option<DateTime<Utc>>,
        retry_after: Option<u64>,
    ) -> Self {
        let message = github_message(body).unwrap_or_else(|| {
            http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("error")
                .to_string()
        });
        match status {
            401 => ApiError::Unauthorized { message },
            403 | 429 if retry_after.is_some() || rate_remaining == Some(0) || status == 429 => {
                ApiError::RateLimited { reset, retry_after }
            }
            403 => ApiError::Forbidden { message },
            404 => ApiError::NotFound {
                what: what.to_string(),
            },
            400 | 409 | 410 | 422 => ApiError::Rejected { status, message },
            500..=599 => ApiError::Server { status, message },
            _ => ApiError::Rejected { status, message },
        }
    }
}

/// GitHub's `message`, followed by each `errors[].message` (or `code` on `field`).
fn github_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let mut msg = v.get("message")?.as_str()?.trim().to_string();
    if let Some(errors) = v.get("errors").and_then(|e| e.as_array()) {
        let details: Vec<String> = errors
            .iter()
            .filter_map(|e| match e {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => o
                    .get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
                    .or_else(|| {
                        let code = o.get("code")?.as_str()?;
                        let field = o.get("field").and_then(|f| f.as_str()).unwrap_or("?");
                        Some(format!("{field} {code}"))
                    }),
                _ => None,
            })
            .collect();
        if !details.is_empty() {
            msg = format!("{msg}: {}", details.join("; "));
        }
    }
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_are_verbatim() {
        let body = r#"{"message":"Validation Failed","errors":[{"resource":"Issue","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}]}"#;
        let e = ApiError::from_status(422, body, "x", Some(10), None, None);
        assert_eq!(
            e.to_string(),
            "GitHub said (422): Validation Failed: body is too long (maximum is 65536 characters)"
        );
    }

    #[test]
    fn bad_token_says_so() {
        let e = ApiError::from_status(
            401,
            r#"{"message":"Bad credentials"}"#,
            "x",
            None,
            None,
            None,
        );
        assert!(
            e.to_string()
                .starts_with("GitHub rejected the token (401 Bad credentials)")
        );
    }

    #[test]
    fn exhausted_budget_is_a_rate_limit() {
        let e = ApiError::from_status(
            403,
            r#"{"message":"API rate limit exceeded"}"#,
            "x",
            Some(0),
            None,
            None,
        );
        assert!(matches!(e, ApiError::RateLimited { .. }));
        let e = ApiError::from_status(
            403,
            r#"{"message":"Resource not accessible"}"#,
            "x",
            Some(50),
            None,
            None,
        );
        assert!(matches!(e, ApiError::Forbidden { .. }));
    }
}
