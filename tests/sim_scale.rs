//! The scaled simulator (`shipdeck sim --scale …`): the same scale always gives the same world,
//! it holds the counts asked for, and a release of that size reads back whole through the real
//! client and sync.

mod common;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::release::task_list::{HeadingNames, parse};
use shipdeck::sim::{self, RunTiming, Scale, SimOptions, World, scaled_world};

fn release_issues(world: &World) -> usize {
    world
        .repos
        .iter()
        .map(|r| {
            let m = r
                .milestones
                .iter()
                .find(|m| m.title == "v2.4.0")
                .map(|m| m.number);
            r.issues.iter().filter(|i| i.milestone == m).count()
        })
        .sum()
}

#[test]
fn the_same_scale_gives_the_same_world_with_the_counts_asked_for() {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let scale: Scale = "issues=3000,items=400,runs=300,repos=7".parse().unwrap();
    let world = scaled_world(scale, now);
    assert_eq!(world, scaled_world(scale, now), "deterministic");
    assert_eq!(world.repos.len(), 7);
    assert_eq!(release_issues(&world), 3000);
    assert_eq!(world.repos.iter().map(|r| r.runs.len()).sum::<usize>(), 300);
    let risks = world
        .repos
        .iter()
        .flat_map(|r| &r.issues)
        .filter(|i| i.labels.iter().any(|l| l == "risk"))
        .count();
    let closed = world
        .repos
        .iter()
        .flat_map(|r| &r.issues)
        .filter(|i| i.state == "closed")
        .count();
    assert!(risks > 50 && closed > 500, "{risks} risks, {closed} closed");
    let ids: std::collections::BTreeSet<u64> = world
        .repos
        .iter()
        .flat_map(|r| &r.runs)
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.len(), 300, "run ids are unique");
    let other: Scale = "issues=3001,items=400,runs=300,repos=7".parse().unwrap();
    assert_ne!(world, scaled_world(other, now));
}

#[tokio::test]
async fn a_scaled_release_reads_back_whole_through_the_client() {
    let scale: Scale = "issues=1200,items=300,runs=150,repos=5".parse().unwrap();
    let sim = sim::start(SimOptions {
        timing: RunTiming {
            queued: Duration::from_millis(50),
            per_step: Duration::from_millis(30),
        },
        ..SimOptions::scaled(scale)
    })
    .await
    .unwrap();
    let api = common::client(&sim);
    let mut config = common::demo_config();
    config.github.repos = scale
        .repo_names()
        .iter()
        .map(|r| shipdeck::config::RepoName::parse(r).unwrap())
        .collect();
    let plan = shipdeck::commands::setup::plan_for(&config);
    let snap = fetch_snapshot(api.as_ref(), &plan, sim.now())
        .await
        .unwrap();
    assert_eq!(snap.repos.len(), 5);
    assert_eq!(
        snap.repos.iter().map(|r| r.issues.len()).sum::<usize>(),
        1200
    );
    let tracking = snap.tracking.expect("the tracking issue");
    assert_eq!(parse(&tracking.body, &HeadingNames::default()).len(), 300);
    assert!(
        sim.requests().iter().all(|r| r.status != 401),
        "every request carried the token"
    );
}
