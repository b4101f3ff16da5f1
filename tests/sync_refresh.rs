//! What a refresh costs and what it shows, through the dashboard's own worker against the
//! simulator: an unchanged refresh is free, one change costs at most two points and shows
//! exactly, pages are read concurrently without losing their order, and the disk cache is
//! written only when the snapshot changed.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::time::Duration;

use chrono::Utc;
use shipdeck::app::{Action, Effect};
use shipdeck::github::GitHubApi;
use shipdeck::github::sync::{SyncPlan, fetch_snapshot};
use shipdeck::release::Snapshot;
use shipdeck::release::snapshot::Missing;
use shipdeck::sim::{Fault, FaultKind, SimHandle};
use shipdeck::tui::Workers;
use tokio::sync::mpsc;

/// The demo, its runs frozen (so only what a test changes changes) and a budget no test
/// exhausts; `extra` more issues in acme/payments' v2.4.0 (milestone #4).
async fn sim_with(extra: u64) -> SimHandle {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for run in &mut repo.runs {
                run.live = None;
            }
        }
        w.rate.limit = 1_000_000;
        let repo = w.repo_mut("acme/payments").unwrap();
        let template = repo
            .issues
            .iter()
            .find(|i| i.milestone == Some(4) && i.pull.is_none())
            .unwrap()
            .clone();
        let top = repo.issues.iter().map(|i| i.number).max().unwrap();
        for n in 1..=extra {
            let mut issue = template.clone();
            issue.number = top + n;
            issue.id = 7_000_000 + n;
            issue.title = format!("Generated issue {n}");
            issue.labels = vec![];
            issue.state = if n % 4 == 0 { "closed" } else { "open" }.into();
            issue.created_at += chrono::TimeDelta::seconds(i64::try_from(n).unwrap());
            issue.updated_at = issue.created_at;
            repo.issues.push(issue);
        }
    });
    sim
}

/// A worker like the dashboard's and the channel it answers on.
struct Refresher {
    workers: Workers,
    rx: mpsc::Receiver<Action>,
    next: u64,
}

impl Refresher {
    fn new(sim: &SimHandle, plan: SyncPlan, cache: Option<std::path::PathBuf>) -> Self {
        let (tx, rx) = mpsc::channel(1024);
        Self {
            workers: Workers::new(common::client(sim), plan, tx, cache),
            rx,
            next: 0,
        }
    }

    /// One refresh; the snapshot and the progress lines seen on the way.
    async fn refresh_with_progress(&mut self, full: bool) -> (Snapshot, Vec<String>) {
        self.next += 1;
        let req = self.next;
        self.workers.start(Effect::FetchSnapshot { req, full });
        let mut progress = Vec::new();
        loop {
            let action = tokio::time::timeout(Duration::from_secs(30), self.rx.recv())
                .await
                .expect("the refresh answers")
                .expect("the channel stays open");
            match action {
                Action::SnapshotLoaded { req: r, result, .. } if r == req => {
                    return (*result.expect("the refresh succeeds"), progress);
                }
                Action::SyncProgress { req: r, line } if r == req => progress.push(line),
                _ => {}
            }
        }
    }

    async fn refresh(&mut self) -> Snapshot {
        self.refresh_with_progress(false).await.0
    }
}

/// What a refresh cost: rate-limit points (the simulator's own accounting) and requests.
struct Cost {
    points: u32,
    requests: Vec<String>,
}

async fn measure<T>(sim: &SimHandle, work: impl Future<Output = T>) -> (T, Cost) {
    let (remaining, seen) = (sim.rate_remaining(), sim.requests().len());
    let out = work.await;
    let requests = sim.requests()[seen..]
        .iter()
        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
        .collect();
    (
        out,
        Cost {
            points: remaining - sim.rate_remaining(),
            requests,
        },
    )
}

/// The snapshot a fresh client reads from scratch now.
async fn truth(sim: &SimHandle, plan: &SyncPlan) -> Snapshot {
    let api = common::client(sim);
    fetch_snapshot(api.as_ref() as &dyn GitHubApi, plan, Utc::now())
        .await
        .unwrap()
}

/// Equal but for when each was read (and when each found a workflow missing).
fn assert_same(got: &Snapshot, want: &Snapshot) {
    let unread = |s: &Snapshot| {
        let mut s = s.clone();
        s.fetched_at = chrono::DateTime::UNIX_EPOCH;
        for m in s.repos.iter_mut().flat_map(|r| r.missing.iter_mut()) {
            if let Missing::NotFound { checked_at } = &mut m.why {
                *checked_at = chrono::DateTime::UNIX_EPOCH;
            }
        }
        s
    };
    let (got, want) = (&unread(got), &unread(want));
    for (g, w) in got.repos.iter().zip(&want.repos) {
        assert_eq!(
            g.issues.iter().map(|i| i.number).collect::<Vec<_>>(),
            w.issues.iter().map(|i| i.number).collect::<Vec<_>>(),
            "{}: the same issues in the same order",
            g.repo
        );
    }
    if got != want {
        let (g, w) = (format!("{got:#?}"), format!("{want:#?}"));
        let diff: Vec<String> = g
            .lines()
            .zip(w.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(10)
            .map(|(n, (a, b))| format!("line {n}: got {a} / want {b}"))
            .collect();
        panic!("the snapshot differs from a fresh read: {diff:#?}");
    }
}

#[tokio::test]
async fn an_unchanged_refresh_costs_nothing_on_the_demo_and_on_a_big_milestone() {
    for extra in [0, 330] {
        let sim = sim_with(extra).await;
        let plan = common::demo_plan();
        let mut r = Refresher::new(&sim, plan.clone(), None);
        let (first, cost) = measure(&sim, r.refresh()).await;
        println!(
            "extra {extra}: first sync {} requests, {} points",
            cost.requests.len(),
            cost.points
        );
        let (second, cost) = measure(&sim, r.refresh()).await;
        println!(
            "extra {extra}: unchanged refresh {} requests, {} points",
            cost.requests.len(),
            cost.points
        );
        assert_eq!(cost.points, 0, "extra {extra}: {:#?}", cost.requests);
        assert_same(&second, &first);
        assert_same(&second, &truth(&sim, &plan).await);
    }
}

/// One change another client makes to a payments issue of the milestone.
#[derive(Debug, Clone, Copy)]
enum Change {
    Relabel,
    Close,
    MoveToNextMilestone,
    MoveIn,
}

fn apply(sim: &SimHandle, change: Change, number: u64) {
    sim.with_world(|w| {
        let issue = w
            .repo_mut("acme/payments")
            .unwrap()
            .issue_mut(number)
            .unwrap();
        match change {
            Change::Relabel => issue.labels.push("risk:high".into()),
            Change::Close => {
                issue.state = "closed".into();
                issue.state_reason = Some("completed".into());
                issue.closed_at = Some(Utc::now());
            }
            Change::MoveToNextMilestone => issue.milestone = Some(5),
            Change::MoveIn => issue.milestone = Some(4),
        }
        issue.touch(Utc::now());
    });
}

#[tokio::test]
async fn one_change_shows_exactly_and_costs_at_most_two_points() {
    for extra in [0, 330] {
        let sim = sim_with(extra).await;
        let plan = common::demo_plan();
        let mut r = Refresher::new(&sim, plan.clone(), None);
        let first = r.refresh().await;
        let payments = &first.repos[1];
        assert_eq!(payments.repo, "acme/payments");
        let open = payments
            .issues
            .iter()
            .find(|i| i.state == shipdeck::release::State::Open && !i.is_pull_request)
            .unwrap()
            .number;
        let moved = payments.issues.last().unwrap().number;
        for (change, number) in [
            (Change::Relabel, open),
            (Change::Close, open),
            (Change::MoveToNextMilestone, moved),
            (Change::MoveIn, moved),
        ] {
            apply(&sim, change, number);
            let (snap, cost) = measure(&sim, r.refresh()).await;
            println!(
                "extra {extra}: after {change:?}: {} requests, {} points",
                cost.requests.len(),
                cost.points
            );
            assert!(
                cost.points <= 2,
                "extra {extra}, {change:?}: {} points: {:#?}",
                cost.points,
                cost.requests
            );
            assert_same(&snap, &truth(&sim, &plan).await);
        }
    }
}

#[tokio::test]
async fn pages_after_the_first_are_read_at_once_and_kept_in_order() {
    let sim = sim_with(930).await;
    let api = common::client(&sim);
    // Page 2 answers late: the eight pages after it are asked for meanwhile, not only the
    // three a window of four in page order would allow (the simulator answers them one after
    // the other, slowly in a debug build: hence the long delay).
    sim.inject(Fault {
        method: None,
        path_contains: "&page=2".into(),
        kind: FaultKind::Delay(Duration::from_secs(4)),
        times: 1,
    });
    let seen = sim.requests().len();
    let issues = api
        .milestone_issues("acme/payments", 4, None)
        .await
        .unwrap();
    let pages: Vec<u32> = sim.requests()[seen..]
        .iter()
        .filter_map(|r| r.path.split("&page=").nth(1)?.parse().ok())
        .collect();
    assert_eq!(pages.len(), 9, "{pages:?}");
    let late = pages.iter().position(|&p| p == 2).unwrap();
    assert!(
        (3..=9).all(|p| pages[..late].contains(&p)),
        "pages 3 to 9 answered before page 2: {pages:?}"
    );

    // The same list, in the same order, as the simulator's own (newest first).
    let want: Vec<u64> = sim.with_world(|w| {
        let mut mine: Vec<_> = w
            .repo("acme/payments")
            .unwrap()
            .issues
            .iter()
            .filter(|i| i.milestone == Some(4))
            .map(|i| (i.created_at, i.number))
            .collect();
        mine.sort_unstable();
        mine.into_iter().rev().map(|(_, n)| n).collect()
    });
    assert!(want.len() > 900);
    assert_eq!(
        issues.iter().map(|i| i.number).collect::<Vec<_>>(),
        want,
        "pages joined in page order"
    );
}

#[tokio::test]
async fn a_long_read_reports_its_progress() {
    let sim = sim_with(930).await;
    let mut r = Refresher::new(&sim, common::demo_plan(), None);
    let (_, progress) = r.refresh_with_progress(false).await;
    assert!(
        progress
            .iter()
            .any(|l| l == "reading acme/payments issues 10/10"),
        "{progress:#?}"
    );
    assert!(
        progress
            .iter()
            .any(|l| l.starts_with("reading acme/payments issues ") && l.ends_with("/10")),
        "{progress:#?}"
    );
}

#[tokio::test]
async fn the_cache_file_is_written_only_when_the_snapshot_changed() {
    let sim = sim_with(0).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    let mut r = Refresher::new(&sim, common::demo_plan(), Some(path.clone()));
    let first = r.refresh().await;
    let cached = shipdeck::tui::workers::load_cache(&path).expect("written after the first read");
    assert_same(&cached, &first);

    // Unchanged: not written again (the file removed here stays away).
    std::fs::remove_file(&path).unwrap();
    r.refresh().await;
    assert!(!path.exists(), "an unchanged refresh rewrote the cache");

    // Changed: written, with the change.
    let number = first.repos[1].issues[0].number;
    apply(&sim, Change::Relabel, number);
    let third = r.refresh().await;
    let cached = shipdeck::tui::workers::load_cache(&path).expect("written after a change");
    assert_same(&cached, &third);
}

#[tokio::test]
async fn synced_counts_from_when_the_data_arrived() {
    let sim = shipdeck::sim::start(shipdeck::sim::SimOptions {
        latency: Duration::from_millis(150),
        ..shipdeck::sim::SimOptions::demo()
    })
    .await
    .unwrap();
    let mut r = Refresher::new(&sim, common::demo_plan(), None);
    let asked = Utc::now();
    let snap = r.refresh().await;
    let arrived = Utc::now();
    // At least two round trips one after the other (milestones, then issues) before the data
    // is whole.
    assert!(
        snap.fetched_at - asked >= chrono::TimeDelta::milliseconds(300),
        "fetched_at {} is when it was asked ({asked}), not when it arrived",
        snap.fetched_at
    );
    assert!(snap.fetched_at <= arrived);
}

#[test]
fn the_first_read_shows_its_progress_where_loading_was() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut state = common::demo_app_state();
    state.sync.in_flight = Some(7);
    let draw = |state: &shipdeck::app::AppState| {
        let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
        terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
        format!("{}", terminal.backend())
    };
    assert!(draw(&state).contains("loading…"));
    shipdeck::app::update(
        &mut state,
        Action::SyncProgress {
            req: 7,
            line: "reading acme/storefront issues 12/50".into(),
        },
    );
    let screen = draw(&state);
    assert!(
        screen.contains("reading acme/storefront issues 12/50"),
        "{screen}"
    );
    assert!(!screen.contains("loading…"), "{screen}");
    // A progress line for a refresh no longer awaited is dropped.
    shipdeck::app::update(
        &mut state,
        Action::SyncProgress {
            req: 6,
            line: "reading acme/payments issues 1/2".into(),
        },
    );
    assert!(!draw(&state).contains("acme/payments issues"));
}

#[tokio::test]
async fn a_deleted_issue_the_probe_cannot_show_makes_the_list_read_again() {
    let sim = sim_with(330).await;
    let plan = common::demo_plan();
    let mut r = Refresher::new(&sim, plan.clone(), None);
    let first = r.refresh().await;
    let gone = first.repos[1].issues[3].number;
    // Deleted: no longer listed anywhere, so only the milestone's counts say so.
    sim.with_world(|w| {
        w.repo_mut("acme/payments")
            .unwrap()
            .issues
            .retain(|i| i.number != gone);
    });
    let (snap, cost) = measure(&sim, r.refresh()).await;
    assert!(snap.repos[1].issues.iter().all(|i| i.number != gone));
    assert_same(&snap, &truth(&sim, &plan).await);
    assert!(
        cost.requests
            .iter()
            .any(|r| r.contains("milestone=4&state=all")),
        "the milestone's list was read again: {:#?}",
        cost.requests
    );
}

#[tokio::test]
async fn the_periodic_whole_read_of_an_unchanged_milestone_is_free() {
    use shipdeck::github::sync::{RELIST_EVERY, refresh};
    let sim = sim_with(330).await;
    let mut plan = common::demo_plan();
    // Only where it exists: a workflow found missing is asked for again after ten minutes,
    // a 404 that costs a point, and not what this test is about.
    for w in plan.workflows.iter_mut().filter(|w| w.file == "e2e.yml") {
        w.repo = Some("acme/storefront".into());
    }
    let api = common::client(&sim);
    let now = Utc::now();
    let first = refresh(api.as_ref(), &plan, now, None, false)
        .await
        .unwrap();
    let later = now + RELIST_EVERY + chrono::TimeDelta::minutes(1);
    let (second, cost) = measure(
        &sim,
        refresh(api.as_ref(), &plan, later, Some(&first), false),
    )
    .await;
    let second = second.unwrap();
    let pages = cost
        .requests
        .iter()
        .filter(|r| r.contains("milestone=4&state=all"))
        .count();
    assert_eq!(pages, 4, "every page asked again: {:#?}", cost.requests);
    assert_eq!(cost.points, 0, "{:#?}", cost.requests);
    assert_same(&second.snapshot, &first.snapshot);
}
