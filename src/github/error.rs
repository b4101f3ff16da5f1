//! Building [`ApiError`]s from GitHub's answers (status, error body, rate-limit headers).

use chrono::{DateTime, Utc};

pub use crate::release::error::ApiError;

impl ApiError {
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

/// The error for an API root that answered something other than GitHub's JSON API: `base` is
/// the configured root, `answer` what came back (e.g. `200 text/html`). The hint names where
/// the API usually is: `https://api.github.com` for GitHub.com's web host, else
/// `https://HOST/api/v3` (GitHub Enterprise Server).
#[must_use]
pub fn not_github(base: &str, answer: &str) -> ApiError {
    let parsed = url::Url::parse(base).ok();
    let host = parsed
        .as_ref()
        .and_then(url::Url::host_str)
        .unwrap_or("HOST");
    let hint =
        if host.eq_ignore_ascii_case("github.com") || host.eq_ignore_ascii_case("www.github.com") {
            "GitHub.com's API is https://api.github.com".to_string()
        } else if parsed
            .as_ref()
            .is_some_and(|u| u.path().trim_end_matches('/').ends_with("/api/v3"))
        {
            "is it the API root of GitHub Enterprise Server?".to_string()
        } else {
            let port = parsed
                .as_ref()
                .and_then(url::Url::port)
                .map(|p| format!(":{p}"))
                .unwrap_or_default();
            format!("GitHub Enterprise Server uses https://{host}{port}/api/v3")
        };
    ApiError::NotGitHub {
        url: base.to_string(),
        answer: answer.to_string(),
        hint,
    }
}

/// GitHub's text with each line break (and the blank lines around it) made one space, so a
/// message like "Invalid request.\n\n\"ref\" wasn't supplied." fits a status line. The
/// words stay verbatim.
fn one_line(text: &str) -> String {
    text.trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// GitHub's `message`, followed by each `errors[].message` (or `code` on `field`).
fn github_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let mut msg = one_line(v.get("message")?.as_str()?);
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
    fn conflicts_keep_githubs_message() {
        let body = r#"{"message":"Cannot cancel a workflow run that is completed.","documentation_url":"https://docs.github.com/rest","status":"409"}"#;
        let e = ApiError::from_status(409, body, "x", Some(10), None, None);
        assert_eq!(
            e.to_string(),
            "GitHub said (409): Cannot cancel a workflow run that is completed."
        );
    }

    #[test]
    fn multi_line_messages_fit_one_line() {
        let body = r#"{"message":"Invalid request.\n\n\"ref\" wasn't supplied."}"#;
        let e = ApiError::from_status(422, body, "x", Some(10), None, None);
        assert_eq!(
            e.to_string(),
            r#"GitHub said (422): Invalid request. "ref" wasn't supplied."#
        );
    }

    #[test]
    fn only_access_403s_blame_the_token() {
        let e = ApiError::from_status(
            403,
            r#"{"message":"Resource not accessible by personal access token"}"#,
            "x",
            Some(50),
            None,
            None,
        );
        assert!(
            e.to_string()
                .ends_with("may lack the Issues or Actions permission"),
            "{e}"
        );
        let e = ApiError::from_status(
            403,
            r#"{"message":"This workflow is already running"}"#,
            "x",
            Some(50),
            None,
            None,
        );
        assert_eq!(
            e.to_string(),
            "GitHub refused (403): This workflow is already running"
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
