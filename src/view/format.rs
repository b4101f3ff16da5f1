//! Small text helpers: relative times, durations, truncation, run status glyphs.

use chrono::{DateTime, Duration, Utc};
use ratatui::style::Style;

use super::theme::theme;
use crate::release::{Conclusion, RunStatus};

pub use crate::release::time::short_duration;

/// "1m 05s", "2h 03m", "45s".
#[must_use]
pub fn clock_duration(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// How long a job or step took (or has taken so far), empty before it starts.
#[must_use]
pub fn took(
    started: Option<DateTime<Utc>>,
    completed: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> String {
    started.map_or_else(String::new, |s| {
        clock_duration(completed.unwrap_or(now) - s)
    })
}

/// "5m ago".
#[must_use]
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{} ago", short_duration(now - t))
}

pub use crate::release::time::countdown;

/// Cuts `s` to `max` columns with an ellipsis.
#[must_use]
pub fn truncate(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The URL a message ends with ("could not open a browser (…): https://…"), if any.
#[must_use]
pub fn trailing_url(s: &str) -> Option<&str> {
    let last = s.rsplit(' ').next()?;
    (last.starts_with("https://") || last.starts_with("http://")).then_some(last)
}

/// `s` cut to `max` characters; a URL it ends with is kept whole while it fits, the words
/// before it are cut instead (a cut URL is of no use).
#[must_use]
pub fn truncate_keeping_url(s: &str, max: usize) -> String {
    let Some(url) = trailing_url(s) else {
        return truncate(s, max);
    };
    let url_len = url.chars().count();
    if s.chars().count() <= max || url_len + 2 > max {
        return truncate(s, max);
    }
    let head = s[..s.len() - url.len()].trim_end();
    format!("{} {url}", truncate(head, max - url_len - 1))
}

/// A glyph, a word and a style for a run's state.
#[must_use]
pub fn run_state(
    status: RunStatus,
    conclusion: Option<Conclusion>,
) -> (&'static str, &'static str, Style) {
    match (status, conclusion) {
        (RunStatus::Completed, Some(Conclusion::Success)) => ("✓", "success", theme().ok),
        (RunStatus::Completed, Some(Conclusion::Failure)) => ("✗", "failure", theme().bad),
        (RunStatus::Completed, Some(Conclusion::TimedOut)) => ("✗", "timed out", theme().bad),
        (RunStatus::Completed, Some(Conclusion::StartupFailure)) => {
            ("✗", "startup failure", theme().bad)
        }
        (RunStatus::Completed, Some(Conclusion::Cancelled)) => ("⊘", "cancelled", theme().dim),
        (RunStatus::Completed, Some(Conclusion::Skipped)) => ("⊘", "skipped", theme().dim),
        (RunStatus::Completed, Some(Conclusion::ActionRequired)) => {
            ("!", "action required", theme().warn)
        }
        (RunStatus::Completed, Some(c)) => ("•", c.as_str(), theme().dim),
        (RunStatus::Completed, None) => ("•", "completed", theme().dim),
        (RunStatus::InProgress, _) => ("●", "running", theme().running),
        (RunStatus::Waiting, _) => ("◆", "waiting", theme().warn),
        (RunStatus::Queued | RunStatus::Requested | RunStatus::Pending, _) => {
            ("○", "queued", theme().queued)
        }
        (RunStatus::Unknown, _) => ("?", "unknown", theme().dim),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_url_survives_truncation() {
        let s = "could not open a browser (xdg-open: not found): https://github.com/a/b/issues/1";
        assert_eq!(trailing_url(s), Some("https://github.com/a/b/issues/1"));
        assert_eq!(trailing_url("refresh failed: timeout"), None);
        assert_eq!(truncate_keeping_url(s, 200), s);
        let cut = truncate_keeping_url(s, 45);
        assert_eq!(cut, "could not op… https://github.com/a/b/issues/1");
        assert_eq!(cut.chars().count(), 45);
        // Too narrow for the URL itself: cut like any text.
        assert_eq!(truncate_keeping_url(s, 10), "could not…");
        assert_eq!(truncate_keeping_url("a short one", 5), "a sh…");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(short_duration(Duration::seconds(42)), "42s");
        assert_eq!(short_duration(Duration::seconds(3 * 3600 + 5)), "3h");
        assert_eq!(clock_duration(Duration::seconds(65)), "1m 05s");
        let now = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap_or_default();
        assert_eq!(
            countdown(now + Duration::hours(52), now),
            ("in 2d 4h".into(), false)
        );
        assert_eq!(
            countdown(now - Duration::minutes(90), now),
            ("overdue 1h 30m".into(), true)
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
