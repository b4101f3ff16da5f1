//! Older GitHub and GitHub Enterprise Server answers: fields shipdeck does not need may be
//! missing (or null), and neither a single decode nor a whole refresh may fail for it. The
//! payloads are the simulator's own answers with the optional fields taken out, and a whole
//! refresh runs through the simulator reshaping its answers the same way.

mod common;
#[path = "sim_support/http.rs"]
mod http_client;

use serde_json::{Value, json};
use shipdeck::github::dto::{
    CommentDto, ContentFileDto, IssueDto, JobDto, MilestoneDto, PendingDeploymentDto, RunDto,
    WorkflowDto,
};
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::sim::{Fault, FaultKind, Reshape, SimHandle};

const REPO: &str = "acme/storefront";

async fn get(sim: &SimHandle, path: &str) -> Value {
    let auth = format!("Bearer {}", sim.token());
    let resp = http_client::send(
        &sim.base_url(),
        "GET",
        path,
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(resp.status, 200, "{path}: {}", resp.body);
    resp.json()
}

/// `v` with only `keys` left: what the oldest server could send and shipdeck must accept.
fn only(v: &Value, keys: &[&str]) -> Value {
    let object = v.as_object().expect("an object");
    Value::Object(
        object
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect(),
    )
}

fn first(v: &Value) -> &Value {
    v.as_array()
        .and_then(|a| a.first())
        .expect("a non-empty list")
}

#[tokio::test]
async fn every_wire_type_decodes_with_only_its_ids_and_numbers() {
    let sim = common::demo_sim().await;

    let milestones = get(&sim, &format!("/repos/{REPO}/milestones?state=all")).await;
    let m: MilestoneDto = serde_json::from_value(only(first(&milestones), &["number", "title"]))
        .expect("a milestone with number and title only");
    let m = shipdeck::release::Milestone::from(m);
    assert_eq!((m.open_issues, m.closed_issues), (0, 0));
    assert_eq!(m.html_url, "");

    let issues = get(
        &sim,
        &format!("/repos/{REPO}/issues?milestone=7&state=all&per_page=100"),
    )
    .await;
    let i: IssueDto = serde_json::from_value(only(first(&issues), &["number"]))
        .expect("an issue with its number only");
    let i = i.into_issue(REPO);
    assert!(!i.is_pull_request && i.labels.is_empty() && i.assignees.is_empty());
    assert_eq!(i.state, shipdeck::release::State::Open);

    let runs = get(
        &sim,
        &format!("/repos/{REPO}/actions/workflows/deploy.yml/runs?per_page=5"),
    )
    .await;
    let run = first(&runs["workflow_runs"]);
    let r: RunDto = serde_json::from_value(only(run, &["id", "run_number"]))
        .expect("a run with id and run number only");
    let r = r.into_run(REPO);
    assert_eq!(r.display_title, "", "nothing to name it by");
    assert_eq!(r.run_attempt, 1);
    assert_eq!(r.status, shipdeck::release::RunStatus::Unknown);

    let jobs = get(&sim, &format!("/repos/{REPO}/actions/runs/9000000023/jobs")).await;
    let mut job = only(first(&jobs["jobs"]), &["id", "run_id", "steps"]);
    job["steps"] = Value::Array(
        job["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| only(s, &["number"]))
            .collect(),
    );
    let j: JobDto = serde_json::from_value(job).expect("a job with ids and step numbers only");
    let j = shipdeck::release::Job::from(j);
    assert!(!j.steps.is_empty());
    let j: JobDto = serde_json::from_value(only(first(&jobs["jobs"]), &["id", "run_id"]))
        .expect("a job without steps");
    assert!(shipdeck::release::Job::from(j).steps.is_empty());

    let workflows = get(&sim, &format!("/repos/{REPO}/actions/workflows")).await;
    let w: WorkflowDto =
        serde_json::from_value(only(first(&workflows["workflows"]), &["id", "path"]))
            .expect("a workflow with id and path only");
    let w = shipdeck::release::Workflow::from(w);
    assert_eq!(w.name, w.file(), "the file names a workflow without a name");

    let file = get(
        &sim,
        &format!("/repos/{REPO}/contents/.github/workflows/deploy.yml?ref=main"),
    )
    .await;
    let f: ContentFileDto =
        serde_json::from_value(only(&file, &["content"])).expect("a file with its content only");
    assert_eq!((f.kind.as_str(), f.encoding.as_str()), ("file", "base64"));

    let auth = format!("Bearer {}", sim.token());
    let posted = http_client::send(
        &sim.base_url(),
        "POST",
        &format!("/repos/{REPO}/issues/200/comments"),
        &[("Authorization", &auth)],
        Some(r#"{"body":"hello"}"#),
    )
    .await;
    assert_eq!(posted.status, 201);
    let c: CommentDto =
        serde_json::from_value(only(&posted.json(), &["id"])).expect("a comment with its id only");
    let c = shipdeck::release::Comment::from(c);
    assert_eq!((c.body.as_str(), c.author), ("", None));

    let p: PendingDeploymentDto =
        serde_json::from_value(json!({"environment": {"name": "production"}}))
            .expect("a pending deployment without timer, approval flag or reviewers");
    let p = shipdeck::release::PendingDeployment::from(p);
    assert_eq!(p.environment, "production");
    assert!(!p.current_user_can_approve);
}

#[tokio::test]
async fn a_run_without_display_title_is_named_by_its_commit_or_its_workflow() {
    let sim = common::demo_sim().await;
    let runs = get(
        &sim,
        &format!("/repos/{REPO}/actions/workflows/ci.yml/runs?per_page=5"),
    )
    .await;
    let run = first(&runs["workflow_runs"]).clone();
    let message = run["head_commit"]["message"]
        .as_str()
        .expect("a commit message")
        .to_string();
    let mut older = run.clone();
    older
        .as_object_mut()
        .expect("object")
        .remove("display_title");
    let r: RunDto = serde_json::from_value(older.clone()).expect("a run without display_title");
    assert_eq!(
        r.into_run(REPO).display_title,
        message.lines().next().expect("a first line"),
        "the head commit's first line"
    );
    older["head_commit"] = Value::Null;
    let r: RunDto = serde_json::from_value(older).expect("a run without a head commit");
    assert_eq!(
        r.into_run(REPO).display_title,
        run["name"].as_str().expect("a name")
    );
}

#[tokio::test]
async fn pull_requests_are_known_by_a_non_null_url() {
    let sim = common::demo_sim().await;
    let issues = get(
        &sim,
        &format!("/repos/{REPO}/issues?milestone=7&state=all&per_page=100"),
    )
    .await;
    let pr = issues
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["pull_request"].is_object())
        .expect("the demo has pull requests")
        .clone();
    let decode = |v: Value| {
        serde_json::from_value::<IssueDto>(v)
            .expect("decodes")
            .into_issue(REPO)
            .is_pull_request
    };
    assert!(decode(pr.clone()), "a pull request as GitHub sends it");
    let mut v = pr.clone();
    v["pull_request"] = Value::Null;
    assert!(!decode(v), "\"pull_request\": null is an issue");
    let mut v = pr.clone();
    v["pull_request"]["url"] = Value::Null;
    assert!(
        !decode(v),
        "\"pull_request\": {{\"url\": null}} is an issue"
    );
    let mut v = pr.clone();
    v["pull_request"] = json!({});
    assert!(!decode(v), "\"pull_request\": {{}} is an issue");
    let mut v = pr;
    v.as_object_mut().expect("object").remove("pull_request");
    assert!(!decode(v), "no pull_request key: an issue");
}

/// The fields GitHub Enterprise Server and older API versions may leave out.
fn older_shape() -> Reshape {
    Reshape {
        omit: [
            "display_title",
            "html_url",
            "run_attempt",
            "run_started_at",
            "workflow_id",
            "head_branch",
            "event",
            "actor",
            "description",
            "due_on",
            "open_issues",
            "closed_issues",
            "closed_at",
            "assignees",
            "user",
            "steps",
            "wait_timer",
            "current_user_can_approve",
        ]
        .map(String::from)
        .to_vec(),
        null: vec!["pull_request.url".into()],
    }
}

#[tokio::test]
async fn a_whole_refresh_survives_older_payloads() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let now = chrono::Utc::now();
    let plan = common::demo_plan();
    let modern = fetch_snapshot(api.as_ref(), &plan, now)
        .await
        .expect("the normal refresh");

    sim.inject(Fault {
        method: None,
        path_contains: String::new(),
        kind: FaultKind::Reshape(older_shape()),
        times: 0,
    });
    let older = fetch_snapshot(common::client(&sim).as_ref(), &plan, now)
        .await
        .expect("a refresh of older payloads succeeds");

    assert_eq!(older.milestone, modern.milestone);
    let issues = |s: &shipdeck::release::Snapshot| -> Vec<(String, u64)> {
        let mut v: Vec<_> = s
            .repos
            .iter()
            .flat_map(|r| r.issues.iter().map(|i| (i.repo.clone(), i.number)))
            .collect();
        v.sort();
        v
    };
    assert_eq!(issues(&older), issues(&modern), "every issue still there");
    assert!(
        older
            .repos
            .iter()
            .flat_map(|r| &r.issues)
            .all(|i| !i.is_pull_request),
        "a null pull_request.url makes no pull request"
    );
    let runs = |s: &shipdeck::release::Snapshot| -> Vec<u64> {
        s.repos
            .iter()
            .flat_map(|r| r.workflows.iter().flat_map(|w| w.runs.iter().map(|r| r.id)))
            .collect()
    };
    assert_eq!(runs(&older), runs(&modern), "every run still there");
    for (old, new) in older
        .repos
        .iter()
        .flat_map(|r| r.workflows.iter().flat_map(|w| &w.runs))
        .zip(
            modern
                .repos
                .iter()
                .flat_map(|r| r.workflows.iter().flat_map(|w| &w.runs)),
        )
    {
        assert!(!old.display_title.is_empty(), "run {} has a title", old.id);
        assert_eq!(old.status, new.status);
        assert_eq!(old.conclusion, new.conclusion);
    }
    assert!(
        older.tracking.is_some(),
        "the tracking issue is still found"
    );
}
