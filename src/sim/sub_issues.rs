//! Routes for an issue's sub-issues: `GET` lists them as issues (paginated), `POST` adds one by
//! its id. A sub-issue may live in another repository of the same owner and has one parent.

use http::{Method, StatusCode};
use serde_json::Value;

use super::issues::{ctx, list};
use super::render;
use super::server::{ApiError, Reply, Req, Res};
use super::world::World;

/// `/repos/{full}/issues/{number}/sub_issues`.
pub fn route(world: &mut World, full: &str, number: u64, req: &Req) -> Res {
    let parent_id = world
        .repo(full)
        .and_then(|r| r.issue(number))
        .map(|i| i.id)
        .ok_or_else(ApiError::not_found)?;
    match *req.method {
        Method::GET => {
            let ids = world
                .repo(full)
                .and_then(|r| r.issue(number))
                .map(|i| i.sub_issues.clone())
                .unwrap_or_default();
            let items = ids
                .iter()
                .filter_map(|id| {
                    world.repos.iter().find_map(|r| {
                        r.issues
                            .iter()
                            .find(|i| i.id == *id)
                            .map(|i| render::issue(&ctx(req, r), i))
                    })
                })
                .collect();
            list(req, items)
        }
        Method::POST => add(world, full, number, parent_id, req),
        _ => Err(ApiError::not_found()),
    }
}

fn add(world: &mut World, full: &str, number: u64, parent_id: u64, req: &Req) -> Res {
    let body = req.json()?;
    let Some(id) = body.get("sub_issue_id").and_then(Value::as_u64) else {
        return Err(ApiError::validation(
            "IssueSubIssue",
            "sub_issue_id",
            "missing_field",
            None,
        ));
    };
    let replace = body.get("replace_parent").and_then(Value::as_bool) == Some(true);
    let owner = full.split('/').next().unwrap_or_default();
    let Some(child_owner) = world
        .repos
        .iter()
        .find(|r| r.issues.iter().any(|i| i.id == id))
        .map(|r| r.owner.clone())
    else {
        return Err(ApiError::unprocessable(
            "The provided sub-issue does not exist.",
        ));
    };
    if id == parent_id {
        return Err(ApiError::unprocessable(
            "An issue cannot be its own sub-issue.",
        ));
    }
    if child_owner != owner {
        return Err(ApiError::unprocessable(
            "The sub-issue must belong to the same repository owner as the parent issue.",
        ));
    }
    let current_parent = world
        .repos
        .iter()
        .flat_map(|r| &r.issues)
        .find(|i| i.sub_issues.contains(&id))
        .map(|i| i.id);
    match current_parent {
        Some(p) if p == parent_id => {
            return Err(ApiError::unprocessable(
                "The issue is already a sub-issue of this issue.",
            ));
        }
        Some(_) if !replace => {
            return Err(ApiError::unprocessable(
                "The sub-issue already has a parent issue.",
            ));
        }
        Some(p) => {
            for i in world.repos.iter_mut().flat_map(|r| &mut r.issues) {
                if i.id == p {
                    i.sub_issues.retain(|s| *s != id);
                }
            }
        }
        None => {}
    }
    let repo = world.repo_mut(full).ok_or_else(ApiError::not_found)?;
    let parent = repo.issue_mut(number).ok_or_else(ApiError::not_found)?;
    parent.sub_issues.push(id);
    parent.touch(req.now);
    let repo = world.repo(full).ok_or_else(ApiError::not_found)?;
    let parent = repo.issue(number).ok_or_else(ApiError::not_found)?;
    let c = ctx(req, repo);
    let location = format!("{}/issues/sub-issues/{id}", c.api());
    Ok(Reply::json(StatusCode::CREATED, render::issue(&c, parent)).with("location", location))
}
