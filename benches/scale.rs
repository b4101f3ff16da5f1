//! The dashboard at the size of the issue on scale (5,000 issues, 1,000 checklist items, 500
//! runs, 20 repositories): derive (snapshot → release), render of the whole dashboard at
//! 200×60, the snapshot cache's save and load, and the first frame from the cache. The
//! snapshot is read once through the real client from the scaled simulator.
//! Run: `cargo bench --bench scale`.

#[path = "support/scale.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use shipdeck::app::{Action, update};
use shipdeck::release::Release;
use shipdeck::tui::workers::{load_cache, write_json};

fn scale(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let _runtime = rt.enter();
    let scale = support::scale(5000, 20);
    let sim = rt.block_on(support::start(scale, Duration::ZERO));
    let snapshot = rt.block_on(support::snapshot(&sim, scale));
    let setup = support::setup(&sim, scale);
    let mut state = support::initial_state(&setup);
    support::loaded(&mut state, snapshot.clone());
    let dir = tempfile::tempdir().expect("a temp dir");
    let cache = dir.path().join("snapshot.json");
    write_json(&cache, &snapshot).expect("saved");
    let size = std::fs::metadata(&cache).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{} issues, {} runs, cache file {:.1} MB",
        snapshot.repos.iter().map(|r| r.issues.len()).sum::<usize>(),
        snapshot
            .repos
            .iter()
            .flat_map(|r| &r.workflows)
            .map(|w| w.runs.len())
            .sum::<usize>(),
        size as f64 / 1e6
    );

    let mut group = c.benchmark_group("scale 5000 issues");
    group.measurement_time(Duration::from_secs(4));
    group.sample_size(30);
    group.bench_function("derive", |b| {
        b.iter(|| Release::derive(black_box(&snapshot), &state.rules));
    });
    let mut terminal = support::draw(&state);
    group.bench_function("render 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|f| shipdeck::view::render(black_box(&state), f))
                .map(|_| ())
        });
    });
    group.bench_function("cache save", |b| {
        b.iter(|| write_json(&cache, black_box(&snapshot)));
    });
    group.bench_function("cache load", |b| b.iter(|| load_cache(black_box(&cache))));
    group.bench_function("first frame from cache", |b| {
        b.iter_batched(
            || support::initial_state(&setup),
            |mut fresh| {
                let cached = load_cache(&cache).expect("a cached snapshot");
                update(&mut fresh, Action::CachedSnapshot(Box::new(cached)));
                support::draw(&fresh)
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
    rt.block_on(sim.shutdown());
}

criterion_group!(benches, scale);
criterion_main!(benches);
