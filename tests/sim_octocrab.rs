//! octocrab (the client's HTTP library) can talk to the simulator and parse its answers.

use octocrab::Octocrab;
use octocrab::params::State;
use shipdeck::sim::{self, SimOptions};

#[tokio::test]
async fn octocrab_models_parse_sim_responses() {
    let sim = sim::start(SimOptions::demo())
        .await
        .expect("simulator starts");
    let crab = Octocrab::builder()
        .personal_token(sim.token().to_owned())
        .base_uri(sim.base_url())
        .expect("base uri")
        .build()
        .expect("octocrab");
    let issues = crab
        .issues("acme", "storefront")
        .list()
        .milestone(7)
        .state(State::All)
        .per_page(10)
        .send()
        .await
        .expect("issues page");
    assert_eq!(issues.items.len(), 10);
    assert!(issues.next.is_some());
    let all = crab.all_pages(issues).await.expect("all pages");
    assert_eq!(all.len(), 29);
    let tracking = crab
        .issues("acme", "storefront")
        .get(200)
        .await
        .expect("issue");
    assert_eq!(tracking.title, "Release v2.4.0 checklist");
    let milestone = crab
        .issues("acme", "storefront")
        .milestones()
        .get(7)
        .await
        .expect("milestone");
    assert_eq!(milestone.title, "v2.4.0");
    let labels = crab
        .issues("acme", "payments")
        .list_labels_for_repo()
        .per_page(100)
        .send()
        .await
        .expect("labels");
    assert!(labels.items.iter().any(|l| l.name == "release-blocker"));
    let workflows = crab
        .workflows("acme", "storefront")
        .list()
        .send()
        .await
        .expect("workflows");
    assert_eq!(workflows.items.len(), 4);
    let runs = crab
        .workflows("acme", "storefront")
        .list_runs("deploy.yml")
        .branch("release/v2.4.0")
        .send()
        .await
        .expect("runs");
    assert_eq!(runs.items[0].id, octocrab::models::RunId(9_000_000_021));
    let all_runs = crab
        .workflows("acme", "storefront")
        .list_all_runs()
        .per_page(100)
        .send()
        .await
        .expect("all runs");
    let jobs = crab
        .workflows("acme", "storefront")
        .list_jobs(octocrab::models::RunId(9_000_000_023))
        .send()
        .await
        .expect("jobs");
    assert_eq!(
        jobs.items[0].conclusion,
        Some(octocrab::models::workflows::Conclusion::Failure)
    );
    assert!(all_runs.items.len() >= 17);
    crab.actions()
        .create_workflow_dispatch("acme", "storefront", "deploy.yml", "release/v2.4.0")
        .inputs(serde_json::json!({"version": "v2.4.0-rc.3"}))
        .send()
        .await
        .expect("dispatch (204)");
    let details: serde_json::Value = crab
        .post(
            "/repos/acme/storefront/actions/workflows/deploy.yml/dispatches",
            Some(&serde_json::json!({"ref": "main", "inputs": {"version": "v2.4.0"}, "return_run_details": true})),
        )
        .await
        .expect("dispatch (200)");
    let id = details["workflow_run_id"].as_u64().expect("run id");
    let run = crab
        .workflows("acme", "storefront")
        .get(octocrab::models::RunId(id))
        .await
        .expect("run");
    assert_eq!(run.event, "workflow_dispatch");
    let rate = crab.ratelimit().get().await.expect("rate limit");
    assert_eq!(rate.resources.core.limit, 5000);
    let unauthorized = Octocrab::builder()
        .personal_token("wrong".to_owned())
        .base_uri(sim.base_url())
        .expect("base uri")
        .build()
        .expect("octocrab");
    let err = unauthorized
        .issues("acme", "storefront")
        .get(200)
        .await
        .expect_err("401");
    assert!(
        err.to_string().contains("Bad credentials")
            || format!("{err:?}").contains("Bad credentials"),
        "{err:?}"
    );
    sim.shutdown().await;
}
