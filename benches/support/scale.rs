//! Shared setup of the scale benchmarks (`benches/scale.rs`, `examples/scale_sync.rs`,
//! `examples/peak_rss.rs`): a scaled simulator, the config and sync plan a user pointing
//! shipdeck at it gets, the dashboard's own initial state, and a 200×60 frame.
#![allow(dead_code)] // each benchmark uses part of it

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::{Action, AppState, Effect, update};
use shipdeck::commands::setup::{Setup, plan_for};
use shipdeck::config::{Config, RepoName};
use shipdeck::github::Octo;
use shipdeck::github::sync::{SyncPlan, fetch_snapshot};
use shipdeck::release::Snapshot;
use shipdeck::sim::{self, Scale, SimHandle, SimOptions};
use shipdeck::tui::Workers;
use tokio::sync::mpsc;

/// The latency the network benchmarks add to every answer.
pub const LATENCY: Duration = Duration::from_millis(50);

/// The frame the render benchmarks draw.
pub const FRAME: (u16, u16) = (200, 60);

/// The issue's size: 1,000 checklist items and 500 runs, with `issues` issues over `repos`
/// repositories.
pub fn scale(issues: usize, repos: usize) -> Scale {
    format!("issues={issues},items=1000,runs=500,repos={repos}")
        .parse()
        .expect("a valid scale")
}

/// A simulator serving `scale` with `latency` added to every answer. Its runs stand still
/// (an idle release: nothing changes unless the benchmark changes it) and its hourly budget
/// is lifted so repeated syncs measure points, not the limiter.
pub async fn start(scale: Scale, latency: Duration) -> SimHandle {
    let sim = sim::start(SimOptions {
        latency,
        ..SimOptions::scaled(scale)
    })
    .await
    .expect("the simulator starts on loopback");
    sim.with_world(|w| {
        for run in w.repos.iter_mut().flat_map(|r| &mut r.runs) {
            run.live = None;
        }
        w.rate.limit = u32::MAX / 2;
    });
    sim
}

/// The config of `shipdeck --api-url <sim> --repo …` with no config file: the defaults and
/// the scaled release's repositories.
pub fn config(scale: Scale) -> Config {
    let mut config = Config::default();
    config.github.repos = scale
        .repo_names()
        .iter()
        .map(|r| RepoName::parse(r).expect("a valid repository"))
        .collect();
    config
}

/// The sync plan of [`config`].
pub fn plan(scale: Scale) -> SyncPlan {
    plan_for(&config(scale))
}

/// The sync plan of [`config`] cut to its first `repos` repositories (the first holds the
/// tracking issue).
pub fn plan_of(scale: Scale, repos: usize) -> SyncPlan {
    let mut config = config(scale);
    config.github.repos.truncate(repos);
    plan_for(&config)
}

/// A new real client for the simulator (its own ETag cache).
pub fn client(sim: &SimHandle) -> Arc<Octo> {
    Arc::new(Octo::new(&sim.base_url(), sim.token(), Duration::from_secs(60)).expect("client"))
}

/// What the dashboard is started with for the simulator (as `shipdeck` builds it).
pub fn setup(sim: &SimHandle, scale: Scale) -> Setup {
    setup_at(&sim.base_url(), scale)
}

/// What the dashboard is started with for a simulator serving `scale` at `base_url`.
pub fn setup_at(base_url: &str, scale: Scale) -> Setup {
    let config = config(scale);
    let api = Octo::new(
        base_url,
        SimOptions::demo().token.as_str(),
        Duration::from_secs(60),
    )
    .expect("client");
    Setup {
        plan: plan_for(&config),
        config,
        config_path: None,
        api: Arc::new(api),
        read_only: false,
        source: "sim".into(),
        api_url: base_url.to_owned(),
        warnings: Vec::new(),
    }
}

/// Applies `action` and starts the effects it returns, as the event loop does.
pub fn dispatch(state: &mut AppState, workers: &Workers, action: Action) {
    for effect in update(state, action) {
        match effect {
            Effect::Bell | Effect::CopyToClipboard(_) | Effect::OpenUrl(_) => {}
            other => workers.start(other),
        }
    }
}

/// Feeds the workers' answers to `state` until it shows the release, and again until the
/// refresh in flight has answered (fresh data, not the cache's); draws a frame at each and
/// returns `start`'s elapsed time at each.
pub async fn until_synced(
    state: &mut AppState,
    workers: &Workers,
    rx: &mut mpsc::Receiver<Action>,
    start: Instant,
) -> (Duration, Duration) {
    let mut shown = None;
    loop {
        if state.release.is_some() && shown.is_none() {
            draw(state);
            shown = Some(start.elapsed());
        }
        if state.snapshot.is_some() && !state.sync.from_cache && state.sync.in_flight.is_none() {
            draw(state);
            return (shown.unwrap_or_default(), start.elapsed());
        }
        let action = rx.recv().await.expect("the workers answer");
        dispatch(state, workers, action);
    }
}

/// The dashboard's state before any data (`commands::dashboard::initial_state`), after the
/// first clock tick (which asks for a refresh; see [`loaded`]).
pub fn initial_state(setup: &Setup) -> AppState {
    let mut state = shipdeck::commands::dashboard::initial_state(setup);
    update(
        &mut state,
        Action::Tick {
            now: chrono::Utc::now(),
        },
    );
    state
}

/// Like [`initial_state`], with the first refresh started on `workers`.
pub fn initial_state_with(setup: &Setup, workers: &Workers) -> AppState {
    let mut state = shipdeck::commands::dashboard::initial_state(setup);
    dispatch(
        &mut state,
        workers,
        Action::Tick {
            now: chrono::Utc::now(),
        },
    );
    state
}

/// The whole release `sim` serves at `scale`, read once through a new real client.
pub async fn snapshot(sim: &SimHandle, scale: Scale) -> Snapshot {
    fetch_snapshot(client(sim).as_ref(), &plan(scale), sim.now())
        .await
        .expect("synced")
}

/// A 200×60 terminal with the dashboard drawn once.
pub fn draw(state: &AppState) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(FRAME.0, FRAME.1)).expect("terminal");
    terminal
        .draw(|f| shipdeck::view::render(state, f))
        .expect("drawn");
    terminal
}

/// Hands `snapshot` to `state` as the answer to the refresh it asked for.
pub fn loaded(state: &mut AppState, snapshot: Snapshot) {
    let req = state.sync.in_flight.expect("a refresh was asked for");
    update(
        state,
        Action::SnapshotLoaded {
            req,
            result: Ok(Box::new(snapshot)),
            rate: None,
        },
    );
    assert!(state.release.is_some(), "the release is derived");
}

/// CPU time this process (simulator and client) has used, from /proc/self/stat (Linux; zero
/// elsewhere), in clock ticks of 10 ms.
pub fn cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name (in parentheses): utime and stime are the 12th and
            // 13th of them.
            let rest = stat.rsplit_once(')')?.1;
            let mut fields = rest.split_whitespace().skip(11);
            let user: u64 = fields.next()?.parse().ok()?;
            let system: u64 = fields.next()?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Serves `scale` when this process was started by [`spawn_sim`] (arguments `serve SCALE
/// LATENCY_MS`) until its stdin closes, and returns true; otherwise returns false at once.
pub async fn serve_if_asked() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [serve, scale, latency] = args.as_slice() else {
        return false;
    };
    if serve != "serve" {
        return false;
    }
    let scale: Scale = scale.parse().expect("a valid scale");
    let latency = Duration::from_millis(latency.parse().expect("a latency in ms"));
    let sim = start(scale, latency).await;
    println!("{}", sim.base_url());
    let _ = tokio::task::spawn_blocking(|| {
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new())
    })
    .await;
    sim.shutdown().await;
    true
}

/// A simulator in a child process (this program again, see [`serve_if_asked`]), as
/// `shipdeck sim` runs: its world and its work are not counted in this process.
pub struct ChildSim {
    child: std::process::Child,
    /// Its base URL.
    pub url: String,
}

/// Starts a [`ChildSim`] serving `scale` with `latency`.
pub fn spawn_sim(scale: Scale, latency: Duration) -> ChildSim {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe().expect("this program's path");
    let mut child = Command::new(exe)
        .args([
            "serve".to_owned(),
            scale.to_string(),
            latency.as_millis().to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the simulator process starts");
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut url)
        .expect("its base URL");
    ChildSim {
        child,
        url: url.trim().to_owned(),
    }
}

impl Drop for ChildSim {
    /// Closes its stdin (it stops) and waits for it.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
