//! Whether a deploy may happen at `now`: windows unioned across zones, freezes merged, the next
//! opening found by searching forward at most [`HORIZON_DAYS`].
//!
//! Wall times that do not exist or happen twice (DST changes) are read so that a window covers
//! every instant whose local clock reads inside it: a start in a spring-forward gap opens at
//! the first instant after the gap (02:30 on a day that jumps 02:00 → 03:00 opens at 03:00); an
//! ambiguous start takes the earlier instant and an ambiguous end the later one (fall-back
//! 02:30 opens at 02:30 summer time, closes at 02:30 winter time). A window thus never loses
//! time a person at the wall clock would expect to be inside it.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Freeze, Window};

/// How far ahead `status` looks for the next opening, and for a close of an open window.
pub const HORIZON_DAYS: i64 = 400;

/// Most searches end within the first two weeks; only then is the whole horizon built.
const FIRST_LOOK_DAYS: i64 = 14;

/// When a window opens, with the zone of the window that opens, for the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Opening {
    pub at: DateTime<Utc>,
    pub tz: Tz,
}

/// Whether a deploy may start now, and until or from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowStatus {
    /// No windows configured and no freeze now: deploys may start any time.
    Unrestricted,
    /// Inside a window (the union of all), not frozen. `closes` is the end of the union or the
    /// start of the next freeze, whichever is first; `None` if it stays open through the horizon.
    Open { closes: Option<DateTime<Utc>> },
    /// Windows are configured and none is open. `opens` is the next unfrozen instant inside a
    /// window; `None` if there is none within [`HORIZON_DAYS`].
    Closed { opens: Option<Opening> },
    /// A freeze covers now; it wins over any window.
    Frozen {
        /// The end of the freeze, overlapping and adjacent ones merged.
        until: DateTime<Utc>,
        /// The reasons of the merged freezes still in effect at or after now, "; "-joined.
        reason: String,
        /// The freeze whose end is `until`, for showing that end as configured.
        last: Freeze,
        /// When a deploy may start again: `until` itself without windows, else the first window
        /// instant after it (searched [`HORIZON_DAYS`] past `until`); `None` if none is found.
        resumes: Option<Opening>,
    },
}

/// The deploy status at `now` given the configured windows and freezes.
///
/// A freeze wins over a window; freezes end exclusively (a freeze ending at `now` is over).
/// On DST change days a window keeps its wall times, so it lasts an hour more or less when the
/// change falls inside it. A start that does not exist (spring-forward gap) opens at the first
/// instant after the gap; a wall time that happens twice (fall-back) is the earlier instant for
/// a start and the later for an end: the window covers every instant whose clock reads inside.
#[must_use]
pub fn status(windows: &[Window], freezes: &[Freeze], now: DateTime<Utc>) -> WindowStatus {
    let chains = merge(freezes);
    if let Some(chain) = chains.iter().find(|c| c.start <= now && now < c.end) {
        return frozen(windows, &chains, chain, now);
    }
    if windows.is_empty() {
        return WindowStatus::Unrestricted;
    }
    let next_freeze = chains.iter().map(|c| c.start).find(|s| *s > now);
    let end = now + Duration::days(HORIZON_DAYS);
    let union_end = search(now, end, |to| {
        let spans = occurrences(windows, now, to);
        match union(&spans).first() {
            Some(&(start, stop)) if start <= now => (stop < to).then_some(Some(stop)),
            _ => Some(None),
        }
    });
    match union_end {
        // Inside a window: the union reaching past the horizon counts as never closing.
        Some(Some(stop)) => WindowStatus::Open {
            closes: Some(next_freeze.map_or(stop, |f| f.min(stop))),
        },
        None => WindowStatus::Open {
            closes: next_freeze,
        },
        Some(None) => WindowStatus::Closed {
            opens: next_opening(windows, &chains, now, end),
        },
    }
}

fn frozen(
    windows: &[Window],
    chains: &[Chain<'_>],
    chain: &Chain<'_>,
    now: DateTime<Utc>,
) -> WindowStatus {
    let mut reasons: Vec<&str> = Vec::new();
    for f in chain.members.iter().filter(|f| f.end() > now) {
        if !reasons.contains(&f.reason()) {
            reasons.push(f.reason());
        }
    }
    let last = chain.last.clone();
    let resumes = if windows.is_empty() {
        Some(Opening {
            at: chain.end,
            tz: last.tz(),
        })
    } else {
        next_opening(
            windows,
            chains,
            chain.end,
            chain.end + Duration::days(HORIZON_DAYS),
        )
    };
    WindowStatus::Frozen {
        until: chain.end,
        reason: reasons.join("; "),
        last,
        resumes,
    }
}

/// Runs `look` on a short stretch first and on the whole one only if that was not enough
/// (`look` returns `None` when the answer may lie past the stretch it was given).
fn search<T>(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    look: impl Fn(DateTime<Utc>) -> Option<T>,
) -> Option<T> {
    let first = (from + Duration::days(FIRST_LOOK_DAYS)).min(to);
    look(first).or_else(|| if first < to { look(to) } else { None })
}

/// The first instant at or after `from`, before `to`, inside a window and not frozen.
fn next_opening(
    windows: &[Window],
    chains: &[Chain<'_>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<Opening> {
    search(from, to, |until| {
        let spans = occurrences(windows, from, until);
        for (start, stop) in union(&spans) {
            let mut at = start.max(from);
            while let Some(c) = chains.iter().find(|c| c.start <= at && at < c.end) {
                at = c.end;
            }
            if at >= until {
                return None;
            }
            if at < stop {
                // The zone of the window that opens then, else of one open then.
                let span = spans
                    .iter()
                    .find(|s| s.start == at)
                    .or_else(|| spans.iter().find(|s| s.start <= at && at < s.end));
                return span.map(|s| Some(Opening { at, tz: s.tz }));
            }
        }
        None
    })
    .flatten()
}

/// One occurrence of a window, in real time.
struct Span {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: Tz,
}

/// Every occurrence of the windows that is open at some instant in `from..to`, by start
/// (windows in config order when they start together).
fn occurrences(windows: &[Window], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Span> {
    let mut spans = Vec::new();
    for w in windows {
        // An occurrence lasts at most about 26 h, so two days back catches one still open.
        let first = from.with_timezone(&w.tz).date_naive() - Duration::days(2);
        let last = to.with_timezone(&w.tz).date_naive();
        for day in first.iter_days().take_while(|d| *d <= last) {
            if !w.opens_on(day.weekday()) {
                continue;
            }
            let start = local_instant(w.tz, day, w.start, Side::Start);
            let end_day = if w.spans_midnight() {
                day.succ_opt().unwrap_or(day)
            } else {
                day
            };
            let end = local_instant(w.tz, end_day, w.end, Side::End);
            if start < end && end > from && start < to {
                spans.push(Span {
                    start,
                    end,
                    tz: w.tz,
                });
            }
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}

/// The union of spans sorted by start: disjoint `(start, end)`, touching ones joined.
fn union(spans: &[Span]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.1 => last.1 = last.1.max(s.end),
            _ => out.push((s.start, s.end)),
        }
    }
    out
}

/// Overlapping or adjacent freezes, merged.
struct Chain<'a> {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// By start.
    members: Vec<&'a Freeze>,
    /// The member whose end is the chain's end.
    last: &'a Freeze,
}

fn merge(freezes: &[Freeze]) -> Vec<Chain<'_>> {
    let mut sorted: Vec<&Freeze> = freezes.iter().collect();
    sorted.sort_by_key(|f| (f.start(), f.end()));
    let mut chains: Vec<Chain<'_>> = Vec::new();
    for f in sorted {
        match chains.last_mut() {
            Some(c) if f.start() <= c.end => {
                if f.end() >= c.end {
                    c.end = f.end();
                    c.last = f;
                }
                c.members.push(f);
            }
            _ => chains.push(Chain {
                start: f.start(),
                end: f.end(),
                members: vec![f],
                last: f,
            }),
        }
    }
    chains
}

/// Which instant a wall time that happens twice means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The earlier one.
    Start,
    /// The later one.
    End,
}

/// The instant the wall clock in `tz` reads `minutes` (0..=1440) after midnight of `day`; see
/// the module doc for wall times that do not exist or happen twice.
pub(super) fn local_instant(tz: Tz, day: NaiveDate, minutes: u16, side: Side) -> DateTime<Utc> {
    let (day, minutes) = if minutes >= 24 * 60 {
        (day.succ_opt().unwrap_or(day), minutes - 24 * 60)
    } else {
        (day, minutes)
    };
    let time = NaiveTime::from_hms_opt(u32::from(minutes / 60), u32::from(minutes % 60), 0)
        .unwrap_or(NaiveTime::MIN);
    let mut wall = day.and_time(time);
    // A gap is at most a day (Samoa skipped 2011-12-30); step through it a minute at a time.
    for _ in 0..=(26 * 60) {
        match tz.from_local_datetime(&wall) {
            LocalResult::Single(t) => return t.to_utc(),
            LocalResult::Ambiguous(early, late) => {
                return match side {
                    Side::Start => early,
                    Side::End => late,
                }
                .to_utc();
            }
            LocalResult::None => wall += Duration::minutes(1),
        }
    }
    // Not reached with real zone data; reading the wall time as UTC beats failing.
    Utc.from_utc_datetime(&wall)
}
