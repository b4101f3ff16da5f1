//! Freezes against windows: a freeze wins, merges, ends exclusively; windows union across zones.

use chrono_tz::Tz;
use shipdeck::release::window::{Opening, WindowStatus, status};

use super::{BERLIN, at, closed, freeze, open, win};

#[test]
fn no_windows_and_no_freeze_is_unrestricted() {
    let now = at("2026-12-08T10:00:00Z");
    assert_eq!(status(&[], &[], now), WindowStatus::Unrestricted);
    let later = freeze("2026-12-19", "2027-01-04", "holiday freeze");
    assert_eq!(status(&[], &[later], now), WindowStatus::Unrestricted);
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
