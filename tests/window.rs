//! Deploy windows and freezes (issue 9): parsing, evaluation across zones and DST, and the text
//! the header and the gates show. Pure: every test passes a fixed instant.

use chrono::{DateTime, Duration, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use shipdeck::release::window::{
    Freeze, FreezeBound, Opening, Window, WindowStatus, freeze_gate, span, status, window_gate,
};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a fixed RFC 3339 instant")
        .with_timezone(&Utc)
}

fn win(s: &str) -> Window {
    s.parse().expect("a valid window")
}

fn err(s: &str) -> String {
    s.parse::<Window>()
        .expect_err("an invalid window")
        .to_string()
}

fn freeze(from: &str, to: &str, reason: &str) -> Freeze {
    freeze_in(from, to, reason, Tz::UTC)
}

fn freeze_in(from: &str, to: &str, reason: &str, tz: Tz) -> Freeze {
    Freeze::new(
        from.parse().expect("a bound"),
        to.parse().expect("a bound"),
        reason,
        tz,
    )
    .expect("a valid freeze")
}

fn open(closes: &str) -> WindowStatus {
    WindowStatus::Open {
        closes: Some(at(closes)),
    }
}

fn closed(opens: &str, tz: Tz) -> WindowStatus {
    WindowStatus::Closed {
        opens: Some(Opening { at: at(opens), tz }),
    }
}

const BERLIN: Tz = chrono_tz::Europe::Berlin;
const NEW_YORK: Tz = chrono_tz::America::New_York;

// ---- parsing ---------------------------------------------------------------------------------

#[test]
fn day_ranges_lists_and_mixes_parse_and_print_canonically() {
    use Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};
    let cases: &[(&str, &[Weekday], &str)] = &[
        (
            "Mon-Thu 09:00-16:00 Europe/Berlin",
            &[Mon, Tue, Wed, Thu],
            "Mon-Thu 09:00-16:00 Europe/Berlin",
        ),
        (
            "Fri-Mon 09:00-16:00 UTC",
            &[Mon, Fri, Sat, Sun],
            "Fri-Mon 09:00-16:00 UTC",
        ),
        (
            "Mon,Wed,Fri 09:00-16:00 UTC",
            &[Mon, Wed, Fri],
            "Mon,Wed,Fri 09:00-16:00 UTC",
        ),
        (
            "Mon-Wed,Fri 09:00-16:00 UTC",
            &[Mon, Tue, Wed, Fri],
            "Mon-Wed,Fri 09:00-16:00 UTC",
        ),
        ("Wed 09:00-16:00 UTC", &[Wed], "Wed 09:00-16:00 UTC"),
        (
            "daily 09:00-16:00 UTC",
            &[Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            "daily 09:00-16:00 UTC",
        ),
        (
            "Mon-Sun 09:00-16:00 UTC",
            &[Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            "daily 09:00-16:00 UTC",
        ),
        (
            "mon, wednesday 9:00-16:00 UTC",
            &[Mon, Wed],
            "Mon,Wed 09:00-16:00 UTC",
        ),
        ("Fri 22:00-02:00 UTC", &[Fri], "Fri 22:00-02:00 UTC"),
        ("Sat 00:00-24:00 UTC", &[Sat], "Sat 00:00-24:00 UTC"),
    ];
    for (text, days, canonical) in cases {
        let w = win(text);
        assert_eq!(w.days(), days.to_vec(), "{text}");
        assert_eq!(w.to_string(), *canonical, "{text}");
        assert_eq!(win(canonical), w, "{text} round-trips");
    }
}

#[test]
fn parse_errors_say_what_to_write() {
    let cases = [
        (
            "Mon-Thu 09:00-16:00 Europe/Berln",
            r#"unknown time zone "Europe/Berln": did you mean "Europe/Berlin"?"#,
        ),
        (
            "Mon 09:00-16:00 Mars/Base",
            r#"unknown time zone "Mars/Base": use an IANA name such as Europe/Berlin, America/New_York or UTC"#,
        ),
        (
            "Mon-Thr 09:00-16:00 UTC",
            r#"day "Thr": use Mon Tue Wed Thu Fri Sat Sun"#,
        ),
        (
            "Mon,,Wed 09:00-16:00 UTC",
            r#"day "": use Mon Tue Wed Thu Fri Sat Sun"#,
        ),
        (
            "Mon 9-16 UTC",
            r#"time "9": use HH:MM (24-hour), e.g. 09:00"#,
        ),
        (
            "Mon 09:00-25:00 UTC",
            r#"time "25:00": use HH:MM (24-hour), e.g. 09:00"#,
        ),
        (
            "Mon 09:00 UTC",
            r#"time range "09:00": use start-end, e.g. 09:00-16:00"#,
        ),
        (
            "Mon 24:00-02:00 UTC",
            r#"time "24:00": a window starts between 00:00 and 23:59"#,
        ),
        (
            "Mon 09:00-09:00 UTC",
            r#"time range "09:00-09:00" is empty: for a whole day use 00:00-24:00"#,
        ),
        (
            "Mon 09:00-16:00",
            r#"missing time zone after "09:00-16:00": add an IANA name such as Europe/Berlin or UTC"#,
        ),
        (
            "09:00-16:00 UTC",
            r#"missing days before "09:00-16:00": use e.g. Mon-Fri, Mon,Wed,Fri or daily"#,
        ),
        (
            "Mon-Fri UTC",
            r#"no time range in "Mon-Fri UTC": expected e.g. "Mon-Thu 09:00-16:00 Europe/Berlin""#,
        ),
        (
            "Mon 09:00-16:00 UTC extra",
            r#"unexpected "extra" after the time zone"#,
        ),
    ];
    for (text, message) in cases {
        assert_eq!(err(text), message, "{text}");
    }
}

#[derive(Debug, Deserialize)]
struct Cfg {
    #[serde(default)]
    windows: Vec<Window>,
    #[serde(default)]
    freeze: Vec<Freeze>,
}

#[test]
fn config_errors_name_the_line() {
    // (toml points at the value that failed; inside an array, at the array.)
    let text =
        "# deploy windows\n\nwindows = [\"Mon 09:00-16:00 UTC\", \"Mon-Thr 09:00-16:00 UTC\"]\n";
    let e = toml::from_str::<Cfg>(text)
        .expect_err("a bad day")
        .to_string();
    assert!(e.contains("line 3"), "{e}");
    assert!(
        e.contains(r#"day "Thr": use Mon Tue Wed Thu Fri Sat Sun"#),
        "{e}"
    );
}

#[test]
fn freezes_parse_from_toml_tables() {
    let text = r#"
windows = ["Mon-Thu 09:00-16:00 Europe/Berlin"]
[[freeze]]
from = "2026-12-19"
to = "2027-01-04"
reason = "holiday freeze"
[[freeze]]
from = "2026-12-19"
to = "2027-01-04"
reason = "holiday freeze"
tz = "Europe/Berlin"
[[freeze]]
from = "2026-11-02T18:00:00+01:00"
to = "2026-11-03T06:00:00Z"
reason = "db migration"
[[freeze]]
from = 2026-12-19
to = 2027-01-04
reason = "bare TOML dates"
"#;
    let cfg: Cfg = toml::from_str(text).expect("valid config");
    assert_eq!(cfg.windows, vec![win("Mon-Thu 09:00-16:00 Europe/Berlin")]);
    let f = &cfg.freeze;
    // Dates: from the start of the first day to the end of the last, in the freeze's zone.
    assert_eq!(f[0].start(), at("2026-12-19T00:00:00Z"));
    assert_eq!(f[0].end(), at("2027-01-05T00:00:00Z"));
    assert_eq!(f[0].reason(), "holiday freeze");
    assert_eq!(f[0].tz(), Tz::UTC);
    assert_eq!(f[1].start(), at("2026-12-18T23:00:00Z"));
    assert_eq!(f[1].end(), at("2027-01-04T23:00:00Z"));
    // Date-times are exact instants, the end exclusive.
    assert_eq!(f[2].start(), at("2026-11-02T17:00:00Z"));
    assert_eq!(f[2].end(), at("2026-11-03T06:00:00Z"));
    assert_eq!(
        f[2].to(),
        &FreezeBound::Instant(at("2026-11-03T06:00:00Z").fixed_offset())
    );
    assert_eq!(f[3].start(), f[0].start());
    assert_eq!(f[3].end(), f[0].end());
}

#[test]
fn freeze_errors_say_what_to_fix() {
    let cases = [
        (
            "from = \"2026-12-19\"\nto = \"2026-12-01\"\nreason = \"holiday freeze\"\n",
            r#"freeze "holiday freeze": to 2026-12-01 is before from 2026-12-19"#,
        ),
        (
            "from = \"2026-12-19T10:00:00Z\"\nto = \"2026-12-19T10:00:00Z\"\nreason = \"x\"\n",
            r#"freeze "x": to 2026-12-19T10:00:00+00:00 is not after from 2026-12-19T10:00:00+00:00"#,
        ),
        (
            "from = \"2026-12-19\"\nto = \"2026-12-20\"\nreason = \" \"\n",
            "freeze from 2026-12-19: the reason is empty; say why (the header and the gates show it)",
        ),
        (
            "from = \"2026-13-01\"\nto = \"2026-12-20\"\nreason = \"x\"\n",
            r#"date "2026-13-01": use YYYY-MM-DD or an RFC 3339 date-time such as 2026-12-19T18:00:00Z"#,
        ),
        (
            "from = \"2026-12-19\"\nto = \"2026-12-20\"\nreason = \"x\"\ntz = \"Berlin\"\n",
            r#"unknown time zone "Berlin": use an IANA name such as Europe/Berlin, America/New_York or UTC"#,
        ),
        (
            "from = \"2026-12-19\"\nto = \"2026-12-20\"\n",
            "missing field `reason`",
        ),
    ];
    for (body, message) in cases {
        let text = format!("[[freeze]]\n{body}");
        let e = toml::from_str::<Cfg>(&text)
            .expect_err("an invalid freeze")
            .to_string();
        assert!(e.contains(message), "{body}\n{e}");
    }
}

// ---- evaluation ------------------------------------------------------------------------------

#[test]
fn no_windows_and_no_freeze_is_unrestricted() {
    let now = at("2026-12-08T10:00:00Z");
    assert_eq!(status(&[], &[], now), WindowStatus::Unrestricted);
    let later = freeze("2026-12-19", "2027-01-04", "holiday freeze");
    assert_eq!(status(&[], &[later], now), WindowStatus::Unrestricted);
}

#[test]
fn a_window_spanning_midnight_belongs_to_its_opening_day() {
    let w = [win("Fri 22:00-02:00 UTC")];
    assert_eq!(
        status(&w, &[], at("2026-12-04T21:59:00Z")),
        closed("2026-12-04T22:00:00Z", Tz::UTC)
    );
    assert_eq!(
        status(&w, &[], at("2026-12-05T01:00:00Z")),
        open("2026-12-05T02:00:00Z")
    );
    assert_eq!(
        status(&w, &[], at("2026-12-05T02:00:00Z")),
        closed("2026-12-11T22:00:00Z", Tz::UTC)
    );
    // Saturday 22:00 is not an opening: the day names the opening day only.
    assert_eq!(
        status(&w, &[], at("2026-12-05T23:00:00Z")),
        closed("2026-12-11T22:00:00Z", Tz::UTC)
    );
}

#[test]
fn berlin_wall_times_follow_winter_and_summer_time() {
    let w = [win("Mon-Fri 09:00-16:00 Europe/Berlin")];
    // Winter (CET, +1): 08:00-15:00 UTC.
    assert_eq!(
        status(&w, &[], at("2026-12-08T07:59:00Z")),
        closed("2026-12-08T08:00:00Z", BERLIN)
    );
    assert_eq!(
        status(&w, &[], at("2026-12-08T08:30:00Z")),
        open("2026-12-08T15:00:00Z")
    );
    // Summer (CEST, +2): 07:00-14:00 UTC.
    assert_eq!(
        status(&w, &[], at("2026-07-07T07:30:00Z")),
        open("2026-07-07T14:00:00Z")
    );
}

#[test]
fn berlin_spring_forward_2027_03_28() {
    // The change (02:00 CET -> 03:00 CEST) is outside 09:00-16:00: still 7 h, now 07:00-14:00 UTC.
    let daily = [win("daily 09:00-16:00 Europe/Berlin")];
    assert_eq!(
        status(&daily, &[], at("2027-03-27T12:00:00Z")),
        open("2027-03-27T15:00:00Z")
    );
    assert_eq!(
        status(&daily, &[], at("2027-03-28T06:59:00Z")),
        closed("2027-03-28T07:00:00Z", BERLIN)
    );
    assert_eq!(
        status(&daily, &[], at("2027-03-28T07:00:00Z")),
        open("2027-03-28T14:00:00Z")
    );
    // The change inside the window: 00:00-06:00 local is 5 h of real time.
    let night = [win("Sun 00:00-06:00 Europe/Berlin")];
    assert_eq!(
        status(&night, &[], at("2027-03-27T23:00:00Z")),
        open("2027-03-28T04:00:00Z")
    );
    // A start in the gap (02:30 does not exist) opens when the gap ends: 03:00 CEST.
    let gap = [win("Sun 02:30-05:00 Europe/Berlin")];
    let now = at("2027-03-28T00:30:00Z");
    let s = status(&gap, &[], now);
    assert_eq!(s, closed("2027-03-28T01:00:00Z", BERLIN));
    assert_eq!(
        s.describe(now),
        "outside the window, next opens Sun 03:00 Europe/Berlin"
    );
}

#[test]
fn berlin_fall_back_2026_10_25() {
    // The change inside the window: 00:00-06:00 local is 7 h of real time.
    let night = [win("Sun 00:00-06:00 Europe/Berlin")];
    assert_eq!(
        status(&night, &[], at("2026-10-24T22:00:00Z")),
        open("2026-10-25T05:00:00Z")
    );
    // An ambiguous start (02:30 happens twice) opens at the earlier one, 02:30 CEST.
    let start = [win("Sun 02:30-06:00 Europe/Berlin")];
    assert_eq!(
        status(&start, &[], at("2026-10-25T00:00:00Z")),
        closed("2026-10-25T00:30:00Z", BERLIN)
    );
    // An ambiguous end closes at the later one, 02:30 CET.
    let end = [win("Sun 01:00-02:30 Europe/Berlin")];
    assert_eq!(
        status(&end, &[], at("2026-10-25T01:00:00Z")),
        open("2026-10-25T01:30:00Z")
    );
    // Outside the change: the window keeps its local hours, 08:00-15:00 UTC after it.
    let daily = [win("daily 09:00-16:00 Europe/Berlin")];
    assert_eq!(
        status(&daily, &[], at("2026-10-25T07:30:00Z")),
        closed("2026-10-25T08:00:00Z", BERLIN)
    );
}

#[test]
fn new_york_fall_back_2026_11_01() {
    let daily = [win("daily 09:00-17:00 America/New_York")];
    // EDT (-4) the day before, EST (-5) on the day.
    assert_eq!(
        status(&daily, &[], at("2026-10-31T13:00:00Z")),
        open("2026-10-31T21:00:00Z")
    );
    assert_eq!(
        status(&daily, &[], at("2026-11-01T13:30:00Z")),
        closed("2026-11-01T14:00:00Z", NEW_YORK)
    );
    // 01:30 happens twice: opens at 01:30 EDT, closes 03:00 EST: 2.5 h of real time.
    let night = [win("Sun 01:30-03:00 America/New_York")];
    assert_eq!(
        status(&night, &[], at("2026-11-01T05:00:00Z")),
        closed("2026-11-01T05:30:00Z", NEW_YORK)
    );
    assert_eq!(
        status(&night, &[], at("2026-11-01T05:30:00Z")),
        open("2026-11-01T08:00:00Z")
    );
}

#[test]
fn a_freeze_ending_now_is_over() {
    let w = [win("daily 09:00-16:00 UTC")];
    let f = [freeze(
        "2026-12-01T00:00:00Z",
        "2026-12-08T10:00:00Z",
        "incident",
    )];
    assert_eq!(
        status(&w, &f, at("2026-12-08T10:00:00Z")),
        open("2026-12-08T16:00:00Z")
    );
    let WindowStatus::Frozen {
        until,
        reason,
        resumes,
        ..
    } = status(&w, &f, at("2026-12-08T09:59:59Z"))
    else {
        panic!("frozen a second before its end")
    };
    assert_eq!(until, at("2026-12-08T10:00:00Z"));
    assert_eq!(reason, "incident");
    assert_eq!(
        resumes,
        Some(Opening {
            at: at("2026-12-08T10:00:00Z"),
            tz: Tz::UTC
        })
    );
}

#[test]
fn a_freeze_inside_a_window_closes_it_early_and_wins() {
    let w = [win("Tue 09:00-16:00 UTC")];
    let f = [freeze(
        "2026-12-08T12:00:00Z",
        "2026-12-08T13:00:00Z",
        "db migration",
    )];
    assert_eq!(
        status(&w, &f, at("2026-12-08T10:00:00Z")),
        open("2026-12-08T12:00:00Z")
    );
    let s = status(&w, &f, at("2026-12-08T12:30:00Z"));
    let WindowStatus::Frozen { until, resumes, .. } = &s else {
        panic!("a freeze wins over an open window: {s:?}")
    };
    assert_eq!(*until, at("2026-12-08T13:00:00Z"));
    assert_eq!(resumes.map(|o| o.at), Some(at("2026-12-08T13:00:00Z")));
    // After it the window is open again, until its own end.
    assert_eq!(
        status(&w, &f, at("2026-12-08T13:00:00Z")),
        open("2026-12-08T16:00:00Z")
    );
}

#[test]
fn overlapping_and_adjacent_freezes_merge() {
    let f = [
        freeze("2027-01-07", "2027-01-07", "audit"),
        freeze("2026-12-19", "2027-01-04", "holiday freeze"),
        freeze("2027-01-03", "2027-01-06", "migration"),
    ];
    let now = at("2026-12-20T12:00:00Z");
    let s = status(&[], &f, now);
    let WindowStatus::Frozen {
        until,
        reason,
        resumes,
        ..
    } = &s
    else {
        panic!("frozen: {s:?}")
    };
    assert_eq!(*until, at("2027-01-08T00:00:00Z"));
    assert_eq!(reason, "holiday freeze; migration; audit");
    assert_eq!(resumes.map(|o| o.at), Some(*until));
    assert_eq!(
        s.describe(now),
        "frozen until Jan 7: holiday freeze; migration; audit"
    );
    // A freeze already over when now falls in a later one of the chain is not named.
    let later = status(&[], &f, at("2027-01-05T12:00:00Z"));
    let WindowStatus::Frozen { reason, .. } = later else {
        panic!("frozen")
    };
    assert_eq!(reason, "migration; audit");
}

#[test]
fn windows_in_different_zones_union() {
    // Winter: Berlin 09:00-12:00 is 08:00-11:00 UTC, New York 06:00-09:00 is 11:00-14:00 UTC.
    let w = [
        win("Mon-Fri 09:00-12:00 Europe/Berlin"),
        win("Mon-Fri 06:00-09:00 America/New_York"),
    ];
    assert_eq!(
        status(&w, &[], at("2026-12-08T10:00:00Z")),
        open("2026-12-08T14:00:00Z")
    );
    assert_eq!(
        status(&w, &[], at("2026-12-08T11:30:00Z")),
        open("2026-12-08T14:00:00Z")
    );
    let now = at("2026-12-08T14:00:00Z");
    let s = status(&w, &[], now);
    assert_eq!(s, closed("2026-12-09T08:00:00Z", BERLIN));
    assert_eq!(
        s.describe(now),
        "outside the window, next opens Wed 09:00 Europe/Berlin"
    );
    // Overlapping windows of one zone: closes at the end of the union.
    let same = [win("Mon 09:00-12:00 UTC"), win("Mon 11:00-15:00 UTC")];
    assert_eq!(
        status(&same, &[], at("2026-12-07T09:30:00Z")),
        open("2026-12-07T15:00:00Z")
    );
}

#[test]
fn opens_skips_frozen_openings() {
    let w = [win("Tue 09:00-16:00 UTC")];
    let f = [freeze("2026-12-08", "2026-12-08", "release party")];
    let now = at("2026-12-07T12:00:00Z");
    let s = status(&w, &f, now);
    assert_eq!(s, closed("2026-12-15T09:00:00Z", Tz::UTC));
    assert_eq!(
        s.describe(now),
        "outside the window, next opens Tue Dec 15 09:00 UTC"
    );
    // A freeze ending inside a window: it opens at the freeze's end.
    let f = [freeze(
        "2026-12-08T00:00:00Z",
        "2026-12-08T12:00:00Z",
        "migration",
    )];
    assert_eq!(status(&w, &f, now), closed("2026-12-08T12:00:00Z", Tz::UTC));
    // Every opening within the search frozen: none.
    let long = [freeze("2026-12-08", "2028-12-31", "moratorium")];
    let s = status(&w, &long, now);
    assert_eq!(s, WindowStatus::Closed { opens: None });
    assert_eq!(
        s.describe(now),
        "outside the window, none opens within 400 days"
    );
}

#[test]
fn an_always_open_window_never_closes() {
    let w = [win("daily 00:00-24:00 UTC")];
    let now = at("2026-12-08T10:00:00Z");
    let s = status(&w, &[], now);
    assert_eq!(s, WindowStatus::Open { closes: None });
    assert_eq!(s.describe(now), "window open around the clock");
    // Unless a freeze is coming.
    let f = [freeze("2026-12-19", "2027-01-04", "holiday freeze")];
    assert_eq!(status(&w, &f, now), open("2026-12-19T00:00:00Z"));
}

// ---- text ------------------------------------------------------------------------------------

#[test]
fn spans_read_in_two_units() {
    assert_eq!(span(Duration::seconds(30)), "< 1 m");
    assert_eq!(span(Duration::minutes(45)), "45 m");
    assert_eq!(span(Duration::minutes(80)), "1 h 20 m");
    assert_eq!(span(Duration::hours(2)), "2 h");
    assert_eq!(span(Duration::hours(51)), "2 d 3 h");
    assert_eq!(span(Duration::days(3)), "3 d");
}

#[test]
fn describe_reads_as_the_header_shows_it() {
    let now = at("2026-12-08T08:40:00Z");
    let w = [win("Tue 09:00-11:00 Europe/Berlin")];
    assert_eq!(
        status(&w, &[], now).describe(now),
        "window open, closes in 1 h 20 m"
    );
    let monday = at("2026-12-07T20:00:00Z");
    let w = [win("Tue 09:00-16:00 Europe/Berlin")];
    assert_eq!(
        status(&w, &[], monday).describe(monday),
        "outside the window, next opens Tue 09:00 Europe/Berlin"
    );
    let week_before = at("2026-12-01T12:00:00Z");
    let w = [win("Tue 09:00-10:00 Europe/Berlin")];
    assert_eq!(
        status(&w, &[], week_before).describe(week_before),
        "outside the window, next opens Tue Dec 8 09:00 Europe/Berlin"
    );
    let xmas = at("2026-12-24T12:00:00Z");
    let by_date = [freeze_in(
        "2026-12-19",
        "2027-01-04",
        "holiday freeze",
        BERLIN,
    )];
    assert_eq!(
        status(&[], &by_date, xmas).describe(xmas),
        "frozen until Jan 4: holiday freeze"
    );
    let by_instant = [freeze(
        "2026-12-19T00:00:00Z",
        "2027-01-04T14:00:00Z",
        "holiday freeze",
    )];
    assert_eq!(
        status(&[], &by_instant, xmas).describe(xmas),
        "frozen until Jan 4 14:00 UTC: holiday freeze"
    );
    assert_eq!(
        WindowStatus::Unrestricted.describe(xmas),
        "no deploy window configured"
    );
}

#[test]
fn window_gate_passes_inside_a_window() {
    let now = at("2026-12-08T08:40:00Z");
    assert_eq!(
        window_gate(&[], &[], now),
        (true, "no windows configured".to_owned())
    );
    let w = [win("Tue 09:00-11:00 Europe/Berlin")];
    assert_eq!(
        window_gate(&w, &[], now),
        (true, "window open, closes in 1 h 20 m".to_owned())
    );
    let monday = at("2026-12-07T20:00:00Z");
    assert_eq!(
        window_gate(&w, &[], monday),
        (
            false,
            "outside the window, next opens Tue 09:00 Europe/Berlin".to_owned()
        )
    );
    // Frozen: the gate still says whether a window is open, and when deploys may resume.
    let f = [freeze("2026-12-08", "2026-12-08", "release party")];
    assert_eq!(
        window_gate(&w, &f, now),
        (
            true,
            "window open; after the freeze, next opens Tue Dec 15 09:00 Europe/Berlin".to_owned()
        )
    );
    let evening = at("2026-12-08T20:00:00Z");
    assert_eq!(
        window_gate(&w, &f, evening),
        (
            false,
            "outside the window; after the freeze, next opens Tue Dec 15 09:00 Europe/Berlin"
                .to_owned()
        )
    );
}

#[test]
fn freeze_gate_names_the_freeze_now_or_the_next_one() {
    let f = [freeze("2026-12-19", "2027-01-04", "holiday freeze")];
    assert_eq!(
        freeze_gate(&[], at("2026-12-08T10:00:00Z")),
        (true, "no freeze now".to_owned())
    );
    assert_eq!(
        freeze_gate(&f, at("2026-12-08T10:00:00Z")),
        (true, "no freeze now".to_owned())
    );
    assert_eq!(
        freeze_gate(&f, at("2026-12-12T10:00:00Z")),
        (true, "none now; next: Dec 19 holiday freeze".to_owned())
    );
    assert_eq!(
        freeze_gate(&f, at("2026-12-24T10:00:00Z")),
        (false, "frozen until Jan 4: holiday freeze".to_owned())
    );
    assert_eq!(
        freeze_gate(&f, at("2027-01-05T00:00:00Z")),
        (true, "no freeze now".to_owned())
    );
}
