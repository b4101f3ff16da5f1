//! The KPIs of the demo's 90-day history, read through the real client from the simulator,
//! against answers worked out by hand from the demo data (see `src/sim/demo.rs`), and what a
//! second read costs.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::TimeDelta;
use shipdeck::commands::setup::history_plan_for;
use shipdeck::github::history::fetch_history;
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::release::kpis::{Band, Kind, KpiReport, Scope, report_for};

async fn demo_report() -> (KpiReport, shipdeck::sim::SimHandle) {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let now = sim.now();
    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), now)
        .await
        .unwrap();
    let plan = history_plan_for(&common::demo_config());
    let history = fetch_history(api.as_ref(), &plan, now, None).await.unwrap();
    let report = report_for(&history, &snapshot, "production", TimeDelta::hours(24), now);
    (report, sim)
}

fn text(r: &KpiReport, kind: Kind, scope: Scope) -> (String, Option<Band>) {
    let m = r.metric(kind).unwrap().measure(scope).unwrap();
    (m.text.clone(), m.band)
}

#[tokio::test]
async fn the_demo_history_gives_the_hand_computed_answers() {
    let (r, _sim) = demo_report().await;
    use Kind::*;
    use Scope::*;
    // 5 successful production deploys in 30 days (all payments), 16 in 90.
    assert_eq!(
        text(&r, DeploymentFrequency, Days30),
        ("1.2/week (5)".into(), Some(Band::High))
    );
    assert_eq!(
        text(&r, DeploymentFrequency, Days90),
        ("1.2/week (16)".into(), Some(Band::High))
    );
    assert_eq!(text(&r, DeploySuccessRate, Days30).0, "83 % (5 of 6)");
    assert_eq!(text(&r, DeploySuccessRate, Days90).0, "84 % (16 of 19)");
    // Median of 9 PRs: 54.15 h; of 38: 98.649 h.
    assert_eq!(
        text(&r, LeadTime, Days30),
        ("2d 6h (9 PRs)".into(), Some(Band::High))
    );
    assert_eq!(
        text(&r, LeadTime, Days90),
        ("4d 2h (38 PRs)".into(), Some(Band::High))
    );
    assert_eq!(
        text(&r, ChangeFailureRate, Days30),
        ("40 % (2 of 5)".into(), Some(Band::Low))
    );
    assert_eq!(
        text(&r, ChangeFailureRate, Days90),
        ("31 % (5 of 16)".into(), Some(Band::Low))
    );
    // 30 d: incident #72 restored in 3 h, #73 still open. 90 d: 3 m, 3 h, 4 h, 168 h.
    assert_eq!(
        text(&r, TimeToRestore, Days30),
        ("3h 0m (1 restored, 1 open)".into(), Some(Band::High))
    );
    assert_eq!(
        text(&r, TimeToRestore, Days90),
        ("3h 30m (4 restored, 1 open)".into(), Some(Band::High))
    );
    let weekly: Vec<u64> = r
        .metric(DeploymentFrequency)
        .unwrap()
        .weekly
        .iter()
        .map(|w| w.unwrap_or(0.0) as u64)
        .collect();
    assert_eq!(weekly, [1, 1, 1, 1, 2, 1, 1, 1, 2, 1, 2, 1, 1]);
    // Storefront's oldest production deploy (v2.2.0) has nothing before it to compare with.
    assert_eq!(r.caveats.len(), 1, "{:?}", r.caveats);
    assert!(
        r.caveats[0].starts_with("acme/storefront: deploy #"),
        "{:?}",
        r.caveats
    );
    assert!(r.caveats[0].contains("v2.2.0 is the oldest production deploy read"));
}

#[tokio::test]
async fn the_events_behind_a_number_are_the_ones_it_counted() {
    let (r, _sim) = demo_report().await;
    let cfr = r.metric(Kind::ChangeFailureRate).unwrap();
    let failed: Vec<&str> = cfr
        .events
        .iter()
        .filter(|e| e.text.contains(" failed: "))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(failed.len(), 5, "{failed:#?}");
    assert!(
        failed
            .iter()
            .any(|t| t.contains("v2.1.6 failed: rollback run #")
                && t.matches("rollback run").count() == 2),
        "the rollback of a rollback is one failure with both signals: {failed:#?}"
    );
    assert!(
        failed
            .iter()
            .any(|t| t.contains("v2.2.1 failed: release marked faulty"))
    );
    let lead = r.metric(Kind::LeadTime).unwrap();
    // 38 PRs in 90 days; this release's (none deployed to production yet) add nothing.
    assert_eq!(lead.events.len(), 38);
    assert!(lead.events.iter().all(|e| e.url.contains("/pull/")));
    let ttr = r.metric(Kind::TimeToRestore).unwrap();
    assert_eq!(
        ttr.events
            .iter()
            .filter(|e| e.text.contains("still failing"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_second_read_reuses_the_comparisons_and_is_mostly_free() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let now = sim.now();
    let plan = history_plan_for(&common::demo_config());
    let before = sim.requests().len();
    let first = fetch_history(api.as_ref(), &plan, now, None).await.unwrap();
    let first_reqs = sim.requests()[before..].to_vec();
    let compares = |reqs: &[shipdeck::sim::RequestRecord]| {
        reqs.iter().filter(|r| r.path.contains("/compare/")).count()
    };
    assert_eq!(
        compares(&first_reqs),
        15,
        "one per successful production deploy but the oldest"
    );
    let rate = sim.rate_remaining();
    let mid = sim.requests().len();
    let second = fetch_history(api.as_ref(), &plan, now, Some(&first))
        .await
        .unwrap();
    let second_reqs = sim.requests()[mid..].to_vec();
    assert_eq!(second, first);
    assert_eq!(
        compares(&second_reqs),
        0,
        "comparisons between fixed commits are kept"
    );
    assert!(
        rate - sim.rate_remaining() <= 1,
        "unchanged lists are 304s: {} units",
        rate - sim.rate_remaining()
    );
    println!(
        "history read: {} requests first, {} again",
        first_reqs.len(),
        second_reqs.len()
    );
}
