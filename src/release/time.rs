//! Durations in words, for text that the views and the status lines share.

use chrono::{DateTime, Duration, Utc};

/// "42s", "5m", "3h", "2d".
#[must_use]
pub fn short_duration(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// "3d 4h", "2h 5m", "7m": a span to the minute, two units at most.
#[must_use]
pub fn span(d: Duration) -> String {
    let d = d.max(Duration::zero());
    let days = d.num_days();
    let hours = d.num_hours() % 24;
    let mins = d.num_minutes() % 60;
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins}m")
    } else {
        format!("{mins}m")
    }
}

/// "in 3d 4h" or "overdue 2h", and whether it is overdue.
#[must_use]
pub fn countdown(due: DateTime<Utc>, now: DateTime<Utc>) -> (String, bool) {
    let d = due - now;
    let (abs, overdue) = if d < Duration::zero() {
        (-d, true)
    } else {
        (d, false)
    };
    let span = span(abs);
    if overdue {
        (format!("overdue {span}"), true)
    } else {
        (format!("in {span}"), false)
    }
}
