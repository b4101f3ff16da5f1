//! Paging keeps the API URL's authority as written: a base URL whose port is spelled in a way
//! `url::Url` normalises (an explicit default port such as `:443`, or here a leading zero,
//! which the simulator's loopback port allows) must not lose the token on page 2 and later.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::sync::Arc;
use std::time::Duration;

use shipdeck::github::{GitHubApi, Octo};

#[tokio::test]
async fn pages_after_the_first_keep_the_authority_and_the_token() {
    let sim = common::demo_sim().await;
    let m = common::add_payments_issues(&sim, 250);
    let expected = sim.with_world(|w| {
        w.repo("acme/payments")
            .unwrap()
            .issues
            .iter()
            .filter(|i| i.milestone == Some(m))
            .count()
    });
    assert!(expected > 200, "three pages of 100");
    // `http://127.0.0.1:0PORT`: the same server, but an authority that `url::Url` writes
    // differently (`127.0.0.1:PORT`), exactly as it drops an explicit `:443`.
    let base = sim.base_url();
    let (host, port) = base.rsplit_once(':').unwrap();
    let spelled = format!("{host}:0{port}");
    let api = Arc::new(Octo::new(&spelled, sim.token(), Duration::from_secs(5)).unwrap());
    let issues = api
        .milestone_issues("acme/payments", m, None)
        .await
        .unwrap();
    assert_eq!(issues.len(), expected);
    let unauthorized = sim.requests().iter().filter(|r| r.status == 401).count();
    assert_eq!(unauthorized, 0, "every page carried the token");
}
