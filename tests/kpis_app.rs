//! The KPIs in the running dashboard: the history is read by the workers after the release
//! loads, a failed read keeps the last good numbers on screen and says why, and `r` reads it
//! again.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::Command;
use shipdeck::release::kpis::{Kind, Scope};
use shipdeck::sim::{Fault, FaultKind};

async fn with_history(sim: &shipdeck::sim::SimHandle) -> Harness {
    let mut h = Harness::new(sim).await;
    let plan = shipdeck::commands::setup::history_plan_for(&common::demo_config());
    h.jobs = h.jobs.clone().with_history(plan);
    h.state.session.kpis.enabled = true;
    h.until(|s| s.kpis.report.is_some(), "the KPIs are computed")
        .await;
    h
}

fn cell(h: &Harness, kind: Kind, scope: Scope) -> String {
    let r = h.state.kpis.report.as_ref().unwrap();
    r.metric(kind).unwrap().measure(scope).unwrap().text.clone()
}

#[tokio::test]
async fn the_dashboard_reads_the_history_once_loaded_and_shows_the_numbers() {
    let sim = common::demo_sim().await;
    let h = with_history(&sim).await;
    assert!(!h.state.kpis.loading);
    assert_eq!(
        cell(&h, Kind::DeploymentFrequency, Scope::Days30),
        "1.2/week (5)"
    );
    assert_eq!(
        cell(&h, Kind::ChangeFailureRate, Scope::Days90),
        "31 % (5 of 16)"
    );
    assert!(
        h.state.kpis.next_due.is_some(),
        "the next read is scheduled"
    );
}

#[tokio::test]
async fn a_failed_read_keeps_the_last_numbers_and_r_reads_again() {
    let sim = common::demo_sim().await;
    let mut h = with_history(&sim).await;
    let before = h.state.kpis.report.clone().unwrap();
    sim.inject(Fault {
        method: None,
        path_contains: "/pulls?".into(),
        kind: FaultKind::Status(502),
        // Both repositories, each GET tried 3 times.
        times: 6,
    });
    h.cmd(Command::Refresh);
    h.until(|s| s.kpis.error.is_some(), "the failed read is reported")
        .await;
    let error = h.state.kpis.error.clone().unwrap();
    assert!(error.contains("acme/"), "names the repository: {error}");
    assert!(error.contains("502"), "says what GitHub answered: {error}");
    assert_eq!(
        h.state.kpis.report.as_ref().unwrap().metrics,
        before.metrics,
        "the last good numbers stay"
    );
    assert!(
        h.state
            .activity
            .log
            .iter()
            .any(|e| e.text.contains("could not read the delivery history")),
        "the activity log says so"
    );
    h.cmd(Command::Refresh);
    h.until(
        |s| s.kpis.error.is_none() && !s.kpis.loading,
        "the next read succeeds",
    )
    .await;
}

/// Feeds a refresh's answer the way the worker does: the refresh asked for, then its result.
fn answer_refresh(h: &mut Harness, snapshot: shipdeck::release::Snapshot) {
    h.state.sync.next_req += 1;
    let req = h.state.sync.next_req;
    h.state.sync.in_flight = Some(req);
    h.send(shipdeck::app::Action::SnapshotLoaded {
        req,
        result: Ok(Box::new(snapshot)),
        rate: None,
    });
}

#[tokio::test]
async fn a_refresh_that_changes_nothing_does_not_recompute_the_report() {
    let sim = common::demo_sim().await;
    let mut h = with_history(&sim).await;
    let computed = h.state.kpis.computed_for().unwrap();
    let mut same = h.state.snapshot.clone().unwrap();
    same.fetched_at += chrono::Duration::seconds(30);
    answer_refresh(&mut h, same.clone());
    assert_eq!(
        h.state.kpis.computed_for(),
        Some(computed),
        "same data, later fetch: the report stands"
    );
    let mut changed = same;
    changed.repos[0].issues[0].title.push_str(" (renamed)");
    answer_refresh(&mut h, changed);
    let recomputed = h.state.kpis.computed_for().unwrap();
    assert_eq!(recomputed.0, computed.0 + 1, "new data: computed again");
}
