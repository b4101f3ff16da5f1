//! The write side of the octocrab client against the simulator: dispatch (with and without
//! run details), re-run, cancel, deployment reviews, issues, comments, labels, contents,
//! logs, and the audit record of every write.

#![allow(clippy::unwrap_used)] // a test may panic on what it did not expect

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use shipdeck::github::write::{self, Answer, dispatch_outcome, execute};
use shipdeck::github::{ApiError, GitHubApi, Octo};
use shipdeck::release::call::Call;
use shipdeck::release::{Comment, Conclusion, DispatchOutcome, Issue, Run, RunStatus, WriteRecord};
use shipdeck::sim::{Fault, FaultKind, SimHandle};

const REPO: &str = "acme/storefront";
const BRANCH: &str = "release/v2.4.0";
const RED_E2E: u64 = 9_000_000_023;
const CI_IN_PROGRESS: u64 = 9_000_000_026;
const PRODUCTION_ENV: u64 = 4_100_202;

/// The client with the writes the app makes, each through [`execute`] or the `github::write`
/// helpers, keeping their audit records as the app's audit does. Reads go to the client.
struct Writer {
    api: Arc<Octo>,
    records: Mutex<Vec<WriteRecord>>,
}

impl std::ops::Deref for Writer {
    type Target = Octo;
    fn deref(&self) -> &Octo {
        &self.api
    }
}

impl Writer {
    fn new(api: Arc<Octo>) -> Self {
        Self {
            api,
            records: Mutex::new(Vec::new()),
        }
    }

    fn keep(&self, records: Vec<WriteRecord>) {
        self.records.lock().unwrap().extend(records);
    }

    async fn calls(&self, calls: &[Call]) -> Result<Answer, ApiError> {
        let done = execute(self.api.as_ref(), calls).await;
        self.keep(done.records);
        done.result.map_err(|s| s.error)
    }

    async fn dispatch(
        &self,
        repo: &str,
        file: &str,
        git_ref: &str,
        inputs: &BTreeMap<String, String>,
    ) -> Result<DispatchOutcome, ApiError> {
        self.calls(&[Call::dispatch(repo, file, git_ref, inputs)])
            .await
            .map(|a| dispatch_outcome(&a))
    }

    async fn rerun_failed_jobs(&self, repo: &str, id: u64) -> Result<(), ApiError> {
        self.calls(&[Call::rerun_failed_jobs(repo, id)])
            .await
            .map(drop)
    }

    async fn rerun(&self, repo: &str, id: u64) -> Result<(), ApiError> {
        self.calls(&[Call::rerun(repo, id)]).await.map(drop)
    }

    async fn cancel_run(&self, repo: &str, id: u64) -> Result<(), ApiError> {
        self.calls(&[Call::cancel_run(repo, id)]).await.map(drop)
    }

    async fn review_deployments(
        &self,
        repo: &str,
        id: u64,
        environment_ids: &[u64],
        approve: bool,
        comment: &str,
    ) -> Result<(), ApiError> {
        self.calls(&[Call::review_deployments(
            repo,
            id,
            environment_ids,
            approve,
            comment,
        )])
        .await
        .map(drop)
    }

    async fn add_labels(&self, repo: &str, n: u64, labels: &[String]) -> Result<(), ApiError> {
        self.calls(&[Call::add_labels(repo, n, labels)])
            .await
            .map(drop)
    }

    async fn remove_label(&self, repo: &str, n: u64, label: &str) -> Result<Answer, ApiError> {
        self.calls(&[Call::remove_label(repo, n, label)]).await
    }

    async fn create_comment(&self, repo: &str, n: u64, body: &str) -> Result<Comment, ApiError> {
        let (record, result) = write::create_comment(self.api.as_ref(), repo, n, body).await;
        self.keep(vec![record]);
        result
    }

    async fn create_issue(
        &self,
        repo: &str,
        title: &str,
        body: &str,
        labels: &[String],
        milestone: Option<u64>,
    ) -> Result<Issue, ApiError> {
        let (record, result) =
            write::create_issue(self.api.as_ref(), repo, title, body, labels, milestone).await;
        self.keep(vec![record]);
        result
    }

    async fn update_issue_body(&self, repo: &str, n: u64, body: &str) -> Result<Issue, ApiError> {
        let (record, result) = write::edit_issue_body(self.api.as_ref(), repo, n, body).await;
        self.keep(vec![record]);
        result
    }

    fn drain_writes(&self) -> Vec<WriteRecord> {
        std::mem::take(&mut *self.records.lock().unwrap())
    }
}

fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

fn deploy_inputs(environment: &str) -> BTreeMap<String, String> {
    inputs(&[
        ("environment", environment),
        ("version", "v2.4.0-rc.2"),
        ("dry_run", "false"),
    ])
}

/// Requests with `method` whose path contains `part`: (path, status).
fn sent(sim: &SimHandle, method: &http::Method, part: &str) -> Vec<(String, u16)> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == *method && r.path.contains(part))
        .map(|r| (r.path, r.status))
        .collect()
}

fn run_count(sim: &SimHandle) -> usize {
    sim.with_world(|w| w.repo(REPO).unwrap().runs.len())
}

/// Polls `run` until `done` holds, or fails after 10 s.
async fn wait_for(api: &Octo, id: u64, what: &str, done: impl Fn(&Run) -> bool) -> Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let run = api.run(REPO, id).await.unwrap();
        if done(&run) {
            return run;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "run {id} never got {what}: {run:?}"
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

#[tokio::test]
async fn dispatch_returns_the_run_and_it_completes() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let out = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("staging"))
        .await
        .unwrap();
    assert!(out.details_supported);
    let id = out.run_id.expect("GitHub returned the run id");
    assert!(
        out.html_url
            .as_deref()
            .is_some_and(|u| u.ends_with(&format!("/actions/runs/{id}"))),
        "{out:?}"
    );
    assert_eq!(sent(&sim, &http::Method::POST, "/dispatches").len(), 1);

    let run = api.run(REPO, id).await.unwrap();
    assert_eq!(run.event, "workflow_dispatch");
    assert_eq!(run.head_branch.as_deref(), Some(BRANCH));
    assert_eq!(run.actor.as_deref(), Some("alice"));
    assert!(
        run.display_title.contains("v2.4.0-rc.2"),
        "{}",
        run.display_title
    );
    let done = wait_for(&api, id, "completed", |r| r.status == RunStatus::Completed).await;
    assert_eq!(done.conclusion, Some(Conclusion::Success));
}

#[tokio::test]
async fn legacy_ghes_dispatch_falls_back_and_the_run_is_found() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| w.legacy_dispatch = true);
    let api = Writer::new(common::client(&sim));
    let since = Utc::now();
    let none = api
        .find_dispatched_run(REPO, "deploy.yml", BRANCH, Some("alice"), since)
        .await
        .unwrap();
    assert!(none.is_none(), "nothing dispatched yet: {none:?}");

    let out = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("staging"))
        .await
        .unwrap();
    assert!(!out.details_supported);
    assert_eq!(out.run_id, None);
    let posts = sent(&sim, &http::Method::POST, "/dispatches");
    let statuses: Vec<u16> = posts.iter().map(|(_, s)| *s).collect();
    assert_eq!(
        statuses,
        vec![400, 204],
        "refused once, then sent without the field"
    );

    let newest = sim.with_world(|w| {
        w.repo(REPO)
            .unwrap()
            .runs
            .iter()
            .map(|r| r.id)
            .max()
            .unwrap()
    });
    let found = api
        .find_dispatched_run(REPO, "deploy.yml", BRANCH, Some("alice"), since)
        .await
        .unwrap()
        .expect("the dispatched run is found although the first poll found nothing");
    assert_eq!(found.id, newest);
    assert_eq!(found.event, "workflow_dispatch");
    assert!(found.created_at >= since - chrono::Duration::seconds(5));
    let polls: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/workflows/deploy.yml/runs?"))
        .collect();
    assert_eq!(polls.len(), 2);
    assert!(
        polls
            .iter()
            .all(|r| !r.had_if_none_match && r.status == 200),
        "{polls:?}"
    );
    assert!(
        polls[0].path.contains("event=workflow_dispatch")
            && polls[0].path.contains("branch=release%2Fv2.4.0")
            && polls[0].path.contains("created=%3E%3D")
            && polls[0].path.contains("per_page=20"),
        "{}",
        polls[0].path
    );

    let someone_else = api
        .find_dispatched_run(REPO, "deploy.yml", BRANCH, Some("bob"), since)
        .await
        .unwrap();
    assert!(
        someone_else.is_none(),
        "alice's run is not bob's: {someone_else:?}"
    );
    let writes = api.drain_writes();
    let statuses: Vec<_> = writes.iter().map(|w| w.status).collect();
    assert_eq!(statuses, vec![Some(400), Some(204)]);
}

#[tokio::test]
async fn a_missing_required_input_is_githubs_422_verbatim() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let before = run_count(&sim);
    let err = api
        .dispatch(
            REPO,
            "deploy.yml",
            BRANCH,
            &inputs(&[("environment", "staging")]),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Rejected { status: 422, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GitHub said (422): Required input 'version' not provided"
    );
    assert_eq!(sent(&sim, &http::Method::POST, "/dispatches").len(), 1);
    assert_eq!(run_count(&sim), before);

    let err = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("moon"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GitHub said (422): Provided value 'moon' for input 'environment' not in the list of allowed values"
    );
}

#[tokio::test]
async fn a_server_error_on_dispatch_is_not_retried() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::Status(500),
        times: 1,
    });
    let before = run_count(&sim);
    let err = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("staging"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(
        sent(&sim, &http::Method::POST, "/dispatches").len(),
        1,
        "exactly one POST"
    );
    assert_eq!(run_count(&sim), before, "no run was created");
    let writes = api.drain_writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].status, Some(500));
    assert!(
        writes[0].outcome.contains("may still have been applied"),
        "{}",
        writes[0].outcome
    );
}

#[tokio::test]
async fn an_unreadable_dispatch_answer_is_still_a_dispatch() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::Malformed,
        times: 1,
    });
    let since = Utc::now();
    let out = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("staging"))
        .await
        .expect("the workflow ran, so this is not an error");
    assert_eq!(out.run_id, None);
    assert!(out.details_supported);
    assert_eq!(sent(&sim, &http::Method::POST, "/dispatches").len(), 1);
    let found = api
        .find_dispatched_run(REPO, "deploy.yml", BRANCH, Some("alice"), since)
        .await
        .unwrap();
    assert!(found.is_some(), "the run it started can be found");
}

#[tokio::test]
async fn a_timed_out_dispatch_is_not_retried() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client_with(
        &sim,
        sim.token(),
        Duration::from_millis(300),
    ));
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::Delay(Duration::from_millis(800)),
        times: 1,
    });
    let before = run_count(&sim);
    let err = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("staging"))
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::Timeout);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // The simulator drops a request whose client hung up before it was answered, so the
    // timed-out POST leaves no trace; a retry would have been answered (the fault was used
    // up) and would show here as a second POST and a new run.
    assert!(
        sent(&sim, &http::Method::POST, "/dispatches").is_empty(),
        "no second POST"
    );
    assert_eq!(run_count(&sim), before, "no retried dispatch started a run");
    let writes = api.drain_writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].status, None);
    assert!(
        writes[0].outcome.contains("may still have been applied"),
        "{}",
        writes[0].outcome
    );
}

#[tokio::test]
async fn a_secondary_rate_limit_on_a_write_is_reported_not_retried() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/comments".into(),
        kind: FaultKind::SecondaryRateLimit,
        times: 1,
    });
    let err = api.create_comment(REPO, 200, "hello").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "rate limited by GitHub (secondary limit): try again in 60s"
    );
    assert_eq!(sent(&sim, &http::Method::POST, "/comments").len(), 1);
    let w = api.drain_writes();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].status, Some(403));
}

#[tokio::test]
async fn rerun_failed_jobs_starts_a_new_attempt() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let before = api.run(REPO, RED_E2E).await.unwrap();
    assert_eq!(before.conclusion, Some(Conclusion::Failure));
    api.rerun_failed_jobs(REPO, RED_E2E).await.unwrap();
    assert_eq!(
        sent(&sim, &http::Method::POST, "/rerun-failed-jobs"),
        vec![(
            format!("/repos/{REPO}/actions/runs/{RED_E2E}/rerun-failed-jobs"),
            201
        )]
    );
    let after = api.run(REPO, RED_E2E).await.unwrap();
    assert_eq!(after.run_attempt, before.run_attempt + 1);
    assert!(after.status.is_active() || after.status == RunStatus::Completed);
    let done = wait_for(&api, RED_E2E, "completed", |r| {
        r.status == RunStatus::Completed
    })
    .await;
    assert_eq!(done.run_attempt, before.run_attempt + 1);

    // While an attempt is going, GitHub refuses another with its own words.
    api.rerun(REPO, RED_E2E).await.unwrap();
    let err = api.rerun(REPO, RED_E2E).await.unwrap_err();
    assert!(
        err.to_string().contains("This workflow is already running"),
        "{err}"
    );
}

#[tokio::test]
async fn cancelling_an_in_progress_run() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let before = api.run(REPO, CI_IN_PROGRESS).await.unwrap();
    assert!(before.status.is_active(), "{before:?}");
    api.cancel_run(REPO, CI_IN_PROGRESS).await.unwrap();
    assert_eq!(
        sent(&sim, &http::Method::POST, "/cancel")
            .last()
            .map(|p| p.1),
        Some(202)
    );
    let after = wait_for(&api, CI_IN_PROGRESS, "completed", |r| {
        r.status == RunStatus::Completed
    })
    .await;
    assert_eq!(after.conclusion, Some(Conclusion::Cancelled));
}

#[tokio::test]
async fn cancelling_a_completed_run_is_githubs_409() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let err = api.cancel_run(REPO, RED_E2E).await.unwrap_err();
    assert!(
        matches!(err, ApiError::Rejected { status: 409, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GitHub said (409): Cannot cancel a workflow run that is completed."
    );
    let w = api.drain_writes();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].status, Some(409));
    assert_eq!(w[0].outcome, err.to_string());
}

/// Dispatches a production deploy and waits until it waits for a reviewer.
async fn waiting_production_deploy(api: &Writer) -> u64 {
    let out = api
        .dispatch(REPO, "deploy.yml", BRANCH, &deploy_inputs("production"))
        .await
        .unwrap();
    let id = out.run_id.unwrap();
    wait_for(api, id, "waiting", |r| r.status == RunStatus::Waiting).await;
    id
}

#[tokio::test]
async fn approving_a_production_deploy_lets_it_finish() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let id = waiting_production_deploy(&api).await;
    let pending = api.pending_deployments(REPO, id).await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    let p = &pending[0];
    assert_eq!(p.environment_id, PRODUCTION_ENV);
    assert_eq!(p.environment, "production");
    assert!(p.current_user_can_approve);
    assert!(
        p.reviewers.iter().any(|r| r == "alice"),
        "{:?}",
        p.reviewers
    );

    api.review_deployments(REPO, id, &[p.environment_id], true, "Ship it!")
        .await
        .unwrap();
    let done = wait_for(&api, id, "completed", |r| r.status == RunStatus::Completed).await;
    assert_eq!(done.conclusion, Some(Conclusion::Success));
    assert!(api.pending_deployments(REPO, id).await.unwrap().is_empty());
}

#[tokio::test]
async fn rejecting_a_production_deploy_fails_it() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let id = waiting_production_deploy(&api).await;
    api.review_deployments(REPO, id, &[PRODUCTION_ENV], false, "Not during the freeze")
        .await
        .unwrap();
    let done = wait_for(&api, id, "completed", |r| r.status == RunStatus::Completed).await;
    assert_eq!(done.conclusion, Some(Conclusion::Failure));
    // Nothing is waiting any more: a second review is GitHub's 422, verbatim.
    let err = api
        .review_deployments(REPO, id, &[PRODUCTION_ENV], true, "")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GitHub said (422): No pending deployment requests to approve or reject"
    );
}

#[tokio::test]
async fn issues_comments_and_labels() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let created = api
        .create_issue(
            REPO,
            "Deploy lock: v2.4.0",
            "Locked by alice for the DB migration.",
            &["release-blocker".to_string()],
            Some(7),
        )
        .await
        .unwrap();
    assert_eq!(created.title, "Deploy lock: v2.4.0");
    assert_eq!(created.author.as_deref(), Some("alice"));
    assert_eq!(created.labels, vec!["release-blocker".to_string()]);
    let n = created.number;
    let in_milestone = api.milestone_issues(REPO, 7, None).await.unwrap();
    assert!(in_milestone.iter().any(|i| i.number == n));

    api.add_labels(REPO, n, &["phase:deploy".to_string(), "risk".to_string()])
        .await
        .unwrap();
    let labelled = api.issue(REPO, n).await.unwrap();
    for l in ["release-blocker", "phase:deploy", "risk"] {
        assert!(labelled.has_label(l), "{l} in {:?}", labelled.labels);
    }
    api.remove_label(REPO, n, "phase:deploy").await.unwrap();
    let unlabelled = api.issue(REPO, n).await.unwrap();
    assert!(!unlabelled.has_label("phase:deploy") && unlabelled.has_label("risk"));
    assert!(
        sent(&sim, &http::Method::DELETE, "/labels/")
            .iter()
            .any(|(p, _)| p.ends_with("/labels/phase%3Adeploy")),
        "the label name is escaped in the path"
    );
    // Removing a label the issue lacks is GitHub's 404, which is the wanted state.
    let again = api.remove_label(REPO, n, "phase:deploy").await.unwrap();
    assert_eq!(again.reply.status, 404);
    let last = api.drain_writes().pop().unwrap();
    assert_eq!(
        (last.status, last.outcome.as_str()),
        (Some(404), "404 Not Found (already so)")
    );

    let comment = api
        .create_comment(REPO, n, "Lock taken: migration 0042.")
        .await
        .unwrap();
    assert_eq!(comment.author.as_deref(), Some("alice"));
    assert_eq!(comment.body, "Lock taken: migration 0042.");
    assert!(
        comment
            .html_url
            .contains(&format!("#issuecomment-{}", comment.id))
    );
    let all = api.comments(REPO, n).await.unwrap();
    assert_eq!(all, vec![comment]);
}

#[tokio::test]
async fn comments_across_pages_are_all_fetched() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let expected = sim.with_world(|w| {
        let repo = w.repo_mut(REPO).unwrap();
        let issue = repo.issue_mut(200).unwrap();
        let now = Utc::now();
        for k in 0..150u64 {
            issue.comments.push(shipdeck::sim::Comment {
                id: 8_800_000 + k,
                author: "bob".into(),
                body: format!("note {k}"),
                created_at: now,
                updated_at: now,
            });
        }
        issue.comments.len()
    });
    let all = api.comments(REPO, 200).await.unwrap();
    assert_eq!(all.len(), expected);
    assert_eq!(all.last().unwrap().body, "note 149");
    let pages = sent(&sim, &http::Method::GET, "/issues/200/comments");
    assert!(pages.len() >= 2, "{pages:?}");
}

#[tokio::test]
async fn file_at_reads_the_workflow_at_a_ref() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let text = api
        .file_at(REPO, ".github/workflows/deploy.yml", Some(BRANCH))
        .await
        .unwrap();
    assert!(text.starts_with("name: Deploy\n"), "{text}");
    assert!(
        text.contains("workflow_dispatch:") && text.contains("dry_run:"),
        "{text}"
    );
    let on_default = api
        .file_at(REPO, ".github/workflows/deploy.yml", None)
        .await
        .unwrap();
    assert!(on_default.contains("workflow_dispatch:"));
    let gets = sent(&sim, &http::Method::GET, "/contents/");
    assert!(
        gets[0]
            .0
            .ends_with("/contents/.github/workflows/deploy.yml?ref=release%2Fv2.4.0"),
        "{gets:?}"
    );

    let err = api
        .file_at(REPO, ".github/workflows/nope.yml", Some(BRANCH))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains(".github/workflows/nope.yml in acme/storefront at release/v2.4.0"),
        "{err}"
    );
    let err = api
        .file_at(REPO, ".github/workflows", Some(BRANCH))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[tokio::test]
async fn job_logs_of_the_failed_e2e_job() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    let jobs = api.run_jobs(REPO, RED_E2E).await.unwrap();
    let failed = jobs
        .iter()
        .find(|j| j.conclusion == Some(Conclusion::Failure))
        .expect("a failed job");
    let log = api.job_logs(REPO, failed.id).await.unwrap();
    assert!(
        log.contains("Error: Timed out 30000ms waiting for expect(locator).toHaveText(expected)"),
        "{log}"
    );
    assert!(log.contains("##[error]Process completed with exit code 1."));
    let hops: Vec<u16> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/logs"))
        .map(|r| r.status)
        .collect();
    assert_eq!(
        hops,
        vec![302, 200],
        "the API redirected and octocrab followed"
    );
}

#[tokio::test]
async fn drain_writes_lists_every_write_once() {
    let sim = common::demo_sim().await;
    let api = Writer::new(common::client(&sim));
    assert!(api.drain_writes().is_empty());
    // Reads are not writes, and an issue read before its PATCH must not make the PATCH
    // conditional (GitHub answers 400 to that).
    let issue = api.issue(REPO, 200).await.unwrap();
    api.create_comment(REPO, 200, "Go for staging.")
        .await
        .unwrap();
    api.add_labels(REPO, 200, &["phase:deploy".to_string()])
        .await
        .unwrap();
    api.remove_label(REPO, 200, "phase:deploy").await.unwrap();
    let body = issue.body.unwrap_or_default();
    api.update_issue_body(REPO, 200, &body).await.unwrap();
    let _ = api.cancel_run(REPO, RED_E2E).await.unwrap_err();

    let writes = api.drain_writes();
    let seen: Vec<(&str, &str, Option<u16>)> = writes
        .iter()
        .map(|w| (w.method.as_str(), w.path.as_str(), w.status))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "POST",
                "/repos/acme/storefront/issues/200/comments",
                Some(201)
            ),
            (
                "POST",
                "/repos/acme/storefront/issues/200/labels",
                Some(200)
            ),
            (
                "DELETE",
                "/repos/acme/storefront/issues/200/labels/phase%3Adeploy",
                Some(200)
            ),
            ("PATCH", "/repos/acme/storefront/issues/200", Some(200)),
            (
                "POST",
                "/repos/acme/storefront/actions/runs/9000000023/cancel",
                Some(409)
            ),
        ]
    );
    assert_eq!(writes[0].outcome, "201 Created");
    assert_eq!(writes[3].outcome, "200 OK");
    assert!(
        writes[4]
            .outcome
            .contains("Cannot cancel a workflow run that is completed.")
    );
    assert!(writes.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(
        writes
            .iter()
            .all(|w| !format!("{w:?}").contains(sim.token())),
        "the token is never recorded"
    );
    assert!(api.drain_writes().is_empty(), "draining empties the record");
    let conditional_writes = sim
        .requests()
        .into_iter()
        .filter(|r| r.method != http::Method::GET && r.had_if_none_match)
        .count();
    assert_eq!(conditional_writes, 0);
}
