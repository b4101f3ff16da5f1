//! DORA performance bands (elite / high / medium / low) for the four keys. The thresholds are
//! shipdeck's reading of the State of DevOps reports' clusters, made contiguous so that every
//! value falls in exactly one band; the README lists them.

use serde::{Deserialize, Serialize};

use super::Kind;

/// A performance band, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Elite,
    High,
    Medium,
    Low,
}

const HOUR: f64 = 3600.0;
const DAY: f64 = 24.0 * HOUR;

/// How a value is held against a band's bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    AtLeast,
    Below,
    AtMost,
}

/// The bounds of elite, high and medium for `kind` (worse than medium is low), or `None` for a
/// metric DORA does not band.
fn bounds(kind: Kind) -> Option<([f64; 3], Cmp)> {
    match kind {
        // At least daily; at least weekly; at least once a month (12 a year).
        Kind::DeploymentFrequency => Some(([7.0, 1.0, 12.0 / 52.0], Cmp::AtLeast)),
        Kind::LeadTime => Some(([DAY, 7.0 * DAY, 30.0 * DAY], Cmp::Below)),
        Kind::TimeToRestore => Some(([HOUR, DAY, 7.0 * DAY], Cmp::Below)),
        Kind::ChangeFailureRate => Some(([0.05, 0.10, 0.15], Cmp::AtMost)),
        Kind::DeploySuccessRate | Kind::CycleTime => None,
    }
}

impl Band {
    /// The band of `value` for `kind` (as [`super::Measure::value`] holds it: deploys per
    /// week, a fraction, or seconds); `None` for metrics DORA does not band.
    #[must_use]
    pub fn of(kind: Kind, value: f64) -> Option<Band> {
        let (b, cmp) = bounds(kind)?;
        let pass = |bound: f64| match cmp {
            Cmp::AtLeast => value >= bound,
            Cmp::Below => value < bound,
            // A rate computed as 1/20 must be "5 %": compare within rounding.
            Cmp::AtMost => value <= bound + 1e-9,
        };
        Some(if pass(b[0]) {
            Band::Elite
        } else if pass(b[1]) {
            Band::High
        } else if pass(b[2]) {
            Band::Medium
        } else {
            Band::Low
        })
    }

    /// The bands of `kind` in words ("elite < 1d 0h · high < 7d 0h · …"), from the same bounds
    /// [`Band::of`] uses; `None` for metrics DORA does not band.
    #[must_use]
    pub fn thresholds(kind: Kind) -> Option<String> {
        let (b, cmp) = bounds(kind)?;
        let op = match cmp {
            Cmp::AtLeast => "≥",
            Cmp::Below => "<",
            Cmp::AtMost => "≤",
        };
        let v = |x: f64| super::format::value_text(kind, x);
        Some(format!(
            "elite {op} {} · high {op} {} · medium {op} {} · low otherwise",
            v(b[0]),
            v(b[1]),
            v(b[2])
        ))
    }

    /// Lower-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Band::Elite => "elite",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_meet_at_their_bounds() {
        let f = |v| Band::of(Kind::DeploymentFrequency, v);
        assert_eq!(f(7.0), Some(Band::Elite));
        assert_eq!(f(6.9), Some(Band::High));
        assert_eq!(f(1.0), Some(Band::High));
        assert_eq!(f(0.99), Some(Band::Medium));
        assert_eq!(f(12.0 / 52.0), Some(Band::Medium));
        assert_eq!(f(0.2), Some(Band::Low));
        let lt = |h: f64| Band::of(Kind::LeadTime, h * HOUR);
        assert_eq!(lt(23.9), Some(Band::Elite));
        assert_eq!(lt(24.0), Some(Band::High));
        assert_eq!(lt(24.0 * 30.0), Some(Band::Low));
        let cfr = |v| Band::of(Kind::ChangeFailureRate, v);
        assert_eq!(cfr(0.05), Some(Band::Elite));
        assert_eq!(cfr(0.1), Some(Band::High));
        assert_eq!(cfr(0.15), Some(Band::Medium));
        assert_eq!(cfr(0.16), Some(Band::Low));
        let ttr = |m: f64| Band::of(Kind::TimeToRestore, m * 60.0);
        assert_eq!(ttr(59.0), Some(Band::Elite));
        assert_eq!(ttr(60.0), Some(Band::High));
        assert_eq!(ttr(60.0 * 24.0 * 7.0), Some(Band::Low));
        assert_eq!(cfr(1.0 / 20.0), Some(Band::Elite), "1 of 20 is 5 %");
        assert_eq!(
            Band::thresholds(Kind::TimeToRestore).as_deref(),
            Some("elite < 1h 0m · high < 1d 0h · medium < 7d 0h · low otherwise")
        );
        assert_eq!(
            Band::thresholds(Kind::DeploymentFrequency).as_deref(),
            Some("elite ≥ 7.0/week · high ≥ 1.0/week · medium ≥ 0.23/week · low otherwise")
        );
        assert_eq!(
            Band::thresholds(Kind::ChangeFailureRate).as_deref(),
            Some("elite ≤ 5 % · high ≤ 10 % · medium ≤ 15 % · low otherwise")
        );
        assert_eq!(Band::thresholds(Kind::CycleTime), None);
        assert_eq!(Band::of(Kind::CycleTime, 1.0), None);
        assert_eq!(Band::of(Kind::DeploySuccessRate, 1.0), None);
    }
}
