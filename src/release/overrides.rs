//! Gate overrides as the tracking issue records them: the comment posted before a dispatch
//! made against a NO-GO verdict (from the dashboard or `shipdeck dispatch --override`), read
//! back by the sync for the retrospective.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Comment;

/// The first words of an override comment (the writer, `GateOverride::comment`, starts with
/// them; [`OverrideNote::from_comment`] looks for them).
pub const OVERRIDE_MARKER: &str = "⚠️ Go/no-go overridden";

/// One override, read from its comment on the tracking issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideNote {
    /// Who posted it (the user who dispatched); `None` for a deleted account.
    pub author: Option<String>,
    pub at: DateTime<Utc>,
    /// What was dispatched: "deploy.yml dispatched in acme/app on release/v2.4.0".
    pub what: String,
    /// The reason typed by the user.
    pub reason: String,
    /// The gates that failed, "name: reason".
    pub failing: Vec<String>,
    pub html_url: String,
}

impl OverrideNote {
    /// The override recorded by `comment`; `None` for any other comment.
    #[must_use]
    pub fn from_comment(comment: &Comment) -> Option<Self> {
        let body = comment.body.trim_start();
        let first = body.lines().next()?;
        if !first.starts_with(OVERRIDE_MARKER) {
            return None;
        }
        let what = first
            .split_once("): ")
            .map_or(first, |(_, w)| w)
            .split(" while the deploy verdict")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let reason = body
            .lines()
            .find_map(|l| l.trim().strip_prefix("Reason:"))
            .map_or_else(|| "no reason given".to_string(), |r| r.trim().to_string());
        let failing = body
            .lines()
            .skip_while(|l| l.trim() != "Failing gates:")
            .skip(1)
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(str::to_string)
            .collect();
        Some(OverrideNote {
            author: comment.author.clone(),
            at: comment.created_at,
            what,
            reason,
            failing,
            html_url: comment.html_url.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_override_comment_reads_back_and_others_do_not() {
        let body = format!(
            "{OVERRIDE_MARKER} for v2.4.0 (via shipdeck): deploy.yml dispatched in acme/app on release/v2.4.0 while the deploy verdict is NO-GO.\n\nReason: hotfix for INC-42\n\nFailing gates:\n- ci: red\n- window: closed\n"
        );
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        let c = Comment {
            id: 1,
            author: Some("erin".into()),
            body,
            created_at: at,
            html_url: "https://github.com/acme/app/issues/1#c1".into(),
        };
        let o = OverrideNote::from_comment(&c).unwrap();
        assert_eq!(
            o.what,
            "deploy.yml dispatched in acme/app on release/v2.4.0"
        );
        assert_eq!(o.reason, "hotfix for INC-42");
        assert_eq!(o.failing, ["ci: red", "window: closed"]);
        assert_eq!(o.at, at);
        let other = Comment {
            body: "LGTM ⚠️ Go/no-go overridden".into(),
            ..c
        };
        assert!(OverrideNote::from_comment(&other).is_none());
    }
}
