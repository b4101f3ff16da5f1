//! `C` closes the release's milestone in every repository, after a confirm listing what is
//! still open: end to end against the simulator with the real workers, and the audit.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::{Action, AppState, Command, update};
use shipdeck::release::call::Method;
use shipdeck::sim::SimHandle;

/// The state of milestone `title` in `repo` on the simulator.
fn milestone_state(sim: &SimHandle, repo: &str, title: &str) -> (String, bool) {
    sim.with_world(|w| {
        let m = w
            .repo(repo)
            .unwrap()
            .milestones
            .iter()
            .find(|m| m.title == title)
            .unwrap()
            .clone();
        (m.state, m.closed_at.is_some())
    })
}

#[tokio::test]
async fn c_lists_what_is_open_then_closes_the_milestone_in_both_repositories() {
    let sim = common::demo_sim().await;
    let mut h = Harness::gated(&sim).await;
    let release = h.state.release.clone().unwrap();
    let open = release.issue_counts().open;
    assert!(
        open > 0 && !release.blockers.is_empty(),
        "the demo has open work"
    );

    h.key("C");
    h.until(|s| s.overlays.confirm().is_some(), "the close dialog")
        .await;
    let dialog = h.state.overlays.confirm().unwrap().clone();
    let text = &dialog.context;
    assert!(
        text.contains(&format!("- {open} open issue(s) / PR(s) on the board")),
        "{text}"
    );
    let blocker = &release.blockers[0];
    assert!(
        text.contains("open blocker")
            && text.contains(&format!(
                "{}#{} {}",
                blocker.repo, blocker.number, blocker.title
            )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "the release is in {}: closing the milestone now ends it early",
            release.current_phase.title()
        )),
        "{text}"
    );
    let calls = dialog.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(
        calls.iter().all(
            |c| c.method == Method::Patch && c.body.as_deref() == Some(r#"{"state":"closed"}"#)
        )
    );

    let logged = h.state.activity.log.len();
    let summary = dialog.request().summary();
    h.key("right");
    h.key("enter");
    assert!(h.state.overlays.confirm().is_none(), "Yes was accepted");
    h.until(
        |s| {
            s.activity.log[logged..]
                .iter()
                .any(|e| e.text == format!("{summary}: done"))
        },
        "the milestone is closed",
    )
    .await;

    for repo in ["acme/storefront", "acme/payments"] {
        assert_eq!(
            milestone_state(&sim, repo, "v2.4.0"),
            ("closed".to_string(), true),
            "{repo}"
        );
    }
    let patches: Vec<_> = h
        .state
        .audit
        .records
        .iter()
        .filter(|r| r.method == "PATCH" && r.path.contains("/milestones/"))
        .map(|r| (r.path.clone(), r.status))
        .collect();
    assert_eq!(patches.len(), 2, "{patches:?}");
    assert!(patches.iter().all(|(_, s)| *s == Some(200)), "{patches:?}");
    let file = std::fs::read_to_string(&h.audit_file).unwrap();
    assert_eq!(file.matches("/milestones/").count(), 2, "{file}");

    // The refresh after it keeps the closed release on screen (`auto` picks open milestones
    // only when the session starts), and the header says it is closed.
    let before = h.state.sync.next_req;
    h.until(
        |s| s.sync.in_flight.is_none() && s.sync.next_req > before,
        "the refresh after the write",
    )
    .await;
    let after = h.state.release.clone().unwrap();
    assert_eq!(after.title, "v2.4.0");
    assert!(after.closed, "the release reads as closed");
    let header = header_text(&h.state);
    assert!(header.contains("v2.4.0 │ closed"), "{header}");

    // Nothing is left to close: C says so instead of asking.
    h.key("C");
    assert!(h.state.overlays.confirm().is_none());
    assert!(h.status().contains("already closed"), "{}", h.status());
}

/// The header's two lines, as drawn.
fn header_text(state: &AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..2)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .map(|p| buf[p].symbol().to_string())
        .collect()
}

#[test]
fn read_only_refuses_before_asking_anything() {
    let mut state: AppState = common::demo_app_state();
    state.session.read_only = true;
    let effects = update(&mut state, Action::Command(Command::CloseMilestone));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.overlays.confirm().is_none());
}
