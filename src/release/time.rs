//! Durations in words, for text that the views and the status lines share.

use chrono::Duration;

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
