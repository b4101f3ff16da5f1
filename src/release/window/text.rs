//! The words for windows and freezes: one function per text, shared by the header and the gates.

use chrono::{DateTime, Duration, Utc};

use super::eval::{HORIZON_DAYS, Opening, WindowStatus, status};
use super::{Freeze, FreezeBound, Window};

/// How close a freeze must start to be named by the freeze gate.
const NEXT_FREEZE_DAYS: i64 = 7;

/// Beyond this an opening is shown with its date, as the weekday alone would be ambiguous.
const WEEKDAY_ONLY_DAYS: i64 = 6;

/// A duration in its two largest units, rounded down: "45 m", "1 h 20 m", "2 d 3 h", "< 1 m".
#[must_use]
pub fn span(d: Duration) -> String {
    let minutes = d.num_minutes();
    if minutes < 1 {
        return "< 1 m".to_owned();
    }
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} m"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} m"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

impl WindowStatus {
    /// One line for the header: "window open, closes in 1 h 20 m", "outside the window, next
    /// opens Tue 09:00 Europe/Berlin", "frozen until Jan 4: holiday freeze", "no deploy window
    /// configured".
    #[must_use]
    pub fn describe(&self, now: DateTime<Utc>) -> String {
        match self {
            WindowStatus::Unrestricted => "no deploy window configured".to_owned(),
            WindowStatus::Open { closes: Some(at) } => {
                format!("window open, closes in {}", span(*at - now))
            }
            WindowStatus::Open { closes: None } => "window open around the clock".to_owned(),
            WindowStatus::Closed { opens } => {
                format!("outside the window, {}", next_opening(opens.as_ref(), now))
            }
            WindowStatus::Frozen { reason, last, .. } => {
                format!("frozen until {}: {reason}", freeze_end(last))
            }
        }
    }
}

/// "next opens Tue 09:00 Europe/Berlin" (local time of the opening window; with the date,
/// "Tue Dec 8 09:00", when more than six days away), or that none opens within the horizon.
fn next_opening(opens: Option<&Opening>, now: DateTime<Utc>) -> String {
    let Some(o) = opens else {
        return format!("none opens within {HORIZON_DAYS} days");
    };
    let local = o.at.with_timezone(&o.tz);
    let pattern = if o.at - now > Duration::days(WEEKDAY_ONLY_DAYS) {
        "%a %b %-d %H:%M"
    } else {
        "%a %H:%M"
    };
    format!("next opens {} {}", local.format(pattern), o.tz.name())
}

/// The end of a freeze as configured: the last frozen day ("Jan 4") for a date, the instant in
/// the freeze's zone ("Jan 4 14:00 UTC") for a date-time.
fn freeze_end(f: &Freeze) -> String {
    bound_label(f, *f.to())
}

/// The start of a freeze: "Dec 19", or "Dec 19 18:00 UTC".
fn freeze_start(f: &Freeze) -> String {
    bound_label(f, *f.from())
}

fn bound_label(f: &Freeze, bound: FreezeBound) -> String {
    match bound {
        FreezeBound::Date(d) => d.format("%b %-d").to_string(),
        FreezeBound::Instant(t) => format!(
            "{} {}",
            t.with_timezone(&f.tz()).format("%b %-d %H:%M"),
            f.tz().name()
        ),
    }
}

/// The gate "inside a deploy window": passes inside a window (or with none configured), with
/// the status text; while frozen it still says whether a window is open, and when the next one
/// after the freeze opens.
#[must_use]
pub fn window_gate(windows: &[Window], freezes: &[Freeze], now: DateTime<Utc>) -> (bool, String) {
    if windows.is_empty() {
        return (true, "no windows configured".to_owned());
    }
    let s = status(windows, freezes, now);
    match &s {
        WindowStatus::Frozen { resumes, .. } => {
            let inside = matches!(status(windows, &[], now), WindowStatus::Open { .. });
            let here = if inside {
                "window open"
            } else {
                "outside the window"
            };
            let next = next_opening(resumes.as_ref(), now);
            (inside, format!("{here}; after the freeze, {next}"))
        }
        WindowStatus::Closed { .. } => (false, s.describe(now)),
        WindowStatus::Open { .. } | WindowStatus::Unrestricted => (true, s.describe(now)),
    }
}

/// The gate "not in a freeze": fails while frozen ("frozen until Jan 4: holiday freeze");
/// passes otherwise, naming a freeze that starts within seven days ("none now; next: Dec 19
/// holiday freeze").
#[must_use]
pub fn freeze_gate(freezes: &[Freeze], now: DateTime<Utc>) -> (bool, String) {
    let s = status(&[], freezes, now);
    if let WindowStatus::Frozen { .. } = s {
        return (false, s.describe(now));
    }
    let soon = freezes
        .iter()
        .filter(|f| f.start() > now && f.start() - now <= Duration::days(NEXT_FREEZE_DAYS))
        .min_by_key(|f| f.start());
    match soon {
        Some(f) => (
            true,
            format!("none now; next: {} {}", freeze_start(f), f.reason()),
        ),
        None => (true, "no freeze now".to_owned()),
    }
}
