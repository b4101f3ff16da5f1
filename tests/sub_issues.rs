//! Checklist items as sub-issues (`checklist.mode = "sub-issues"`) against the simulator through
//! the real client: listing, ticks that close and reopen a sub-issue, the derived checklist and
//! gates, `init` creating sub-issues, and outbox files written before sub-issues.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use shipdeck::app::Action;
use shipdeck::commands::init;
use shipdeck::github::GitHubApi;
use shipdeck::github::sync::{SyncPlan, fetch_snapshot};
use shipdeck::release::gates::{Policy, Verdict, evaluate};
use shipdeck::release::sub_issues::{ChecklistMode, IssueRef};
use shipdeck::release::task_list::{ItemKey, Section};
use shipdeck::release::{Phase, Release, ReleaseRules, State};
use shipdeck::sim::SimHandle;
use shipdeck::tui::outbox::{Intent, Outbox};
use shipdeck::tui::ticks::TickWorker;
use tokio::sync::mpsc;

const REPO: &str = "acme/storefront";
const TRACKING: u64 = 200;

/// Adds issues (repo, title, phase label, closed) as sub-issues of the tracking issue, in the
/// simulator's own data; returns their numbers.
fn seed(sim: &SimHandle, items: &[(&str, &str, &str, bool)]) -> Vec<u64> {
    sim.with_world(|w| {
        let mut ids = Vec::new();
        let mut numbers = Vec::new();
        for (repo, title, label, closed) in items {
            let id = w.ids.object();
            let r = w.repo_mut(repo).unwrap();
            let mut issue = r.issues.iter().find(|i| i.pull.is_none()).unwrap().clone();
            issue.id = id;
            issue.number = r.issues.iter().map(|i| i.number).max().unwrap() + 1;
            issue.title = (*title).to_string();
            issue.body = None;
            issue.labels = if label.is_empty() {
                Vec::new()
            } else {
                vec![(*label).to_string()]
            };
            issue.milestone = None;
            issue.comments = Vec::new();
            issue.sub_issues = Vec::new();
            issue.state = if *closed { "closed" } else { "open" }.to_string();
            issue.closed_at = closed.then(Utc::now);
            numbers.push(issue.number);
            r.issues.push(issue);
            ids.push(id);
        }
        w.repo_mut(REPO)
            .unwrap()
            .issue_mut(TRACKING)
            .unwrap()
            .sub_issues
            .extend(ids);
        numbers
    })
}

fn sub_plan() -> SyncPlan {
    let mut plan = common::demo_plan();
    plan.checklist_mode = ChecklistMode::SubIssues;
    plan
}

fn rules() -> ReleaseRules {
    common::demo_config().rules("v2.4.0")
}

fn state_of(sim: &SimHandle, repo: &str, number: u64) -> String {
    sim.with_world(|w| w.repo(repo).unwrap().issue(number).unwrap().state.clone())
}

#[tokio::test]
async fn sub_issues_are_listed_with_their_own_repository() {
    let sim = common::demo_sim().await;
    let n = seed(
        &sim,
        &[
            (REPO, "Smoke test on staging", "phase:test", true),
            ("acme/payments", "PSP keys rotated", "phase:prepare", false),
        ],
    );
    let api = common::client(&sim);
    let subs = api.sub_issues(REPO, TRACKING).await.unwrap();
    let got: Vec<_> = subs
        .iter()
        .map(|i| (i.repo.as_str(), i.number, i.title.as_str(), i.state))
        .collect();
    assert_eq!(
        got,
        [
            (REPO, n[0], "Smoke test on staging", State::Closed),
            ("acme/payments", n[1], "PSP keys rotated", State::Open),
        ]
    );
    assert!(
        api.sub_issues(REPO, 99_999).await.is_err(),
        "an unknown parent is an error, not an empty list"
    );
}

#[tokio::test]
async fn every_page_of_sub_issues_is_read() {
    let sim = common::demo_sim().await;
    let titles: Vec<String> = (0..130).map(|i| format!("Item {i}")).collect();
    let items: Vec<_> = titles
        .iter()
        .map(|t| (REPO, t.as_str(), "phase:build", false))
        .collect();
    let numbers = seed(&sim, &items);
    let subs = common::client(&sim)
        .sub_issues(REPO, TRACKING)
        .await
        .unwrap();
    let got: Vec<u64> = subs.iter().map(|i| i.number).collect();
    assert_eq!(got, numbers, "all 130, in order");
    let pages = sim
        .requests()
        .iter()
        .filter(|r| r.path.contains("/sub_issues"))
        .count();
    assert_eq!(pages, 2, "100 a page");
}

#[tokio::test]
async fn in_sub_issues_mode_the_checklist_counts_and_gates_come_from_the_sub_issues() {
    let sim = common::demo_sim().await;
    seed(
        &sim,
        &[
            (REPO, "Scope agreed", "phase:plan", true),
            (REPO, "Build   green", "phase:build", false),
            ("acme/payments", "Tell support", "", true),
        ],
    );
    let api = common::client(&sim);
    let snapshot = fetch_snapshot(api.as_ref(), &sub_plan(), Utc::now())
        .await
        .unwrap();
    let release = Release::derive(&snapshot, &rules());
    let items: Vec<_> = release
        .checklist
        .iter()
        .map(|i| (i.text.as_str(), i.checked, i.section))
        .collect();
    assert_eq!(
        items,
        [
            ("Tell support", true, Section::General),
            ("Scope agreed", true, Section::Phase(Phase::Plan)),
            ("Build green", false, Section::Phase(Phase::Build)),
        ],
        "the body's task list is not the checklist in this mode"
    );
    assert_eq!(release.checklist_progress(), (2, 3));
    let test_gate = evaluate(&release, Phase::Test, &Policy::default(), Utc::now());
    let build = test_gate
        .gates
        .iter()
        .find(|g| g.name == "Build checklist complete")
        .unwrap();
    assert!(!build.passed, "{build:?}");
    assert!(build.reason.contains("next: Build green"), "{build:?}");
    assert_eq!(test_gate.verdict, Verdict::NoGo);

    // Task-list mode (the default) still reads the body.
    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), Utc::now())
        .await
        .unwrap();
    let release = Release::derive(&snapshot, &rules());
    assert!(release.checklist.len() > 20);
    assert!(release.checklist.iter().all(|i| i.sub_issue.is_none()));
}

async fn next_applied(rx: &mut mpsc::Receiver<Action>) -> Action {
    loop {
        let action = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the worker answers")
            .expect("the worker runs");
        if !matches!(action, Action::Audited(_)) {
            return action;
        }
    }
}

fn sub_intent(number: u64, text: &str, checked: bool) -> Intent {
    Intent {
        id: 0,
        api: String::new(),
        repo: REPO.into(),
        number: TRACKING,
        key: ItemKey {
            text: text.into(),
            occurrence: 0,
        },
        checked,
        same_text: 1,
        created_at: Utc::now(),
        failed: None,
        owner: None,
        sub_issue: Some(IssueRef {
            repo: REPO.into(),
            number,
        }),
    }
}

#[tokio::test]
async fn a_tick_closes_the_sub_issue_with_one_state_patch_and_an_untick_reopens_it() {
    let sim = common::demo_sim().await;
    let n = seed(
        &sim,
        &[(REPO, "Smoke test on staging", "phase:test", false)],
    )[0];
    let body_before = sim.issue_body(REPO, TRACKING).unwrap();
    let (_dir, outbox, w, mut rx) = start(&sim);
    let before = sim.requests().len();
    outbox
        .push_intent(sub_intent(n, "Smoke test on staging", true))
        .unwrap();
    w.wake();
    let Action::TickApplied {
        checked, sub_issue, ..
    } = next_applied(&mut rx).await
    else {
        panic!("expected the tick to apply");
    };
    assert!(checked);
    let back = sub_issue.expect("the sub-issue as read back");
    assert_eq!((back.number, back.state), (n, State::Closed));
    assert_eq!(state_of(&sim, REPO, n), "closed");
    let writes: Vec<_> = sim.requests()[before..]
        .iter()
        .filter(|r| r.method != http::Method::GET)
        .map(|r| (r.method.clone(), r.path.clone(), r.body.clone()))
        .collect();
    assert_eq!(
        writes,
        [(
            http::Method::PATCH,
            format!("/repos/{REPO}/issues/{n}"),
            Some(r#"{"state":"closed"}"#.to_string())
        )],
        "exactly one PATCH, of the state only"
    );
    assert_eq!(
        sim.issue_body(REPO, TRACKING).unwrap(),
        body_before,
        "the tracking issue is not touched"
    );
    assert!(outbox.pending().unwrap().is_empty());

    outbox
        .push_intent(sub_intent(n, "Smoke test on staging", false))
        .unwrap();
    w.wake();
    let Action::TickApplied { sub_issue, .. } = next_applied(&mut rx).await else {
        panic!("expected the untick to apply");
    };
    assert_eq!(sub_issue.map(|i| i.state), Some(State::Open));
    assert_eq!(state_of(&sim, REPO, n), "open");
}

#[tokio::test]
async fn init_in_sub_issues_mode_creates_one_sub_issue_per_item() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        let issue = w.repo_mut(REPO).unwrap().issue_mut(TRACKING).unwrap();
        issue.labels.retain(|l| l != "release-checklist");
    });
    let api = common::client(&sim);
    let template = "Intro.\n\n## Plan\n\n- [ ] Scope agreed\n\n## Deploy\n\n- [ ] Canary at 10%\n- [ ] Full rollout\n";
    let line = init::run(api.as_ref(), &sub_plan(), template, &rules(), Utc::now())
        .await
        .expect("created");
    assert!(line.contains("with 3 items as sub-issues"), "{line}");

    let snapshot = fetch_snapshot(api.as_ref(), &sub_plan(), Utc::now())
        .await
        .unwrap();
    let tracking = snapshot.tracking.clone().expect("a tracking issue");
    assert_ne!(tracking.number, TRACKING);
    assert!(!tracking.body.contains("- [ ]"), "{}", tracking.body);
    let subs = tracking.sub_issues.clone().expect("sub-issues read");
    let got: Vec<_> = subs
        .iter()
        .map(|i| (i.title.as_str(), i.labels.clone(), i.state))
        .collect();
    assert_eq!(
        got,
        [
            ("Scope agreed", vec!["phase:plan".to_string()], State::Open),
            (
                "Canary at 10%",
                vec!["phase:deploy".to_string()],
                State::Open
            ),
            (
                "Full rollout",
                vec!["phase:deploy".to_string()],
                State::Open
            ),
        ]
    );
    let in_milestone = snapshot
        .repos
        .iter()
        .flat_map(|r| &r.issues)
        .filter(|i| {
            subs.iter()
                .any(|s| s.number == i.number && s.repo == i.repo)
        })
        .count();
    assert_eq!(in_milestone, 3, "the items are in the milestone");
    let release = Release::derive(&snapshot, &rules());
    assert_eq!(release.checklist_progress(), (0, 3));
}

#[test]
fn an_outbox_written_before_sub_issues_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.json");
    let api = "http://127.0.0.1:1";
    let old = format!(
        r#"{{"version":2,"intents":[{{"id":7,"api":"{api}","repo":"acme/x","number":1,
            "key":{{"text":"a","occurrence":0}},"checked":true,"same_text":1,
            "created_at":"2026-11-01T10:00:00Z","failed":null,"owner":null}}]}}"#
    );
    std::fs::write(&path, old).unwrap();
    let o = Outbox::open(&path, api).unwrap();
    let pending = o.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, 7);
    assert_eq!(pending[0].sub_issue, None, "a task-list tick");

    let saved = o.push_intent(sub_intent(12, "b", true)).unwrap();
    drop(o);
    let o = Outbox::open(&path, api).unwrap();
    let again = o.pending().unwrap();
    let back = again.iter().find(|i| i.id == saved.id).unwrap();
    assert_eq!(
        back.sub_issue,
        Some(IssueRef {
            repo: REPO.into(),
            number: 12
        })
    );
}

/// A worker over a fresh outbox for `sim`: the outbox, the worker and its results.
fn start(
    sim: &SimHandle,
) -> (
    tempfile::TempDir,
    Arc<Outbox>,
    TickWorker,
    mpsc::Receiver<Action>,
) {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Arc::new(Outbox::open(&dir.path().join("o.json"), &sim.base_url()).unwrap());
    let (tx, rx) = mpsc::channel(16);
    let w = TickWorker::new(
        common::client(sim),
        outbox.clone(),
        tx,
        Duration::from_millis(20),
    );
    tokio::spawn(w.clone().run());
    (dir, outbox, w, rx)
}

#[tokio::test]
async fn a_lost_answer_to_the_state_patch_is_decided_by_reading_the_sub_issue() {
    use shipdeck::sim::{Fault, FaultKind};
    let sim = common::demo_sim().await;
    let n = seed(&sim, &[(REPO, "Canary at 10%", "phase:deploy", false)])[0];
    let (_dir, outbox, w, mut rx) = start(&sim);
    sim.inject(Fault {
        method: Some(http::Method::PATCH),
        path_contains: format!("/issues/{n}"),
        kind: FaultKind::StatusAfterApply(502),
        times: 1,
    });
    outbox
        .push_intent(sub_intent(n, "Canary at 10%", true))
        .unwrap();
    w.wake();
    assert!(
        matches!(next_applied(&mut rx).await, Action::TickApplied { .. }),
        "the 502 came after GitHub closed it: confirmed, not failed"
    );
    let patches = sim
        .requests()
        .iter()
        .filter(|r| r.method == http::Method::PATCH)
        .count();
    assert_eq!(patches, 1, "not sent twice");
    assert_eq!(state_of(&sim, REPO, n), "closed");
    assert!(outbox.pending().unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_state_patch_is_kept_for_review() {
    use shipdeck::sim::{Fault, FaultKind};
    let sim = common::demo_sim().await;
    let n = seed(&sim, &[(REPO, "Canary at 10%", "phase:deploy", false)])[0];
    let (_dir, outbox, w, mut rx) = start(&sim);
    sim.inject(Fault {
        method: Some(http::Method::PATCH),
        path_contains: format!("/issues/{n}"),
        kind: FaultKind::Status(403),
        times: 1,
    });
    let saved = outbox
        .push_intent(sub_intent(n, "Canary at 10%", true))
        .unwrap();
    w.wake();
    let Action::TickNeedsReview(item) = next_applied(&mut rx).await else {
        panic!("expected the tick to be kept for review");
    };
    assert_eq!(item.id, saved.id);
    assert!(item.reason.contains("403"), "{}", item.reason);
    assert_eq!(state_of(&sim, REPO, n), "open");
    let kept = outbox.failed().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].sub_issue, saved.sub_issue,
        "still names its sub-issue"
    );
}

#[test]
fn a_cached_snapshot_from_before_sub_issues_loads_in_task_list_form() {
    let snapshot = common::fixture_snapshot(common::fixed_now());
    let mut json = serde_json::to_value(&snapshot).unwrap();
    let tracking = json["tracking"].as_object_mut().unwrap();
    assert!(tracking.remove("sub_issues").is_some());
    let back: shipdeck::release::Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back.tracking.as_ref().unwrap().sub_issues, None);
    let release = Release::derive(&back, &ReleaseRules::default());
    assert_eq!(release.checklist_progress(), (2, 4), "the body's task list");
}
