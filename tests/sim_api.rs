//! Behaviour of the GitHub simulator over real HTTP on loopback.

#[path = "sim_support/http.rs"]
mod http_client;

use std::time::{Duration, Instant};

use http_client::{Client, Resp, send, unbase64};
use serde_json::{Value, json};
use shipdeck::sim::{self, Fault, FaultKind, RunTiming, SimHandle, SimOptions};

const SF: &str = "/repos/acme/storefront";

async fn start_fast() -> (SimHandle, Client) {
    let mut opts = SimOptions::demo();
    opts.timing = RunTiming {
        queued: Duration::from_millis(50),
        per_step: Duration::from_millis(25),
    };
    let sim = sim::start(opts).await.expect("simulator starts");
    let client = Client::new(&sim.base_url(), sim.token());
    (sim, client)
}

async fn wait_for_run(c: &Client, repo: &str, id: u64, want: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let run = c.get(&format!("{repo}/actions/runs/{id}")).await.json();
        if run["status"] == want {
            return run;
        }
        assert!(
            Instant::now() < deadline,
            "run {id} never reached {want}: {run}"
        );
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

async fn dispatch(c: &Client, repo: &str, wf: &str, body: Value) -> Resp {
    c.post(&format!("{repo}/actions/workflows/{wf}/dispatches"), &body)
        .await
}

async fn dispatch_id(c: &Client, repo: &str, wf: &str, mut body: Value) -> u64 {
    body["return_run_details"] = json!(true);
    let r = dispatch(c, repo, wf, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["workflow_run_id"].as_u64().expect("run id")
}

#[tokio::test]
async fn auth_is_required() {
    let (sim, c) = start_fast().await;
    let r = send(&c.base, "GET", SF, &[], None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "Bad credentials");
    assert_eq!(
        r.json()["documentation_url"],
        "https://docs.github.com/rest"
    );
    let r = send(
        &c.base,
        "GET",
        SF,
        &[("Authorization", "Bearer wrong")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    let r = send(
        &c.base,
        "GET",
        SF,
        &[("Authorization", "token shipdeck-demo")],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["full_name"], "acme/storefront");
    assert_eq!(r.json()["default_branch"], "main");
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_things_are_404() {
    let (sim, c) = start_fast().await;
    for path in [
        "/repos/acme/nope",
        "/repos/acme/storefront/issues/99999",
        "/repos/acme/storefront/milestones/99",
        "/repos/acme/storefront/actions/runs/1",
        "/repos/acme/storefront/labels/nope",
        "/nothing/here",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["message"], "Not Found");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn issues_paginate_with_github_link_headers() {
    let (sim, c) = start_fast().await;
    let expected = sim.with_world(|w| {
        w.repo("acme/storefront")
            .expect("storefront")
            .issues
            .iter()
            .filter(|i| i.milestone == Some(7))
            .count()
    });
    assert_eq!(expected, 29);
    let q = "milestone=7&state=all&per_page=10";
    let url = |p: u32| format!("<{}{SF}/issues?{q}&page={p}>", c.base);
    let r1 = c.get(&format!("{SF}/issues?{q}")).await;
    assert_eq!(r1.status, 200);
    assert_eq!(
        r1.header("link"),
        Some(format!("{}; rel=\"next\", {}; rel=\"last\"", url(2), url(3)).as_str())
    );
    let r2 = c.get(&format!("{SF}/issues?{q}&page=2")).await;
    assert_eq!(
        r2.header("link"),
        Some(
            format!(
                "{}; rel=\"prev\", {}; rel=\"next\", {}; rel=\"last\", {}; rel=\"first\"",
                url(1),
                url(3),
                url(3),
                url(1)
            )
            .as_str()
        )
    );
    let r3 = c.get(&format!("{SF}/issues?{q}&page=3")).await;
    assert_eq!(
        r3.header("link"),
        Some(format!("{}; rel=\"prev\", {}; rel=\"first\"", url(2), url(1)).as_str())
    );
    let mut numbers: Vec<u64> = [r1, r2, r3]
        .iter()
        .flat_map(|r| r.json().as_array().expect("array").clone())
        .map(|i| i["number"].as_u64().expect("number"))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 29);
    // Everything on one page: no Link header.
    let r = c
        .get(&format!("{SF}/issues?milestone=7&state=all&per_page=100"))
        .await;
    assert_eq!(r.header("link"), None);
    assert_eq!(r.json().as_array().map(Vec::len), Some(29));
    sim.shutdown().await;
}

#[tokio::test]
async fn issue_filters_and_pull_requests() {
    let (sim, c) = start_fast().await;
    let list = |q: &str| {
        let c = c.clone();
        let q = q.to_owned();
        async move { c.get(&format!("{SF}/issues?{q}")).await.json() }
    };
    let blockers = list("labels=release-blocker").await;
    assert_eq!(blockers.as_array().map(Vec::len), Some(1));
    assert_eq!(blockers[0]["number"], 255);
    let risks = list("labels=risk,impact:5&state=all").await;
    assert_eq!(risks.as_array().map(Vec::len), Some(1));
    assert_eq!(risks[0]["number"], 250);
    let checklist = list("labels=release-checklist&milestone=7").await;
    assert_eq!(checklist[0]["number"], 200);
    assert!(
        checklist[0]["body"]
            .as_str()
            .expect("body")
            .contains("## Deploy")
    );
    let prs: Vec<Value> = list("milestone=7&state=all&per_page=100")
        .await
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i.get("pull_request").is_some())
        .cloned()
        .collect();
    assert!(prs.len() >= 5);
    assert!(prs.iter().any(|p| p["draft"] == true));
    let none = list("milestone=none&state=all").await;
    assert!(
        none.as_array()
            .expect("array")
            .iter()
            .all(|i| i["milestone"].is_null())
    );
    let bad = c.get(&format!("{SF}/issues?state=bogus")).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"][0]["field"], "state");
    // since= filters on updated_at.
    let future = (chrono::Utc::now() + chrono::TimeDelta::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    assert_eq!(
        list(&format!("since={future}"))
            .await
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    // Milestones: open by due date puts v2.4.0 first, with counts.
    let ms = c.get(&format!("{SF}/milestones")).await.json();
    assert_eq!(ms[0]["title"], "v2.4.0");
    assert_eq!(ms[1]["title"], "v2.5.0");
    assert!(ms[0]["open_issues"].as_u64().expect("count") > 10);
    sim.shutdown().await;
}

#[tokio::test]
async fn etag_gives_304_that_costs_nothing() {
    let (sim, c) = start_fast().await;
    let path = format!("{SF}/issues/200");
    let first = c.get(&path).await;
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("etag").to_owned();
    assert!(etag.starts_with("W/\""));
    assert_eq!(
        first.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let remaining: u32 = first
        .header("x-ratelimit-remaining")
        .expect("rate")
        .parse()
        .expect("n");
    assert_eq!(first.header("x-ratelimit-limit"), Some("5000"));
    assert_eq!(first.header("x-ratelimit-resource"), Some("core"));
    let again = c.get_with(&path, &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(
        again.header("x-ratelimit-remaining"),
        Some(remaining.to_string().as_str())
    );
    assert_eq!(sim.rate_remaining(), remaining);
    // Another client edits the body: the ETag no longer matches.
    sim.set_issue_body("acme/storefront", 200, "changed elsewhere");
    let changed = c.get_with(&path, &[("If-None-Match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_eq!(changed.json()["body"], "changed elsewhere");
    assert_eq!(sim.rate_remaining(), remaining - 1);
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 3);
    assert!(recorded[1].had_if_none_match);
    assert_eq!(recorded[1].status, 304);
    // /rate_limit is not counted.
    let rl = c.get("/rate_limit").await.json();
    assert_eq!(rl["resources"]["core"]["remaining"], remaining - 1);
    assert_eq!(rl["rate"]["limit"], 5000);
    assert_eq!(sim.rate_remaining(), remaining - 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn issue_writes() {
    let (sim, c) = start_fast().await;
    let path = format!("{SF}/issues/200");
    let before = c.get(&path).await.json();
    let body = before["body"].as_str().expect("body").replacen(
        "- [ ] Support team briefed",
        "- [x] Support team briefed",
        1,
    );
    let r = c.patch(&path, &json!({"body": body})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["body"], body);
    assert!(r.json()["updated_at"].as_str() > before["updated_at"].as_str());
    assert_eq!(
        sim.issue_body("acme/storefront", 200).as_deref(),
        Some(body.as_str())
    );
    // Too long.
    let r = c.patch(&path, &json!({"body": "x".repeat(65_537)})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["errors"][0]["message"],
        "body is too long (maximum is 65536 characters)"
    );
    // Conditional headers on writes are refused.
    let r = send(
        &c.base,
        "PATCH",
        &path,
        &[
            ("Authorization", "Bearer shipdeck-demo"),
            ("If-Match", "\"x\""),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(r.status, 400);
    // Close with a reason, replace labels (creating a new one).
    let r = c.patch(&format!("{SF}/issues/232"), &json!({"state": "closed", "state_reason": "completed", "labels": ["phase:prepare", "cdn"]})).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["state"], "closed");
    assert_eq!(v["closed_by"]["login"], "alice");
    assert_eq!(v["labels"][1]["name"], "cdn");
    assert_eq!(c.get(&format!("{SF}/labels/cdn")).await.status, 200);
    // Create, comment, add and remove labels.
    let r = c.post(&format!("{SF}/issues"), &json!({"title": "Deploy lock", "body": "locked", "labels": ["phase:deploy"], "milestone": 7})).await;
    assert_eq!(r.status, 201);
    let n = r.json()["number"].as_u64().expect("number");
    assert_eq!(r.json()["milestone"]["title"], "v2.4.0");
    assert_eq!(
        c.post(&format!("{SF}/issues"), &json!({"body": "no title"}))
            .await
            .status,
        422
    );
    let r = c
        .post(
            &format!("{SF}/issues/{n}/comments"),
            &json!({"body": "Locked by alice"}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["user"]["login"], "alice");
    let comments = c.get(&format!("{SF}/issues/{n}/comments")).await.json();
    assert_eq!(comments.as_array().map(Vec::len), Some(1));
    let r = c
        .post(
            &format!("{SF}/issues/{n}/labels"),
            &json!({"labels": ["release-blocker"]}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json().as_array().map(Vec::len), Some(2));
    let r = c
        .delete(&format!("{SF}/issues/{n}/labels/phase%3Adeploy"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()[0]["name"], "release-blocker");
    let r = c
        .delete(&format!("{SF}/issues/{n}/labels/phase%3Adeploy"))
        .await;
    assert_eq!(r.status, 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn contents_serve_workflow_files() {
    let (sim, c) = start_fast().await;
    let r = c
        .get(&format!(
            "{SF}/contents/.github/workflows/deploy.yml?ref=release/v2.4.0"
        ))
        .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["encoding"], "base64");
    let content = v["content"].as_str().expect("content");
    assert!(content.lines().all(|l| l.len() <= 60));
    let text = String::from_utf8(unbase64(content)).expect("utf8");
    assert!(text.contains("workflow_dispatch"));
    assert_eq!(v["size"].as_u64(), Some(text.len() as u64));
    let dir = c
        .get(&format!("{SF}/contents/.github/workflows"))
        .await
        .json();
    assert_eq!(dir.as_array().map(Vec::len), Some(4));
    assert_eq!(
        c.get(&format!(
            "{SF}/contents/.github/workflows/deploy.yml?ref=nope"
        ))
        .await
        .status,
        404
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn workflows_and_run_history() {
    let (sim, c) = start_fast().await;
    let wfs = c.get(&format!("{SF}/actions/workflows")).await.json();
    assert_eq!(wfs["total_count"], 4);
    let deploy = c
        .get(&format!("{SF}/actions/workflows/deploy.yml"))
        .await
        .json();
    assert_eq!(deploy["name"], "Deploy");
    let runs = c
        .get(&format!(
            "{SF}/actions/workflows/deploy.yml/runs?status=success"
        ))
        .await
        .json();
    assert_eq!(
        runs["workflow_runs"][0]["display_title"],
        "Deploy v2.4.0-rc.2 to staging"
    );
    let all = c
        .get(&format!("{SF}/actions/runs?per_page=100"))
        .await
        .json();
    let times: Vec<&str> = all["workflow_runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| r["created_at"].as_str().expect("t"))
        .collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let red = c
        .get(&format!(
            "{SF}/actions/runs?branch=release/v2.4.0&status=failure"
        ))
        .await
        .json();
    assert_eq!(red["total_count"], 1);
    assert_eq!(red["workflow_runs"][0]["id"], 9_000_000_023u64);
    let live = c
        .get(&format!("{SF}/actions/runs?status=in_progress"))
        .await
        .json();
    assert_eq!(live["workflow_runs"][0]["id"], 9_000_000_026u64);
    let cancelled = c
        .get(&format!("{SF}/actions/runs?status=cancelled"))
        .await
        .json();
    assert_eq!(cancelled["total_count"], 1);
    let since = (chrono::Utc::now() - chrono::TimeDelta::hours(4)).format("%Y-%m-%dT%H:%M:%SZ");
    let recent = c
        .get(&format!("{SF}/actions/runs?created=%3E%3D{since}"))
        .await
        .json();
    assert_eq!(recent["total_count"], 3);
    assert_eq!(
        c.get(&format!("{SF}/actions/runs?created=soon"))
            .await
            .status,
        422
    );
    // Jobs, steps and a failing job's log.
    let jobs = c
        .get(&format!("{SF}/actions/runs/9000000023/jobs"))
        .await
        .json();
    let e2e = &jobs["jobs"][0];
    assert_eq!(e2e["conclusion"], "failure");
    let failed_step = e2e["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["conclusion"] == "failure")
        .expect("failed step");
    assert_eq!(failed_step["name"], "Run Playwright tests");
    assert_eq!(jobs["jobs"][1]["conclusion"], "skipped");
    let job_id = e2e["id"].as_u64().expect("id");
    let r = c.get(&format!("{SF}/actions/jobs/{job_id}/logs")).await;
    assert_eq!(r.status, 302);
    let location = r.header("location").expect("location").to_owned();
    let path = location.strip_prefix(&c.base).expect("sim URL");
    let log = send(&c.base, "GET", path, &[], None).await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("applies promo code"));
    assert!(
        log.body
            .contains("##[error]Process completed with exit code 1.")
    );
    let first = log.body.lines().next().expect("line");
    assert_eq!(&first[19..20], ".");
    assert_eq!(&first[27..29], "Z ");
    sim.shutdown().await;
}

#[tokio::test]
async fn dispatch_answers_204_or_run_details_and_the_run_progresses() {
    let (sim, c) = start_fast().await;
    let r = dispatch(
        &c,
        SF,
        "deploy.yml",
        json!({"ref": "release/v2.4.0", "inputs": {"version": "v2.4.0-rc.3"}}),
    )
    .await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let r = dispatch(&c, SF, "61000103", json!({"ref": "release/v2.4.0", "inputs": {"version": "v2.4.0-rc.3", "environment": "staging", "dry_run": true}, "return_run_details": true})).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let id = v["workflow_run_id"].as_u64().expect("id");
    assert_eq!(v["run_url"], format!("{}{SF}/actions/runs/{id}", c.base));
    assert_eq!(
        v["html_url"],
        format!("{}/acme/storefront/actions/runs/{id}", c.base)
    );
    let run = c.get(&format!("{SF}/actions/runs/{id}")).await.json();
    assert_eq!(run["status"], "queued");
    assert_eq!(run["event"], "workflow_dispatch");
    assert_eq!(run["actor"]["login"], "alice");
    assert_eq!(run["head_branch"], "release/v2.4.0");
    assert_eq!(run["display_title"], "Deploy v2.4.0-rc.3 to staging");
    let head = sim.with_world(|w| {
        w.repo("acme/storefront").expect("repo").branches["release/v2.4.0"]
            .sha
            .clone()
    });
    assert_eq!(run["head_sha"], head);
    assert_eq!(
        sim.with_world(|w| w.run(id).expect("run").inputs["dry_run"].clone()),
        "true"
    );
    wait_for_run(&c, SF, id, "in_progress").await;
    let done = wait_for_run(&c, SF, id, "completed").await;
    assert_eq!(done["conclusion"], "success");
    let jobs = c.get(&format!("{SF}/actions/runs/{id}/jobs")).await.json();
    assert_eq!(jobs["total_count"], 2);
    assert_eq!(jobs["jobs"][0]["name"], "Deploy to staging");
    for job in jobs["jobs"].as_array().expect("jobs") {
        assert_eq!(job["conclusion"], "success");
        assert!(
            job["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .all(|s| s["conclusion"] == "success")
        );
    }
    // The polling fallback finds it by event, branch, actor and created.
    let since = (chrono::Utc::now() - chrono::TimeDelta::minutes(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let found = c.get(&format!("{SF}/actions/workflows/deploy.yml/runs?event=workflow_dispatch&branch=release/v2.4.0&actor=alice&created=%3E%3D{since}")).await.json();
    assert_eq!(found["total_count"], 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn dispatch_validation_errors() {
    let (sim, c) = start_fast().await;
    let cases = [
        (
            "deploy.yml",
            json!({"ref": "release/v2.4.0"}),
            "Required input 'version' not provided",
        ),
        (
            "deploy.yml",
            json!({"ref": "main", "inputs": {"version": "v1", "foo": "x"}}),
            "Unexpected inputs provided: [\"foo\"]",
        ),
        (
            "deploy.yml",
            json!({"ref": "main", "inputs": {"version": "v1", "environment": "prod"}}),
            "Provided value 'prod' for input 'environment' not in the list of allowed values",
        ),
        (
            "deploy.yml",
            json!({"ref": "main", "inputs": {"version": "v1", "dry_run": "yes"}}),
            "Provided value 'yes' for input 'dry_run' is not a valid boolean",
        ),
        (
            "deploy.yml",
            json!({"ref": "nope", "inputs": {"version": "v1"}}),
            "No ref found for: nope",
        ),
        (
            "deploy.yml",
            json!({"inputs": {"version": "v1"}}),
            "Invalid request.\n\n\"ref\" wasn't supplied.",
        ),
        (
            "ci.yml",
            json!({"ref": "main"}),
            "Workflow does not have 'workflow_dispatch' trigger",
        ),
    ];
    for (wf, body, message) in cases {
        let r = dispatch(&c, SF, wf, body.clone()).await;
        assert_eq!(r.status, 422, "{body}");
        assert_eq!(r.json()["message"], message, "{body}");
    }
    assert_eq!(
        dispatch(&c, SF, "nope.yml", json!({"ref": "main"}))
            .await
            .status,
        404
    );
    // Tags work as refs; head_branch is the tag name.
    let id = dispatch_id(
        &c,
        SF,
        "deploy.yml",
        json!({"ref": "v2.3.0", "inputs": {"version": "v2.3.0"}}),
    )
    .await;
    assert_eq!(
        c.get(&format!("{SF}/actions/runs/{id}")).await.json()["head_branch"],
        "v2.3.0"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn legacy_dispatch_rejects_return_run_details() {
    let (sim, c) = start_fast().await;
    sim.with_world(|w| w.legacy_dispatch = true);
    let body = json!({"ref": "main", "inputs": {"version": "v2.4.0"}, "return_run_details": true});
    let r = dispatch(&c, SF, "deploy.yml", body).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "Invalid request.\n\n\"return_run_details\" is not a permitted key."
    );
    let r = dispatch(
        &c,
        SF,
        "deploy.yml",
        json!({"ref": "main", "inputs": {"version": "v2.4.0"}}),
    )
    .await;
    assert_eq!(r.status, 204);
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_rerun_and_failures() {
    let (sim, c) = start_fast().await;
    let r = c
        .post(&format!("{SF}/actions/runs/9000000021/cancel"), &json!({}))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json()["message"],
        "Cannot cancel a workflow run that is completed."
    );
    assert_eq!(
        c.post(
            &format!("{SF}/actions/runs/9000000021/force-cancel"),
            &json!({})
        )
        .await
        .status,
        409
    );
    let r = c
        .post(&format!("{SF}/actions/runs/9000000026/cancel"), &json!({}))
        .await;
    assert_eq!(r.status, 202);
    let run = c.get(&format!("{SF}/actions/runs/9000000026")).await.json();
    assert_eq!(
        (run["status"].as_str(), run["conclusion"].as_str()),
        (Some("completed"), Some("cancelled"))
    );
    // Re-run only the failed jobs of the red e2e run: a new attempt that passes.
    let r = c
        .post(
            &format!("{SF}/actions/runs/9000000023/rerun-failed-jobs"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 201);
    let run = c.get(&format!("{SF}/actions/runs/9000000023")).await.json();
    assert_eq!(run["run_attempt"], 2);
    let done = wait_for_run(&c, SF, 9_000_000_023, "completed").await;
    assert_eq!(done["conclusion"], "success");
    // fail_next makes the next run fail.
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/storefront").expect("repo");
        repo.workflows
            .iter_mut()
            .find(|x| x.path.ends_with("rollback.yml"))
            .expect("wf")
            .fail_next = true;
    });
    let id = dispatch_id(
        &c,
        SF,
        "rollback.yml",
        json!({"ref": "main", "inputs": {"environment": "staging", "version": "v2.4.0-rc.1"}}),
    )
    .await;
    let done = wait_for_run(&c, SF, id, "completed").await;
    assert_eq!(done["conclusion"], "failure");
    assert_eq!(
        c.post(&format!("{SF}/actions/runs/{id}/rerun"), &json!({}))
            .await
            .status,
        201
    );
    assert_eq!(
        wait_for_run(&c, SF, id, "completed").await["conclusion"],
        "success"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn production_deploy_waits_for_review() {
    let (sim, c) = start_fast().await;
    let body = json!({"ref": "release/v2.4.0", "inputs": {"environment": "production", "version": "v2.4.0"}});
    let id = dispatch_id(&c, SF, "deploy.yml", body.clone()).await;
    assert!(
        c.get(&format!("{SF}/actions/runs/{id}/pending_deployments"))
            .await
            .json()
            .as_array()
            .is_some()
    );
    wait_for_run(&c, SF, id, "waiting").await;
    let pending = c
        .get(&format!("{SF}/actions/runs/{id}/pending_deployments"))
        .await
        .json();
    assert_eq!(pending[0]["environment"]["name"], "production");
    assert_eq!(pending[0]["current_user_can_approve"], true);
    let env_id = pending[0]["environment"]["id"].as_u64().expect("env id");
    let jobs = c.get(&format!("{SF}/actions/runs/{id}/jobs")).await.json();
    assert_eq!(jobs["jobs"][0]["status"], "waiting");
    let r = c
        .post(
            &format!("{SF}/actions/runs/{id}/pending_deployments"),
            &json!({"environment_ids": [env_id], "state": "approved", "comment": "go"}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()[0]["environment"], "production");
    let done = wait_for_run(&c, SF, id, "completed").await;
    assert_eq!(done["conclusion"], "success");
    // Rejected: the run fails; a second review finds nothing pending.
    let id = dispatch_id(&c, SF, "deploy.yml", body).await;
    wait_for_run(&c, SF, id, "waiting").await;
    let review = json!({"environment_ids": [env_id], "state": "rejected", "comment": "not today"});
    assert_eq!(
        c.post(
            &format!("{SF}/actions/runs/{id}/pending_deployments"),
            &review
        )
        .await
        .status,
        200
    );
    let done = wait_for_run(&c, SF, id, "completed").await;
    assert_eq!(done["conclusion"], "failure");
    assert_eq!(
        c.post(
            &format!("{SF}/actions/runs/{id}/pending_deployments"),
            &review
        )
        .await
        .status,
        422
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_faults() {
    let (sim, c) = start_fast().await;
    let path = format!("{SF}/issues?milestone=7");
    sim.inject(Fault {
        method: None,
        path_contains: "/issues?".into(),
        kind: FaultKind::Status(503),
        times: 1,
    });
    let r = c.get(&path).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["message"], "Service Unavailable");
    assert_eq!(c.get(&path).await.status, 200);
    sim.inject(Fault {
        method: Some(http::Method::GET),
        path_contains: "/milestones".into(),
        kind: FaultKind::SecondaryRateLimit,
        times: 1,
    });
    let r = c.get(&format!("{SF}/milestones")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.header("retry-after"), Some("60"));
    assert!(
        r.json()["message"]
            .as_str()
            .expect("msg")
            .contains("secondary rate limit")
    );
    sim.inject(Fault {
        method: None,
        path_contains: "/labels".into(),
        kind: FaultKind::Malformed,
        times: 1,
    });
    let r = c.get(&format!("{SF}/labels")).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    sim.inject(Fault {
        method: None,
        path_contains: "/actions/workflows".into(),
        kind: FaultKind::Delay(Duration::from_millis(200)),
        times: 1,
    });
    let t = Instant::now();
    assert_eq!(c.get(&format!("{SF}/actions/workflows")).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(200));
    // Method filter: a POST fault does not hit GETs.
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/issues".into(),
        kind: FaultKind::Status(500),
        times: 2,
    });
    assert_eq!(c.get(&path).await.status, 200);
    assert_eq!(
        c.post(&format!("{SF}/issues"), &json!({"title": "x"}))
            .await
            .status,
        500
    );
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 200, 403, 200, 200, 200, 500]);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_runs_out() {
    let (sim, c) = start_fast().await;
    sim.with_world(|w| w.rate.used = 4_999);
    let r = c.get(SF).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let r = c.get(SF).await;
    assert_eq!(r.status, 403);
    assert!(
        r.json()["message"]
            .as_str()
            .expect("msg")
            .starts_with("API rate limit exceeded")
    );
    assert_eq!(sim.rate_remaining(), 0);
    assert_eq!(c.get("/rate_limit").await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_push_starts_ci_on_matching_branches() {
    let (sim, c) = start_fast().await;
    let timing = RunTiming {
        queued: Duration::from_millis(20),
        per_step: Duration::from_millis(5),
    };
    let now = chrono::Utc::now();
    let ids = sim
        .with_world(|w| {
            w.push_commit(
                "acme/storefront",
                "release/v2.4.0",
                "Fix discontinued SKU restore (#257)",
                "carol",
                now,
                timing,
            )
        })
        .expect("branch exists");
    // CI and E2E both run on release/**; on main only CI would.
    assert_eq!(ids.len(), 2);
    for id in &ids {
        let run = wait_for_run(&c, SF, *id, "completed").await;
        assert_eq!(run["event"], "push");
        assert_eq!(run["display_title"], "Fix discontinued SKU restore (#257)");
        assert_eq!(run["conclusion"], "success");
    }
    let head = c.get(&format!("{SF}/actions/runs/{}", ids[0])).await.json()["head_sha"].clone();
    let by_sha = c
        .get(&format!(
            "{SF}/actions/runs?head_sha={}",
            head.as_str().expect("sha")
        ))
        .await
        .json();
    assert_eq!(by_sha["total_count"], 2);
    assert_eq!(
        sim.with_world(|w| w.push_commit("acme/storefront", "nope", "x", "carol", now, timing)),
        None
    );
    let main =
        sim.with_world(|w| w.push_commit("acme/storefront", "main", "Docs", "carol", now, timing));
    assert_eq!(main.map(|v| v.len()), Some(1));
    // A disabled workflow cannot be dispatched.
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/storefront").expect("repo");
        repo.workflows
            .iter_mut()
            .find(|x| x.path.ends_with("deploy.yml"))
            .expect("wf")
            .state = "disabled_manually".to_owned();
    });
    let r = dispatch(
        &c,
        SF,
        "deploy.yml",
        json!({"ref": "main", "inputs": {"version": "v1"}}),
    )
    .await;
    assert_eq!(r.status, 422);
    sim.shutdown().await;
}
