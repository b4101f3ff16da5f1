//! Benchmarks of the core pure functions: parsing a long checklist and ticking one item.

#[path = "../tests/checklists/long_body.rs"]
mod long_body;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use shipdeck::release::task_list::{HeadingNames, Tick, parse, set_checked};

fn task_list(c: &mut Criterion) {
    let body = long_body::long_body(1000);
    let names = HeadingNames::default();
    let items = parse(&body, &names);
    assert_eq!(items.len(), 1000);
    let last = items.last().map(|i| (i.key(), !i.checked)).expect("items");

    let mut group = c.benchmark_group("task_list");
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    group.sample_size(50);
    group.bench_function("parse 1000 items", |b| {
        b.iter(|| parse(black_box(&body), &names));
    });
    group.bench_function("set_checked last of 1000 items", |b| {
        b.iter(|| {
            let tick = set_checked(black_box(&body), &names, &last.0, last.1);
            assert!(matches!(tick, Ok(Tick::Changed(_))));
            tick
        });
    });
    group.finish();
}

/// Against the simulator on loopback, through the real client: one tick (GET, re-GET, PATCH,
/// read-back) and one whole refresh of the demo release (cold, then all-304 warm).
fn round_trips(c: &mut Criterion) {
    use std::sync::Arc;

    use shipdeck::github::Octo;
    use shipdeck::github::sync::fetch_snapshot;
    use shipdeck::sim::{SimOptions, start};
    use shipdeck::tui::outbox::Outbox;
    use shipdeck::tui::ticks::TickWorker;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let _runtime = rt.enter();
    let sim = rt.block_on(start(SimOptions::demo())).expect("simulator");
    // Thousands of iterations: lift the simulated hourly budget so the bench measures round
    // trips, not the rate limiter.
    sim.with_world(|w| w.rate.limit = u32::MAX / 2);
    let api =
        Arc::new(Octo::new(&sim.base_url(), sim.token(), Duration::from_secs(10)).expect("client"));
    let dir = std::env::temp_dir().join(format!("shipdeck-bench-{}", std::process::id()));
    let outbox = Arc::new(Outbox::open(&dir.join("outbox.json"), &sim.base_url()).expect("outbox"));
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let worker = TickWorker::new(api.clone(), outbox.clone(), tx, Duration::from_millis(10));
    rt.spawn(worker.clone().run());
    let body = sim
        .issue_body("acme/storefront", 200)
        .expect("tracking issue");
    let item = parse(&body, &HeadingNames::default())[3].clone();

    let mut group = c.benchmark_group("simulator");
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(20);
    let mut checked = item.checked;
    group.bench_function("tick round trip", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = std::time::Instant::now();
                for _ in 0..iters {
                    checked = !checked;
                    outbox
                        .push(
                            "acme/storefront",
                            200,
                            item.key(),
                            checked,
                            1,
                            chrono::Utc::now(),
                        )
                        .expect("saved");
                    worker.wake();
                    while let Some(action) = rx.recv().await {
                        match action {
                            shipdeck::app::Action::TickApplied { .. } => break,
                            shipdeck::app::Action::TickFailed { reason, .. } => {
                                panic!("tick failed: {reason}")
                            }
                            _ => {}
                        }
                    }
                }
                start.elapsed()
            })
        });
    });
    let plan = {
        let mut config = shipdeck::config::Config::default();
        config.github.repos = ["acme/storefront", "acme/payments"]
            .iter()
            .map(|r| shipdeck::config::RepoName::parse(r).expect("valid"))
            .collect();
        shipdeck::commands::setup::plan_for(&config)
    };
    group.bench_function("refresh, cold (new client)", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = std::time::Instant::now();
                for _ in 0..iters {
                    let fresh = Octo::new(&sim.base_url(), sim.token(), Duration::from_secs(10))
                        .expect("client");
                    fetch_snapshot(&fresh, &plan, chrono::Utc::now())
                        .await
                        .expect("synced");
                }
                start.elapsed()
            })
        });
    });
    group.bench_function("refresh, warm (ETag 304s)", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = std::time::Instant::now();
                for _ in 0..iters {
                    fetch_snapshot(api.as_ref(), &plan, chrono::Utc::now())
                        .await
                        .expect("synced");
                }
                start.elapsed()
            })
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, task_list, round_trips);
criterion_main!(benches);
