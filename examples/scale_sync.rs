//! The network side of the scale benchmarks, against the scaled simulator with 50 ms added to
//! every answer, through the real client: a full sync at 2,000 and 5,000 issues and at 20
//! repositories (wall time, requests, round-trip waves = wall time / latency), the points of
//! an unchanged refresh and of one after one issue changed, the dashboard's time to data cold
//! and from its cache (the workers and `update`, as `shipdeck` runs them), and what an idle
//! hour costs. Run: `cargo run --release --example scale_sync`.

#[path = "../benches/support/scale.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use shipdeck::app::{Action, update};
use shipdeck::github::GitHubApi;
use shipdeck::github::sync::{SyncPlan, Synced, refresh};
use shipdeck::sim::{Scale, SimHandle};
use shipdeck::tui::Workers;
use shipdeck::tui::workers::load_cache;
use tokio::sync::mpsc;

/// How many times the wall times are measured (their median is printed).
const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// What one piece of work cost the simulator.
struct Cost {
    wall: Duration,
    /// CPU time of the simulator and the client together.
    cpu: Duration,
    requests: usize,
    points: u32,
}

impl Cost {
    /// Round trips one after another: the wall time in latencies.
    fn waves(&self) -> f64 {
        self.wall.as_secs_f64() / support::LATENCY.as_secs_f64()
    }
}

async fn measure<T>(sim: &SimHandle, work: impl Future<Output = T>) -> (T, Cost) {
    let (remaining, seen) = (sim.rate_remaining(), sim.requests().len());
    let (start, used) = (Instant::now(), support::cpu());
    let out = work.await;
    let wall = start.elapsed();
    let cost = Cost {
        wall,
        cpu: support::cpu().saturating_sub(used),
        requests: sim.requests().len() - seen,
        points: remaining - sim.rate_remaining(),
    };
    (out, cost)
}

async fn sync(api: &dyn GitHubApi, plan: &SyncPlan, prev: Option<&Synced>) -> Synced {
    refresh(api, plan, Utc::now(), prev, false)
        .await
        .expect("synced")
}

/// A cold sync, an unchanged refresh, and a refresh after one issue of the last repository
/// was relabelled, of the first `repos` repositories of `scale`.
async fn sync_case(scale: Scale, repos: usize) {
    let plan = support::plan_of(scale, repos);
    // The same cold sync with no latency: the simulator's and the client's own cost.
    let sim = support::start(scale, Duration::ZERO).await;
    let (_, local) = measure(&sim, sync(support::client(&sim).as_ref(), &plan, None)).await;
    sim.shutdown().await;
    let sim = support::start(scale, support::LATENCY).await;
    let api = support::client(&sim);
    // Cold twice more with new clients, for the median wall time.
    let mut walls = Vec::new();
    for _ in 1..RUNS {
        let fresh = support::client(&sim);
        walls.push(
            measure(&sim, sync(fresh.as_ref(), &plan, None))
                .await
                .1
                .wall,
        );
    }
    let (first, mut cold) = measure(&sim, sync(api.as_ref(), &plan, None)).await;
    walls.push(cold.wall);
    cold.wall = median(walls);
    let issues: usize = first.snapshot.repos.iter().map(|r| r.issues.len()).sum();
    let (second, idle) = measure(&sim, sync(api.as_ref(), &plan, Some(&first))).await;
    assert!(
        second.snapshot.same_data(&first.snapshot),
        "nothing changed"
    );
    let part = first.snapshot.repos.last().expect("a repository");
    let changed = part
        .issues
        .iter()
        .find(|i| !i.is_pull_request && !i.labels.iter().any(|l| l == "risk:high"))
        .expect("an issue to relabel");
    let (repo, number) = (part.repo.clone(), changed.number);
    sim.with_world(|w| {
        let issue = w
            .repo_mut(&repo)
            .and_then(|r| r.issue_mut(number))
            .expect("the issue");
        issue.labels.push("risk:high".into());
        issue.touch(Utc::now());
    });
    let (third, one) = measure(&sim, sync(api.as_ref(), &plan, Some(&second))).await;
    let seen = third
        .snapshot
        .repos
        .iter()
        .flat_map(|r| &r.issues)
        .any(|i| i.repo == repo && i.number == number && i.labels.iter().any(|l| l == "risk:high"));
    assert!(seen, "the change is in the snapshot");
    println!(
        "| {issues} issues, {repos} repos | cold sync {:.0} ms (median of {RUNS}; {:.0} ms with no latency; {:.0} ms CPU), {} requests, \
         {} points, {:.1} waves | unchanged refresh {:.0} ms, {} requests, {} points \
         | one change {:.0} ms, {} requests, {} points |",
        cold.wall.as_secs_f64() * 1e3,
        local.wall.as_secs_f64() * 1e3,
        cold.cpu.as_secs_f64() * 1e3,
        cold.requests,
        cold.points,
        cold.waves(),
        idle.wall.as_secs_f64() * 1e3,
        idle.requests,
        idle.points,
        one.wall.as_secs_f64() * 1e3,
        one.requests,
        one.points,
    );
    let every = support::initial_state(&support::setup(&sim, scale)).sync;
    let per_hour = |d: chrono::TimeDelta| 3600 / d.num_seconds().max(1);
    println!(
        "    idle hour: {} points at the active refresh ({} s), {} at the idle one ({} s)",
        u64::from(idle.points) * per_hour(every.active_every).unsigned_abs(),
        every.active_every.num_seconds(),
        u64::from(idle.points) * per_hour(every.idle_every).unsigned_abs(),
        every.idle_every.num_seconds(),
    );
    sim.shutdown().await;
}

/// The dashboard started on `cache`: the time to its first frame with data (from the cache
/// when there is one), then to the first frame of fresh data.
async fn start_dashboard(url: &str, scale: Scale, cache: &Path) -> (Duration, Duration) {
    let setup = support::setup_at(url, scale);
    let (tx, mut rx) = mpsc::channel(256);
    let workers = Workers::new(
        setup.api.clone(),
        setup.plan.clone(),
        tx,
        Some(cache.to_path_buf()),
    );
    let start = Instant::now();
    let mut state = shipdeck::commands::dashboard::initial_state(&setup);
    if let Some(snapshot) = load_cache(cache) {
        update(&mut state, Action::CachedSnapshot(Box::new(snapshot)));
    }
    support::dispatch(&mut state, &workers, Action::Tick { now: Utc::now() });
    support::until_synced(&mut state, &workers, &mut rx, start).await
}

#[tokio::main]
async fn main() {
    if support::serve_if_asked().await {
        return;
    }
    println!("Full sync and refreshes at {:?} latency:", support::LATENCY);
    sync_case(support::scale(2000, 2), 2).await;
    sync_case(support::scale(5000, 2), 1).await;
    sync_case(support::scale(5000, 2), 2).await;
    sync_case(support::scale(5000, 20), 20).await;

    // The simulator in its own process, as `shipdeck sim --scale … --latency-ms 50` runs.
    let scale = support::scale(5000, 20);
    let sim = support::spawn_sim(scale, support::LATENCY);
    let (mut cold, mut cached, mut fresh) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().expect("a temp dir");
        let cache = dir.path().join("snapshot.json");
        cold.push(start_dashboard(&sim.url, scale, &cache).await.0);
        let (shown, synced) = start_dashboard(&sim.url, scale, &cache).await;
        cached.push(shown);
        fresh.push(synced);
    }
    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    println!(
        "Dashboard on {scale} at {:?} latency (median of {RUNS}): data cold {:.0} ms; \
         from cache {:.1} ms (fresh data after {:.0} ms)",
        support::LATENCY,
        ms(median(cold)),
        ms(median(cached)),
        ms(median(fresh)),
    );
}
