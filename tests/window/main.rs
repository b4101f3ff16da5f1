//! Deploy windows and freezes (issue 9): parsing, evaluation across zones and DST, and the text
//! the header and the gates show. Pure: every test passes a fixed instant.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use shipdeck::release::window::{Freeze, Opening, Window, WindowStatus};

/// A fixed instant from RFC 3339.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a fixed RFC 3339 instant")
        .with_timezone(&Utc)
}

/// A window that must parse.
pub fn win(s: &str) -> Window {
    s.parse().expect("a valid window")
}

/// The message a window that must not parse gives.
pub fn err(s: &str) -> String {
    s.parse::<Window>()
        .expect_err("an invalid window")
        .to_string()
}

/// A checked freeze, dates in UTC.
pub fn freeze(from: &str, to: &str, reason: &str) -> Freeze {
    freeze_in(from, to, reason, Tz::UTC)
}

/// A checked freeze, dates in `tz`.
pub fn freeze_in(from: &str, to: &str, reason: &str, tz: Tz) -> Freeze {
    Freeze::new(
        from.parse().expect("a bound"),
        to.parse().expect("a bound"),
        reason,
        tz,
    )
    .expect("a valid freeze")
}

/// `Open`, closing at `closes`.
pub fn open(closes: &str) -> WindowStatus {
    WindowStatus::Open {
        closes: Some(at(closes)),
    }
}

/// `Closed`, the next opening at `opens` in a window of zone `tz`.
pub fn closed(opens: &str, tz: Tz) -> WindowStatus {
    WindowStatus::Closed {
        opens: Some(Opening { at: at(opens), tz }),
    }
}

pub const BERLIN: Tz = chrono_tz::Europe::Berlin;
pub const NEW_YORK: Tz = chrono_tz::America::New_York;

mod dst;
mod freezes;
mod parse;
mod text;
