//! The header text and the two gates, for fixed instants.

use chrono::Duration;
use shipdeck::release::window::{WindowStatus, freeze_gate, span, status, window_gate};

use super::{BERLIN, at, freeze, freeze_in, win};

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
