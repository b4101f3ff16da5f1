//! Windows across midnight and across DST changes in Europe/Berlin and America/New_York.

use chrono_tz::Tz;
use shipdeck::release::window::status;

use super::{BERLIN, NEW_YORK, at, closed, open, win};

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
