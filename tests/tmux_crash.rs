//! Real processes: the dashboard is killed with SIGKILL right after three ticks, against a
//! `shipdeck sim` running in its own process, and the next start applies the saved ticks, once;
//! two dashboards share one data dir and neither loses the other's ticks. Skipped (with a
//! message) where tmux is missing, except in CI, which installs it.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::tmux::{have_tmux, tmux, wait_for};

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

struct Cleanup {
    sim: Child,
    sessions: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for s in &self.sessions {
            common::tmux::kill_session(s);
        }
        let _ = self.sim.kill();
        let _ = self.sim.wait();
    }
}

/// `checklist.checked` from `shipdeck status --json` against the simulator.
fn checked_on_github(env: &[(&str, String)], url: &str) -> u64 {
    let out = Command::new(BIN)
        .args([
            "--api-url",
            url,
            "--repo",
            "acme/storefront",
            "--milestone",
            "v2.4.0",
            "status",
            "--json",
        ])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["checklist"]["checked"].as_u64().unwrap()
}

#[test]
fn ticks_saved_before_a_kill_are_applied_after_restart() {
    if !common::tmux::have_tmux() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut sim = Command::new(BIN)
        .args(["sim", "--port", &port.to_string(), "--latency-ms", "300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().to_string();
    assert_eq!(url, format!("http://127.0.0.1:{port}"));
    let mut cleanup = Cleanup {
        sim,
        sessions: Vec::new(),
    };

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let env = vec![
        ("GH_TOKEN", "shipdeck-demo".to_string()),
        (
            "SHIPDECK_DATA_DIR",
            dir.path().join("data").display().to_string(),
        ),
        ("SHIPDECK_CONFIG", config.display().to_string()),
    ];
    let before = checked_on_github(&env, &url);
    let command = format!(
        "{} {BIN} --api-url {url} --repo acme/storefront --milestone v2.4.0",
        env.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );

    // First run: three ticks, then SIGKILL before GitHub (slow, 300 ms a request) has them all.
    let a = format!("shipdeck-crash-a-{}", std::process::id());
    cleanup.sessions.push(a.clone());
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &a,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    wait_for(&a, "2 Checklist 15/34", Duration::from_secs(30));
    tmux(&[
        "send-keys",
        "-t",
        &a,
        "2",
        "g",
        "Space",
        "j",
        "Space",
        "j",
        "Space",
    ]);
    wait_for(&a, "[ ]… ", Duration::from_secs(5));
    let pid = tmux(&["display-message", "-p", "-t", &a, "#{pane_pid}"]);
    let killed = Command::new("kill")
        .args(["-9", pid.trim()])
        .status()
        .unwrap();
    assert!(killed.success());
    let outbox = std::fs::read_to_string(dir.path().join("data").join("outbox.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&outbox).unwrap();
    let pending = saved["intents"].as_array().unwrap().len();
    assert!(pending >= 2, "ticks were saved before being sent: {outbox}");
    let applied_before_kill = before - checked_on_github(&env, &url);
    // A tick killed between its PATCH and leaving the outbox is in both: hence `>=`.
    assert!(
        applied_before_kill as usize + pending >= 3,
        "every tick is on GitHub or in the outbox ({applied_before_kill} applied, {pending} saved)"
    );

    // Second run: the saved ticks are applied, once.
    let b = format!("shipdeck-crash-b-{}", std::process::id());
    cleanup.sessions.push(b.clone());
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &b,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    wait_for(&b, "2 Checklist 12/34", Duration::from_secs(30));
    // GitHub may show the boxes (a refresh) a moment before the last confirmation arrives.
    let start = Instant::now();
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", &b]);
        if !screen.contains("[ ]… ") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "still pending:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        checked_on_github(&env, &url),
        before - 3,
        "exactly the three boxes changed"
    );
    let outbox = std::fs::read_to_string(dir.path().join("data").join("outbox.json")).unwrap();
    assert!(outbox.contains("\"intents\": []"), "{outbox}");
    tmux(&["send-keys", "-t", &b, "q"]);
}

/// `shipdeck sim` on a free port with `latency_ms` per request; returns it and its URL.
fn start_sim(latency_ms: u32) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut sim = Command::new(BIN)
        .args([
            "sim",
            "--port",
            &port.to_string(),
            "--latency-ms",
            &latency_ms.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (sim, first.trim().to_string())
}

/// Polls until `done` holds, failing with `what` after `timeout`.
fn eventually(what: &str, timeout: Duration, mut done: impl FnMut() -> Option<String>) {
    let start = Instant::now();
    loop {
        let Some(why_not) = done() else { return };
        assert!(
            start.elapsed() < timeout,
            "timed out waiting until {what}: {why_not}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_dashboards_sharing_a_data_dir_lose_no_tick() {
    if !have_tmux() {
        return;
    }
    let (sim, url) = start_sim(400);
    let mut cleanup = Cleanup {
        sim,
        sessions: Vec::new(),
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // Frequent refreshes: a refresh is when a dashboard looks at the outbox again.
    std::fs::write(&config, "refresh_secs = 2\n").unwrap();
    let data = dir.path().join("data");
    let env = vec![
        ("GH_TOKEN", "shipdeck-demo".to_string()),
        ("SHIPDECK_DATA_DIR", data.display().to_string()),
        ("SHIPDECK_CONFIG", config.display().to_string()),
    ];
    let before = checked_on_github(&env, &url);
    let command = format!(
        "{} {BIN} --api-url {url} --repo acme/storefront --milestone v2.4.0",
        env.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let start = |name: &str, cleanup: &mut Cleanup| {
        let session = format!("shipdeck-two-{name}-{}", std::process::id());
        cleanup.sessions.push(session.clone());
        tmux(&[
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));
        session
    };
    let a = start("a", &mut cleanup);
    let b = start("b", &mut cleanup);

    // Both tick at once, each a different item (GitHub is slow: 400 ms a request).
    tmux(&["send-keys", "-t", &a, "2", "g", "Space"]);
    tmux(&["send-keys", "-t", &b, "2", "g", "j", "Space"]);
    wait_for(&a, "[ ]… ", Duration::from_secs(5));
    // A quits with its tick still pending: the first q only warns.
    tmux(&["send-keys", "-t", &a, "q"]);
    wait_for(
        &a,
        "1 tick not yet on GitHub — q again to quit anyway",
        Duration::from_secs(5),
    );
    // Then A dies before its tick is on GitHub.
    let pid = tmux(&["display-message", "-p", "-t", &a, "#{pane_pid}"]);
    assert!(
        Command::new("kill")
            .args(["-9", pid.trim()])
            .status()
            .unwrap()
            .success()
    );

    // B applies its own tick and, at its next refresh, the one A left behind.
    eventually("both ticks are on GitHub", Duration::from_secs(30), || {
        let now = checked_on_github(&env, &url);
        (now != before - 2).then(|| format!("{} of 2 ticks applied", before - now))
    });
    // The last tick may have reached GitHub just before A died and still be in the outbox: B
    // takes it over at a refresh (slower while its terminal is unfocused) and finds it applied.
    eventually("the outbox is empty", Duration::from_secs(30), || {
        let outbox = std::fs::read_to_string(data.join("outbox.json")).unwrap_or_default();
        (!outbox.contains("\"intents\": []")).then_some(outbox)
    });
    assert_eq!(
        checked_on_github(&env, &url),
        before - 2,
        "exactly two boxes"
    );
    tmux(&["send-keys", "-t", &b, "q"]);
}
