//! Updating a milestone (`PATCH …/milestones/{number}`): its title, description, due date and
//! state; closing sets `closed_at`, reopening clears it.

use http::Method;
use serde_json::Value;

use super::issues::{ctx, number};
use super::render;
use super::server::{ApiError, Reply, Req, Res};
use super::util::parse_time;
use super::world::Repo;

/// Routes `PATCH milestones/{number}`; `None` for any other path.
pub fn route(repo: &mut Repo, rest: &[&str], req: &Req) -> Option<Res> {
    match (req.method, rest) {
        (&Method::PATCH, ["milestones", n]) => Some(update(repo, n, req)),
        _ => None,
    }
}

fn invalid(field: &str) -> ApiError {
    ApiError::validation("Milestone", field, "invalid", None)
}

fn update(repo: &mut Repo, n: &str, req: &Req) -> Res {
    let n = number(n)?;
    let body = req.json()?;
    if !repo.milestones.iter().any(|m| m.number == n) {
        return Err(ApiError::not_found());
    }
    let title = match body.get("title") {
        None => None,
        Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
        Some(_) => return Err(invalid("title")),
    };
    let state = match body.get("state") {
        None => None,
        Some(Value::String(s)) if s == "open" || s == "closed" => Some(s.clone()),
        Some(_) => return Err(invalid("state")),
    };
    let description = match body.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(d)) => Some(Some(d.clone())),
        Some(_) => return Err(invalid("description")),
    };
    let due_on = match body.get("due_on") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(d)) => Some(Some(parse_time(d).ok_or_else(|| invalid("due_on"))?)),
        Some(_) => return Err(invalid("due_on")),
    };
    if let Some(t) = &title
        && repo
            .milestones
            .iter()
            .any(|m| m.number != n && &m.title == t)
    {
        return Err(ApiError::validation(
            "Milestone",
            "title",
            "already_exists",
            None,
        ));
    }
    let now = req.now;
    let m = repo
        .milestones
        .iter_mut()
        .find(|m| m.number == n)
        .ok_or_else(ApiError::not_found)?;
    if let Some(t) = title {
        m.title = t;
    }
    if let Some(d) = description {
        m.description = d;
    }
    if let Some(d) = due_on {
        m.due_on = d;
    }
    if let Some(s) = state
        && s != m.state
    {
        m.closed_at = (s == "closed").then_some(now);
        m.state = s;
    }
    m.updated_at = now;
    let m = repo
        .milestones
        .iter()
        .find(|m| m.number == n)
        .ok_or_else(ApiError::not_found)?;
    Ok(Reply::ok(render::milestone(&ctx(req, repo), m)))
}
