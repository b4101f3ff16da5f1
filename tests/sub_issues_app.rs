//! Checklist items as sub-issues in the app and the checklist pane: a tick is queued with its
//! sub-issue, shown pending, then shown as GitHub confirmed it; `o`/`y` use the sub-issue's URL;
//! a stale refresh does not undo a confirmed tick.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use shipdeck::app::Action;
use shipdeck::release::sub_issues::IssueRef;
use shipdeck::release::{ReleaseRules, State};

/// An open sub-issue, #77 of the fixture's repository, in the Deploy phase.
fn canary() -> shipdeck::release::Issue {
    let now = common::fixed_now();
    let mut sub = common::fixture_snapshot(now).repos[0].issues[0].clone();
    sub.number = 77;
    sub.title = "Canary at 10%".into();
    sub.labels = vec!["phase:deploy".into()];
    sub.state = State::Open;
    sub.updated_at = now;
    sub.html_url = format!("https://github.com/{}/issues/77", sub.repo);
    sub
}

#[test]
fn the_app_queues_a_sub_issue_tick_shows_it_pending_and_then_closed() {
    use shipdeck::app::{Command, Effect, update};
    let sub = canary();
    let mut s = app_with(vec![sub.clone()]);
    let item = s.release.as_ref().unwrap().checklist[0].clone();
    assert_eq!((item.text.as_str(), item.checked), ("Canary at 10%", false));
    update(&mut s, Action::Command(Command::Top));
    let fx = update(&mut s, Action::Command(Command::ToggleItem));
    let [
        Effect::QueueTick {
            checked, sub_issue, ..
        },
    ] = &fx[..]
    else {
        panic!("expected one tick, got {fx:?}");
    };
    assert!(*checked);
    assert_eq!(
        sub_issue,
        &Some(IssueRef {
            repo: sub.repo.clone(),
            number: 77
        })
    );
    assert_eq!(s.pending_tick(&item.key()).map(|p| p.checked), Some(true));
    assert!(
        draw_checklist(&s).contains("[x]… Canary at 10% #77"),
        "drawn pending: {}",
        draw_checklist(&s)
    );

    let mut closed = sub;
    closed.state = State::Closed;
    closed.updated_at = common::fixed_now() + chrono::Duration::seconds(1);
    update(
        &mut s,
        Action::TickApplied {
            repo: "acme/app".into(),
            number: 6,
            key: item.key(),
            checked: true,
            body: String::new(),
            updated_at: closed.updated_at,
            sub_issue: Some(closed),
        },
    );
    assert!(s.pending_tick(&item.key()).is_none());
    assert!(
        s.release.as_ref().unwrap().checklist[0].checked,
        "shown ticked before the next refresh"
    );
}

#[test]
fn on_a_sub_issue_item_the_url_is_the_sub_issues() {
    use shipdeck::app::{Command, Effect, update};
    let sub = canary();
    let mut s = app_with(vec![sub.clone()]);
    update(&mut s, Action::Command(Command::Top));
    assert_eq!(
        update(&mut s, Action::Command(Command::CopyUrl)),
        vec![Effect::CopyToClipboard(sub.html_url)]
    );
}

/// The fixture release with `subs` as the tracking issue's sub-issues, loaded into an app.
fn app_with(subs: Vec<shipdeck::release::Issue>) -> shipdeck::app::AppState {
    use shipdeck::app::{AppState, Command, update};
    let now = common::fixed_now();
    let mut snapshot = common::fixture_snapshot(now);
    snapshot.tracking.as_mut().unwrap().sub_issues = Some(subs);
    let mut s = AppState::new(
        now,
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(&mut s, Action::Tick { now });
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(snapshot)),
            rate: None,
        },
    );
    update(&mut s, Action::Command(Command::FocusChecklist));
    s
}

/// The checklist pane drawn at 60×8, as text.
fn draw_checklist(s: &shipdeck::app::AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 8)).unwrap();
    terminal
        .draw(|f| {
            shipdeck::view::checklist::render(s, s.release.as_ref().unwrap(), f, f.area(), true);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_checklist_pane_names_each_sub_issue_and_says_when_there_are_none() {
    let here = canary();
    let mut there = here.clone();
    there.repo = "acme/payments".into();
    there.number = 9;
    there.title = "PSP keys rotated".into();
    let text = draw_checklist(&app_with(vec![here, there]));
    assert!(text.contains("[ ] Canary at 10% #77"), "{text}");
    assert!(
        text.contains("[ ] PSP keys rotated acme/payments#9"),
        "{text}"
    );
    let text = draw_checklist(&app_with(Vec::new()));
    assert!(text.contains("#6 has no sub-issues"), "{text}");
}

#[test]
fn a_refresh_read_before_a_sub_issue_tick_landed_does_not_undo_it_on_screen() {
    use shipdeck::app::{Command, update};
    let now = common::fixed_now();
    let sub = canary();
    let mut s = app_with(vec![sub.clone()]);
    let key = s.release.as_ref().unwrap().checklist[0].key();
    update(&mut s, Action::Command(Command::Refresh));
    let req = s.sync.in_flight.expect("a refresh is in flight");
    let mut closed = sub.clone();
    closed.state = State::Closed;
    closed.updated_at = now + chrono::Duration::seconds(5);
    update(
        &mut s,
        Action::TickApplied {
            repo: "acme/app".into(),
            number: 6,
            key,
            checked: true,
            body: String::new(),
            updated_at: closed.updated_at,
            sub_issue: Some(closed),
        },
    );
    assert!(s.release.as_ref().unwrap().checklist[0].checked);
    // The refresh was read before the tick landed: the sub-issue is still open in it.
    let mut stale = common::fixture_snapshot(now);
    stale.tracking.as_mut().unwrap().sub_issues = Some(vec![sub]);
    update(
        &mut s,
        Action::SnapshotLoaded {
            req,
            result: Ok(Box::new(stale)),
            rate: None,
        },
    );
    assert!(
        s.release.as_ref().unwrap().checklist[0].checked,
        "the confirmed tick stays on screen"
    );
}
