//! `shipdeck gate` against the simulator, as CI runs it: exit 1 on the demo (no-go), 0 once the
//! remaining items are ticked, the blocker closed, E2E green again, the sign-offs in and the
//! clock inside the deploy window; 2 when it cannot decide (a bad token). `--post-status` sets
//! the commit status once. The simulator's clock is set, so the window does not depend on the
//! time of day.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use shipdeck::github::GitHubApi;
use shipdeck::release::call::Call;
use shipdeck::sim::{self, RunTiming, SimHandle, SimOptions};

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");
const SF: &str = "acme/storefront";

fn config(dir: &Path, url: &str, token: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[github]\napi_url = \"{url}\"\nrepos = [\"acme/storefront\", \"acme/payments\"]\n\
             milestone = \"v2.4.0\"\ntoken = \"{token}\"\n\
             [gates]\nwindows = [\"Mon-Fri 09:00-17:00 Europe/Berlin\"]\n\
             [signoffs]\nqa = [\"carol\"]\nproduct = [\"dave\", \"erin\"]\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    path
}

/// `shipdeck --config PATH gate ARGS`: exit code and stdout.
async fn gate(config: &Path, data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = tokio::process::Command::new(BIN)
        .arg("--config")
        .arg(config)
        .arg("gate")
        .args(args)
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env("SHIPDECK_DATA_DIR", data)
        .output()
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn gate_named<'a>(report: &'a Value, prefix: &str) -> &'a Value {
    report["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no gate {prefix}: {report:#}"))
}

async fn send(api: &dyn GitHubApi, call: &Call) {
    let sent = api.send(call).await;
    assert!(sent.result.is_ok(), "{call:?}: {:?}", sent.result);
}

async fn start() -> SimHandle {
    // Tuesday 08:00 in Berlin: an hour before the window opens.
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap();
    sim::start(SimOptions {
        now: Some(now),
        timing: RunTiming {
            queued: Duration::from_millis(20),
            per_step: Duration::from_millis(10),
        },
        ..SimOptions::demo()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_gate_exits_1_until_every_gate_holds_then_0_and_2_when_it_cannot_decide() {
    let sim = start().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());

    let (code, out, err) = gate(&cfg, dir.path(), &["--json"]).await;
    assert_eq!(code, 1, "no-go exits 1: {out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["verdict"], "no-go");
    assert_eq!(report["phase"], "deploy");
    assert_eq!(
        gate_named(&report, "inside a deploy window")["reason"],
        "outside the window, next opens Tue 09:00 Europe/Berlin"
    );
    assert_eq!(
        gate_named(&report, "sign-offs")["reason"],
        "qa by carol; missing: product (dave or erin)"
    );

    // The human output lists each gate with its mark.
    let (code, out, _) = gate(&cfg, dir.path(), &[]).await;
    assert_eq!(code, 1);
    assert!(out.starts_with("deploy: NO-GO (profile standard"), "{out}");
    assert!(out.contains("  ✗ no open blockers — #255 is open"), "{out}");
    assert!(out.contains("  ✓ not in a freeze — no freeze now"), "{out}");

    // Tick the rest, close the blocker, re-run the failed E2E run.
    let api = common::client(&sim);
    let tracking = api.issue(SF, 200).await.unwrap();
    let body = tracking.body.unwrap().replace("- [ ]", "- [x]");
    send(api.as_ref(), &Call::edit_issue_body(SF, 200, &body)).await;
    send(api.as_ref(), &Call::set_issue_state(SF, 255, true)).await;
    let e2e = api
        .workflow_runs(SF, "e2e.yml", Some("release/v2.4.0"), 1)
        .await
        .unwrap();
    send(api.as_ref(), &Call::rerun_failed_jobs(SF, e2e[0].id)).await;

    // Someone not listed for product signs: it does not count.
    let bob = common::client_with(&sim, "shipdeck-demo-bob", Duration::from_secs(5));
    send(bob.as_ref(), &Call::comment(SF, 200, "/signoff product")).await;
    // Inside the window, with the runs done (they progress on the simulator's clock).
    sim.set_now(Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap());
    let (code, out, _) = gate(&cfg, dir.path(), &["--json"]).await;
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let failing: Vec<&str> = report["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["passed"] == false)
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["sign-offs: product, qa"], "{report:#}");

    let dave = common::client_with(&sim, "shipdeck-demo-dave", Duration::from_secs(5));
    send(
        dave.as_ref(),
        &Call::comment(SF, 200, "/signoff product\nLGTM"),
    )
    .await;
    let (code, out, err) = gate(&cfg, dir.path(), &[]).await;
    assert_eq!(code, 0, "go exits 0: {out}{err}");
    assert!(out.starts_with("deploy: GO"), "{out}");
    assert!(
        out.contains("✓ sign-offs: product, qa — product by dave; qa by carol"),
        "{out}"
    );
    assert!(
        out.contains("✓ inside a deploy window — window open, closes in 6 h"),
        "{out}"
    );

    // A bad token: it cannot decide.
    let bad = config(dir.path(), &sim.base_url(), "not-a-token");
    let (code, out, err) = gate(&bad, dir.path(), &[]).await;
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("token"), "says it is the token: {err}");
}

#[tokio::test]
async fn post_status_sets_the_verdict_on_each_release_head_once() {
    let sim = start().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    let posts = || {
        sim.requests()
            .iter()
            .filter(|r| r.method == http::Method::POST && r.path.contains("/statuses/"))
            .count()
    };
    let (code, _, err) = gate(&cfg, dir.path(), &["--post-status"]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(posts(), 2, "one per repository: {err}");
    let api = common::client(&sim);
    for repo in ["acme/storefront", "acme/payments"] {
        let head = api
            .ref_status(repo, "release/v2.4.0", "shipdeck/go-no-go")
            .await
            .unwrap();
        assert_eq!(head.state.as_deref(), Some("failure"), "{repo}");
        let description = head.description.unwrap();
        assert!(description.starts_with("no-go: "), "{description}");
        assert!(description.chars().count() <= 140, "{description}");
    }
    // Unchanged: nothing is posted again.
    let (code, _, err) = gate(&cfg, dir.path(), &["--post-status"]).await;
    assert_eq!(code, 1);
    assert_eq!(posts(), 2, "{err}");
    assert!(err.contains("is already failure"), "{err}");
    // The writes are in the audit log.
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 2, "{audit}");
    // --read-only never posts.
    let out = tokio::process::Command::new(BIN)
        .arg("--config")
        .arg(&cfg)
        .args(["--read-only", "gate", "--post-status"])
        .env("SHIPDECK_DATA_DIR", dir.path())
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(posts(), 2);
}
