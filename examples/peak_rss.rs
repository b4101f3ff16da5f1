//! Peak memory of shipdeck at 5,000 issues, 1,000 checklist items, 500 runs over 20
//! repositories: the release is synced through the real client (its ETag cache included),
//! derived and drawn at 200×60, then the process reads its own peak resident set (`VmHWM` in
//! /proc/self/status, Linux). The simulator runs in a child process so its world is not
//! counted. Run:
//! `cargo run --release --example peak_rss`.

#[path = "../benches/support/scale.rs"]
mod support;

use std::time::Duration;

use shipdeck::app::Action;
use shipdeck::tui::Workers;

/// A line of /proc/self/status, e.g. `VmHWM`, in MB.
fn status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    if support::serve_if_asked().await {
        return;
    }
    let before = status_mb("VmHWM").unwrap_or(0.0);
    let sim = support::spawn_sim(support::scale(5000, 20), Duration::ZERO);
    let scale = support::scale(5000, 20);
    let setup = support::setup_at(&sim.url, scale);
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let workers = Workers::new(setup.api.clone(), setup.plan.clone(), tx, None);
    let mut state = support::initial_state_with(&setup, &workers);
    let (start, used) = (std::time::Instant::now(), support::cpu());
    let (_, synced) = support::until_synced(&mut state, &workers, &mut rx, start).await;
    let client_cpu = support::cpu().saturating_sub(used);
    // The next refresh, when it is due: unchanged, so every list answers 304 from the ETag
    // cache.
    let due = state.sync.next_due;
    support::dispatch(&mut state, &workers, Action::Tick { now: due });
    assert!(state.sync.in_flight.is_some(), "the refresh started");
    support::until_synced(&mut state, &workers, &mut rx, start).await;
    let issues: usize = state
        .snapshot
        .iter()
        .flat_map(|s| &s.repos)
        .map(|r| r.issues.len())
        .sum();
    println!(
        "{issues} issues synced, refreshed, derived and drawn: peak RSS {:.1} MB (now {:.1} MB; \
         {before:.1} MB before the first request); the first sync took {:.0} ms, {:.0} ms of \
         this process's CPU (the client, without the simulator)",
        status_mb("VmHWM").unwrap_or(0.0),
        status_mb("VmRSS").unwrap_or(0.0),
        synced.as_secs_f64() * 1e3,
        client_cpu.as_secs_f64() * 1e3,
    );
    drop(sim);
}
