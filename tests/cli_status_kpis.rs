//! `shipdeck status --json` through the real binary: its `kpis` are the report the dashboard
//! shows, and a second call within `[kpis] refresh_minutes` reuses the cached history instead
//! of reading 90 days of runs, pull requests and comparisons again.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::path::Path;

use common::cli::config;

use serde_json::Value;
use shipdeck::sim::{self, SimOptions};

async fn status_json(config: &Path, data: &Path) -> Value {
    let (code, out, err) = common::cli::run(config, data, false, "status", &["--json"]).await;
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[tokio::test]
async fn status_json_has_the_kpis_and_a_second_call_reuses_the_history() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &sim.base_url(), sim.token());
    let data = dir.path().join("data");
    let history_reads = |from: usize| {
        sim.requests()[from..]
            .iter()
            .filter(|r| r.path.contains("/pulls") || r.path.contains("/compare/"))
            .count()
    };
    let before = sim.requests().len();
    let first = status_json(&config, &data).await;
    let lead = first["kpis"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "lead_time")
        .unwrap();
    let d90 = lead["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["scope"] == "days90")
        .unwrap();
    assert_eq!(d90["text"], "4d 2h (38 PRs)");
    assert_eq!(d90["band"], "high");
    assert!(first.get("kpis_error").is_none());
    assert!(
        history_reads(before) > 0,
        "the first call reads the history"
    );

    let mid = sim.requests().len();
    let second = status_json(&config, &data).await;
    assert_eq!(
        history_reads(mid),
        0,
        "the second call reads it from the cache"
    );
    assert_eq!(second["kpis"]["metrics"], first["kpis"]["metrics"]);
}
