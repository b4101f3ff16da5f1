//! Files shipdeck creates are its user's alone: the outbox, the audit log, the snapshot cache
//! and the log file are 0600, directories it creates 0700; a data dir it cannot write is
//! named before the dashboard starts. Unix only (permission bits).
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::tmux::{tmux, wait_for};

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use shipdeck::release::WriteRecord;
use shipdeck::tui::writes::AuditLog;

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file and directory under `dir` (not `dir` itself).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

fn record() -> WriteRecord {
    WriteRecord {
        at: Utc::now(),
        method: "PATCH".into(),
        path: "/repos/acme/storefront/issues/200".into(),
        body: Some("{}".into()),
        status: Some(200),
        outcome: "200 OK".into(),
    }
}

#[tokio::test]
async fn the_audit_file_is_private_in_a_private_new_dir() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("data").join("audit.jsonl");
    let (tx, _rx) = tokio::sync::mpsc::channel(4);
    AuditLog {
        path: Some(path.clone()),
    }
    .record(vec![record()], &tx)
    .await;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("new").join("data")), 0o700);
    assert_eq!(mode(&dir.path().join("new")), 0o700);
}

#[tokio::test]
async fn an_audit_file_others_could_read_is_made_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    std::fs::write(&path, "").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (tx, _rx) = tokio::sync::mpsc::channel(4);
    AuditLog {
        path: Some(path.clone()),
    }
    .record(vec![record()], &tx)
    .await;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 1);
}

#[test]
fn an_unwritable_data_dir_is_named_before_the_dashboard_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "").unwrap();
    let data = file.join("shipdeck");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let out = Command::new(BIN)
        .args([
            "--api-url",
            "http://127.0.0.1:9",
            "--repo",
            "acme/storefront",
        ])
        .env("GH_TOKEN", "unused")
        .env("SHIPDECK_DATA_DIR", &data)
        .env("SHIPDECK_CONFIG", &config)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!(
            "cannot write to the data dir {}: ",
            data.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("set SHIPDECK_DATA_DIR to a directory you can write"),
        "{stderr}"
    );
}

struct Cleanup {
    sim: Child,
    session: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        common::tmux::kill_session(&self.session);
        let _ = self.sim.kill();
        let _ = self.sim.wait();
    }
}

#[test]
fn the_dashboards_files_are_private() {
    if !common::tmux::have_tmux() {
        return;
    }
    let mut sim = Command::new(BIN)
        .args(["sim", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().to_string();
    let session = format!("shipdeck-files-{}", std::process::id());
    let _cleanup = Cleanup {
        sim,
        session: session.clone(),
    };

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    // Two levels that do not exist yet: shipdeck creates both.
    let data = dir.path().join("state").join("shipdeck");
    let command = format!(
        "GH_TOKEN=shipdeck-demo SHIPDECK_DATA_DIR={} SHIPDECK_CONFIG={} {BIN} --api-url {url} --repo acme/storefront --milestone v2.4.0",
        data.display(),
        config.display()
    );
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
    // A tick: the outbox, then the PATCH in the audit file.
    tmux(&["send-keys", "-t", &session, "2", "g", "Space"]);
    wait_for(&session, "2 Checklist 14/34", Duration::from_secs(30));
    let start = Instant::now();
    while !data.join("audit.jsonl").exists() || !data.join("cache").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{:?}",
            walk(&data)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux(&["send-keys", "-t", &session, "q"]);
    let start = Instant::now();
    while common::tmux::has_session(&session) {
        assert!(start.elapsed() < Duration::from_secs(10), "did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }

    let found = walk(&data);
    for name in ["outbox.json", "audit.jsonl", "shipdeck.log", "cache"] {
        assert!(
            found.iter().any(|p| p.file_name().unwrap() == name),
            "{name} in {found:?}"
        );
    }
    assert_eq!(mode(&data), 0o700, "the data dir");
    assert_eq!(mode(&dir.path().join("state")), 0o700, "its new parent");
    for path in found {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
}
