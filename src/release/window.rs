//! Deploy windows and freezes (issue 9): weekly windows in IANA zones, dated freezes, whether a
//! deploy may happen at an instant, and the one text the header and the gates show for it.
//!
//! Pure: no clock, no I/O; every question takes `now`. Wall times are converted with the zone's
//! rules, so `09:00-16:00 Europe/Berlin` is 08:00-15:00 UTC in winter and 07:00-14:00 UTC in
//! summer. Where a wall time does not exist or happens twice, see [`status`] for the choice.

mod eval;
mod freeze;
mod text;

use std::fmt;
use std::str::FromStr;

use chrono::Weekday;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use eval::{HORIZON_DAYS, Opening, WindowStatus, status};
pub use freeze::{Freeze, FreezeBound};
pub use text::{freeze_gate, span, window_gate};

/// A configuration mistake in a window or a freeze, worded so the user knows what to write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WindowError(String);

/// A weekly deploy window: on the given days, from `start` to `end` local time in `tz`.
///
/// Parsed from (and printed as) `"Mon-Thu 09:00-16:00 Europe/Berlin"`. An end at or before the
/// start spans midnight (`Fri 22:00-02:00` opens Friday 22:00 and closes Saturday 02:00: the
/// days name the opening day); `24:00` ends at the next midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Bit `d` set: the window opens on the weekday `d` days from Monday.
    days: u8,
    /// Minutes after local midnight, 0..1440.
    start: u16,
    /// Minutes after local midnight, 1..=1440; at or before `start` means the next day.
    end: u16,
    tz: Tz,
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ALL_DAYS: u8 = 0x7f;
const EXAMPLE: &str = "\"Mon-Thu 09:00-16:00 Europe/Berlin\"";

impl Window {
    /// The opening days, Monday first.
    #[must_use]
    pub fn days(&self) -> Vec<Weekday> {
        (0..7u8)
            .filter(|d| self.opens_on_index(*d))
            .filter_map(|d| Weekday::try_from(d).ok())
            .collect()
    }

    /// Whether the window opens on this weekday.
    #[must_use]
    pub fn opens_on(&self, day: Weekday) -> bool {
        self.opens_on_index(weekday_index(day))
    }

    /// The zone its wall times are read in.
    #[must_use]
    pub fn tz(&self) -> Tz {
        self.tz
    }

    fn opens_on_index(&self, d: u8) -> bool {
        self.days & (1 << d) != 0
    }

    /// Whether the end falls on the day after the opening day.
    fn spans_midnight(&self) -> bool {
        self.end <= self.start
    }
}

fn weekday_index(day: Weekday) -> u8 {
    // 0 = Monday .. 6 = Sunday; always fits.
    u8::try_from(day.num_days_from_monday()).unwrap_or(0)
}

impl FromStr for Window {
    type Err = WindowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let words: Vec<&str> = s.split_whitespace().collect();
        if words.is_empty() {
            return Err(WindowError(format!(
                "empty window: expected e.g. {EXAMPLE}"
            )));
        }
        let Some(at) = words
            .iter()
            .position(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        else {
            return Err(WindowError(format!(
                "no time range in \"{}\": expected e.g. {EXAMPLE}",
                words.join(" ")
            )));
        };
        let times = words[at];
        if at == 0 {
            return Err(WindowError(format!(
                "missing days before \"{times}\": use e.g. Mon-Fri, Mon,Wed,Fri or daily"
            )));
        }
        let days = parse_days(&words[..at].concat())?;
        let (start, end) = parse_times(times)?;
        let tz = match &words[at + 1..] {
            [] => {
                return Err(WindowError(format!(
                    "missing time zone after \"{times}\": add an IANA name such as Europe/Berlin or UTC"
                )));
            }
            [zone] => parse_zone(zone)?,
            [_, extra, ..] => {
                return Err(WindowError(format!(
                    "unexpected \"{extra}\" after the time zone"
                )));
            }
        };
        Ok(Window {
            days,
            start,
            end,
            tz,
        })
    }
}

/// `daily`, or comma-separated days and ranges (`Mon-Wed,Fri`; `Fri-Mon` wraps the week).
fn parse_days(spec: &str) -> Result<u8, WindowError> {
    if spec.eq_ignore_ascii_case("daily") {
        return Ok(ALL_DAYS);
    }
    let mut days = 0u8;
    for item in spec.split(',') {
        match item.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (parse_day(from)?, parse_day(to)?);
                let mut d = from;
                days |= 1 << d;
                while d != to {
                    d = (d + 1) % 7;
                    days |= 1 << d;
                }
            }
            None => days |= 1 << parse_day(item)?,
        }
    }
    Ok(days)
}

/// "Mon" or "Monday", any case; 0 = Monday.
fn parse_day(word: &str) -> Result<u8, WindowError> {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = word.to_ascii_lowercase();
    (0u8..7)
        .find(|d| {
            let full = FULL[usize::from(*d)];
            lower == full || lower == full[..3]
        })
        .ok_or_else(|| WindowError(format!("day \"{word}\": use {}", DAY_NAMES.join(" "))))
}

/// `09:00-16:00` (or `9:00-16:00`) to minutes after midnight.
fn parse_times(range: &str) -> Result<(u16, u16), WindowError> {
    let Some((start, end)) = range.split_once('-') else {
        return Err(WindowError(format!(
            "time range \"{range}\": use start-end, e.g. 09:00-16:00"
        )));
    };
    let (start_min, end_min) = (parse_time(start)?, parse_time(end)?);
    if start_min == 24 * 60 {
        return Err(WindowError(format!(
            "time \"{start}\": a window starts between 00:00 and 23:59"
        )));
    }
    if start_min == end_min {
        return Err(WindowError(format!(
            "time range \"{range}\" is empty: for a whole day use 00:00-24:00"
        )));
    }
    // 00:00 as an end is the next midnight, like 24:00.
    Ok((start_min, if end_min == 0 { 24 * 60 } else { end_min }))
}

/// `HH:MM` or `H:MM`, 00:00 to 24:00.
fn parse_time(text: &str) -> Result<u16, WindowError> {
    let bad = || WindowError(format!("time \"{text}\": use HH:MM (24-hour), e.g. 09:00"));
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(matches!(h.len(), 1 | 2) && m.len() == 2 && digits(h) && digits(m)) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    match (h, m) {
        (0..=23, 0..=59) | (24, 0) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

/// An IANA zone name (`UTC` included); a near miss gets a suggestion.
pub(crate) fn parse_zone(name: &str) -> Result<Tz, WindowError> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let near = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                edit_distance(&name.to_ascii_lowercase(), &tz.name().to_ascii_lowercase()),
                tz,
            )
        })
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= 2);
    Err(WindowError(match near {
        Some((_, tz)) => format!(
            "unknown time zone \"{name}\": did you mean \"{}\"?",
            tz.name()
        ),
        None => format!(
            "unknown time zone \"{name}\": use an IANA name such as Europe/Berlin, America/New_York or UTC"
        ),
    }))
}

/// Levenshtein distance, for "did you mean" (zone names are short and ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

impl fmt::Display for Window {
    /// The canonical form: `daily` or runs of days (`Fri-Mon`, `Mon-Wed,Fri`), `HH:MM-HH:MM`
    /// (`24:00` for a midnight end), the zone's IANA name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(
            f,
            "{} {}-{} {}",
            days_text(self.days),
            hm(self.start),
            hm(self.end),
            self.tz.name()
        )
    }
}

/// Runs of consecutive days (wrapping the week), each starting after a day off, Monday first.
fn days_text(days: u8) -> String {
    if days == ALL_DAYS {
        return "daily".to_owned();
    }
    let on = |d: u8| days & (1 << (d % 7)) != 0;
    let mut runs = Vec::new();
    for first in (0u8..7).filter(|d| on(*d) && !on(d + 6)) {
        let mut last = first;
        while on(last + 1) {
            last = (last + 1) % 7;
        }
        let name = |d: u8| DAY_NAMES[usize::from(d)];
        runs.push(if last == first {
            name(first).to_owned()
        } else {
            format!("{}-{}", name(first), name(last))
        });
    }
    runs.join(",")
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
