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

criterion_group!(benches, task_list);
criterion_main!(benches);
