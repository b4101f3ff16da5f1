//! Windows and freezes from text and from TOML, and the errors a user sees.

use chrono::Weekday;
use chrono_tz::Tz;
use serde::Deserialize;
use shipdeck::release::window::{Freeze, FreezeBound, Window};

use super::{at, err, win};

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
