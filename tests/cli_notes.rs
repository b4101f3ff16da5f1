//! `shipdeck notes` against the simulator's sample release, through the real binary: Markdown
//! and JSON, `--out`, and `--publish-draft --yes` twice leaving one draft release per
//! repository whose body is that repository's notes, with the calls in the audit log;
//! `--read-only` refuses to publish.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::path::Path;

use serde_json::Value;
use shipdeck::github::GitHubApi as _;
use shipdeck::sim::{self, SimHandle, SimOptions, SimRelease};

const REPOS: [&str; 2] = ["acme/storefront", "acme/payments"];

use common::cli::config;

/// `shipdeck --config PATH [--read-only] notes ARGS`: exit code, stdout, stderr.
async fn notes(
    config: &Path,
    data: &Path,
    read_only: bool,
    args: &[&str],
) -> (i32, String, String) {
    common::cli::run(config, data, read_only, "notes", args).await
}

fn releases(sim: &SimHandle, repo: &str) -> Vec<SimRelease> {
    sim.with_world(|w| w.repo(repo).unwrap().releases.clone())
}

fn audit(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(data.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const STOREFRONT_URL: &str = "/acme/storefront/issues/";

#[tokio::test]
async fn notes_group_the_sample_release_in_markdown_and_json() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    // The open PR storefront#212 closed without merging: it changed nothing.
    sim.with_world(|w| {
        let pr = w
            .repo_mut("acme/storefront")
            .unwrap()
            .issue_mut(212)
            .unwrap();
        pr.state = "closed".into();
        pr.closed_at = Some(pr.updated_at);
        assert!(pr.pull.as_ref().unwrap().merged_at.is_none());
    });

    let (code, md, err) = notes(&cfg, dir.path(), false, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# v2\\.4\\.0\n\n## Features\n\n"), "{md}");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        ["## Features", "## Fixes", "## Security", "## Other"],
        "{md}"
    );
    // A merged PR, with its author and link.
    assert!(
        md.contains(&format!(
            "- Saved carts\\: persist cart to account ([acme/storefront\\#210]({}/acme/storefront/pull/210), @carol)",
            sim.base_url()
        )),
        "{md}"
    );
    assert!(
        md.contains("- Upgrade stripe\\-go to v78 ([acme/payments\\#87]"),
        "{md}"
    );
    assert!(md.contains(STOREFRONT_URL), "{md}");
    // Left out: skip-notes, open issues, the tracking issue, risks.
    for absent in [
        "Scope v2\\.4\\.0",
        "Scope payments changes",
        "Release v2\\.4\\.0 checklist",
        "Apple Pay button",
        "Risk",
    ] {
        assert!(
            !md.contains(absent),
            "{absent} must not be in the notes: {md}"
        );
    }

    let out = dir.path().join("notes.json");
    let (code, stdout, err) = notes(
        &cfg,
        dir.path(),
        false,
        &["--format", "json", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.is_empty(),
        "--out writes nothing to stdout: {stdout}"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["milestone"], "v2.4.0");
    let sections = v["sections"].as_array().unwrap();
    let security = sections.iter().find(|s| s["title"] == "Security").unwrap();
    assert_eq!(
        security["entries"],
        serde_json::json!([{
            "repo": "acme/payments", "number": 87, "title": "Upgrade stripe-go to v78",
            "author": "frank", "html_url": format!("{}/acme/payments/pull/87", sim.base_url()),
            "is_pull_request": true
        }])
    );
    let features: Vec<String> = sections[0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}#{}", e["repo"].as_str().unwrap(), e["number"]))
        .collect();
    assert_eq!(
        features,
        [
            "acme/payments#85",
            "acme/storefront#210",
            "acme/storefront#211",
            "acme/storefront#213"
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn publishing_twice_leaves_one_draft_per_repository_and_read_only_refuses() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());

    let (code, _, err) = notes(&cfg, dir.path(), true, &["--publish-draft", "--yes"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--read-only"), "{err}");
    // Without --yes and without a terminal, nothing is sent.
    let (code, _, err) = notes(&cfg, dir.path(), false, &["--publish-draft"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("pass --yes"), "{err}");
    assert!(
        err.contains("POST /repos/acme/storefront/releases\n{\"body\":"),
        "the calls are shown first: {err}"
    );
    for repo in REPOS {
        assert!(releases(&sim, repo).is_empty());
    }
    assert!(audit(dir.path()).is_empty());

    let (code, md, err) = notes(&cfg, dir.path(), false, &["--publish-draft", "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("created draft v2.4.0: "), "{err}");
    let (code, _, err) = notes(&cfg, dir.path(), false, &["--publish-draft", "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("PATCH /repos/acme/payments/releases/"),
        "{err}"
    );
    assert!(
        !err.contains("POST /repos"),
        "the second run only updates: {err}"
    );

    for repo in REPOS {
        let all = releases(&sim, repo);
        assert_eq!(all.len(), 1, "one draft in {repo}: {all:?}");
        let r = &all[0];
        assert!(r.draft && r.published_at.is_none(), "{r:?}");
        assert_eq!(r.tag_name, "v2.4.0");
        assert_eq!(r.name.as_deref(), Some("v2.4.0"));
        let body = r.body.clone().unwrap();
        assert!(body.starts_with("# v2\\.4\\.0\n"), "{body}");
        let other = REPOS.iter().find(|o| **o != repo).unwrap();
        assert!(body.contains(&format!("[{repo}\\#")), "{body}");
        assert!(
            !body.contains(&format!("[{other}\\#")),
            "only {repo}'s entries: {body}"
        );
        // The body is the notes' part for that repository: every line of it is in the notes.
        for line in body.lines().filter(|l| l.starts_with("- ")) {
            assert!(md.contains(line), "{line} not in the notes");
        }
    }
    let audit = audit(dir.path());
    let calls: Vec<String> = audit
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["status"]
            )
        })
        .collect();
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert_eq!(calls[0], "POST /repos/acme/storefront/releases 201");
    assert_eq!(calls[1], "POST /repos/acme/payments/releases 201");
    assert!(
        calls[2].starts_with("PATCH /repos/acme/storefront/releases/"),
        "{calls:?}"
    );
    assert!(calls[3].ends_with(" 200"), "{calls:?}");
    for r in &audit {
        let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["draft"], true);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn a_published_release_for_the_tag_is_left_alone() {
    let sim = sim::start(SimOptions::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sim.base_url(), sim.token());
    let api = common::client(&sim);
    let published = shipdeck::release::call::Call {
        body: Some(r#"{"tag_name":"v2.4.0","name":"v2.4.0","body":"by hand"}"#.into()),
        ..shipdeck::release::call::Call::create_release("acme/payments", "v2.4.0", "", "")
    };
    let sent = api.send(&published).await;
    assert_eq!(sent.result.unwrap().status, 201);

    let (code, _, err) = notes(&cfg, dir.path(), false, &["--publish-draft", "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("acme/payments: the release for v2.4.0 is already published"),
        "{err}"
    );
    let payments = releases(&sim, "acme/payments");
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].body.as_deref(), Some("by hand"));
    assert!(!payments[0].draft);
    assert_eq!(releases(&sim, "acme/storefront").len(), 1);
    sim.shutdown().await;
}
