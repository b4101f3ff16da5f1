//! `update`: navigation, refresh scheduling and results, with fixtures built in code.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::Duration;
use shipdeck::app::state::Level;
use shipdeck::app::{Action, AppState, Command, Effect, Pane, update};
use shipdeck::github::ApiError;
use shipdeck::github::sync::SyncError;
use shipdeck::release::{Conclusion, Phase, RateBudget, ReleaseRules, RunStatus};

fn unreachable() -> SyncError {
    SyncError::Api {
        repo: "acme/app".into(),
        error: ApiError::Network("connection refused".into()),
    }
}

fn failed_refresh(s: &mut AppState, source: ApiError) {
    let now = s.now;
    let fx = update(s, Action::Tick { now });
    let Some(Effect::FetchSnapshot { req, .. }) = fx.first().cloned() else {
        panic!("a refresh starts: {fx:?}");
    };
    update(
        s,
        Action::SnapshotLoaded {
            req,
            result: Err(SyncError::Api {
                repo: "acme/app".into(),
                error: source,
            }),
            rate: None,
        },
    );
}

#[test]
fn a_secondary_rate_limit_waits_as_github_asks() {
    let mut s = loaded();
    s.now = s.sync.next_due;
    failed_refresh(
        &mut s,
        ApiError::RateLimited {
            reset: None,
            retry_after: Some(600),
        },
    );
    assert_eq!(s.sync.next_due - s.now, Duration::seconds(600));
    let status = &s.status.as_ref().unwrap().text;
    assert!(
        status.starts_with("rate limited by GitHub until "),
        "{status}"
    );
    // Nothing is asked before then.
    let later = s.now + Duration::seconds(599);
    assert!(update(&mut s, Action::Tick { now: later }).is_empty());
}

#[test]
fn a_primary_rate_limit_waits_for_the_reset_and_says_when() {
    let mut s = loaded();
    s.now = s.sync.next_due;
    let reset = s.now + Duration::minutes(25);
    failed_refresh(
        &mut s,
        ApiError::RateLimited {
            reset: Some(reset),
            retry_after: None,
        },
    );
    assert_eq!(s.sync.next_due, reset);
    assert_eq!(s.sync.limited_until, Some(reset));
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains(&reset.format("%H:%M:%S").to_string())
    );
}

#[test]
fn outages_back_off_more_each_time_and_reset_on_success() {
    let mut s = loaded();
    let mut waits = Vec::new();
    for _ in 0..6 {
        s.now = s.sync.next_due;
        failed_refresh(&mut s, ApiError::Timeout);
        waits.push((s.sync.next_due - s.now).num_seconds());
    }
    assert_eq!(waits, vec![30, 60, 120, 240, 300, 300]);
    assert_eq!(s.sync.limited_until, None);
}

fn state() -> AppState {
    AppState::new(
        common::fixed_now(),
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    )
}

fn loaded() -> AppState {
    let mut s = state();
    let fx = update(
        &mut s,
        Action::Tick {
            now: common::fixed_now(),
        },
    );
    assert_eq!(
        fx,
        vec![Effect::FetchSnapshot {
            req: 1,
            full: false
        }]
    );
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    s
}

#[test]
fn first_tick_fetches_once_and_a_second_refresh_is_queued_not_doubled() {
    let mut s = state();
    assert_eq!(
        update(
            &mut s,
            Action::Tick {
                now: common::fixed_now()
            }
        ),
        vec![Effect::FetchSnapshot {
            req: 1,
            full: false
        }]
    );
    assert_eq!(update(&mut s, Action::Command(Command::Refresh)), vec![]);
    assert!(s.sync.queued);
    let fx = update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    assert_eq!(
        fx,
        vec![Effect::FetchSnapshot { req: 2, full: true }],
        "the queued refresh starts"
    );
}

#[test]
fn a_refresh_the_user_asks_for_is_full_and_a_timed_one_is_not() {
    let mut s = loaded();
    let due = s.sync.next_due;
    assert_eq!(
        update(&mut s, Action::Tick { now: due }),
        vec![Effect::FetchSnapshot {
            req: 2,
            full: false
        }],
        "a timed refresh skips workflows known to be absent"
    );
    // Pressed while the timed one runs: queued, and still full when it starts.
    assert_eq!(update(&mut s, Action::Command(Command::Refresh)), vec![]);
    let fx = update(
        &mut s,
        Action::SnapshotLoaded {
            req: 2,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    assert_eq!(fx, vec![Effect::FetchSnapshot { req: 3, full: true }]);
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 3,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    let due = s.sync.next_due;
    assert_eq!(
        update(&mut s, Action::Tick { now: due }),
        vec![Effect::FetchSnapshot {
            req: 4,
            full: false
        }],
        "the next timed refresh is not full again"
    );
}

#[test]
fn a_stale_result_is_dropped() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::Refresh));
    let before = s.snapshot.clone();
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Err(unreachable()),
            rate: None,
        },
    );
    assert_eq!(s.snapshot, before);
    assert_eq!(s.sync.in_flight, Some(2));
    assert!(s.sync.last_error.is_none());
}

#[test]
fn loaded_release_is_derived_and_focus_starts_on_the_current_phase() {
    let s = loaded();
    let r = s.release.as_ref().unwrap();
    assert_eq!(r.current_phase, Phase::Build);
    assert_eq!(s.board.column, Phase::Build.index());
    assert_eq!(r.checklist_progress(), (2, 4));
    assert_eq!(r.blockers.len(), 1);
    assert_eq!(r.risks[0].score(), 16);
    assert_eq!(r.release_ref, "release/v1.0");
    assert!(s.dirty, "loading marks the screen for redraw");
}

#[test]
fn a_failed_refresh_keeps_the_data_and_says_why() {
    let mut s = loaded();
    s.now += Duration::seconds(20);
    let now = s.now;
    let fx = update(&mut s, Action::Tick { now });
    assert_eq!(
        fx,
        vec![Effect::FetchSnapshot {
            req: 2,
            full: false
        }]
    );
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 2,
            result: Err(unreachable()),
            rate: None,
        },
    );
    assert!(s.release.is_some(), "the last good data stays");
    assert_eq!(
        s.sync.last_error.as_deref(),
        Some("acme/app: cannot reach GitHub: connection refused")
    );
    let status = s.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("connection refused"));
    assert!(
        s.sync.next_due - s.now >= Duration::seconds(30),
        "errors back off"
    );
}

#[test]
fn polling_is_fast_while_a_run_is_active_and_slow_when_the_budget_is_low() {
    let mut s = loaded();
    assert_eq!(
        s.sync.next_due - s.now,
        s.sync.active_every,
        "ci.yml is in progress"
    );
    let mut snap = common::fixture_snapshot(common::fixed_now());
    snap.repos[0].workflows[0].runs[0].status = RunStatus::Completed;
    snap.repos[0].workflows[0].runs[0].conclusion = Some(Conclusion::Success);
    let fx = update(&mut s, Action::Command(Command::Refresh));
    let low = RateBudget {
        limit: 5000,
        remaining: 100,
        reset: s.now + Duration::minutes(30),
        server_time: None,
    };
    let mut effects = update(
        &mut s,
        Action::SnapshotLoaded {
            req: 2,
            result: Ok(Box::new(snap)),
            rate: Some(low),
        },
    );
    assert_eq!(fx, vec![Effect::FetchSnapshot { req: 2, full: true }]);
    assert_eq!(
        effects.pop(),
        Some(Effect::Bell),
        "a finished watched run rings the bell"
    );
    assert!(
        s.activity
            .log
            .iter()
            .any(|e| e.text == "ci.yml #101 (acme/app) finished: success")
    );
    assert_eq!(s.sync.next_due - s.now, s.sync.idle_every * 4);
}

#[test]
fn identical_results_do_not_rederive() {
    let mut s = loaded();
    let derived = s.release.clone();
    update(&mut s, Action::Command(Command::Refresh));
    let mut same = common::fixture_snapshot(common::fixed_now());
    same.fetched_at += Duration::seconds(15);
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 2,
            result: Ok(Box::new(same)),
            rate: None,
        },
    );
    assert_eq!(s.release, derived);
    assert_eq!(
        s.snapshot.as_ref().unwrap().fetched_at,
        common::fixed_now() + Duration::seconds(15),
        "the data age still moves"
    );
}

#[test]
fn tab_number_keys_and_cursor_movement() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::NextPane));
    assert_eq!(s.focus, Pane::Checklist);
    update(&mut s, Action::Command(Command::PrevPane));
    update(&mut s, Action::Command(Command::PrevPane));
    assert_eq!(s.focus, Pane::Kpis, "shift-tab wraps to the last pane");
    update(&mut s, Action::Command(Command::FocusNotes));
    update(&mut s, Action::Command(Command::FocusKpis));
    assert_eq!(s.focus, Pane::Kpis, "0 focuses the tenth pane");
    update(&mut s, Action::Command(Command::FocusChecklist));
    update(&mut s, Action::Command(Command::Bottom));
    assert_eq!(s.checklist.cursor.selected, 3);
    update(&mut s, Action::Command(Command::Down));
    assert_eq!(s.checklist.cursor.selected, 3, "clamped at the end");
    update(&mut s, Action::Command(Command::Top));
    assert_eq!(s.checklist.cursor.selected, 0);
    update(&mut s, Action::Command(Command::FocusBoard));
    update(&mut s, Action::Command(Command::Right));
    assert_eq!(s.board.column, Phase::Test.index());
    update(&mut s, Action::Command(Command::Down));
    assert_eq!(s.board.card, 1);
    update(&mut s, Action::Command(Command::Left));
    update(&mut s, Action::Command(Command::Left));
    update(&mut s, Action::Command(Command::Left));
    assert_eq!(s.board.column, 0, "clamped at Plan");
    assert_eq!(s.board.card, 0, "the Plan column has one card");
}

#[test]
fn open_and_copy_use_the_selected_item() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRuns));
    update(&mut s, Action::Command(Command::Down));
    assert_eq!(
        update(&mut s, Action::Command(Command::OpenInBrowser)),
        vec![Effect::OpenUrl(
            "https://github.com/acme/app/actions/runs/202".into()
        )]
    );
    // `y` says what was sent: the terminal may ignore OSC 52 without telling anyone.
    assert_eq!(
        update(&mut s, Action::Command(Command::CopyUrl)),
        vec![Effect::CopyToClipboard(
            "https://github.com/acme/app/actions/runs/202".into()
        )]
    );
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "sent the URL to the terminal clipboard (OSC 52): https://github.com/acme/app/actions/runs/202"
    );
    // What the browser did comes back; when it failed, the URL is on screen to open by hand.
    let url = "https://github.com/acme/app/actions/runs/202".to_string();
    update(
        &mut s,
        Action::UrlOpened {
            url: url.clone(),
            result: Ok("firefox".into()),
        },
    );
    assert_eq!(
        s.status.as_ref().unwrap().text,
        format!("opened in the browser (firefox): {url}")
    );
    update(
        &mut s,
        Action::UrlOpened {
            url: url.clone(),
            result: Err("xdg-open: not found".into()),
        },
    );
    let status = s.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Warn);
    assert_eq!(
        status.text,
        format!("could not open a browser (xdg-open: not found): {url}")
    );
    update(&mut s, Action::Command(Command::FocusGates));
    assert_eq!(update(&mut s, Action::Command(Command::CopyUrl)), vec![]);
    assert_eq!(s.status.as_ref().unwrap().text, "nothing to copy here");
}

#[test]
fn help_captures_keys_until_closed() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::Help));
    assert!(s.overlays.help_scroll().is_some());
    update(&mut s, Action::Command(Command::NextPane));
    assert_eq!(s.focus, Pane::Board, "keys go to the popup");
    update(&mut s, Action::Command(Command::Close));
    assert!(s.overlays.help_scroll().is_none());
    update(&mut s, Action::Command(Command::Quit));
    assert!(s.quit);
}

#[test]
fn unfocused_terminal_polls_slower() {
    let mut s = loaded();
    update(&mut s, Action::FocusChanged(false));
    let due = s.sync.next_due;
    assert_eq!(update(&mut s, Action::Tick { now: due }), vec![]);
    let later = due + s.sync.idle_every * 3;
    assert_eq!(
        update(&mut s, Action::Tick { now: later }),
        vec![Effect::FetchSnapshot {
            req: 2,
            full: false
        }]
    );
}

#[test]
fn ticking_shows_pending_until_github_confirms_and_undo_sets_it_back() {
    use shipdeck::app::action::PendingTick;
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusChecklist));
    update(&mut s, Action::Command(Command::Bottom));
    let item = s.release.as_ref().unwrap().checklist[3].clone();
    assert!(!item.checked);
    let fx = update(&mut s, Action::Command(Command::ToggleItem));
    assert_eq!(
        fx,
        vec![Effect::QueueTick {
            repo: "acme/app".into(),
            number: 6,
            key: item.key(),
            checked: true,
            same_text: 1,
            sub_issue: None,
        }]
    );
    assert_eq!(s.pending_tick(&item.key()).map(|p| p.checked), Some(true));
    let confirmed = s
        .snapshot
        .as_ref()
        .unwrap()
        .tracking
        .as_ref()
        .unwrap()
        .body
        .replace("- [ ] e2e", "- [x] e2e");
    update(
        &mut s,
        Action::TickApplied {
            repo: "acme/app".into(),
            number: 6,
            key: item.key(),
            checked: true,
            body: confirmed,
            updated_at: common::fixed_now() + Duration::seconds(1),
            sub_issue: None,
        },
    );
    assert!(s.pending_tick(&item.key()).is_none());
    assert!(s.release.as_ref().unwrap().checklist[3].checked);
    assert_eq!(s.release.as_ref().unwrap().checklist_progress(), (3, 4));

    let fx = update(&mut s, Action::Command(Command::Undo));
    assert!(matches!(
        &fx[..],
        [Effect::QueueTick { checked: false, .. }]
    ));
    assert_eq!(
        s.checklist.pending,
        vec![PendingTick {
            repo: "acme/app".into(),
            number: 6,
            key: item.key(),
            checked: false
        }]
    );
    assert_eq!(update(&mut s, Action::Command(Command::Undo)), vec![]);
    assert_eq!(s.status.as_ref().unwrap().text, "nothing to undo");
}

#[test]
fn a_refresh_older_than_a_confirmed_tick_does_not_undo_it_on_screen() {
    let mut s = loaded();
    let key = s.release.as_ref().unwrap().checklist[3].key();
    let body = common::fixture_snapshot(common::fixed_now())
        .tracking
        .unwrap()
        .body
        .replace("- [ ] e2e", "- [x] e2e");
    update(&mut s, Action::Command(Command::Refresh));
    update(
        &mut s,
        Action::TickApplied {
            repo: "acme/app".into(),
            number: 6,
            key,
            checked: true,
            body,
            updated_at: common::fixed_now() + Duration::seconds(5),
            sub_issue: None,
        },
    );
    // The refresh was read before the tick landed.
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 2,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    assert!(s.release.as_ref().unwrap().checklist[3].checked);
}

#[test]
fn read_only_refuses_to_tick() {
    let mut s = loaded();
    s.session.read_only = true;
    update(&mut s, Action::Command(Command::FocusChecklist));
    assert_eq!(update(&mut s, Action::Command(Command::ToggleItem)), vec![]);
    assert!(s.checklist.pending.is_empty());
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("read-only: ticking is disabled")
    );
}

#[test]
fn a_failed_tick_is_no_longer_pending_and_is_reported() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusChecklist));
    let key = s.release.as_ref().unwrap().checklist[0].key();
    update(&mut s, Action::Command(Command::ToggleItem));
    update(
        &mut s,
        Action::TickFailed {
            repo: "acme/app".into(),
            number: 6,
            key: key.clone(),
            checked: false,
            reason:
                "the item \"scope\" is no longer in the checklist; kept in the outbox for review"
                    .into(),
            kept_pending: false,
        },
    );
    assert!(s.pending_tick(&key).is_none());
    assert_eq!(s.status.as_ref().unwrap().level, Level::Error);
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("kept in the outbox for review")
    );
}

#[test]
fn the_first_good_answer_after_an_outage_refreshes_at_once() {
    let mut s = loaded();
    s.now = s.sync.next_due;
    failed_refresh(&mut s, ApiError::Timeout);
    assert!(s.sync.last_error.is_some());
    let waiting = s.sync.next_due - s.now;
    assert!(waiting >= Duration::seconds(30), "{waiting:?}");
    // A worker's request succeeds long before the back-off is over.
    s.now += Duration::seconds(2);
    let fx = update(
        &mut s,
        Action::JobsLoaded {
            run_id: 1,
            result: Ok(Vec::new()),
        },
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::FetchSnapshot { .. })),
        "{fx:?}"
    );
    // While nothing is known to be wrong, a good answer asks for nothing more.
    let mut s = loaded();
    let fx = update(
        &mut s,
        Action::JobsLoaded {
            run_id: 1,
            result: Ok(Vec::new()),
        },
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::FetchSnapshot { .. })),
        "{fx:?}"
    );
}

/// The header's first line at 200 columns.
fn header(s: &AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 40)).unwrap();
    terminal.draw(|f| shipdeck::view::render(s, f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..200).map(|x| buffer[(x, 0)].symbol()).collect()
}

#[test]
fn a_slow_retry_after_an_outage_says_it_is_waiting() {
    let mut s = loaded();
    s.now = s.sync.next_due;
    failed_refresh(&mut s, ApiError::Timeout);
    assert!(header(&s).contains("● offline, data"), "{}", header(&s));
    // The retry goes out and GitHub takes its time.
    let due = s.sync.next_due;
    let fx = update(&mut s, Action::Tick { now: due });
    assert!(
        matches!(fx.first(), Some(Effect::FetchSnapshot { .. })),
        "{fx:?}"
    );
    update(
        &mut s,
        Action::Tick {
            now: due + Duration::seconds(12),
        },
    );
    let line = header(&s);
    assert!(
        line.contains("● offline, waiting for GitHub 12s, data"),
        "{line}"
    );
}
