//! The simulator as several people see it: tokens mapped to logins, `GET /user`, comments
//! by their authors (and edits only by them), commit statuses and the demo's QA sign-off.

#[path = "sim_support/http.rs"]
mod http_client;

use std::time::Duration;

use http_client::{Client, send};
use serde_json::{Value, json};
use shipdeck::sim::{self, RunTiming, SimHandle, SimOptions};

const SF: &str = "/repos/acme/storefront";
const PAY: &str = "/repos/acme/payments";

async fn start() -> SimHandle {
    let mut opts = SimOptions::demo();
    opts.timing = RunTiming {
        queued: Duration::from_millis(30),
        per_step: Duration::from_millis(10),
    };
    sim::start(opts).await.expect("simulator starts")
}

/// A client of `sim` that sends `token`.
fn as_token(sim: &SimHandle, token: &str) -> Client {
    Client::new(&sim.base_url(), token)
}

fn release_head(sim: &SimHandle, repo: &str) -> String {
    sim.with_world(|w| {
        w.repo(repo).expect("repo").branches["release/v2.4.0"]
            .sha
            .clone()
    })
}

#[tokio::test]
async fn each_demo_token_is_its_own_user() {
    let sim = start().await;
    for (token, login) in [
        ("shipdeck-demo", "alice"),
        ("shipdeck-demo-bob", "bob"),
        ("shipdeck-demo-carol", "carol"),
        ("shipdeck-demo-dave", "dave"),
        ("shipdeck-demo-erin", "erin"),
    ] {
        let r = as_token(&sim, token).get("/user").await;
        assert_eq!(r.status, 200, "{token}: {}", r.body);
        let u = r.json();
        assert_eq!(u["login"], login, "{token}");
        assert_eq!(u["type"], "User");
        assert_eq!(u["site_admin"], false);
        assert!(u["id"].as_u64().is_some_and(|id| id > 0));
        assert!(u["node_id"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(
            u["html_url"]
                .as_str()
                .is_some_and(|s| s.ends_with(&format!("/{login}")))
        );
        assert!(u["name"].is_string());
    }
    let r = as_token(&sim, "shipdeck-demo-mallory").get("/user").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "Bad credentials");
    let r = send(&sim.base_url(), "GET", "/user", &[], None).await;
    assert_eq!(r.status, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn users_can_be_added_by_options_and_handle() {
    let mut opts = SimOptions::demo();
    opts.users.push(("tok-zoe".to_owned(), "zoe".to_owned()));
    let sim = sim::start(opts).await.expect("simulator starts");
    assert_eq!(
        as_token(&sim, "tok-zoe").get("/user").await.json()["login"],
        "zoe"
    );
    assert_eq!(as_token(&sim, "tok-yan").get("/user").await.status, 401);
    sim.add_user("tok-yan", "yan");
    assert_eq!(
        as_token(&sim, "tok-yan").get("/user").await.json()["login"],
        "yan"
    );
    // The main token still belongs to World.login.
    assert_eq!(
        as_token(&sim, sim.token()).get("/user").await.json()["login"],
        "alice"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn comments_belong_to_the_token_that_wrote_them() {
    let sim = start().await;
    let alice = as_token(&sim, "shipdeck-demo");
    let carol = as_token(&sim, "shipdeck-demo-carol");
    let dave = as_token(&sim, "shipdeck-demo-dave");
    let path = format!("{SF}/issues/200/comments");
    let r = dave.post(&path, &json!({"body": "/signoff product"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    assert_eq!(created["user"]["login"], "dave");
    let listed = alice.get(&format!("{path}?per_page=100")).await.json();
    let authors: Vec<&str> = listed
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["user"]["login"].as_str().expect("login"))
        .collect();
    assert_eq!(authors, ["alice", "carol", "dave", "dave"]);
    // Only the author edits a comment.
    let id = created["id"].as_u64().expect("id");
    let edit = format!("{SF}/issues/comments/{id}");
    let r = carol.patch(&edit, &json!({"body": "hijacked"})).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let later = created["created_at"].as_str().expect("time").to_owned();
    sim.set_now(sim.now() + chrono::TimeDelta::minutes(5));
    let r = dave
        .patch(&edit, &json!({"body": "/signoff product\nLooks good."}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let edited = r.json();
    assert_eq!(edited["body"], "/signoff product\nLooks good.");
    assert_eq!(edited["user"]["login"], "dave");
    assert_eq!(edited["created_at"], created["created_at"]);
    assert!(edited["updated_at"].as_str().expect("time") > later.as_str());
    let listed = alice.get(&format!("{path}?per_page=100")).await.json();
    assert_eq!(listed[3]["body"], "/signoff product\nLooks good.");
    // Missing body, unknown comment.
    assert_eq!(dave.patch(&edit, &json!({})).await.status, 422);
    let r = dave
        .patch(&format!("{SF}/issues/comments/1"), &json!({"body": "x"}))
        .await;
    assert_eq!(r.status, 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn runs_and_reviews_record_the_caller() {
    let sim = start().await;
    let dave = as_token(&sim, "shipdeck-demo-dave");
    let erin = as_token(&sim, "shipdeck-demo-erin");
    let bob = as_token(&sim, "shipdeck-demo-bob");
    let body = json!({"ref": "release/v2.4.0", "inputs": {"version": "v2.4.0", "environment": "production"}, "return_run_details": true});
    let r = dave
        .post(
            &format!("{SF}/actions/workflows/deploy.yml/dispatches"),
            &body,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["workflow_run_id"].as_u64().expect("id");
    let run_path = format!("{SF}/actions/runs/{id}");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let run = loop {
        let run = dave.get(&run_path).await.json();
        if run["status"] == "waiting" {
            break run;
        }
        assert!(std::time::Instant::now() < deadline, "never waiting: {run}");
        tokio::time::sleep(Duration::from_millis(15)).await;
    };
    assert_eq!(run["actor"]["login"], "dave");
    assert_eq!(run["triggering_actor"]["login"], "dave");
    let pending = bob
        .get(&format!("{run_path}/pending_deployments"))
        .await
        .json();
    assert_eq!(pending[0]["current_user_can_approve"], false);
    let pending = erin
        .get(&format!("{run_path}/pending_deployments"))
        .await
        .json();
    assert_eq!(pending[0]["current_user_can_approve"], true);
    let env = pending[0]["environment"]["id"].as_u64().expect("env id");
    let review = json!({"environment_ids": [env], "state": "approved", "comment": "go"});
    let r = bob
        .post(&format!("{run_path}/pending_deployments"), &review)
        .await;
    assert_eq!(r.status, 422, "bob is no reviewer: {}", r.body);
    let r = erin
        .post(&format!("{run_path}/pending_deployments"), &review)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A re-run is triggered by whoever asks for it.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while dave.get(&run_path).await.json()["status"] != "completed" {
        assert!(std::time::Instant::now() < deadline, "never completed");
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    let r = bob.post(&format!("{run_path}/rerun"), &json!({})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let run = dave.get(&run_path).await.json();
    assert_eq!(run["actor"]["login"], "dave");
    assert_eq!(run["triggering_actor"]["login"], "bob");
    sim.shutdown().await;
}

#[tokio::test]
async fn commit_statuses_combine_per_context() {
    let sim = start().await;
    let carol = as_token(&sim, "shipdeck-demo-carol");
    let alice = as_token(&sim, "shipdeck-demo");
    let sha = release_head(&sim, "acme/storefront");
    let post = format!("{SF}/statuses/{sha}");
    let combined = format!("{SF}/commits/release/v2.4.0/status");
    // No statuses yet: pending, none listed.
    let r = alice.get(&combined).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["total_count"], 0);
    assert_eq!(v["sha"], sha.as_str());
    let etag = r.header("etag").expect("etag").to_owned();
    assert_eq!(
        alice
            .get_with(&combined, &[("If-None-Match", &etag)])
            .await
            .status,
        304
    );

    let r = carol
        .post(&post, &json!({"state": "pending", "context": "qa/signoff", "description": "QA running", "target_url": "https://ci.example/qa/1"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json();
    assert_eq!(s["state"], "pending");
    assert_eq!(s["context"], "qa/signoff");
    assert_eq!(s["description"], "QA running");
    assert_eq!(s["target_url"], "https://ci.example/qa/1");
    assert_eq!(s["creator"]["login"], "carol");
    let r = carol
        .post(&post, &json!({"state": "success", "context": "qa/signoff"}))
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["description"], Value::Null);
    let r = alice.post(&post, &json!({"state": "success"})).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["context"], "default");
    assert_eq!(r.json()["creator"]["login"], "alice");

    let changed = alice.get_with(&combined, &[("If-None-Match", &etag)]).await;
    assert_eq!(changed.status, 200, "a new status changes the ETag");
    let v = changed.json();
    assert_eq!(v["state"], "success");
    assert_eq!(v["total_count"], 2);
    let mut contexts: Vec<&str> = v["statuses"]
        .as_array()
        .expect("statuses")
        .iter()
        .map(|s| s["context"].as_str().expect("context"))
        .collect();
    contexts.sort_unstable();
    assert_eq!(contexts, ["default", "qa/signoff"]);
    assert_eq!(v["repository"]["full_name"], "acme/storefront");
    assert!(
        v["commit_url"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/commits/{sha}")))
    );

    // The same commit by SHA and by octocrab's `heads/<branch>`.
    for r in [sha.clone(), "heads/release/v2.4.0".to_owned()] {
        let v = alice.get(&format!("{SF}/commits/{r}/status")).await.json();
        assert_eq!(v["total_count"], 2, "{r}");
        assert_eq!(v["sha"], sha.as_str(), "{r}");
    }
    // One failing context fails the whole.
    let r = carol
        .post(&post, &json!({"state": "error", "context": "ci/lint"}))
        .await;
    assert_eq!(r.status, 201);
    let v = alice.get(&combined).await.json();
    assert_eq!(v["state"], "failure");
    assert_eq!(v["total_count"], 3);
    // Another repository, another commit: untouched.
    let other = release_head(&sim, "acme/payments");
    let v = alice
        .get(&format!("{PAY}/commits/{other}/status"))
        .await
        .json();
    assert_eq!(v["total_count"], 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn commit_status_errors_are_githubs() {
    let sim = start().await;
    let c = as_token(&sim, "shipdeck-demo");
    let sha = release_head(&sim, "acme/payments");
    let post = format!("{PAY}/statuses/{sha}");
    let r = c.post(&post, &json!({"state": "green"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["message"], "Validation Failed");
    let r = c.post(&post, &json!({"context": "x"})).await;
    assert_eq!(r.status, 422);
    let r = c
        .post(
            &post,
            &json!({"state": "success", "description": "d".repeat(141)}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["errors"][0]["message"],
        "description is too long (maximum is 140 characters)"
    );
    let r = c
        .post(
            &post,
            &json!({"state": "success", "description": "d".repeat(140)}),
        )
        .await;
    assert_eq!(r.status, 201);
    let unknown = "0123456789abcdef0123456789abcdef01234567";
    let r = c
        .post(
            &format!("{PAY}/statuses/{unknown}"),
            &json!({"state": "success"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["message"],
        format!("No commit found for SHA: {unknown}")
    );
    let r = c.get(&format!("{PAY}/commits/no-such-branch/status")).await;
    assert_eq!(r.status, 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_tracking_issue_has_a_qa_signoff_and_no_product_one() {
    let sim = start().await;
    let c = as_token(&sim, "shipdeck-demo");
    let comments = c
        .get(&format!("{SF}/issues/200/comments?per_page=100"))
        .await
        .json();
    let comments = comments.as_array().expect("array");
    let qa: Vec<&Value> = comments
        .iter()
        .filter(|c| {
            c["body"]
                .as_str()
                .is_some_and(|b| b.starts_with("/signoff qa\n"))
        })
        .collect();
    assert_eq!(qa.len(), 1);
    assert_eq!(qa[0]["user"]["login"], "carol");
    let at = chrono::DateTime::parse_from_rfc3339(qa[0]["created_at"].as_str().expect("time"))
        .expect("date-time");
    let age = chrono::Utc::now() - at.with_timezone(&chrono::Utc);
    assert!(
        age > chrono::TimeDelta::hours(1) && age < chrono::TimeDelta::hours(12),
        "{age}"
    );
    assert!(comments.iter().all(|c| {
        let login = c["user"]["login"].as_str().unwrap_or_default();
        !(matches!(login, "dave" | "erin")
            && c["body"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/signoff"))
    }));
    // Comments come oldest first.
    let times: Vec<&str> = comments
        .iter()
        .map(|c| c["created_at"].as_str().expect("time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    sim.shutdown().await;
}
