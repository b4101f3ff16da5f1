//! `shipdeck retro` against the simulator's sample release, through the real binary: the draft
//! in Markdown and JSON, `--follow-up N --yes` filing one issue in the line's repository's next
//! milestone (twice: still one), no next milestone needing `--without-milestone`, and
//! `--read-only` sending nothing.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::path::Path;

use serde_json::Value;
use shipdeck::app::write::GateOverride;
use shipdeck::github::{GitHubApi as _, Octo};
use shipdeck::release::call::Call;
use shipdeck::release::status_update::{HISTORY_HEADING, MARKER};
use shipdeck::sim::{self, SimHandle, SimOptions};

use common::cli::config;

/// `shipdeck --config PATH [--read-only] retro ARGS`: exit code, stdout, stderr.
async fn retro(
    config: &Path,
    data: &Path,
    read_only: bool,
    args: &[&str],
) -> (i32, String, String) {
    common::cli::run(config, data, read_only, "retro", args).await
}

fn audit(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(data.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `(number, title, milestone)` of `repo`'s issues labelled `follow-up`.
fn follow_ups(sim: &SimHandle, repo: &str) -> Vec<(u64, String, Option<u64>)> {
    sim.with_world(|w| {
        w.repo(repo)
            .unwrap()
            .issues
            .iter()
            .filter(|i| i.labels.iter().any(|l| l == "follow-up"))
            .map(|i| (i.number, i.title.clone(), i.milestone))
            .collect()
    })
}

fn writes(sim: &SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method != http::Method::GET)
        .count()
}

/// The JSON draft's line whose text starts with `prefix`: (number, text).
fn line(json: &Value, prefix: &str) -> (u64, String) {
    let l = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["text"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in {json:#}"));
    (
        l["number"].as_u64().unwrap(),
        l["text"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn the_draft_of_the_sample_release_has_every_section_and_warns_before_review() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());

    let (code, md, err) = retro(&cfg, dir.path(), false, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# Retrospective: v2\\.4\\.0\n"), "{md}");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Scope: planned vs delivered",
            "## Gates that failed",
            "## Overrides used",
            "## Time in each phase",
            "## KPIs: this release vs 90 days",
            "## Incidents"
        ],
        "{md}"
    );
    assert!(
        err.contains("not Review: this drafts the facts so far"),
        "{err}"
    );
    assert!(md.contains("\n1. Planned "), "{md}");

    let (code, out, err) = retro(&cfg, dir.path(), false, &["--format", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["milestone"], "v2.4.0");
    assert_eq!(json["in_review"], false);
    let kpis: Vec<&str> = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["section"] == "kpis")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    // One line per metric, or one saying why the delivery history could not be read (the
    // simulator does not serve every history endpoint yet).
    match kpis.as_slice() {
        [one] => assert!(
            one.starts_with("Could not read the delivery history: "),
            "{one}"
        ),
        all => assert_eq!(all.len(), 6, "{all:?}"),
    }
    // The sample has no status comment yet: said, not guessed.
    line(&json, "No verdict history");
    assert_eq!(writes(&sim), 0);
}

#[tokio::test]
async fn a_follow_up_goes_to_the_line_s_repository_and_next_milestone_once() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    let (_, out, _) = retro(&cfg, dir.path(), false, &["--format", "json"]).await;
    let json: Value = serde_json::from_str(&out).unwrap();
    let (n, text) = line(&json, "Not delivered: acme/payments#");
    let pick = n.to_string();

    let (code, _, err) = retro(&cfg, dir.path(), false, &["--follow-up", &pick, "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("POST /repos/acme/payments/issues"), "{err}");
    // payments' v2.5.0 is milestone #5 (storefront's is #8).
    let filed = follow_ups(&sim, "acme/payments");
    assert_eq!(filed.len(), 1, "{filed:?}");
    assert_eq!((filed[0].1.as_str(), filed[0].2), (text.as_str(), Some(5)));
    assert!(follow_ups(&sim, "acme/storefront").is_empty());
    let body = sim.issue_body("acme/payments", filed[0].0).unwrap();
    assert!(
        body.contains("Tracking issue: acme/storefront#200"),
        "{body}"
    );

    // Again: read first, nothing filed twice.
    let (code, _, err) = retro(&cfg, dir.path(), false, &["--follow-up", &pick, "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("already filed in acme/payments"), "{err}");
    assert_eq!(follow_ups(&sim, "acme/payments").len(), 1);
    let records = audit(dir.path());
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["path"], "/repos/acme/payments/issues");
    assert_eq!(records[0]["status"], 201);
}

#[tokio::test]
async fn without_a_next_milestone_filing_needs_without_milestone() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/payments").unwrap();
        for m in &mut repo.milestones {
            if m.title == "v2.5.0" {
                m.state = "closed".into();
            }
        }
    });
    let (_, out, _) = retro(&cfg, dir.path(), false, &["--format", "json"]).await;
    let json: Value = serde_json::from_str(&out).unwrap();
    let (n, _) = line(&json, "Not delivered: acme/payments#");
    let pick = n.to_string();

    let (code, _, err) = retro(&cfg, dir.path(), false, &["--follow-up", &pick, "--yes"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("no next open milestone"), "{err}");
    assert!(err.contains("--without-milestone"), "{err}");
    assert_eq!(writes(&sim), 0);

    let args = ["--follow-up", &pick, "--yes", "--without-milestone"];
    let (code, _, err) = retro(&cfg, dir.path(), false, &args).await;
    assert_eq!(code, 0, "{err}");
    let filed = follow_ups(&sim, "acme/payments");
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].2, None);
}

#[tokio::test]
async fn read_only_sends_nothing() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    let (code, _, err) = retro(&cfg, dir.path(), true, &["--follow-up", "1", "--yes"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("--read-only"), "{err}");
    assert!(sim.requests().is_empty());
    let (code, md, err) = retro(&cfg, dir.path(), true, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# Retrospective"));
    assert_eq!(writes(&sim), 0);
    assert!(audit(dir.path()).is_empty());
}

#[tokio::test]
async fn overrides_and_no_go_stretches_come_from_the_tracking_issue_s_comments() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    let api = Octo::new(
        &sim.base_url(),
        sim.token(),
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    // The override comment exactly as the dashboard and `dispatch --override` write it.
    let o = GateOverride {
        repo: "acme/storefront".into(),
        number: 200,
        milestone: "v2.4.0".into(),
        failing: vec!["no open blockers: #255 is open".into()],
        reason: "hotfix for INC-42".into(),
    };
    let text = o.comment("deploy.yml", "acme/payments", "release/v2.4.0");
    assert!(
        api.send(&Call::comment("acme/storefront", 200, &text))
            .await
            .result
            .is_ok()
    );
    let status = format!(
        "{MARKER}\n## Release status\n\n{HISTORY_HEADING}\n\
         - 2026-11-30 09:00 UTC: GO (alice)\n\
         - 2026-11-30 10:00 UTC: GO → NO-GO (alice)\n\
         - 2026-11-30 13:00 UTC: NO-GO → GO (alice)\n"
    );
    assert!(
        api.send(&Call::comment("acme/storefront", 200, &status))
            .await
            .result
            .is_ok()
    );

    let (code, out, err) = retro(&cfg, dir.path(), false, &["--format", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let (_, over) = line(&json, "Override ");
    assert!(
        over.ends_with(
            "by alice: deploy.yml dispatched in acme/payments on release/v2.4.0 \
             (reason: hotfix for INC-42; failing: no open blockers: #255 is open)"
        ),
        "{over}"
    );
    let (_, gate) = line(&json, "Deploy verdict NO-GO");
    assert_eq!(
        gate,
        "Deploy verdict NO-GO for 3h 0m (2026-11-30 10:00 UTC to 2026-11-30 13:00 UTC)"
    );
}
