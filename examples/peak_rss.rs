//! Peak memory of shipdeck at 5,000 issues, 1,000 checklist items, 500 runs over 20
//! repositories: the release is synced through the real client (its ETag cache included),
//! derived and drawn at 200×60, then the process reads its own peak resident set (`VmHWM` in
//! /proc/self/status, Linux). The simulator runs in a child process (this example, started
//! again with `serve`) so its world is not counted. Run:
//! `cargo run --release --example peak_rss`.

#[path = "../benches/support/scale.rs"]
mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
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

/// The child: serves the scaled release, prints its base URL, and stops when stdin closes.
async fn serve() {
    let sim = support::start(support::scale(5000, 20), Duration::ZERO).await;
    println!("{}", sim.base_url());
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    sim.shutdown().await;
}

#[tokio::main]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("serve") {
        serve().await;
        return;
    }
    let before = status_mb("VmHWM").unwrap_or(0.0);
    let exe = std::env::current_exe().expect("this example's path");
    let mut child = Command::new(exe)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the simulator process starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut url)
        .expect("its base URL");
    let scale = support::scale(5000, 20);
    let setup = support::setup_at(url.trim(), scale);
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let workers = Workers::new(setup.api.clone(), setup.plan.clone(), tx, None);
    let mut state = support::initial_state_with(&setup, &workers);
    let start = std::time::Instant::now();
    support::until_synced(&mut state, &workers, &mut rx, start).await;
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
         {before:.1} MB before the first request)",
        status_mb("VmHWM").unwrap_or(0.0),
        status_mb("VmRSS").unwrap_or(0.0),
    );
    drop(child.stdin.take());
    let _ = child.wait();
}
