//! The test harness for the app end to end without a terminal: `update` + the real workers +
//! the real octocrab client + the simulator on loopback. Keys go in as commands and raw keys,
//! as the event loop would send them.
#![allow(clippy::unwrap_used)] // test helpers

use std::time::Duration;

use chrono::Utc;
use shipdeck::app::keymap::Key;
use shipdeck::app::runs;
use shipdeck::app::{Action, AppState, Command, Effect, update};
use shipdeck::sim::SimHandle;
use shipdeck::tui::Workers;
use tokio::sync::mpsc;

/// The app's state and its workers, driven by hand.
pub struct Harness {
    pub state: AppState,
    pub jobs: Workers,
    pub rx: mpsc::Receiver<Action>,
    _audit_dir: tempfile::TempDir,
    pub audit_file: std::path::PathBuf,
}

impl Harness {
    /// The demo with no gates before Deploy: these tests are about how writes are made; the
    /// go/no-go enforcement has its own ([`Harness::gated`]).
    pub async fn new(sim: &SimHandle) -> Self {
        let mut h = Self::gated(sim).await;
        h.state
            .rules
            .gates
            .phases
            .0
            .insert(shipdeck::release::Phase::Deploy, Vec::new());
        h.send(Action::Tick { now: Utc::now() });
        h
    }

    /// The demo with the default gates (its deploy verdict is NO-GO).
    pub async fn gated(sim: &SimHandle) -> Self {
        Self::posting(sim, false).await
    }

    /// The demo with the default gates; `post_status`: the verdict is kept as a commit status.
    pub async fn posting(sim: &SimHandle, post_status: bool) -> Self {
        Self::posting_with(sim, post_status, |_| {}).await
    }

    /// Like [`Harness::posting`], with `adjust` applied to the state before the first refresh.
    pub async fn posting_with(
        sim: &SimHandle,
        post_status: bool,
        adjust: impl FnOnce(&mut AppState),
    ) -> Self {
        let mut state = super::demo_app_state();
        adjust(&mut state);
        state.sync.active_every = chrono::Duration::milliseconds(100);
        state.session.post_status = post_status;
        let mut plan = super::demo_plan();
        plan.status_context = post_status.then(|| shipdeck::app::gates::STATUS_CONTEXT.to_string());
        let (tx, rx) = mpsc::channel(256);
        let dir = tempfile::tempdir().unwrap();
        let audit_file = dir.path().join("audit.jsonl");
        let mut jobs =
            Workers::new(super::client(sim), plan, tx, None).with_audit_file(audit_file.clone());
        jobs.find_grace = (Duration::from_secs(5), Duration::from_millis(100));
        let mut h = Harness {
            state,
            jobs,
            rx,
            _audit_dir: dir,
            audit_file,
        };
        h.send(Action::Tick { now: Utc::now() });
        h.until(|s| s.release.is_some(), "the release loads").await;
        h
    }

    pub fn send(&mut self, action: Action) {
        for effect in update(&mut self.state, action) {
            match effect {
                Effect::Bell | Effect::CopyToClipboard(_) | Effect::OpenUrl(_) => {}
                other => self.jobs.start(other),
            }
        }
    }

    pub fn cmd(&mut self, c: Command) {
        self.send(Action::Command(c));
    }

    pub fn key(&mut self, k: &str) {
        self.send(Action::Input(Key::parse(k).unwrap()));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Action::Input(Key {
                code: crossterm::event::KeyCode::Char(c),
                mods: crossterm::event::KeyModifiers::NONE,
            }));
        }
    }

    /// Feeds worker results (and clock ticks, so refreshes happen) until `done` holds.
    pub async fn until(&mut self, done: impl Fn(&AppState) -> bool, what: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !done(&self.state) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}; status: {:?}",
                self.state.status.as_ref().map(|s| &s.text)
            );
            match tokio::time::timeout(Duration::from_millis(50), self.rx.recv()).await {
                Ok(Some(action)) => self.send(action),
                _ => self.send(Action::Tick { now: Utc::now() }),
            }
        }
    }

    /// Moves the runs cursor to the first row of `file` in `repo`.
    pub fn select_workflow(&mut self, repo: &str, file: &str) {
        self.cmd(Command::FocusRuns);
        let release = self.state.release.as_ref().unwrap();
        let pos = runs::rows(&self.state)
            .iter()
            .position(|r| {
                release.workflows[r.wf].repo == repo && release.workflows[r.wf].file == file
            })
            .unwrap();
        self.state.runs.cursor.selected = pos;
    }

    pub fn select_run(&mut self, repo: &str, run_id: u64) {
        self.cmd(Command::FocusRuns);
        let release = self.state.release.as_ref().unwrap();
        let pos = runs::rows(&self.state)
            .iter()
            .position(|r| {
                release.workflows[r.wf].repo == repo
                    && r.run
                        .and_then(|i| release.workflows[r.wf].runs.get(i))
                        .is_some_and(|x| x.id == run_id)
            })
            .unwrap();
        self.state.runs.cursor.selected = pos;
    }

    pub fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    /// `b`, then waits for the rollback form; returns the inputs it proposes.
    pub async fn roll_back(&mut self) -> std::collections::BTreeMap<String, String> {
        self.cmd(Command::Rollback);
        self.until(|s| s.overlays.form().is_some(), "the rollback form")
            .await;
        let form = self.state.overlays.form().unwrap();
        assert_eq!(form.workflow_file, "rollback.yml");
        form.inputs()
    }

    /// Waits for "dispatched WORKFLOW: run N" in the status line and returns N.
    pub async fn dispatched_run_id(&mut self, workflow: &str) -> u64 {
        let said = format!("dispatched {workflow}: run ");
        self.until(
            |s| s.status.as_ref().is_some_and(|x| x.text.starts_with(&said)),
            &format!("the dispatch of {workflow}"),
        )
        .await;
        self.status()
            .trim_start_matches(&said)
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    pub fn run(&self, repo: &str, id: u64) -> Option<shipdeck::release::Run> {
        runs::find_run(&self.state, repo, id)
    }

    /// Says Yes on the open dialog and waits for its write to be done and the refresh after it.
    pub async fn yes_and_refresh(&mut self) {
        let summary = self.state.overlays.confirm().unwrap().request().summary();
        let logged = self.state.activity.log.len();
        let before = self.state.sync.next_req;
        self.key("right");
        self.key("enter");
        assert!(self.state.overlays.confirm().is_none(), "Yes was accepted");
        self.until(
            |s| {
                s.activity.log[logged..]
                    .iter()
                    .any(|e| e.text == format!("{summary}: done"))
            },
            "the write is done",
        )
        .await;
        self.until(
            |s| s.sync.in_flight.is_none() && s.sync.next_req > before,
            "the refresh after the write",
        )
        .await;
    }
}
