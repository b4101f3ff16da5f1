//! `shipdeck dispatch` as scripts and runbooks run it: the real binary against the demo
//! simulator on loopback (deploy verdict NO-GO), checking exit codes, what was sent, the
//! override comment on the tracking issue and the audit file.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;
use std::process::Stdio;

use shipdeck::sim::{Fault, FaultKind, SimHandle};

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

/// The demo's workflows, e2e.yml dispatchable too (a test-phase workflow: not gated).
const CONFIG: &str = r#"
[github]
milestone = "v2.4.0"

[[workflows]]
file = "ci.yml"
phase = "build"
required = true

[[workflows]]
file = "e2e.yml"
phase = "test"
required = true
dispatch = true

[[workflows]]
file = "deploy.yml"
phase = "deploy"
dispatch = true

[[workflows]]
file = "rollback.yml"
phase = "deploy"
dispatch = true
rollback = true
"#;

/// A scratch directory with the config (0600) and an empty data dir.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, CONFIG).unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
        Self { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn audit(&self) -> Vec<serde_json::Value> {
        let path = self.data().join("audit.jsonl");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `shipdeck --api-url SIM --repo … dispatch ARGS`, stdin not a terminal (empty).
async fn dispatch(sim: &SimHandle, scratch: &Scratch, args: &[&str]) -> Out {
    let out = tokio::process::Command::new(BIN)
        .args([
            "--config",
            &scratch.config().display().to_string(),
            "--api-url",
            &sim.base_url(),
            "--repo",
            "acme/storefront",
            "--repo",
            "acme/payments",
            "dispatch",
        ])
        .args(args)
        .env("GH_TOKEN", sim.token())
        .env_remove("GITHUB_TOKEN")
        .env("SHIPDECK_DATA_DIR", scratch.data())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let out = Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    eprintln!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.code, out.stdout, out.stderr
    );
    out
}

/// Every write (not a GET/HEAD) the simulator received.
fn writes(sim: &SimHandle) -> Vec<String> {
    sim.requests()
        .iter()
        .filter(|r| r.method != http::Method::GET && r.method != http::Method::HEAD)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

fn dispatches(sim: &SimHandle) -> usize {
    writes(sim)
        .iter()
        .filter(|w| w.starts_with("POST ") && w.contains("/dispatches"))
        .count()
}

/// The tracking issue's comments in the simulator.
fn tracking_comments(sim: &SimHandle) -> Vec<String> {
    sim.with_world(|w| {
        let repo = w.repo("acme/storefront").unwrap();
        let issue = repo
            .issues
            .iter()
            .find(|i| i.labels.iter().any(|l| l == "release-checklist"))
            .unwrap();
        issue.comments.iter().map(|c| c.body.clone()).collect()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gated_dispatch_on_no_go_is_refused_without_an_override_and_nothing_is_sent() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(
        &sim,
        &scratch,
        &[
            "deploy.yml",
            "--in",
            "acme/storefront",
            "-f",
            "environment=staging",
            "-f",
            "version=v2.4.0",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("NO-GO"), "{}", out.stderr);
    assert!(out.stderr.contains("✗"), "the failing gates are listed");
    assert!(out.stderr.contains("--override REASON"), "{}", out.stderr);
    assert_eq!(writes(&sim), Vec::<String>::new());
    assert!(scratch.audit().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_override_is_posted_on_the_tracking_issue_then_the_dispatch_is_sent() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let before = tracking_comments(&sim).len();
    let out = dispatch(
        &sim,
        &scratch,
        &[
            "deploy.yml",
            "--in",
            "acme/storefront",
            "-f",
            "environment=staging",
            "-f",
            "version=v2.4.0",
            "--override",
            "hotfix for INC-42",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0));
    let comments = tracking_comments(&sim);
    assert_eq!(comments.len(), before + 1);
    let comment = comments.last().unwrap();
    assert!(comment.contains("Reason: hotfix for INC-42"), "{comment}");
    assert!(comment.contains("Failing gates:\n- "), "{comment}");
    let w = writes(&sim);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("POST ") && w[0].contains("/comments"),
        "{w:?}"
    );
    assert!(
        w[1].starts_with("POST /repos/acme/storefront/actions/workflows/deploy.yml/dispatches"),
        "{w:?}"
    );
    let audit = scratch.audit();
    assert_eq!(audit.len(), 2, "{audit:?}");
    // The calls were shown before they were sent.
    assert!(out.stderr.contains("/dispatches"), "{}", out.stderr);
    assert!(
        out.stdout.contains("/acme/storefront/actions/runs/"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_input_or_a_bad_choice_is_refused_and_nothing_is_sent() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(
        &sim,
        &scratch,
        &[
            "deploy.yml",
            "--in",
            "acme/storefront",
            "-f",
            "enviroment=staging",
            "-f",
            "version=v2.4.0",
            "--override",
            "x",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("enviroment"), "{}", out.stderr);
    // The inputs the workflow takes are listed.
    for input in ["environment", "version", "dry_run"] {
        assert!(out.stderr.contains(input), "{}", out.stderr);
    }
    let out = dispatch(
        &sim,
        &scratch,
        &[
            "deploy.yml",
            "--in",
            "acme/storefront",
            "-f",
            "environment=qa",
            "-f",
            "dry_run=maybe",
            "--override",
            "x",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.code, Some(2));
    // Every problem, not only the first.
    assert!(
        out.stderr.contains("must be one of: staging, production"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("must be true or false"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("version: required"), "{}", out.stderr);
    assert_eq!(writes(&sim), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workflow_in_several_repos_needs_in_and_a_test_phase_one_is_not_gated() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(
        &sim,
        &scratch,
        &["deploy.yml", "-f", "version=v2.4.0", "--yes"],
    )
    .await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("acme/storefront"), "{}", out.stderr);
    assert!(out.stderr.contains("acme/payments"), "{}", out.stderr);
    assert!(out.stderr.contains("--in"), "{}", out.stderr);
    assert_eq!(dispatches(&sim), 0);

    // e2e.yml exists only in acme/storefront: no --in needed; not gated, so no override.
    let out = dispatch(&sim, &scratch, &["e2e.yml", "--yes"]).await;
    assert_eq!(out.code, Some(0));
    assert_eq!(
        writes(&sim),
        vec!["POST /repos/acme/storefront/actions/workflows/e2e.yml/dispatches".to_string()]
    );
    assert!(
        out.stdout.contains("/acme/storefront/actions/runs/"),
        "{}",
        out.stdout
    );
    assert_eq!(scratch.audit().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_override_on_a_workflow_that_is_not_gated_is_not_posted() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let before = tracking_comments(&sim).len();
    let out = dispatch(&sim, &scratch, &["E2E", "--override", "because", "--yes"]).await;
    assert_eq!(out.code, Some(0));
    assert!(out.stderr.contains("not needed"), "{}", out.stderr);
    assert_eq!(tracking_comments(&sim).len(), before);
    assert_eq!(dispatches(&sim), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_exits_with_the_runs_conclusion() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(&sim, &scratch, &["e2e.yml", "--watch", "--yes"]).await;
    assert_eq!(out.code, Some(0));
    assert!(out.stderr.contains("completed: success"), "{}", out.stderr);

    sim.with_world(|w| {
        let repo = w.repo_mut("acme/storefront").unwrap();
        let wf = repo
            .workflows
            .iter_mut()
            .find(|w| w.path.ends_with("/e2e.yml"))
            .unwrap();
        wf.fail_next = true;
    });
    let out = dispatch(&sim, &scratch, &["e2e.yml", "--watch", "--yes"]).await;
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("completed: failure"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_yes_and_without_a_terminal_nothing_is_sent() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(&sim, &scratch, &["e2e.yml"]).await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    // The calls are shown all the same.
    assert!(out.stderr.contains("/dispatches"), "{}", out.stderr);
    assert_eq!(writes(&sim), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_before_anything_is_read_or_sent() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let out = dispatch(&sim, &scratch, &["--read-only", "e2e.yml", "--yes"]).await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--read-only"), "{}", out.stderr);
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ambiguous_answer_says_the_dispatch_may_have_started_and_finds_the_run() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::StatusAfterApply(502),
        times: 1,
    });
    let out = dispatch(&sim, &scratch, &["e2e.yml", "--yes"]).await;
    assert!(out.stderr.contains("may have started"), "{}", out.stderr);
    assert!(
        !out.stderr.to_lowercase().contains("retry"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("best guess"), "{}", out.stderr);
    assert!(
        out.stdout.contains("/acme/storefront/actions/runs/"),
        "{}",
        out.stdout
    );
    assert_eq!(out.code, Some(0));
    // Sent once, never again.
    assert_eq!(dispatches(&sim), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_is_refused_while_deploys_are_locked_even_with_an_override() {
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/storefront").unwrap();
        let issue = repo
            .issues
            .iter_mut()
            .find(|i| i.labels.iter().any(|l| l == "release-checklist"))
            .unwrap();
        issue.labels.push("deploy-locked".into());
    });
    let out = dispatch(
        &sim,
        &scratch,
        &[
            "deploy",
            "-R",
            "acme/payments",
            "-f",
            "version=v2.4.0",
            "--override",
            "hotfix",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("deploys are locked"), "{}", out.stderr);
    assert_eq!(writes(&sim), Vec::<String>::new());
}

/// On a terminal, without --yes: "Send? [y/N]"; anything but yes sends nothing, `y` sends.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_it_asks_and_sends_only_on_yes() {
    use common::tmux::{have_tmux, kill_on_drop, tmux, wait_for};
    use std::time::Duration;
    if !have_tmux() {
        return;
    }
    let sim = common::demo_sim().await;
    let scratch = Scratch::new();
    let command = format!(
        "GH_TOKEN={} SHIPDECK_DATA_DIR={} {BIN} --config {} --api-url {} --repo acme/storefront --repo acme/payments dispatch e2e.yml; echo \"shipdeck exited $?\"; sleep 60",
        sim.token(),
        scratch.data().display(),
        scratch.config().display(),
        sim.base_url(),
    );
    for (answer, code, sent) in [("n", 2, 0), ("y", 0, 1)] {
        let session = format!("cli-dispatch-{}-{answer}", std::process::id());
        let command = command.clone();
        let screen = tokio::task::spawn_blocking(move || {
            tmux(&[
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "200",
                "-y",
                "40",
                "sh",
                "-c",
                &command,
            ]);
            let _kill = kill_on_drop(&session);
            wait_for(&session, "Send? [y/N]", Duration::from_secs(30));
            tmux(&["send-keys", "-t", &session, answer, "Enter"]);
            wait_for(&session, "shipdeck exited", Duration::from_secs(30))
        })
        .await
        .unwrap();
        assert!(
            screen.contains(&format!("shipdeck exited {code}")),
            "{screen}"
        );
        assert_eq!(dispatches(&sim), sent, "{screen}");
    }
}
