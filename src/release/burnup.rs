//! The milestone's burn-up: scope (issues on the board) and done (closed) per day, from the
//! issues' created and closed dates, with the scope added after the Plan freeze marked (the
//! "last-minute scope change" made visible). Pure; derived with the release.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// An issue's dates, as the burn-up reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub repo: String,
    pub number: u64,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// One day of the burn-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Point {
    pub day: NaiveDate,
    /// Issues created on or before this day.
    pub scope: usize,
    /// Issues closed on or before this day.
    pub done: usize,
    /// Of `scope`, those created after the freeze.
    pub late: usize,
}

/// The burn-up series and what it is drawn from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Burnup {
    /// One point per day, from the first issue's creation to today.
    pub points: Vec<Point>,
    /// When scope froze, and how that is known.
    pub freeze: Option<Freeze>,
    /// The issues created after the freeze, `repo#number`.
    pub late: Vec<String>,
}

/// When the scope froze.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Freeze {
    pub at: DateTime<Utc>,
    pub source: FreezeSource,
}

/// Where the freeze date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreezeSource {
    /// `[release.scope_freeze]` in the config.
    Configured,
    /// The Plan phase's last issue closing, once every Plan issue is closed.
    PlanClosed,
}

impl FreezeSource {
    /// How the freeze reads in "added after … on Nov 20".
    #[must_use]
    pub fn phrase(self) -> &'static str {
        match self {
            FreezeSource::Configured => "the scope freeze",
            FreezeSource::PlanClosed => "the Plan phase froze",
        }
    }
}

/// When a set of issues was completed: the last one's closing, once every one is closed;
/// `None` while any is open, and for no issues. The freeze (the Plan phase's completion) and
/// the retrospective's phase spans are both this.
#[must_use]
pub fn completed_at(
    closed: impl IntoIterator<Item = Option<DateTime<Utc>>>,
) -> Option<DateTime<Utc>> {
    let mut last = None;
    let mut any = false;
    for c in closed {
        any = true;
        last = Some(c?.max(last.unwrap_or(c?)));
    }
    if any { last } else { None }
}

impl Burnup {
    /// Builds the series for `issues` up to `today`, with scope frozen at `freeze`. Issues are
    /// counted from their creation: GitHub's issue list does not say when an issue joined the
    /// milestone.
    #[must_use]
    pub fn of(issues: &[Dated], freeze: Option<Freeze>, today: DateTime<Utc>) -> Self {
        let Some(first) = issues.iter().map(|i| i.created_at.date_naive()).min() else {
            return Burnup {
                freeze,
                ..Burnup::default()
            };
        };
        let last = today.date_naive().max(first);
        let is_late = |i: &Dated| freeze.is_some_and(|f| i.created_at > f.at);
        let points = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|day| Point {
                day,
                scope: issues
                    .iter()
                    .filter(|i| i.created_at.date_naive() <= day)
                    .count(),
                done: issues
                    .iter()
                    .filter(|i| i.closed_at.is_some_and(|c| c.date_naive() <= day))
                    .count(),
                late: issues
                    .iter()
                    .filter(|i| is_late(i) && i.created_at.date_naive() <= day)
                    .count(),
            })
            .collect();
        let mut late: Vec<&Dated> = issues.iter().filter(|i| is_late(i)).collect();
        late.sort_by_key(|i| (i.created_at, i.repo.clone(), i.number));
        Burnup {
            points,
            freeze,
            late: late
                .iter()
                .map(|i| format!("{}#{}", i.repo, i.number))
                .collect(),
        }
    }

    /// The last point: today's scope and done.
    #[must_use]
    pub fn today(&self) -> Option<Point> {
        self.points.last().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
    }

    fn issue(number: u64, created: u32, closed: Option<u32>) -> Dated {
        Dated {
            repo: "acme/app".into(),
            number,
            created_at: at(created),
            closed_at: closed.map(at),
        }
    }

    #[test]
    fn scope_and_done_count_per_day_and_late_scope_is_marked() {
        let issues = [
            issue(1, 1, Some(3)),
            issue(2, 1, None),
            issue(3, 2, Some(4)),
            issue(4, 5, None),
        ];
        let b = Burnup::of(
            &issues,
            Some(Freeze {
                at: at(3),
                source: FreezeSource::PlanClosed,
            }),
            at(5) + Duration::hours(3),
        );
        let got: Vec<(u32, usize, usize, usize)> = b
            .points
            .iter()
            .map(|p| (chrono::Datelike::day(&p.day), p.scope, p.done, p.late))
            .collect();
        assert_eq!(
            got,
            [
                (1, 2, 0, 0),
                (2, 3, 0, 0),
                (3, 3, 1, 0),
                (4, 3, 2, 0),
                (5, 4, 2, 1)
            ]
        );
        assert_eq!(b.late, ["acme/app#4"]);
        assert_eq!(b.today().map(|p| (p.scope, p.done)), Some((4, 2)));
    }

    #[test]
    fn no_issues_no_points_and_no_freeze_no_late_scope() {
        assert!(Burnup::of(&[], None, at(5)).points.is_empty());
        let b = Burnup::of(&[issue(1, 1, None), issue(2, 4, None)], None, at(4));
        assert!(b.late.is_empty());
        assert!(b.points.iter().all(|p| p.late == 0));
    }

    #[test]
    fn an_issue_created_after_today_by_a_skewed_clock_still_has_a_day() {
        let b = Burnup::of(&[issue(1, 6, None)], None, at(5));
        assert_eq!(b.points.len(), 1);
        assert_eq!(b.points[0].scope, 1);
    }
}
