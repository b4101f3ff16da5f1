//! The simulator's answers checked against GitHub's OpenAPI description
//! (`../shared/github-api/openapi-subset.json`) with a small hand-written schema checker.

#[path = "sim_support/http.rs"]
mod http_client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use http_client::{Client, Resp};
use serde_json::{Value, json};
use shipdeck::sim::{self, RunTiming, SimOptions};

/// Resolves a `#/components/...` reference.
fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let mut node = spec;
        for part in r.trim_start_matches("#/").split('/') {
            node = &node[part];
        }
        assert!(!node.is_null(), "unresolved $ref {r}");
        schema = node;
    }
    schema
}

/// Collects every way `value` breaks `schema` into `errors`, naming the JSON path.
fn check(spec: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    if value.is_null() {
        let nullable = schema.get("nullable") == Some(&json!(true))
            || ["anyOf", "oneOf"].iter().any(|k| {
                schema[*k].as_array().is_some_and(|alts| {
                    alts.iter()
                        .any(|a| resolve(spec, a).get("nullable") == Some(&json!(true)))
                })
            });
        let untyped = schema.get("type").is_none()
            && schema.get("allOf").is_none()
            && schema.get("anyOf").is_none()
            && schema.get("oneOf").is_none()
            && schema.get("properties").is_none();
        if !nullable && !untyped {
            errors.push(format!("{path}: null but not nullable"));
        }
        return;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(spec, s, value, path, errors);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let fits = alts.iter().any(|s| {
                let mut e = Vec::new();
                check(spec, s, value, path, &mut e);
                e.is_empty()
            });
            if !fits {
                let mut detail = Vec::new();
                for s in alts {
                    check(spec, s, value, path, &mut detail);
                }
                errors.push(format!(
                    "{path}: matches no {key} alternative ({})",
                    detail.join("; ")
                ));
            }
        }
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {t}, got {value}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} not in enum {options:?}"));
    }
    if schema.get("format") == Some(&json!("date-time"))
        && let Some(s) = value.as_str()
        && chrono::DateTime::parse_from_rfc3339(s).is_err()
    {
        errors.push(format!("{path}: {s:?} is not a date-time"));
    }
    if let Some(obj) = value.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = r.as_str().unwrap_or_default();
            if !obj.contains_key(key) {
                errors.push(format!("{path}: missing required {key:?}"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(v) = obj.get(k) {
                    check(spec, s, v, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(spec, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// The JSON schema for `status` of operation `method template` (None = no body declared,
/// or an error status the description does not list).
fn response_schema<'a>(
    spec: &'a Value,
    method: &str,
    template: &str,
    status: u16,
) -> Option<&'a Value> {
    let op = &spec["paths"][template][method.to_lowercase()];
    assert!(
        op.is_object(),
        "no operation {method} {template} in the spec"
    );
    let response = resolve(spec, &op["responses"][status.to_string()]);
    // GitHub answers some errors its description leaves out (e.g. 422 on dispatch).
    assert!(
        response.is_object() || status >= 400,
        "{method} {template} does not declare status {status}"
    );
    response
        .get("content")
        .map(|c| &c["application/json"]["schema"])
}

struct Checker {
    spec: Value,
    client: Client,
    violations: Vec<String>,
    checked: Vec<String>,
}

impl Checker {
    async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let r = self.client.call(method, path, body.as_ref()).await;
        let label = format!("{method} {path} → {}", r.status);
        if let Some(schema) = response_schema(&self.spec, method, template, r.status) {
            let value = r.json();
            let mut errors = Vec::new();
            check(&self.spec, schema, &value, "$", &mut errors);
            self.violations
                .extend(errors.into_iter().map(|e| format!("{label}: {e}")));
        }
        self.checked.push(label);
        r
    }

    async fn ok(&mut self, method: &str, template: &str, path: &str, body: Option<Value>) -> Value {
        let r = self.call(method, template, path, body).await;
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
        if r.body.is_empty() {
            Value::Null
        } else {
            r.json()
        }
    }
}

async fn wait_status(c: &Client, path: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while c.get(path).await.json()["status"] != want {
        assert!(Instant::now() < deadline, "{path} never reached {want}");
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

#[tokio::test]
async fn responses_match_the_openapi_description() {
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/github-api/openapi-subset.json");
    let Ok(text) = std::fs::read_to_string(&file) else {
        println!("skipped: ../shared/github-api/openapi-subset.json not found");
        return;
    };
    let spec: Value = serde_json::from_str(&text).expect("valid OpenAPI JSON");
    let mut opts = SimOptions::demo();
    opts.timing = RunTiming {
        queued: Duration::from_millis(30),
        per_step: Duration::from_millis(10),
    };
    let sim = sim::start(opts).await.expect("simulator starts");
    let client = Client::new(&sim.base_url(), sim.token());
    let mut k = Checker {
        spec,
        client: client.clone(),
        violations: Vec::new(),
        checked: Vec::new(),
    };

    const R: &str = "/repos/{owner}/{repo}";
    let t = |suffix: &str| format!("{R}{suffix}");
    for repo in ["/repos/acme/storefront", "/repos/acme/payments"] {
        let p = |suffix: &str| format!("{repo}{suffix}");
        k.ok("GET", R, repo, None).await;
        k.ok(
            "GET",
            &t("/issues"),
            &p("/issues?state=all&per_page=100"),
            None,
        )
        .await;
        k.ok("GET", &t("/milestones"), &p("/milestones?state=all"), None)
            .await;
        k.ok("GET", &t("/labels"), &p("/labels?per_page=100"), None)
            .await;
        k.ok(
            "GET",
            &t("/actions/workflows"),
            &p("/actions/workflows"),
            None,
        )
        .await;
        let runs = k
            .ok(
                "GET",
                &t("/actions/runs"),
                &p("/actions/runs?per_page=100"),
                None,
            )
            .await;
        for run in runs["workflow_runs"].as_array().expect("runs") {
            let id = run["id"].as_u64().expect("id");
            let jobs = k
                .ok(
                    "GET",
                    &t("/actions/runs/{run_id}/jobs"),
                    &p(&format!("/actions/runs/{id}/jobs")),
                    None,
                )
                .await;
            for job in jobs["jobs"].as_array().expect("jobs") {
                let jid = job["id"].as_u64().expect("id");
                k.ok(
                    "GET",
                    &t("/actions/jobs/{job_id}"),
                    &p(&format!("/actions/jobs/{jid}")),
                    None,
                )
                .await;
            }
        }
    }
    // The commit graph and pull requests.
    for repo in ["/repos/acme/storefront", "/repos/acme/payments"] {
        let p = |suffix: &str| format!("{repo}{suffix}");
        k.ok(
            "GET",
            &t("/commits"),
            &p("/commits?sha=main&per_page=100"),
            None,
        )
        .await;
        k.ok(
            "GET",
            &t("/commits"),
            &p("/commits?sha=release/v2.4.0&since=2020-01-01T00:00:00Z"),
            None,
        )
        .await;
        for basehead in [
            "v2.2.0...v2.3.0",
            "main...release/v2.4.0",
            "v2.3.0...v2.2.0",
        ] {
            k.ok(
                "GET",
                &t("/compare/{basehead}"),
                &p(&format!("/compare/{basehead}")),
                None,
            )
            .await;
        }
        let pulls = k
            .ok(
                "GET",
                &t("/pulls"),
                &p("/pulls?state=all&per_page=100"),
                None,
            )
            .await;
        for pr in pulls.as_array().expect("pulls").iter().take(3) {
            let n = pr["number"].as_u64().expect("number");
            k.ok(
                "GET",
                &t("/pulls/{pull_number}"),
                &p(&format!("/pulls/{n}")),
                None,
            )
            .await;
        }
        let missing = k
            .call(
                "GET",
                &t("/compare/{basehead}"),
                &p("/compare/main...no-such-ref"),
                None,
            )
            .await;
        assert_eq!(missing.status, 404, "{}", missing.body);
    }
    let p = |suffix: &str| format!("/repos/acme/storefront{suffix}");
    k.ok("GET", "/rate_limit", "/rate_limit", None).await;
    for n in [200, 201, 210, 212, 255] {
        k.ok(
            "GET",
            &t("/issues/{issue_number}"),
            &p(&format!("/issues/{n}")),
            None,
        )
        .await;
    }
    k.ok(
        "GET",
        &t("/issues"),
        &p("/issues?milestone=7&labels=risk&state=all"),
        None,
    )
    .await;
    k.ok(
        "PATCH",
        &t("/issues/{issue_number}"),
        &p("/issues/204"),
        Some(json!({"body": "edited", "state": "closed"})),
    )
    .await;
    let created = k
        .ok(
            "POST",
            &t("/issues"),
            &p("/issues"),
            Some(json!({"title": "New", "labels": ["risk"], "milestone": 7})),
        )
        .await;
    let n = created["number"].as_u64().expect("number");
    let id = created["id"].as_u64().expect("id");
    k.ok(
        "POST",
        &t("/issues/{issue_number}/sub_issues"),
        &p("/issues/200/sub_issues"),
        Some(json!({ "sub_issue_id": id })),
    )
    .await;
    let subs = k
        .ok(
            "GET",
            &t("/issues/{issue_number}/sub_issues"),
            &p("/issues/200/sub_issues?per_page=100"),
            None,
        )
        .await;
    assert_eq!(subs[0]["number"], json!(n), "the added sub-issue is listed");
    k.ok(
        "GET",
        &t("/issues/{issue_number}/comments"),
        &p("/issues/200/comments"),
        None,
    )
    .await;
    let comment = k
        .ok(
            "POST",
            &t("/issues/{issue_number}/comments"),
            &p(&format!("/issues/{n}/comments")),
            Some(json!({"body": "hi"})),
        )
        .await;
    let comment_id = comment["id"].as_u64().expect("comment id");
    k.ok(
        "PATCH",
        &t("/issues/comments/{comment_id}"),
        &p(&format!("/issues/comments/{comment_id}")),
        Some(json!({"body": "hi again"})),
    )
    .await;
    k.ok("GET", "/user", "/user", None).await;
    // Releases: a draft created, listed and updated; a published one, then its tag again (422).
    let draft = k
        .ok(
            "POST",
            &t("/releases"),
            &p("/releases"),
            Some(json!({"tag_name": "v2.4.0", "name": "v2.4.0", "body": "notes", "draft": true})),
        )
        .await;
    let release_id = draft["id"].as_u64().expect("release id");
    k.ok("GET", &t("/releases"), &p("/releases?per_page=100"), None)
        .await;
    k.ok(
        "PATCH",
        &t("/releases/{release_id}"),
        &p(&format!("/releases/{release_id}")),
        Some(json!({"body": "notes again", "draft": true})),
    )
    .await;
    k.ok(
        "POST",
        &t("/releases"),
        &p("/releases"),
        Some(json!({"tag_name": "v2.3.0"})),
    )
    .await;
    let again = k
        .call(
            "POST",
            &t("/releases"),
            &p("/releases"),
            Some(json!({"tag_name": "v2.3.0"})),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    let generated = k
        .ok(
            "POST",
            &t("/releases/generate-notes"),
            &p("/releases/generate-notes"),
            Some(json!({"tag_name": "v2.4.0", "previous_tag_name": "v2.3.0"})),
        )
        .await;
    assert_eq!(generated["name"], "v2.4.0");
    let head = sim.with_world(|w| {
        w.repo("acme/storefront").expect("repo").branches["release/v2.4.0"]
            .sha
            .clone()
    });
    for body in [
        json!({"state": "success", "context": "qa/signoff", "description": "QA done", "target_url": "https://ci.example/1"}),
        json!({"state": "pending"}),
    ] {
        k.ok(
            "POST",
            &t("/statuses/{sha}"),
            &p(&format!("/statuses/{head}")),
            Some(body),
        )
        .await;
    }
    for r in [
        "release/v2.4.0",
        "heads/release/v2.4.0",
        head.as_str(),
        "main",
    ] {
        k.ok(
            "GET",
            &t("/commits/{ref}/status"),
            &p(&format!("/commits/{r}/status")),
            None,
        )
        .await;
    }
    k.ok(
        "GET",
        &t("/issues/{issue_number}/labels"),
        &p("/issues/250/labels"),
        None,
    )
    .await;
    k.ok(
        "POST",
        &t("/issues/{issue_number}/labels"),
        &p(&format!("/issues/{n}/labels")),
        Some(json!({"labels": ["impact:3"]})),
    )
    .await;
    k.ok(
        "DELETE",
        &t("/issues/{issue_number}/labels/{name}"),
        &p(&format!("/issues/{n}/labels/risk")),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/labels/{name}"),
        &p("/labels/phase%3Adeploy"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/milestones/{milestone_number}"),
        &p("/milestones/7"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/milestones/{milestone_number}/labels"),
        &p("/milestones/7/labels"),
        None,
    )
    .await;
    let closed = k
        .ok(
            "PATCH",
            &t("/milestones/{milestone_number}"),
            &p("/milestones/7"),
            Some(json!({"state": "closed"})),
        )
        .await;
    assert_eq!(closed["state"], "closed");
    assert!(closed["closed_at"].is_string(), "closed_at set: {closed}");
    let reopened = k
        .ok(
            "PATCH",
            &t("/milestones/{milestone_number}"),
            &p("/milestones/7"),
            Some(
                json!({"state": "open", "description": "again", "due_on": "2030-01-02T03:04:05Z"}),
            ),
        )
        .await;
    assert!(reopened["closed_at"].is_null(), "{reopened}");
    assert_eq!(reopened["due_on"], "2030-01-02T03:04:05Z");
    let unknown = k
        .call(
            "PATCH",
            &t("/milestones/{milestone_number}"),
            &p("/milestones/999"),
            Some(json!({"state": "closed"})),
        )
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    k.ok(
        "GET",
        &t("/contents/{path}"),
        &p("/contents/.github/workflows/deploy.yml?ref=release/v2.4.0"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/contents/{path}"),
        &p("/contents/.github/workflows"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/actions/workflows/{workflow_id}"),
        &p("/actions/workflows/deploy.yml"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/actions/workflows/{workflow_id}/runs"),
        &p("/actions/workflows/61000103/runs?branch=release/v2.4.0"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/actions/runs/{run_id}"),
        &p("/actions/runs/9000000026"),
        None,
    )
    .await;
    let dispatch = t("/actions/workflows/{workflow_id}/dispatches");
    k.ok(
        "POST",
        &dispatch,
        &p("/actions/workflows/deploy.yml/dispatches"),
        Some(json!({"ref": "main", "inputs": {"version": "v2.4.0"}})),
    )
    .await;
    let details = k.ok("POST", &dispatch, &p("/actions/workflows/deploy.yml/dispatches"), Some(json!({"ref": "release/v2.4.0", "inputs": {"version": "v2.4.0", "environment": "production"}, "return_run_details": true}))).await;
    let prod = details["workflow_run_id"].as_u64().expect("run id");
    wait_status(&client, &p(&format!("/actions/runs/{prod}")), "waiting").await;
    k.ok(
        "GET",
        &t("/actions/runs/{run_id}"),
        &p(&format!("/actions/runs/{prod}")),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/actions/runs/{run_id}/jobs"),
        &p(&format!("/actions/runs/{prod}/jobs")),
        None,
    )
    .await;
    let pending = k
        .ok(
            "GET",
            &t("/actions/runs/{run_id}/pending_deployments"),
            &p(&format!("/actions/runs/{prod}/pending_deployments")),
            None,
        )
        .await;
    let env_id = pending[0]["environment"]["id"].as_u64().expect("env id");
    k.ok(
        "POST",
        &t("/actions/runs/{run_id}/pending_deployments"),
        &p(&format!("/actions/runs/{prod}/pending_deployments")),
        Some(json!({"environment_ids": [env_id], "state": "approved", "comment": "ok"})),
    )
    .await;
    // A second production run waits (a stable state) for cancel, re-run (which waits
    // for a new review) and force-cancel.
    let body = json!({"ref": "release/v2.4.0", "inputs": {"version": "v2.4.0", "environment": "production"}, "return_run_details": true});
    let held = client
        .post(&p("/actions/workflows/deploy.yml/dispatches"), &body)
        .await
        .json();
    let held = held["workflow_run_id"].as_u64().expect("run id");
    wait_status(&client, &p(&format!("/actions/runs/{held}")), "waiting").await;
    k.ok(
        "POST",
        &t("/actions/runs/{run_id}/cancel"),
        &p(&format!("/actions/runs/{held}/cancel")),
        None,
    )
    .await;
    k.ok(
        "POST",
        &t("/actions/runs/{run_id}/rerun"),
        &p(&format!("/actions/runs/{held}/rerun")),
        None,
    )
    .await;
    k.ok(
        "POST",
        &t("/actions/runs/{run_id}/force-cancel"),
        &p(&format!("/actions/runs/{held}/force-cancel")),
        None,
    )
    .await;
    k.ok(
        "POST",
        &t("/actions/runs/{run_id}/rerun-failed-jobs"),
        &p("/actions/runs/9000000023/rerun-failed-jobs"),
        None,
    )
    .await;
    k.ok(
        "GET",
        &t("/actions/runs/{run_id}"),
        &p("/actions/runs/9000000023"),
        None,
    )
    .await;
    // Error answers have their declared shapes too.
    let cases: [(&str, String, String, Option<Value>, u16); 7] = [
        (
            "GET",
            t("/issues/{issue_number}"),
            p("/issues/9999"),
            None,
            404,
        ),
        (
            "PATCH",
            t("/issues/{issue_number}"),
            p("/issues/204"),
            Some(json!({"state": "nope"})),
            422,
        ),
        (
            "POST",
            t("/actions/runs/{run_id}/cancel"),
            p("/actions/runs/9000000021/cancel"),
            None,
            409,
        ),
        (
            "GET",
            t("/milestones/{milestone_number}"),
            p("/milestones/77"),
            None,
            404,
        ),
        (
            "GET",
            t("/commits/{ref}/status"),
            p("/commits/no-such-ref/status"),
            None,
            404,
        ),
        (
            "POST",
            t("/statuses/{sha}"),
            p("/statuses/0123456789abcdef0123456789abcdef01234567"),
            Some(json!({"state": "success"})),
            422,
        ),
        (
            "POST",
            dispatch.clone(),
            p("/actions/workflows/deploy.yml/dispatches"),
            Some(json!({"ref": "main"})),
            422,
        ),
    ];
    for (method, template, path, body, status) in cases {
        let r = k.call(method, &template, &path, body).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
    }
    let r = k
        .call(
            "GET",
            &t("/actions/jobs/{job_id}/logs"),
            &p("/actions/jobs/25000000001/logs"),
            None,
        )
        .await;
    assert_eq!(r.status, 302);

    println!("checked {} responses", k.checked.len());
    assert!(
        k.violations.is_empty(),
        "{} schema violations:\n{}",
        k.violations.len(),
        k.violations.join("\n")
    );
    sim.shutdown().await;
}

#[test]
fn the_checker_finds_problems() {
    let spec = json!({"components": {"schemas": {
        "thing": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "nullable": true},
            "state": {"type": "string", "enum": ["open", "closed"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "when": {"type": "string", "format": "date-time"}
        }}
    }}});
    let schema = json!({"$ref": "#/components/schemas/thing"});
    let mut errors = Vec::new();
    check(
        &spec,
        &schema,
        &json!({"id": 1, "name": null, "state": "open", "tags": ["a"], "when": "2026-01-01T00:00:00Z"}),
        "$",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    check(
        &spec,
        &schema,
        &json!({"id": "1", "state": "weird", "tags": [1], "when": "yesterday"}),
        "$",
        &mut errors,
    );
    assert_eq!(errors.len(), 5, "{errors:?}");
}
