//! `shipdeck init` against the simulator: refuses when a tracking issue exists, creates one
//! from the template otherwise.

mod common;

use chrono::Utc;
use shipdeck::commands::init;
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::release::ReleaseRules;
use shipdeck::release::task_list::{self, HeadingNames};

#[tokio::test]
async fn refuses_politely_when_a_tracking_issue_exists() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let err = init::run(
        api.as_ref(),
        &common::demo_plan(),
        init::TEMPLATE,
        &ReleaseRules::default(),
        Utc::now(),
    )
    .await
    .expect_err("the demo has a tracking issue");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "v2.4.0 already has a tracking issue: acme/storefront#200 \"Release v2.4.0 checklist\""
        ),
        "{text}"
    );
    assert!(text.ends_with("nothing created"), "{text}");
    assert!(
        !sim.requests()
            .iter()
            .any(|r| r.method == http::Method::POST)
    );
}

#[tokio::test]
async fn creates_the_tracking_issue_from_the_template() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        let issue = w
            .repo_mut("acme/storefront")
            .unwrap()
            .issue_mut(200)
            .unwrap();
        issue.labels.retain(|l| l != "release-checklist");
    });
    let api = common::client(&sim);
    let line = init::run(
        api.as_ref(),
        &common::demo_plan(),
        init::TEMPLATE,
        &ReleaseRules::default(),
        Utc::now(),
    )
    .await
    .expect("created");
    assert!(line.starts_with("created acme/storefront#"), "{line}");
    assert!(line.contains("\"Release v2.4.0 checklist\""), "{line}");

    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), Utc::now())
        .await
        .unwrap();
    let tracking = snapshot
        .tracking
        .expect("the new issue is the tracking issue");
    assert_ne!(tracking.number, 200);
    let items = task_list::parse(&tracking.body, &HeadingNames::default());
    assert!(items.len() >= 30, "{} items", items.len());
    assert!(
        items
            .iter()
            .all(|i| i.section.phase().is_some() && !i.checked)
    );
    assert!(
        line.contains(&format!("with {} items", items.len())),
        "{line}"
    );
}
