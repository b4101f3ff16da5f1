//! Small helpers for the simulator: time offsets and formats, stable hashes, base64, ranges.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// Formats a timestamp the way GitHub's REST API does (`2026-11-21T10:00:00Z`).
pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Formats a timestamp like the prefix of a GitHub Actions log line
/// (`2026-11-21T10:00:00.1234567Z`).
pub fn log_stamp(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

/// Parses a signed offset such as `-12d`, `+4d`, `-3h`, `-2d3h30m`, `-40s` or `0`.
pub fn parse_offset(s: &str) -> Option<TimeDelta> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    if rest == "0" || rest == "now" {
        return Some(TimeDelta::zero());
    }
    let d = parse_duration(rest)?;
    let d = TimeDelta::from_std(d).ok()?;
    Some(if sign < 0 { -d } else { d })
}

/// Parses an unsigned duration such as `7m`, `70s`, `1h5m`, `2d` or `1500ms`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut num = String::new();
    let mut chars = s.trim().chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'd' => Duration::from_secs(86_400 * n),
            'h' => Duration::from_secs(3_600 * n),
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                Duration::from_millis(n)
            }
            'm' => Duration::from_secs(60 * n),
            's' => Duration::from_secs(n),
            _ => return None,
        };
        total += unit;
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    Some(total)
}

/// Adds a std duration to a timestamp (saturating to the input on overflow).
pub fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(t)
}

/// 64-bit FNV-1a: a stable hash used for ETags, fake SHAs and ids.
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A stable 40-hex-digit fake git SHA derived from `seed`.
pub fn fake_sha(seed: &str) -> String {
    let a = fnv64(seed.as_bytes());
    let b = fnv64(format!("{seed}#tree").as_bytes());
    let c = fnv64(format!("{seed}#blob").as_bytes());
    let mut s = format!("{a:016x}{b:016x}{c:016x}");
    s.truncate(40);
    s
}

/// A stable numeric id for a user login (so the same login always has the same id).
pub fn user_id(login: &str) -> u64 {
    match login {
        "alice" => 1_204_501,
        "bob" => 1_204_502,
        "carol" => 1_204_503,
        "dave" => 1_204_504,
        "erin" => 1_204_505,
        "frank" => 1_204_506,
        _ => 10_000_000 + fnv64(login.as_bytes()) % 90_000_000,
    }
}

/// Standard base64 with padding; `wrap` inserts `\n` every 60 output characters like
/// GitHub's contents API (which also ends the text with `\n`).
pub fn base64(data: &[u8], wrap: bool) -> String {
    use base64::Engine as _;
    let out = base64::engine::general_purpose::STANDARD.encode(data);
    if !wrap {
        return out;
    }
    // The alphabet is ASCII, so 60-byte chunks are whole characters.
    let lines: Vec<&str> = out
        .as_bytes()
        .chunks(60)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// One bound of a `created` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Incl(DateTime<Utc>),
    Excl(DateTime<Utc>),
    Open,
}

/// A time range parsed from GitHub's search-style date qualifiers
/// (`>=2026-01-01T00:00:00Z`, `2026-01-01..2026-01-31`, `<2026-02-01`, `2026-01-05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    lo: Bound,
    hi: Bound,
}

impl DateRange {
    /// Parses a qualifier; `None` when it is not one of GitHub's forms.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let lo = if a == "*" {
                Bound::Open
            } else {
                Bound::Incl(parse_point(a)?.0)
            };
            let hi = if b == "*" {
                Bound::Open
            } else {
                let (t, date_only) = parse_point(b)?;
                end_bound(t, date_only, true)
            };
            return Some(Self { lo, hi });
        }
        let open = Bound::Open;
        if let Some(r) = s.strip_prefix(">=") {
            return Some(Self {
                lo: Bound::Incl(parse_point(r)?.0),
                hi: open,
            });
        }
        if let Some(r) = s.strip_prefix("<=") {
            let (t, d) = parse_point(r)?;
            return Some(Self {
                lo: open,
                hi: end_bound(t, d, true),
            });
        }
        if let Some(r) = s.strip_prefix('>') {
            let (t, d) = parse_point(r)?;
            let lo = if d {
                Bound::Incl(t + TimeDelta::days(1))
            } else {
                Bound::Excl(t)
            };
            return Some(Self { lo, hi: open });
        }
        if let Some(r) = s.strip_prefix('<') {
            return Some(Self {
                lo: open,
                hi: Bound::Excl(parse_point(r)?.0),
            });
        }
        let (t, d) = parse_point(s)?;
        Some(Self {
            lo: Bound::Incl(t),
            hi: end_bound(t, d, true),
        })
    }

    /// Whether `t` lies inside the range.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        let lo_ok = match self.lo {
            Bound::Incl(b) => t >= b,
            Bound::Excl(b) => t > b,
            Bound::Open => true,
        };
        let hi_ok = match self.hi {
            Bound::Incl(b) => t <= b,
            Bound::Excl(b) => t < b,
            Bound::Open => true,
        };
        lo_ok && hi_ok
    }
}

fn end_bound(t: DateTime<Utc>, date_only: bool, inclusive: bool) -> Bound {
    if date_only {
        Bound::Excl(t + TimeDelta::days(1))
    } else if inclusive {
        Bound::Incl(t)
    } else {
        Bound::Excl(t)
    }
}

/// Parses a date or date-time; the flag says whether only a date was given.
fn parse_point(s: &str) -> Option<(DateTime<Utc>, bool)> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some((d.and_hms_opt(0, 0, 0)?.and_utc(), true));
    }
    parse_time(s).map(|t| (t, false))
}

/// Parses an ISO 8601 timestamp with `Z`, an offset, or no zone (taken as UTC).
/// A space where a `+` belonged (form-decoded query strings) is tolerated.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim().replace(' ', "+");
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_durations() {
        assert_eq!(parse_offset("-12d"), Some(TimeDelta::days(-12)));
        assert_eq!(parse_offset("+4d"), Some(TimeDelta::days(4)));
        assert_eq!(
            parse_offset("-2d3h"),
            Some(-(TimeDelta::days(2) + TimeDelta::hours(3)))
        );
        assert_eq!(parse_offset("0"), Some(TimeDelta::zero()));
        assert_eq!(parse_duration("1500ms"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("7m30s"), Some(Duration::from_secs(450)));
        assert_eq!(parse_duration("7"), None);
        assert_eq!(parse_duration("x"), None);
    }

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b"", false), "");
        assert_eq!(base64(b"f", false), "Zg==");
        assert_eq!(base64(b"fo", false), "Zm8=");
        assert_eq!(base64(b"foobar", false), "Zm9vYmFy");
        let long = base64(&[0u8; 100], true);
        assert!(long.lines().all(|l| l.len() <= 60));
        assert!(long.ends_with('\n'));
    }

    #[test]
    fn created_ranges() {
        let t = |s: &str| parse_time(s).expect("valid time");
        let r = DateRange::parse(">=2026-01-01T00:00:00Z").expect("valid");
        assert!(r.contains(t("2026-01-01T00:00:00Z")));
        assert!(!r.contains(t("2025-12-31T23:59:59Z")));
        let r = DateRange::parse("2026-01-01..2026-01-02").expect("valid");
        assert!(r.contains(t("2026-01-02T23:00:00Z")));
        assert!(!r.contains(t("2026-01-03T00:00:00Z")));
        let r = DateRange::parse("2026-01-05").expect("valid");
        assert!(r.contains(t("2026-01-05T12:00:00Z")));
        assert!(!r.contains(t("2026-01-06T00:00:00Z")));
        let r = DateRange::parse("<2026-01-05").expect("valid");
        assert!(!r.contains(t("2026-01-05T00:00:00Z")));
        assert!(DateRange::parse("yesterday").is_none());
        assert!(DateRange::parse(">=2026-01-01T00:00:00 00:00").is_some());
    }
}
