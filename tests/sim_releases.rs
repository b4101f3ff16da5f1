//! The simulator's GitHub Releases over HTTP: drafts may share a tag, a published release owns
//! its tag (422 `already_exists`, on create and on update), publishing sets `published_at`,
//! and `generate-notes` lists the PRs merged since the previous release.

#[path = "sim_support/http.rs"]
mod http_client;

use http_client::Client;
use serde_json::json;
use shipdeck::sim::{self, SimOptions};

const P: &str = "/repos/acme/storefront";

#[tokio::test]
async fn a_published_release_owns_its_tag_and_drafts_do_not() {
    let sim = sim::start(SimOptions::demo())
        .await
        .expect("simulator starts");
    let c = Client::new(&sim.base_url(), sim.token());
    let draft = json!({"tag_name": "v2.4.0", "name": "v2.4.0", "body": "a", "draft": true});
    let first = c.post(&format!("{P}/releases"), &draft).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = c.post(&format!("{P}/releases"), &draft).await;
    assert_eq!(
        second.status, 201,
        "drafts may share a tag: {}",
        second.body
    );
    let first = first.json();
    assert_eq!(first["draft"], true);
    assert_eq!(first["published_at"], serde_json::Value::Null);
    assert_eq!(first["author"]["login"], "alice");

    // Publishing the first one makes the tag its own.
    let id = first["id"].as_u64().expect("id");
    let published = c
        .patch(&format!("{P}/releases/{id}"), &json!({"draft": false}))
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let published = published.json();
    assert_eq!(published["draft"], false);
    assert!(published["published_at"].is_string(), "{published}");
    assert_eq!(
        published["body"], "a",
        "an update keeps what it does not name"
    );

    let dup = c
        .post(&format!("{P}/releases"), &json!({"tag_name": "v2.4.0"}))
        .await;
    assert_eq!(dup.status, 422, "{}", dup.body);
    assert_eq!(dup.json()["errors"][0]["code"], "already_exists");
    let other = second.json()["id"].as_u64().expect("id");
    let publish_other = c
        .patch(&format!("{P}/releases/{other}"), &json!({"draft": false}))
        .await;
    assert_eq!(publish_other.status, 422, "{}", publish_other.body);

    let listed = c.get(&format!("{P}/releases")).await.json();
    assert_eq!(listed.as_array().expect("array").len(), 2);
    let missing = c
        .post(&format!("{P}/releases"), &json!({"name": "no tag"}))
        .await;
    assert_eq!(missing.status, 422);
    sim.shutdown().await;
}

#[tokio::test]
async fn generated_notes_list_the_prs_merged_since_the_previous_release() {
    let sim = sim::start(SimOptions::demo())
        .await
        .expect("simulator starts");
    let c = Client::new(&sim.base_url(), sim.token());
    let html = format!("{}/acme/storefront", sim.base_url());
    let r = c
        .post(
            &format!("{P}/releases/generate-notes"),
            &json!({"tag_name": "v2.4.0"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["name"], "v2.4.0");
    assert_eq!(
        v["body"],
        format!(
            "## What's Changed\n* Saved carts: persist cart to account by @carol in {html}/pull/210\n\n\
             **Full Changelog**: {html}/commits/v2.4.0"
        )
    );

    // Once a release is published, only what is merged after it counts.
    let published = c
        .post(&format!("{P}/releases"), &json!({"tag_name": "v2.3.9"}))
        .await;
    assert_eq!(published.status, 201);
    let v = c
        .post(
            &format!("{P}/releases/generate-notes"),
            &json!({"tag_name": "v2.4.0"}),
        )
        .await
        .json();
    assert_eq!(
        v["body"],
        format!("**Full Changelog**: {html}/compare/v2.3.9...v2.4.0")
    );
    let unknown = c
        .post(
            &format!("{P}/releases/generate-notes"),
            &json!({"tag_name": "v2.4.0", "previous_tag_name": "v0"}),
        )
        .await;
    assert_eq!(unknown.status, 422);
    sim.shutdown().await;
}
