//! Measures the simulator's cost per page: one page of 100 issues of a milestone holding N
//! issues (N = 45, 2,000, 5,000, 50,000), the median of 20 requests on one connection each,
//! and a full read of 5,000 issues through the real client. No added latency, so the figures
//! are the simulator's own cost. Run: `cargo run --release --example sim_pages`.

use std::time::{Duration, Instant};

use shipdeck::github::{GitHubApi, Octo};
use shipdeck::sim::{self, SimHandle, SimOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Grows acme/payments' v2.4.0 milestone to `total` issues; returns its number.
fn grow(sim: &SimHandle, total: usize) -> u64 {
    sim.with_world(|w| {
        let Some(repo) = w.repo_mut("acme/payments") else {
            return 0;
        };
        let Some(m) = repo
            .milestones
            .iter()
            .find(|m| m.title == "v2.4.0")
            .map(|m| m.number)
        else {
            return 0;
        };
        let Some(template) = repo.issues.iter().find(|i| i.milestone == Some(m)).cloned() else {
            return m;
        };
        let have = repo
            .issues
            .iter()
            .filter(|i| i.milestone == Some(m))
            .count();
        let top = repo.issues.iter().map(|i| i.number).max().unwrap_or(0);
        for n in 1..=total.saturating_sub(have) as u64 {
            let mut issue = template.clone();
            issue.number = top + n;
            issue.id = 70_000_000 + n;
            issue.title = format!("Generated issue {n}");
            repo.issues.push(issue);
        }
        m
    })
}

/// One GET over a fresh connection; returns the time to the last byte.
async fn one_get(base: &str, path: &str) -> Duration {
    let addr = base.trim_start_matches("http://");
    let start = Instant::now();
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return Duration::ZERO;
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer shipdeck-demo\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return Duration::ZERO;
    }
    let mut body = Vec::new();
    let _ = stream.read_to_end(&mut body).await;
    start.elapsed()
}

#[tokio::main]
async fn main() {
    for total in [45, 2_000, 5_000, 50_000] {
        let Ok(sim) = sim::start(SimOptions::demo()).await else {
            eprintln!("the simulator did not start");
            return;
        };
        let m = grow(&sim, total);
        let path =
            format!("/repos/acme/payments/issues?milestone={m}&state=all&per_page=100&page=1");
        let mut times = Vec::new();
        for _ in 0..20 {
            times.push(one_get(&sim.base_url(), &path).await);
        }
        times.sort();
        println!(
            "page of 100 at {total:>6} issues: median {:?}",
            times[times.len() / 2]
        );
        if total == 5_000 {
            let Ok(api) = Octo::new(&sim.base_url(), sim.token(), Duration::from_secs(60)) else {
                return;
            };
            let start = Instant::now();
            let got = api
                .milestone_issues("acme/payments", m, None)
                .await
                .map(|v| v.len());
            println!(
                "full read of {total} issues via the client: {:?} ({got:?})",
                start.elapsed()
            );
        }
        sim.shutdown().await;
    }
}
