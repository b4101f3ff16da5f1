//! The GitHub simulator: an axum server on loopback that answers the REST operations
//! shipdeck uses, with GitHub's shapes, pagination, ETags, rate limits and faults.
//!
//! It builds its JSON from its own [`World`], never from the client's wire types, so a
//! mistake in one is not mirrored by the other.

mod actions;
mod chaos;
mod clock;
mod comments;
mod commits;
mod contents;
mod demo;
mod engine;
mod graph;
mod issues;
mod logs;
mod milestones;
mod page;
mod pulls;
mod releases;
mod render;
mod scale;
mod server;
mod statuses;
mod sub_issues;
mod users;
mod util;
mod workflow;
mod world;
mod yaml;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use chaos::{Chaos, ChaosRule, ChaosSpec};
pub use clock::http_date;
pub use demo::demo_world;
pub use engine::NewRun;
pub use graph::{Comparison, Graph, Node};
pub use releases::Release as SimRelease;
pub use scale::{Scale, scaled_world};
pub use statuses::CommitStatus;
pub use workflow::{InputSpec, JobSpec, WorkflowSpec};
pub use world::{
    Comment, Commit, Environment, Ids, Issue, Job, Label, Milestone, Progress, PullInfo, RateState,
    Repo, Review, Run, Step, Workflow, World,
};

use clock::Clock;
use server::Shared;

/// The extra demo users: (token, login). The main token `shipdeck-demo` is `alice`.
const DEMO_USERS: [(&str, &str); 4] = [
    ("shipdeck-demo-bob", "bob"),
    ("shipdeck-demo-carol", "carol"),
    ("shipdeck-demo-dave", "dave"),
    ("shipdeck-demo-erin", "erin"),
];

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// The main token (`Authorization: Bearer <token>` or `token <token>`); it belongs to
    /// `world.login`.
    pub token: String,
    /// Further accepted tokens, each with the login it belongs to: `(token, login)`. What a
    /// request creates or records (comments, statuses, dispatched runs, reviews) is by the
    /// login of the token it sent.
    pub users: Vec<(String, String)>,
    /// The sim clock's time at start (it runs on from there); `None` = real time. The world is
    /// moved in time to match: a world dated from `world.dated_at` (such as the demo's) reads
    /// as if dated from this instant.
    pub now: Option<DateTime<Utc>>,
    /// The initial data.
    pub world: World,
    /// Pacing of runs created while it runs (dispatches, re-runs).
    pub timing: RunTiming,
    /// Delay added before every answer.
    pub latency: Duration,
}

impl SimOptions {
    /// The sample release: any free port, the demo world dated from now (set `now` to date
    /// it from another instant), default pacing and no added latency.
    ///
    /// Tokens and the logins they act as: `shipdeck-demo` → `alice` (the release manager,
    /// a production reviewer), `shipdeck-demo-bob` → `bob`, `shipdeck-demo-carol` → `carol`
    /// (QA), `shipdeck-demo-dave` → `dave` and `shipdeck-demo-erin` → `erin` (product; erin
    /// is a production reviewer).
    pub fn demo() -> Self {
        Self {
            port: 0,
            token: "shipdeck-demo".to_owned(),
            users: DEMO_USERS
                .iter()
                .map(|(t, l)| ((*t).to_owned(), (*l).to_owned()))
                .collect(),
            now: None,
            world: demo_world(Utc::now()),
            timing: RunTiming::default(),
            latency: Duration::ZERO,
        }
    }

    /// Like [`SimOptions::demo`], but with the demo world grown to `scale` (see
    /// [`scaled_world`]; the same scale always gives the same world).
    pub fn scaled(scale: Scale) -> Self {
        Self {
            world: scaled_world(scale, Utc::now()),
            ..Self::demo()
        }
    }
}

/// How fast new runs move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTiming {
    /// Time a run stays queued.
    pub queued: Duration,
    /// Time each step takes.
    pub per_step: Duration,
}

impl Default for RunTiming {
    fn default() -> Self {
        Self {
            queued: Duration::from_secs(2),
            per_step: Duration::from_millis(1500),
        }
    }
}

/// A fault to inject into matching requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Only this method; `None` = any.
    pub method: Option<http::Method>,
    /// Substring of the request path and query that selects the request.
    pub path_contains: String,
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many matching requests it affects; 0 = every one from now on.
    pub times: u32,
}

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this status and a GitHub-style error body.
    Status(u16),
    /// Answer with this status and this `message` in a GitHub-style error body: a server or a
    /// proxy quoting text it was given (for testing what reaches a terminal).
    Message { status: u16, message: String },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer normally, but send the body one byte at a time, this long apart (a server that
    /// sends headers and then stalls).
    Trickle(Duration),
    /// 403 with `retry-after: 60` and GitHub's secondary-rate-limit message.
    SecondaryRateLimit,
    /// This status (403 or 429) with GitHub's secondary-rate-limit message and this
    /// `retry-after` (whole seconds).
    Limited {
        /// 403 or 429.
        status: u16,
        /// Sent as `retry-after`.
        retry_after: Duration,
    },
    /// Close the connection without an answer (a reset, a proxy dropping the request).
    Reset,
    /// Carry out the request but answer 200 with the JSON cut in half.
    Malformed,
    /// Carry out the request, then answer with this status and a GitHub-style error body: a
    /// write that was applied although the client is told it failed (a proxy's 502).
    StatusAfterApply(u16),
    /// Carry out the request and answer as usual, but in an older shape: as GitHub
    /// Enterprise Server and older API versions do, some fields are missing or null.
    Reshape(Reshape),
}

/// How [`FaultKind::Reshape`] changes a JSON answer. A name matches that key in every object
/// of the body, at any depth; `parent.key` matches `key` only inside objects held under
/// `parent`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reshape {
    /// Keys removed.
    pub omit: Vec<String>,
    /// Keys whose value becomes `null` (where present).
    pub null: Vec<String>,
}

impl Reshape {
    /// Applies the change to a JSON value in place.
    pub fn apply(&self, v: &mut serde_json::Value) {
        self.walk(v, None);
    }

    fn walk(&self, v: &mut serde_json::Value, parent: Option<&str>) {
        let matches = |names: &[String], key: &str| {
            names.iter().any(|n| match n.split_once('.') {
                Some((p, k)) => parent == Some(p) && k == key,
                None => n == key,
            })
        };
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| !matches(&self.omit, k));
                for (k, value) in map.iter_mut() {
                    if matches(&self.null, k) {
                        *value = serde_json::Value::Null;
                    } else {
                        self.walk(value, Some(k));
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.walk(item, parent);
                }
            }
            _ => {}
        }
    }
}

/// One request the simulator saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// HTTP method.
    pub method: http::Method,
    /// Path with query string, as sent.
    pub path: String,
    /// Status answered; 0 when the connection was dropped without an answer
    /// ([`FaultKind::Reset`]).
    pub status: u16,
    /// Whether it carried `If-None-Match`.
    pub had_if_none_match: bool,
    /// The request body as received (lossy UTF-8), if it had one.
    pub body: Option<String>,
}

/// A running simulator.
#[derive(Debug)]
pub struct SimHandle {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The main token (it belongs to `World::login`).
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Accepts `token` from now on as `login`'s (replacing what it meant before; the main
    /// token cannot be taken over).
    pub fn add_user(&self, token: &str, login: &str) {
        lock(&self.shared.users).insert(token.to_owned(), login.to_owned());
    }

    /// The sim clock's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Sets the sim clock to `now`; it runs on from there. Live runs move to where they would
    /// be at that time when next looked at (a clock set back does not undo progress).
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.shared.clock.set(now);
    }

    /// Starts drawing random faults for every request from now on (`None` stops). Queued
    /// [`Fault`]s still come first; requests to `/_sim/` and those sent with the header
    /// `x-sim-chaos: off` are never touched.
    pub fn set_chaos(&self, chaos: Option<Chaos>) {
        *lock(&self.shared.chaos) = chaos;
    }

    /// What the random faults have done so far (see [`Chaos::stats`]); `None` when off.
    pub fn chaos_stats(&self) -> Option<serde_json::Value> {
        lock(&self.shared.chaos).as_ref().map(Chaos::stats)
    }

    /// Queues a fault; faults are tried in the order they were queued.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Every request seen so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.requests).clone()
    }

    /// The body of issue `number` in `repo` (`owner/name`).
    pub fn issue_body(&self, repo: &str, number: u64) -> Option<String> {
        let world = read(&self.shared.world);
        world.repo(repo)?.issue(number)?.body.clone()
    }

    /// Replaces an issue body as another client would: `updated_at` and the ETag change.
    pub fn set_issue_body(&self, repo: &str, number: u64, body: &str) {
        let mut world = write(&self.shared.world);
        if let Some(issue) = world.repo_mut(repo).and_then(|r| r.issue_mut(number)) {
            issue.body = Some(body.to_owned());
            issue.touch(self.shared.clock.now());
        }
    }

    /// Runs `f` with the world locked (do not block inside).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut write(&self.shared.world))
    }

    /// Core requests left in the current rate-limit window.
    pub fn rate_remaining(&self) -> u32 {
        read(&self.shared.world).rate.remaining()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        self.stop_now();
        if let Some(mut task) = self.task.take() {
            // Graceful shutdown waits for open connections; give them a moment, then stop.
            if tokio::time::timeout(Duration::from_secs(2), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The receiver is gone only if the server already stopped.
            let _ = stop.send(());
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Binds 127.0.0.1 and serves on a tokio task.
pub async fn start(opts: SimOptions) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
    let addr = listener.local_addr()?;
    let clock = Clock::default();
    let mut world = opts.world;
    if let Some(now) = opts.now {
        world.shift(now - world.dated_at);
        clock.set(now);
    }
    world.rate.reset = clock.now().timestamp() + 3600;
    let users: BTreeMap<String, String> = opts
        .users
        .into_iter()
        .filter(|(token, _)| *token != opts.token)
        .collect();
    let shared = Arc::new(Shared {
        world: RwLock::new(world),
        faults: Mutex::new(Vec::new()),
        chaos: Mutex::new(None),
        requests: Mutex::new(Vec::new()),
        token: opts.token,
        users: Mutex::new(users),
        clock,
        base_url: format!("http://{addr}"),
        timing: opts.timing,
        latency: opts.latency,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let app = server::router(Arc::clone(&shared));
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            // Either a stop signal or a dropped handle ends the server.
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            tracing::warn!("simulator stopped with an error: {e}");
        }
    });
    Ok(SimHandle {
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Takes a shared read lock, carrying on if a panicking writer poisoned it.
fn read<T>(m: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(PoisonError::into_inner)
}

/// Takes the write lock, carrying on if a panicking writer poisoned it.
fn write<T>(m: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(PoisonError::into_inner)
}

/// Locks a mutex, carrying on if a panicking holder poisoned it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
