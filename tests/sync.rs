//! The refresh against the simulator: what it asks GitHub, what it costs by the simulator's own
//! rate-limit accounting, and what it records about workflows a repository lacks.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::{DateTime, Duration, Utc};
use shipdeck::github::Octo;
use shipdeck::github::sync::{
    MilestoneChoice, RECHECK_ABSENT, SyncPlan, WatchedWorkflow, fetch_snapshot_since,
};
use shipdeck::release::gates::{self, Gate, GateReport, Verdict};
use shipdeck::release::snapshot::Missing;
use shipdeck::release::status::StatusReport;
use shipdeck::release::{Phase, Release, Snapshot};
use shipdeck::sim::{RequestRecord, SimHandle};

/// The demo simulator with every live run frozen, so that nothing changes unless a test says so.
async fn still_demo() -> SimHandle {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for run in &mut repo.runs {
                run.live = None;
            }
        }
    });
    sim
}

fn v240_plan() -> SyncPlan {
    let mut plan = common::demo_plan();
    plan.milestone = MilestoneChoice::Title("v2.4.0".into());
    plan
}

async fn refresh(
    sim: &SimHandle,
    api: &Octo,
    plan: &SyncPlan,
    now: DateTime<Utc>,
    prev: Option<&Snapshot>,
    full: bool,
) -> (Snapshot, Vec<RequestRecord>) {
    let before = sim.requests().len();
    let snapshot = fetch_snapshot_since(api, plan, now, prev, full)
        .await
        .expect("the refresh succeeds");
    (snapshot, sim.requests()[before..].to_vec())
}

fn asked_for_e2e_in_payments(requests: &[RequestRecord]) -> bool {
    requests.iter().any(|r| {
        r.path
            .starts_with("/repos/acme/payments/actions/workflows/e2e.yml/runs")
    })
}

#[tokio::test]
async fn idle_refreshes_cost_nothing_once_a_workflow_is_known_absent() {
    let sim = still_demo().await;
    let api = common::client(&sim);
    let plan = v240_plan();
    let t0 = Utc::now();
    let (mut last, first) = refresh(&sim, &api, &plan, t0, None, false).await;
    assert!(
        asked_for_e2e_in_payments(&first),
        "the first refresh asks: {first:?}"
    );

    let points = sim.rate_remaining();
    for i in 1..=10 {
        let now = t0 + Duration::seconds(15 * i);
        let (next, requests) = refresh(&sim, &api, &plan, now, Some(&last), false).await;
        assert!(
            !asked_for_e2e_in_payments(&requests),
            "refresh {i} asks again for a workflow known to be absent: {requests:?}"
        );
        let charged: Vec<_> = requests.iter().filter(|r| r.status != 304).collect();
        assert!(
            charged.is_empty(),
            "refresh {i}: every request of an unchanged refresh is a 304: {charged:?}"
        );
        last = next;
    }
    assert_eq!(
        points - sim.rate_remaining(),
        0,
        "ten idle refreshes cost no rate-limit points"
    );
    let absent = &last.repos[1].missing;
    assert_eq!(absent.len(), 1, "{absent:?}");
    assert_eq!(
        (absent[0].repo.as_str(), absent[0].file.as_str()),
        ("acme/payments", "e2e.yml")
    );
    assert_eq!(absent[0].why, Missing::NotFound { checked_at: t0 });

    // The user pressing `r` asks again.
    let now = t0 + Duration::seconds(170);
    let (full, requests) = refresh(&sim, &api, &plan, now, Some(&last), true).await;
    assert!(asked_for_e2e_in_payments(&requests), "{requests:?}");
    assert_eq!(
        full.repos[1].missing[0].why,
        Missing::NotFound { checked_at: now }
    );
    // A timed refresh 10 minutes on asks the workflow list instead, with its ETag: free.
    let points = sim.rate_remaining();
    let later = now + RECHECK_ABSENT;
    let (rechecked, requests) = refresh(&sim, &api, &plan, later, Some(&full), false).await;
    assert!(!asked_for_e2e_in_payments(&requests), "{requests:?}");
    assert!(
        requests.iter().any(|r| r
            .path
            .starts_with("/repos/acme/payments/actions/workflows?")
            && r.status == 304),
        "{requests:?}"
    );
    assert_eq!(points - sim.rate_remaining(), 0, "the recheck is free");
    assert_eq!(
        rechecked.repos[1].missing[0].why,
        Missing::NotFound { checked_at: later }
    );

    // Once the repository has the workflow, the next recheck finds it and reads its runs.
    sim.with_world(|w| {
        let storefront = w.repo_mut("acme/storefront").unwrap();
        let mut e2e = storefront
            .workflows
            .iter()
            .find(|wf| wf.path.ends_with("/e2e.yml"))
            .unwrap()
            .clone();
        e2e.id += 1000;
        w.repo_mut("acme/payments").unwrap().workflows.push(e2e);
    });
    let (found, requests) = refresh(
        &sim,
        &api,
        &plan,
        later + RECHECK_ABSENT,
        Some(&rechecked),
        false,
    )
    .await;
    assert!(asked_for_e2e_in_payments(&requests), "{requests:?}");
    assert!(
        found.repos[1].missing.is_empty(),
        "{:?}",
        found.repos[1].missing
    );
}

#[tokio::test]
async fn a_workflow_watched_by_its_numeric_id_is_found_in_the_list_when_it_appears() {
    let sim = still_demo().await;
    let api = common::client(&sim);
    let mut plan = v240_plan();
    plan.repos = vec!["acme/payments".into()];
    plan.workflows = vec![WatchedWorkflow {
        file: "777777".into(),
        repo: Some("acme/payments".into()),
        phase: Phase::Test,
        required: true,
    }];
    let t0 = Utc::now();
    let (absent, _) = refresh(&sim, &api, &plan, t0, None, false).await;
    assert_eq!(absent.repos[0].missing.len(), 1);
    // The workflow appears under that id: the next re-check finds it in the list by its id and
    // reads its runs.
    sim.with_world(|w| {
        let storefront = w.repo_mut("acme/storefront").unwrap();
        let mut e2e = storefront.workflows[0].clone();
        e2e.id = 777_777;
        w.repo_mut("acme/payments").unwrap().workflows.push(e2e);
    });
    let (found, requests) =
        refresh(&sim, &api, &plan, t0 + RECHECK_ABSENT, Some(&absent), false).await;
    assert!(
        requests.iter().any(|r| r
            .path
            .starts_with("/repos/acme/payments/actions/workflows/777777/runs")),
        "{requests:?}"
    );
    assert!(
        found.repos[0].missing.is_empty(),
        "{:?}",
        found.repos[0].missing
    );
}

/// The deploy gate on required workflows.
fn workflows_gate(report: &GateReport) -> &Gate {
    report
        .gates
        .iter()
        .find(|g| g.name.starts_with("required workflows green"))
        .expect("the deploy gates include the required workflows")
}

#[tokio::test]
async fn a_required_workflow_the_repository_lacks_fails_the_gate() {
    let sim = still_demo().await;
    let api = common::client(&sim);
    let mut plan = v240_plan();
    plan.repos = vec!["acme/payments".into()];
    let (snapshot, _) = refresh(&sim, &api, &plan, Utc::now(), None, false).await;

    let rules = common::demo_config().rules("v2.4.0");
    let release = Release::derive(&snapshot, &rules);
    let deploy = gates::evaluate(&release, Phase::Deploy, &rules.gates, Utc::now());
    let gate = workflows_gate(&deploy);
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "e2e.yml: not found in acme/payments");
    assert_eq!(deploy.verdict, Verdict::NoGo);
    // `status --json` carries the very same gate object.
    let report = StatusReport::new(&release, deploy.clone(), snapshot.fetched_at);
    assert_eq!(report.gate, deploy);
    // … and lists what is missing, for scripts.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["missing_workflows"],
        serde_json::json!([{
            "repo": "acme/payments",
            "file": "e2e.yml",
            "phase": "test",
            "required": true,
            "reason": "not found"
        }])
    );
}

#[tokio::test]
async fn a_required_workflow_named_for_a_repository_that_lacks_it_fails_the_gate_not_the_refresh() {
    let sim = still_demo().await;
    let api = common::client(&sim);
    let mut plan = v240_plan();
    plan.workflows.push(WatchedWorkflow {
        file: "lint.yml".into(),
        repo: Some("acme/storefront".into()),
        phase: Phase::Build,
        required: true,
    });
    let (snapshot, _) = refresh(&sim, &api, &plan, Utc::now(), None, false).await;

    let rules = common::demo_config().rules("v2.4.0");
    let release = Release::derive(&snapshot, &rules);
    let deploy = gates::evaluate(&release, Phase::Deploy, &rules.gates, Utc::now());
    let gate = workflows_gate(&deploy);
    assert!(!gate.passed, "{gate:?}");
    assert!(
        gate.reason
            .contains("lint.yml: not found in acme/storefront"),
        "{gate:?}"
    );
}

#[tokio::test]
async fn an_impossible_release_ref_fetches_no_runs_and_fails_the_gate_saying_why() {
    let sim = still_demo().await;
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for m in repo.milestones.iter_mut().filter(|m| m.title == "v2.4.0") {
                m.title = "Version 0.4".into();
            }
        }
    });
    let api = common::client(&sim);
    let mut plan = v240_plan();
    plan.milestone = MilestoneChoice::Title("Version 0.4".into());
    let (snapshot, requests) = refresh(&sim, &api, &plan, Utc::now(), None, false).await;
    let actions: Vec<_> = requests
        .iter()
        .filter(|r| r.path.contains("/actions/"))
        .collect();
    assert!(
        actions.is_empty(),
        "no runs are asked for on a ref that cannot exist: {actions:?}"
    );

    let rules = common::demo_config().rules("Version 0.4");
    let release = Release::derive(&snapshot, &rules);
    let deploy = gates::evaluate(&release, Phase::Deploy, &rules.gates, Utc::now());
    let gate = workflows_gate(&deploy);
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(
        gate.reason,
        "release ref \"release/Version 0.4\" cannot exist (it contains a space): \
         set release.ref in the config"
    );
}

#[tokio::test]
async fn a_closed_milestone_is_still_found_by_title_and_by_the_session_that_chose_it_on_auto() {
    let sim = still_demo().await;
    let api = common::client(&sim);
    let now = Utc::now();
    let auto = common::demo_plan();
    let (first, _) = refresh(&sim, &api, &auto, now, None, false).await;
    assert_eq!(
        first.milestone, "v2.4.0",
        "auto picks the open one due soonest"
    );
    assert!(!Release::derive(&first, &shipdeck::release::ReleaseRules::default()).closed);
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for m in &mut repo.milestones {
                if m.title == "v2.4.0" {
                    m.state = "closed".into();
                    m.closed_at = Some(now);
                }
            }
        }
    });
    let rules = shipdeck::release::ReleaseRules::default();
    // Named: the closed milestone is still the release.
    let (named, _) = refresh(&sim, &api, &v240_plan(), now, None, false).await;
    assert_eq!(named.milestone, "v2.4.0");
    assert!(Release::derive(&named, &rules).closed);
    // Auto, refreshing the session's release: it stays, closed, not swapped for v2.5.0.
    let (kept, _) = refresh(&sim, &api, &auto, now, Some(&first), false).await;
    assert_eq!(kept.milestone, "v2.4.0");
    assert!(Release::derive(&kept, &rules).closed);
    // A new session on auto picks the next open milestone.
    let (fresh, _) = refresh(&sim, &api, &auto, now, None, false).await;
    assert_ne!(fresh.milestone, "v2.4.0");
}
