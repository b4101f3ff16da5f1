//! Routes under `/repos/{o}/{r}/actions/`: workflows, runs, jobs, logs, dispatch,
//! re-run, cancel and deployment reviews.

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::engine::{self, NewRun};
use super::page::paginate;
use super::render::{self, Ctx};
use super::server::{ApiError, Reply, Req, Res};
use super::util::{DateRange, iso};
use super::workflow::WorkflowSpec;
use super::world::{Repo, Review, Run, World};

/// Routes `actions/...` for repository `full` (which exists).
pub fn route(world: &mut World, full: &str, rest: &[&str], req: &Req) -> Res {
    let now = req.now;
    let login = req.login.clone();
    let legacy = world.legacy_dispatch;
    let World { repos, ids, .. } = world;
    let repo = repos
        .iter_mut()
        .find(|r| r.full_name() == full)
        .ok_or_else(ApiError::not_found)?;
    for run in &mut repo.runs {
        engine::advance(run, now);
    }
    let m = req.method;
    match (m, rest) {
        (&Method::GET, ["workflows"]) => {
            let c = ctx(req, repo);
            let all: Vec<_> = repo.workflows.iter().collect();
            wrapped(req, "workflows", all, |w| render::workflow(&c, w))
        }
        (&Method::GET, ["workflows", id]) => {
            let w = repo.workflow(id).ok_or_else(ApiError::not_found)?;
            Ok(Reply::ok(render::workflow(&ctx(req, repo), w)))
        }
        (&Method::GET, ["workflows", id, "runs"]) => {
            let w = repo.workflow(id).ok_or_else(ApiError::not_found)?.id;
            list_runs(repo, Some(w), req)
        }
        (&Method::GET, ["runs"]) => list_runs(repo, None, req),
        (&Method::POST, ["workflows", id, "dispatches"]) => {
            dispatch(repo, ids, id, req, &login, legacy)
        }
        (&Method::GET, ["runs", id]) => {
            let r = run_of(repo, id)?;
            Ok(Reply::ok(render::run(&ctx(req, repo), r)))
        }
        (&Method::GET, ["runs", id, "jobs"]) => {
            let r = run_of(repo, id)?;
            let c = ctx(req, repo);
            let all: Vec<_> = r.jobs.iter().collect();
            wrapped(req, "jobs", all, |j| render::job(&c, r, j))
        }
        (&Method::GET, ["jobs", id]) => {
            let (r, j) = job_of(repo, id)?;
            Ok(Reply::ok(render::job(&ctx(req, repo), r, j)))
        }
        (&Method::GET, ["jobs", id, "logs"]) => {
            let (_, j) = job_of(repo, id)?;
            let location = format!(
                "{}/_sim/logs/{}/jobs/{}?sig=sim",
                req.base,
                repo.full_name(),
                j.id
            );
            Ok(Reply::empty(StatusCode::FOUND).with("location", location))
        }
        (&Method::POST, ["runs", id, "cancel" | "force-cancel"]) => {
            let run = run_mut(repo, id)?;
            engine::cancel(run, now).map_err(|e| ApiError::new(StatusCode::CONFLICT, &e.0))?;
            Ok(Reply::json(StatusCode::ACCEPTED, json!({})))
        }
        (&Method::POST, ["runs", id, action @ ("rerun" | "rerun-failed-jobs")]) => {
            let failed_only = *action == "rerun-failed-jobs";
            let wf_id = run_of(repo, id)?.workflow_id;
            let fail = repo
                .workflows
                .iter_mut()
                .find(|w| w.id == wf_id)
                .is_some_and(|w| std::mem::take(&mut w.fail_next));
            let run = run_mut(repo, id)?;
            engine::rerun(run, ids, now, req.timing, failed_only, fail)
                .map_err(|e| ApiError::new(StatusCode::FORBIDDEN, &e.0))?;
            // A new attempt is triggered by whoever asked for it; `actor` stays.
            run.triggering_actor.clone_from(&login);
            Ok(Reply::json(StatusCode::CREATED, json!({})))
        }
        (&Method::GET, ["runs", id, "pending_deployments"]) => {
            let r = run_of(repo, id)?;
            let items = pending(repo, r, req, &login);
            Ok(Reply::ok(Value::Array(items)))
        }
        (&Method::POST, ["runs", id, "pending_deployments"]) => review(repo, ids, id, req, &login),
        _ => Err(ApiError::not_found()),
    }
}

fn ctx<'a>(req: &'a Req, repo: &'a Repo) -> Ctx<'a> {
    Ctx {
        base: req.base,
        repo,
    }
}

/// A `{"total_count", key: [...]}` answer, paginated before rendering (only the page is
/// passed to `render`).
fn wrapped<T>(req: &Req, key: &str, all: Vec<T>, render: impl FnMut(T) -> Value) -> Res {
    let total = all.len();
    let (items, link) = paginate(all, req);
    let items: Vec<Value> = items.into_iter().map(render).collect();
    let reply = Reply::ok(json!({"total_count": total, key: items}));
    Ok(match link {
        Some(l) => reply.with("link", l),
        None => reply,
    })
}

fn run_of<'a>(repo: &'a Repo, id: &str) -> Result<&'a Run, ApiError> {
    let id: u64 = id.parse().map_err(|_| ApiError::not_found())?;
    repo.runs
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(ApiError::not_found)
}

fn run_mut<'a>(repo: &'a mut Repo, id: &str) -> Result<&'a mut Run, ApiError> {
    let id: u64 = id.parse().map_err(|_| ApiError::not_found())?;
    repo.run_mut(id).ok_or_else(ApiError::not_found)
}

fn job_of<'a>(repo: &'a Repo, id: &str) -> Result<(&'a Run, &'a super::world::Job), ApiError> {
    let id: u64 = id.parse().map_err(|_| ApiError::not_found())?;
    repo.runs
        .iter()
        .find_map(|r| r.jobs.iter().find(|j| j.id == id).map(|j| (r, j)))
        .ok_or_else(ApiError::not_found)
}

const STATUSES: &[&str] = &[
    "queued",
    "in_progress",
    "requested",
    "waiting",
    "pending",
    "completed",
];
const CONCLUSIONS: &[&str] = &[
    "success",
    "failure",
    "cancelled",
    "skipped",
    "timed_out",
    "action_required",
    "neutral",
    "stale",
];

fn list_runs(repo: &Repo, workflow: Option<u64>, req: &Req) -> Res {
    let status = req.q("status").filter(|s| !s.is_empty());
    if let Some(s) = status
        && !STATUSES.contains(&s)
        && !CONCLUSIONS.contains(&s)
    {
        return Err(ApiError::validation(
            "WorkflowRun",
            "status",
            "invalid",
            None,
        ));
    }
    let created = match req.q("created").filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            DateRange::parse(c)
                .ok_or_else(|| ApiError::validation("WorkflowRun", "created", "invalid", None))?,
        ),
    };
    let branch = req.q("branch").filter(|s| !s.is_empty());
    let event = req.q("event").filter(|s| !s.is_empty());
    let actor = req.q("actor").filter(|s| !s.is_empty());
    let head_sha = req.q("head_sha").filter(|s| !s.is_empty());
    let mut runs: Vec<&Run> = repo
        .runs
        .iter()
        .filter(|r| workflow.is_none_or(|w| r.workflow_id == w))
        .filter(|r| branch.is_none_or(|b| r.head_branch == b))
        .filter(|r| event.is_none_or(|e| r.event == e))
        .filter(|r| actor.is_none_or(|a| r.actor == a || r.triggering_actor == a))
        .filter(|r| head_sha.is_none_or(|s| r.head_commit.sha == s))
        .filter(|r| created.is_none_or(|c| c.contains(r.created_at)))
        .filter(|r| {
            status.is_none_or(|s| {
                if STATUSES.contains(&s) {
                    r.status == s
                } else {
                    r.conclusion.as_deref() == Some(s)
                }
            })
        })
        .collect();
    runs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    let c = ctx(req, repo);
    wrapped(req, "workflow_runs", runs, |r| render::run(&c, r))
}

/// Input values as GitHub accepts them: strings, or JSON booleans and numbers.
fn input_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Checks inputs against the workflow's declared inputs; returns them with defaults applied.
fn validate_inputs(
    repo: &Repo,
    spec: &WorkflowSpec,
    given: &serde_json::Map<String, Value>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let unknown: Vec<String> = given
        .keys()
        .filter(|k| !spec.inputs.iter().any(|i| &i.name == *k))
        .map(|k| format!("\"{k}\""))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::unprocessable(&format!(
            "Unexpected inputs provided: [{}]",
            unknown.join(", ")
        )));
    }
    let mut out = BTreeMap::new();
    for input in &spec.inputs {
        let value = match given.get(&input.name) {
            Some(v) => Some(input_text(v).ok_or_else(|| {
                ApiError::unprocessable(&format!(
                    "Invalid value for input '{}': expected a string",
                    input.name
                ))
            })?),
            None => input.default.clone(),
        };
        let Some(value) = value else {
            if input.required {
                return Err(ApiError::unprocessable(&format!(
                    "Required input '{}' not provided",
                    input.name
                )));
            }
            continue;
        };
        if input.required && value.is_empty() {
            return Err(ApiError::unprocessable(&format!(
                "Required input '{}' not provided",
                input.name
            )));
        }
        let bad = |what: &str| {
            ApiError::unprocessable(&format!(
                "Provided value '{value}' for input '{}' {what}",
                input.name
            ))
        };
        match input.kind.as_str() {
            "choice" if !input.options.contains(&value) => {
                return Err(bad("not in the list of allowed values"));
            }
            "boolean" if value != "true" && value != "false" => {
                return Err(bad("is not a valid boolean"));
            }
            "number" if value.parse::<f64>().is_err() => {
                return Err(bad("is not a valid number"));
            }
            "environment" if !repo.environments.iter().any(|e| e.name == value) => {
                return Err(bad("is not a valid environment"));
            }
            _ => {}
        }
        out.insert(input.name.clone(), value);
    }
    Ok(out)
}

fn dispatch(
    repo: &mut Repo,
    ids: &mut super::world::Ids,
    id: &str,
    req: &Req,
    login: &str,
    legacy: bool,
) -> Res {
    let body = req.json()?;
    let Some(obj) = body.as_object() else {
        return Err(ApiError::unprocessable(
            "Invalid request.\n\nFor 'links/0/schema', nil is not an object.",
        ));
    };
    if legacy && obj.contains_key("return_run_details") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "Invalid request.\n\n\"return_run_details\" is not a permitted key.",
        ));
    }
    let wf_index = repo
        .workflows
        .iter()
        .position(|w| repo.workflow(id).is_some_and(|x| x.id == w.id))
        .ok_or_else(ApiError::not_found)?;
    let Some(r) = obj.get("ref") else {
        return Err(ApiError::unprocessable(
            "Invalid request.\n\n\"ref\" wasn't supplied.",
        ));
    };
    let Some(r) = r.as_str() else {
        return Err(ApiError::unprocessable(
            "Invalid request.\n\nFor 'properties/ref', it is not a string.",
        ));
    };
    let (branch, commit) = repo
        .resolve_ref(r)
        .ok_or_else(|| ApiError::unprocessable(&format!("No ref found for: {r}")))?;
    if repo.workflows[wf_index].state != "active" {
        return Err(ApiError::unprocessable(
            "Cannot trigger a 'workflow_dispatch' on a disabled workflow",
        ));
    }
    let spec = repo.workflow_spec(&repo.workflows[wf_index], Some(&branch));
    if !spec.has_dispatch() {
        return Err(ApiError::unprocessable(
            "Workflow does not have 'workflow_dispatch' trigger",
        ));
    }
    let empty = serde_json::Map::new();
    let given = match obj.get("inputs") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(ApiError::unprocessable(
                "Invalid request.\n\nFor 'properties/inputs', it is not an object.",
            ));
        }
    };
    if given.len() > 25 {
        return Err(ApiError::unprocessable(
            "Invalid request.\n\nFor 'properties/inputs', it has more than 25 properties.",
        ));
    }
    let inputs = validate_inputs(repo, &spec, given)?;
    let details = obj
        .get("return_run_details")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let run = engine::new_run(
        repo,
        ids,
        wf_index,
        &spec,
        NewRun {
            event: "workflow_dispatch".to_owned(),
            branch,
            commit,
            actor: login.to_owned(),
            inputs,
            created: req.now,
            pace: req.timing,
            vary: false,
        },
    );
    let run_id = run.id;
    repo.runs.push(run);
    if !details {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    }
    let c = ctx(req, repo);
    Ok(Reply::ok(json!({
        "workflow_run_id": run_id,
        "run_url": format!("{}/actions/runs/{run_id}", c.api()),
        "html_url": format!("{}/actions/runs/{run_id}", c.html()),
    })))
}

fn pending(repo: &Repo, run: &Run, req: &Req, login: &str) -> Vec<Value> {
    let Some(env_name) = engine::waiting_environment(run) else {
        return Vec::new();
    };
    let Some(env) = repo.environments.iter().find(|e| e.name == env_name) else {
        return Vec::new();
    };
    let c = ctx(req, repo);
    vec![json!({
        "environment": {
            "id": env.id,
            "node_id": format!("EN_kwDOB{:X}", env.id),
            "name": env.name,
            "url": format!("{}/environments/{}", c.api(), env.name),
            "html_url": format!("{}/deployments/activity_log?environments_filter={}", c.html(), env.name),
        },
        "wait_timer": env.wait_timer,
        "wait_timer_started_at": run.waiting_since.map(iso),
        "current_user_can_approve": env.reviewers.iter().any(|r| r == login),
        "reviewers": env.reviewers.iter().map(|r| json!({"type": "User", "reviewer": render::user(req.base, r)})).collect::<Vec<_>>(),
    })]
}

fn review(repo: &mut Repo, ids: &mut super::world::Ids, id: &str, req: &Req, login: &str) -> Res {
    let body = req.json()?;
    let state = match body.get("state").and_then(Value::as_str) {
        Some("approved") => Review::Approved,
        Some("rejected") => Review::Rejected,
        _ => {
            return Err(ApiError::validation(
                "DeploymentReview",
                "state",
                "invalid",
                None,
            ));
        }
    };
    let env_ids: Vec<u64> = body
        .get("environment_ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if env_ids.is_empty() {
        return Err(ApiError::validation(
            "DeploymentReview",
            "environment_ids",
            "missing_field",
            None,
        ));
    }
    let run = run_of(repo, id)?;
    let waiting = engine::waiting_environment(run).map(str::to_owned);
    let env = waiting
        .as_deref()
        .and_then(|w| repo.environments.iter().find(|e| e.name == w))
        .filter(|e| env_ids.contains(&e.id))
        .cloned()
        .ok_or_else(|| {
            ApiError::unprocessable("No pending deployment requests to approve or reject")
        })?;
    if !env.reviewers.iter().any(|r| r == login) {
        return Err(ApiError::unprocessable(
            "You are not a required reviewer for this environment",
        ));
    }
    let (sha, branch, run_actor) = (
        run.head_commit.sha.clone(),
        run.head_branch.clone(),
        run.actor.clone(),
    );
    let deployment_id = ids.object();
    let c = ctx(req, repo);
    let url = format!("{}/deployments/{deployment_id}", c.api());
    let deployment = json!({
        "url": url,
        "id": deployment_id,
        "node_id": format!("DE_{deployment_id}"),
        "sha": sha,
        "ref": branch,
        "task": "deploy",
        "payload": {},
        "original_environment": env.name,
        "environment": env.name,
        "description": body.get("comment").and_then(Value::as_str),
        "creator": render::user(req.base, &run_actor),
        "created_at": iso(req.now),
        "updated_at": iso(req.now),
        "statuses_url": format!("{url}/statuses"),
        "repository_url": c.api(),
        "transient_environment": false,
        "production_environment": env.name == "production",
    });
    let run = run_mut(repo, id)?;
    engine::review(run, &env.name, state, req.now);
    Ok(Reply::ok(json!([deployment])))
}
