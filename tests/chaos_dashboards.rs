//! The chaos run of issue 8: two dashboards (two processes in tmux, one data dir) tick and
//! untick 30 checklist items against a simulator injecting faults, while an external editor
//! keeps rewriting another line of the same issue. Afterwards every intended tick is on GitHub,
//! nothing else in the body changed but the editor's line, no process panicked, and the
//! outbox is empty. Skipped (with a message) where tmux is missing, except in CI.
//!
//! `SHIPDECK_CHAOS_SEED` and `SHIPDECK_CHAOS_ROUNDS` (default 3) change the run; see the
//! README for the longer one.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::tmux::{have_tmux, kill_session, tmux, wait_for};
use shipdeck::release::task_list::{self, HeadingNames, Tick};
use shipdeck::sim::{Chaos, ChaosSpec, SimHandle, SimOptions};

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");
const REPO: &str = "acme/storefront";
const TRACKING: u64 = 200;
/// Every kind of fault, at rates a tick gets through now and then.
const SPEC: &str = "500:0.05,502-after-apply:0.04,reset:0.04,stall=1s:0.01,truncate:0.04,\
secondary=1s:0.01,429=1s:0.01";
const EDITOR: &str = "Edited outside shipdeck: ";

/// Polls `check` until it returns `None`, failing with its last answer after `timeout`.
fn eventually(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<String>) {
    let start = Instant::now();
    loop {
        let Some(why_not) = check() else { return };
        assert!(
            start.elapsed() < timeout,
            "timed out waiting until {what}: {why_not}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// tmux sessions killed when the test ends, however it ends.
struct Sessions(Vec<String>);

impl Drop for Sessions {
    fn drop(&mut self) {
        for s in &self.0 {
            kill_session(s);
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Replaces the editor's line (`Edited outside shipdeck: N`) with the next number, as GitHub
/// would apply another user's edit: atomically, touching `updated_at`. Returns whether the line
/// it wrote last was still there (false: someone's write had taken it back).
fn edit_once(sim: &SimHandle, last: u64) -> bool {
    sim.with_world(|w| {
        let issue = w
            .repo_mut(REPO)
            .and_then(|r| r.issue_mut(TRACKING))
            .unwrap();
        let mut body = issue.body.clone().unwrap_or_default();
        let start = body.find(EDITOR).unwrap();
        let end = body[start..].find('\n').map_or(body.len(), |e| start + e);
        let kept = body[start..end] == format!("{EDITOR}{last}");
        body.replace_range(start..end, &format!("{EDITOR}{}", last + 1));
        issue.body = Some(body);
        issue.touch(chrono::Utc::now());
        kept
    })
}

/// The intents of `outbox.json`, whatever else the file holds.
fn outbox_intents(data: &Path) -> Vec<serde_json::Value> {
    let Ok(text) = std::fs::read_to_string(data.join("outbox.json")) else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["intents"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dashboards_tick_and_untick_through_faults_and_lose_nothing() {
    if !have_tmux() {
        return;
    }
    let seed = env_u64("SHIPDECK_CHAOS_SEED", 8);
    let rounds = env_u64("SHIPDECK_CHAOS_ROUNDS", 3);
    // GitHub's pace, roughly: each answer takes 40 ms, so a tick's PATCH has a window.
    let sim = shipdeck::sim::start(SimOptions {
        latency: Duration::from_millis(40),
        ..SimOptions::demo()
    })
    .await
    .unwrap();
    sim.with_world(|w| w.rate.limit = 1_000_000);
    let headings = HeadingNames::default();

    // The editor's line goes in before anyone reads the issue.
    let original = sim.issue_body(REPO, TRACKING).unwrap();
    sim.set_issue_body(REPO, TRACKING, &format!("{original}\n{EDITOR}0\n"));
    let start_body = sim.issue_body(REPO, TRACKING).unwrap();
    let items = task_list::parse(&start_body, &headings);
    assert!(items.len() >= 30, "{} items", items.len());

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "refresh_secs = 2\n\n[github]\ntimeout_secs = 3\n").unwrap();
    let data = dir.path().join("data");
    let command = |name: &str| {
        format!(
            "GH_TOKEN=shipdeck-demo SHIPDECK_DATA_DIR={} SHIPDECK_CONFIG={} {BIN} --api-url {} \
             --repo {REPO} --milestone v2.4.0 2>{dir}/{name}.err; \
             echo $? >{dir}/{name}.code; mv {dir}/{name}.code {dir}/{name}.exit",
            data.display(),
            config.display(),
            sim.base_url(),
            dir = dir.path().display(),
        )
    };
    let mut sessions = Sessions(Vec::new());
    let names = ["a", "b"];
    for name in names {
        let session = format!("shipdeck-chaos-{name}-{}", std::process::id());
        sessions.0.push(session.clone());
        tmux(&[
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "40",
            &command(name),
        ]);
        wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));
    }

    // Faults from now on; the editor starts.
    sim.set_chaos(Some(Chaos::new(SPEC.parse::<ChaosSpec>().unwrap(), seed)));
    let stop = AtomicBool::new(false);
    let (edits, lost) = (AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let last = edits.load(Ordering::Relaxed);
                if !edit_once(&sim, last) {
                    lost.fetch_add(1, Ordering::Relaxed);
                }
                edits.store(last + 1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        // Dashboard a ticks items 0–14, b items 15–29; each round flips every one of them.
        for round in 0..rounds {
            for (i, session) in sessions.0.iter().enumerate() {
                let mut keys: Vec<&str> = vec!["2", "g"];
                keys.extend(std::iter::repeat_n("j", i * 15));
                for _ in 0..15 {
                    keys.extend(["Space", "j"]);
                }
                let mut args = vec!["send-keys", "-t", session.as_str()];
                args.extend(keys);
                tmux(&args);
            }
            eprintln!("round {round} sent");
            std::thread::sleep(Duration::from_secs(2));
        }
        // Every queued tick meets the faults: they stay on until the outbox has drained (or
        // 30 s a round have passed; then the check below says what is left).
        let start = Instant::now();
        while !outbox_intents(&data).is_empty()
            && start.elapsed() < Duration::from_secs(30 * rounds)
        {
            std::thread::sleep(Duration::from_millis(500));
        }
        eprintln!("outbox drained under faults in {:?}", start.elapsed());
        stop.store(true, Ordering::Relaxed);
    });
    let stats = sim.chaos_stats().unwrap();
    sim.set_chaos(None);
    eprintln!("faults: {stats}");

    let mut expected = sim.issue_body(REPO, TRACKING).unwrap();
    let editor_line = expected
        .lines()
        .find(|l| l.starts_with(EDITOR))
        .map(str::to_string);
    expected = start_body.clone();
    for item in &items[..30] {
        let want = if rounds % 2 == 1 {
            !item.checked
        } else {
            item.checked
        };
        if let Ok(Tick::Changed(b)) =
            task_list::set_checked(&expected, &headings, &item.key(), want)
        {
            expected = b;
        }
    }
    let expected_with = |line: &str| expected.replace(&format!("{EDITOR}0"), line);
    eventually(
        "every tick is on GitHub and the outbox is empty",
        Duration::from_secs(300),
        || {
            for s in &sessions.0 {
                tmux(&["send-keys", "-t", s, "r"]);
            }
            let body = sim.issue_body(REPO, TRACKING).unwrap();
            let line = body.lines().find(|l| l.starts_with(EDITOR)).unwrap_or("");
            let pending = outbox_intents(&data);
            (body != expected_with(line) || !pending.is_empty()).then(|| {
                format!(
                    "GitHub:\n{body}\nexpected:\n{}\noutbox: {pending:?}",
                    expected_with(line)
                )
            })
        },
    );
    let body = sim.issue_body(REPO, TRACKING).unwrap();
    let line = body.lines().find(|l| l.starts_with(EDITOR)).unwrap();
    let n: u64 = line[EDITOR.len()..].parse().unwrap();
    assert!(
        n <= edits.load(Ordering::Relaxed),
        "the editor wrote {line}"
    );
    eprintln!(
        "{} external edits, {} taken back by a tick's PATCH; last seen {editor_line:?}, final {line:?}",
        edits.load(Ordering::Relaxed),
        lost.load(Ordering::Relaxed)
    );

    for s in &sessions.0 {
        tmux(&["send-keys", "-t", s, "q"]);
    }
    for name in names {
        let exit = dir.path().join(format!("{name}.exit"));
        eventually("the dashboard quits", Duration::from_secs(10), || {
            (!exit.exists()).then(|| format!("{name} still running"))
        });
        let code = std::fs::read_to_string(&exit).unwrap();
        let err = std::fs::read_to_string(dir.path().join(format!("{name}.err"))).unwrap();
        assert_eq!(code.trim(), "0", "dashboard {name} failed: {err}");
        assert!(!err.contains("panicked"), "dashboard {name}: {err}");
    }
    let log = std::fs::read_to_string(data.join("shipdeck.log")).unwrap_or_default();
    assert!(!log.contains("panicked"), "{log}");
    eprintln!(
        "{} edits around a tick reported in the log",
        log.matches("edited by someone else around a tick").count()
    );
    assert!(outbox_intents(&data).is_empty());
    for kind in ["500", "502-after-apply", "reset", "truncate"] {
        assert!(
            stats["injected"][kind].as_u64().unwrap_or(0) > 0,
            "{kind}: {stats}"
        );
    }
}
