//! The octocrab client against the simulator on loopback: real HTTP, real octocrab.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use shipdeck::github::write::edit_issue_body;
use std::time::Duration;

use chrono::Utc;
use shipdeck::github::sync::{MilestoneChoice, SyncError, fetch_snapshot, pick_auto};
use shipdeck::github::{ApiError, GitHubApi};
use shipdeck::release::{Conclusion, RunStatus, State};
use shipdeck::sim::{Fault, FaultKind};

#[tokio::test]
async fn milestones_and_auto_choice() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let open = api.milestones("acme/storefront", "open").await.unwrap();
    let titles: Vec<_> = open.iter().map(|m| m.title.as_str()).collect();
    assert!(
        titles.contains(&"v2.4.0") && titles.contains(&"v2.5.0"),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"v2.3.0"),
        "closed milestones are not listed as open"
    );
    assert_eq!(pick_auto(&open, Utc::now()).unwrap().title, "v2.4.0");
    let all = api.milestones("acme/storefront", "all").await.unwrap();
    assert!(
        all.iter()
            .any(|m| m.title == "v2.3.0" && m.state == State::Closed)
    );
}

#[tokio::test]
async fn issues_across_several_pages_are_all_fetched() {
    let sim = common::demo_sim().await;
    let number = common::add_payments_issues(&sim, 230);
    let expected = sim.with_world(|w| {
        w.repo("acme/payments")
            .unwrap()
            .issues
            .iter()
            .filter(|i| i.milestone == Some(number))
            .count()
    });
    let api = common::client(&sim);
    let issues = api
        .milestone_issues("acme/payments", number, None)
        .await
        .unwrap();
    assert_eq!(issues.len(), expected);
    assert!(expected > 200, "needs three pages of 100");
    let mut numbers: Vec<_> = issues.iter().map(|i| i.number).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), expected, "no page fetched twice");
    let pages: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/issues?") && r.status == 200)
        .map(|r| r.path)
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages.iter().any(|p| p.contains("page=3")), "{pages:?}");
}

#[tokio::test]
async fn runs_newest_first_and_jobs_with_steps() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let runs = api
        .workflow_runs("acme/storefront", "e2e.yml", Some("release/v2.4.0"), 10)
        .await
        .unwrap();
    assert!(!runs.is_empty());
    assert!(runs.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    assert!(
        runs.iter()
            .all(|r| r.head_branch.as_deref() == Some("release/v2.4.0"))
    );
    let failed = runs
        .iter()
        .find(|r| r.conclusion == Some(Conclusion::Failure))
        .expect("the demo has a red e2e run on the release branch");
    let jobs = api.run_jobs("acme/storefront", failed.id).await.unwrap();
    let bad = jobs
        .iter()
        .find(|j| j.conclusion == Some(Conclusion::Failure))
        .expect("a failed job");
    assert!(!bad.steps.is_empty());
    assert!(
        bad.steps
            .iter()
            .any(|s| s.conclusion == Some(Conclusion::Failure))
    );
    let one = api.run("acme/storefront", failed.id).await.unwrap();
    assert_eq!(one.id, failed.id);
    assert_eq!(one.status, RunStatus::Completed);
}

#[tokio::test]
async fn a_bad_token_says_so() {
    let sim = common::demo_sim().await;
    let api = common::client_with(&sim, "wrong-token", Duration::from_secs(5));
    let err = api.milestones("acme/storefront", "open").await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("GitHub rejected the token (401 Bad credentials)"),
        "{err}"
    );
}

#[tokio::test]
async fn unknown_repository_is_not_found() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let err = api.milestones("acme/nope", "open").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "not found (404): repository acme/nope; check the name and that the token can read it"
    );
}

#[tokio::test]
async fn too_long_body_is_rejected_verbatim() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let body = "x".repeat(70_000);
    let (_, edited) = edit_issue_body(api.as_ref(), "acme/storefront", 201, &body).await;
    let err = edited.unwrap_err();
    assert!(
        matches!(err, ApiError::Rejected { status: 422, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("body is too long (maximum is 65536 characters)"),
        "{err}"
    );
}

#[tokio::test]
async fn unchanged_data_costs_nothing_thanks_to_etags() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let first = api.milestones("acme/storefront", "open").await.unwrap();
    let before = sim.rate_remaining();
    let second = api.milestones("acme/storefront", "open").await.unwrap();
    assert_eq!(first, second, "a 304 serves the cached body");
    assert_eq!(sim.rate_remaining(), before, "a 304 costs no rate limit");
    let last = sim.requests().pop().unwrap();
    assert!(last.had_if_none_match);
    assert_eq!(last.status, 304);
    assert_eq!(api.rate_limit().await.unwrap().remaining, u64::from(before));
}

#[tokio::test]
async fn a_whole_refresh_of_unchanged_data_is_all_304s() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let mut plan = common::demo_plan();
    plan.milestone = MilestoneChoice::Title("v2.4.0".into());
    fetch_snapshot(api.as_ref(), &plan, Utc::now())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = sim.requests().len();
    let spent = sim.rate_remaining();
    fetch_snapshot(api.as_ref(), &plan, Utc::now())
        .await
        .unwrap();
    let second: Vec<_> = sim.requests().into_iter().skip(before).collect();
    let not_modified = second.iter().filter(|r| r.status == 304).count();
    assert!(
        not_modified * 10 >= second.len() * 8,
        "most of a repeat refresh is 304: {second:?}"
    );
    assert!(
        spent - sim.rate_remaining() <= 2,
        "a repeat refresh costs almost nothing"
    );
}

#[tokio::test]
async fn server_errors_on_get_are_retried() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    sim.inject(Fault {
        method: Some(http::Method::GET),
        path_contains: "/milestones".into(),
        kind: FaultKind::Status(502),
        times: 1,
    });
    let ms = api.milestones("acme/storefront", "open").await.unwrap();
    assert!(!ms.is_empty());
    let statuses: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/milestones"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![502, 200]);
}

#[tokio::test]
async fn writes_are_never_retried_blindly() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    sim.inject(Fault {
        method: Some(http::Method::PATCH),
        path_contains: "/issues/201".into(),
        kind: FaultKind::Status(500),
        times: 1,
    });
    let (record, edited) = edit_issue_body(api.as_ref(), "acme/storefront", 201, "new body").await;
    let err = edited.unwrap_err();
    assert_eq!(record.status, Some(500));
    assert_eq!(record.body.as_deref(), Some(r#"{"body":"new body"}"#));
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
    let patches = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == http::Method::PATCH)
        .count();
    assert_eq!(patches, 1);
}

#[tokio::test]
async fn a_slow_github_times_out() {
    let sim = common::demo_sim().await;
    let api = common::client_with(&sim, sim.token(), Duration::from_millis(300));
    sim.inject(Fault {
        method: None,
        path_contains: "/milestones".into(),
        kind: FaultKind::Delay(Duration::from_secs(2)),
        times: 0,
    });
    let err = api.milestones("acme/storefront", "open").await.unwrap_err();
    assert_eq!(err, ApiError::Timeout);
}

#[tokio::test]
async fn a_missing_milestone_lists_the_ones_that_exist() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let mut plan = common::demo_plan();
    plan.milestone = MilestoneChoice::Title("v9.9.9".into());
    let err = fetch_snapshot(api.as_ref(), &plan, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::MilestoneMissing { .. }));
    let text = err.to_string();
    assert!(
        text.starts_with("milestone \"v9.9.9\" not found in acme/"),
        "{text}"
    );
    assert!(text.contains("v2.4.0 (open, due "), "{text}");
    assert!(text.contains("v2.3.0 (closed"), "{text}");
}

#[tokio::test]
async fn the_demo_release_syncs_whole() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let snap = fetch_snapshot(api.as_ref(), &common::demo_plan(), Utc::now())
        .await
        .unwrap();
    assert_eq!(snap.milestone, "v2.4.0");
    assert_eq!(snap.repos.len(), 2);
    let tracking = snap.tracking.as_ref().expect("tracking issue found");
    assert_eq!(tracking.repo, "acme/storefront");
    assert!(tracking.body.contains("## Deploy"));
    let files: Vec<_> = snap.repos[0]
        .workflows
        .iter()
        .map(|w| w.file.as_str())
        .collect();
    assert!(
        files.contains(&"ci.yml") && files.contains(&"e2e.yml") && files.contains(&"deploy.yml")
    );
    let issues: usize = snap.repos.iter().map(|r| r.issues.len()).sum();
    let counted: u64 = snap
        .repos
        .iter()
        .map(|r| r.milestone.open_issues + r.milestone.closed_issues)
        .sum();
    assert_eq!(
        issues as u64, counted,
        "milestone counts agree with the issues listed"
    );
}

#[tokio::test]
async fn big_milestones_refresh_incrementally_and_resync_when_counts_disagree() {
    use shipdeck::github::sync::fetch_snapshot_since;
    let sim = common::demo_sim().await;
    common::add_payments_issues(&sim, 230);
    let api = common::client(&sim);
    let mut plan = common::demo_plan();
    plan.repos = vec!["acme/payments".into()];
    let first = fetch_snapshot_since(api.as_ref(), &plan, Utc::now(), None, false)
        .await
        .unwrap();
    let count = first.repos[0].issues.len();
    assert!(count > 200);

    // One issue changes: the next refresh asks only for what changed since: the repository's
    // issues most recently updated first (no milestone filter, so leaving is seen too).
    let changed = first.repos[0].issues[5].number;
    sim.with_world(|w| {
        let issue = w
            .repo_mut("acme/payments")
            .unwrap()
            .issue_mut(changed)
            .unwrap();
        issue.title = "Renamed meanwhile".into();
        issue.touch(Utc::now());
    });
    let before = sim.requests().len();
    let second = fetch_snapshot_since(api.as_ref(), &plan, Utc::now(), Some(&first), false)
        .await
        .unwrap();
    let issue_requests: Vec<_> = sim.requests()[before..]
        .iter()
        .filter(|r| r.path.contains("/issues?"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(issue_requests.len(), 1, "{issue_requests:?}");
    assert!(
        issue_requests[0].contains("sort=updated&direction=desc")
            && !issue_requests[0].contains("milestone="),
        "{issue_requests:?}"
    );
    assert_eq!(second.repos[0].issues.len(), count);
    assert!(
        second.repos[0]
            .issues
            .iter()
            .any(|i| i.number == changed && i.title == "Renamed meanwhile")
    );

    // An issue leaves the milestone: the probe shows it in another (none), so it leaves the
    // list, which adds up to the milestone's counts again.
    let gone = second.repos[0].issues[7].number;
    sim.with_world(|w| {
        let issue = w
            .repo_mut("acme/payments")
            .unwrap()
            .issue_mut(gone)
            .unwrap();
        issue.milestone = None;
        issue.touch(Utc::now());
    });
    let third = fetch_snapshot_since(api.as_ref(), &plan, Utc::now(), Some(&second), false)
        .await
        .unwrap();
    assert_eq!(third.repos[0].issues.len(), count - 1);
    assert!(third.repos[0].issues.iter().all(|i| i.number != gone));
}

#[tokio::test]
async fn a_server_that_trickles_its_body_is_cut_off_at_the_deadline() {
    let sim = common::demo_sim().await;
    let api = common::client_with(&sim, sim.token(), std::time::Duration::from_millis(300));
    // Headers at once, then one byte every 200 ms: octocrab's per-read timeout never fires.
    sim.inject(Fault {
        method: Some(http::Method::GET),
        path_contains: "/milestones".into(),
        kind: FaultKind::Trickle(std::time::Duration::from_millis(200)),
        times: 0,
    });
    let started = std::time::Instant::now();
    let err = api.milestones("acme/storefront", "open").await.unwrap_err();
    assert_eq!(err, ApiError::Timeout);
    assert!(
        err.to_string().contains("github.timeout_secs"),
        "the message names the setting: {err}"
    );
    // Three attempts of 300 ms and their back-off, not the minutes the body would take.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/comments".into(),
        kind: FaultKind::Trickle(std::time::Duration::from_millis(200)),
        times: 1,
    });
    let (record, result) =
        shipdeck::github::write::create_comment(api.as_ref(), "acme/storefront", 200, "hi").await;
    assert_eq!(result.unwrap_err(), ApiError::Timeout);
    assert!(
        record.outcome.contains("may still have been applied"),
        "{}",
        record.outcome
    );
}
