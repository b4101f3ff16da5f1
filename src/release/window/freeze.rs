//! Freezes: spans of time when no deploy may start, whatever the windows say.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::eval::{Side, local_instant};
use super::{WindowError, parse_zone};

/// One end of a freeze: a calendar date (read in the freeze's zone) or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FreezeBound {
    /// `2026-12-19`: as `from`, the start of that day; as `to`, the end of it (inclusive).
    Date(NaiveDate),
    /// An RFC 3339 date-time: exactly that instant; as `to`, the first instant not frozen.
    Instant(DateTime<FixedOffset>),
}

impl FromStr for FreezeBound {
    type Err = WindowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(FreezeBound::Date(date));
        }
        DateTime::parse_from_rfc3339(s)
            .map(FreezeBound::Instant)
            .map_err(|_| {
                WindowError(format!(
                    "date \"{s}\": use YYYY-MM-DD or an RFC 3339 date-time such as 2026-12-19T18:00:00Z"
                ))
            })
    }
}

impl fmt::Display for FreezeBound {
    /// `2026-12-19` or `2026-12-19T18:00:00+00:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FreezeBound::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            FreezeBound::Instant(t) => write!(f, "{}", t.to_rfc3339()),
        }
    }
}

impl<'de> Deserialize<'de> for FreezeBound {
    /// A string, or a bare TOML date / date-time (`from = 2026-12-19`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoundVisitor;
        impl<'de> Visitor<'de> for BoundVisitor {
            type Value = FreezeBound;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date (2026-12-19) or an RFC 3339 date-time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FreezeBound, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FreezeBound, A::Error> {
                // How the toml crate hands over its own date and date-time values.
                let value =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                value.to_string().parse().map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(BoundVisitor)
    }
}

/// A freeze from `from` to `to` (see [`FreezeBound`]), dates read in `tz`, with its reason.
///
/// Config: `{ from = "2026-12-19", to = "2027-01-04", reason = "holiday freeze" }`, optional
/// `tz = "Europe/Berlin"` (default UTC).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Freeze {
    from: FreezeBound,
    to: FreezeBound,
    reason: String,
    tz: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Freeze {
    /// A freeze, checked: a non-empty reason and a `to` after the `from`.
    ///
    /// # Errors
    /// An empty reason, or a `to` before the `from` (for instants: not after it).
    pub fn new(
        from: FreezeBound,
        to: FreezeBound,
        reason: impl Into<String>,
        tz: Tz,
    ) -> Result<Freeze, WindowError> {
        let reason = reason.into().trim().to_owned();
        if reason.is_empty() {
            return Err(WindowError(format!(
                "freeze from {from}: the reason is empty; say why (the header and the gates show it)"
            )));
        }
        let start = bound_instant(from, tz, false);
        let end = bound_instant(to, tz, true);
        if end <= start {
            let order = match (from, to) {
                (FreezeBound::Date(_), FreezeBound::Date(_)) => "before",
                _ => "not after",
            };
            return Err(WindowError(format!(
                "freeze \"{reason}\": to {to} is {order} from {from}"
            )));
        }
        Ok(Freeze {
            from,
            to,
            reason,
            tz,
            start,
            end,
        })
    }

    /// The first frozen instant.
    #[must_use]
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant no longer frozen (exclusive end).
    #[must_use]
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Why nothing may deploy; never empty.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The zone its dates are read in, and its times shown in.
    #[must_use]
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The `from` as configured.
    #[must_use]
    pub fn from(&self) -> &FreezeBound {
        &self.from
    }

    /// The `to` as configured.
    #[must_use]
    pub fn to(&self) -> &FreezeBound {
        &self.to
    }

    /// Whether `now` is frozen by this one (the end is exclusive).
    #[must_use]
    pub fn covers(&self, now: DateTime<Utc>) -> bool {
        self.start <= now && now < self.end
    }
}

/// A date starts at its first instant in `tz` (after a gap, if midnight is skipped); as an
/// end, a date is inclusive, so the freeze ends where the next day starts.
fn bound_instant(bound: FreezeBound, tz: Tz, is_end: bool) -> DateTime<Utc> {
    match bound {
        FreezeBound::Instant(t) => t.to_utc(),
        FreezeBound::Date(d) => {
            let day = if is_end { d.succ_opt().unwrap_or(d) } else { d };
            local_instant(tz, day, 0, Side::Start)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFreeze {
    from: FreezeBound,
    to: FreezeBound,
    reason: String,
    #[serde(default)]
    tz: Option<String>,
}

impl<'de> Deserialize<'de> for Freeze {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawFreeze::deserialize(deserializer)?;
        let tz = match raw.tz {
            Some(name) => parse_zone(&name).map_err(de::Error::custom)?,
            None => Tz::UTC,
        };
        Freeze::new(raw.from, raw.to, raw.reason, tz).map_err(de::Error::custom)
    }
}
