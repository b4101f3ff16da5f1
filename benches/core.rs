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

/// The KPIs of a large delivery history (20 repositories, 90 days, three production deploys a
/// day each, 12 merged PRs a day each, a rollback and an incident a week each): what every
/// history read and every refresh recomputes.
fn kpis(c: &mut Criterion) {
    use chrono::{TimeDelta, TimeZone, Utc};
    use shipdeck::release::kpis::{
        History, MergedPr, RepoHistory, Settings, Shipped, ShippedCommits, report,
    };
    use shipdeck::release::{Conclusion, Issue, Run, RunStatus, State};

    let now = Utc
        .with_ymd_and_hms(2026, 12, 1, 12, 0, 0)
        .single()
        .expect("valid");
    let run = |repo: &str, id: u64, title: String, done: chrono::DateTime<Utc>| Run {
        repo: repo.into(),
        id,
        run_number: id,
        run_attempt: 1,
        workflow_id: 1,
        name: Some("Deploy".into()),
        display_title: title,
        event: "workflow_dispatch".into(),
        status: RunStatus::Completed,
        conclusion: Some(if id.is_multiple_of(17) {
            Conclusion::Failure
        } else {
            Conclusion::Success
        }),
        head_branch: None,
        head_sha: format!("d{id}"),
        actor: None,
        created_at: done - TimeDelta::minutes(9),
        updated_at: done,
        run_started_at: None,
        html_url: String::new(),
        waiting_for: Vec::new(),
    };
    let mut history = History::default();
    let mut id = 0_u64;
    for r in 0..20 {
        let repo = format!("acme/svc{r}");
        let mut h = RepoHistory {
            repo: repo.clone(),
            ..RepoHistory::default()
        };
        for hour in (0..90 * 24).step_by(8) {
            id += 1;
            let done = now - TimeDelta::hours(hour);
            h.deploys.push(run(
                &repo,
                id,
                format!("Deploy v1.{id}.0 to production"),
                done,
            ));
            let shas: Vec<String> = (0..4).map(|k| format!("m{id}-{k}")).collect();
            for (k, sha) in shas.iter().enumerate() {
                h.merged.push(MergedPr {
                    number: id * 10 + k as u64,
                    title: "change".into(),
                    author: None,
                    merged_at: done - TimeDelta::hours(5 + k as i64),
                    merge_commit_sha: sha.clone(),
                    html_url: String::new(),
                });
            }
            h.shipped.push(Shipped {
                run_id: id,
                commits: ShippedCommits::Known { shas },
            });
            if hour % (7 * 24) == 0 {
                id += 1;
                let mut rb = run(
                    &repo,
                    id,
                    "Rollback production to v1".into(),
                    done + TimeDelta::hours(1),
                );
                rb.created_at = done + TimeDelta::minutes(30);
                h.rollbacks.push(rb);
                h.incidents.push(Issue {
                    repo: repo.clone(),
                    number: id,
                    title: "incident".into(),
                    state: State::Closed,
                    is_pull_request: false,
                    labels: vec!["incident".into()],
                    assignees: Vec::new(),
                    author: None,
                    body: None,
                    html_url: String::new(),
                    created_at: done + TimeDelta::hours(2),
                    updated_at: done + TimeDelta::hours(3),
                    closed_at: Some(done + TimeDelta::hours(3)),
                    merged_at: None,
                    state_reason: None,
                });
            }
        }
        history.repos.push(h);
    }
    let settings = Settings {
        production: "production".into(),
        failure_window: TimeDelta::hours(24),
        milestone: "v1.5.0".into(),
    };
    let deploys: usize = history.repos.iter().map(|r| r.deploys.len()).sum();
    let prs: usize = history.repos.iter().map(|r| r.merged.len()).sum();
    let mut group = c.benchmark_group("kpis");
    group.measurement_time(Duration::from_secs(5));
    group.sample_size(20);
    group.bench_function(
        format!("report over {deploys} deploys and {prs} merged PRs in 20 repos"),
        |b| b.iter(|| report(black_box(&history), &[], None, &settings, now)),
    );
    group.finish();
}

criterion_group!(benches, task_list, round_trips, kpis);
criterion_main!(benches);
