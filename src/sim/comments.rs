//! Issue comments: list and create under an issue, read and edit one by id (only its author
//! may edit it).

use http::{Method, StatusCode};
use serde_json::Value;

use super::issues::{MAX_BODY, ctx, list_with, number};
use super::render;
use super::server::{ApiError, Reply, Req, Res};
use super::util::parse_time;
use super::world::{Comment, Ids, Repo};

/// Routes `issues/{n}/comments` and `issues/comments/{id}`; `None` when the path is neither.
pub fn route(repo: &mut Repo, ids: &mut Ids, rest: &[&str], req: &Req) -> Option<Res> {
    if let Some(res) = route_read(repo, rest, req) {
        return Some(res);
    }
    Some(match (req.method, rest) {
        (&Method::PATCH, ["issues", "comments", id]) => update(repo, id, req),
        (&Method::POST, ["issues", n, "comments"]) => create(repo, ids, n, req),
        _ => return None,
    })
}

/// The reads of [`route`], which need only a shared lock; `None` for anything else.
pub fn route_read(repo: &Repo, rest: &[&str], req: &Req) -> Option<Res> {
    Some(match (req.method, rest) {
        (&Method::GET, ["issues", "comments", id]) => get(repo, id, req),
        (&Method::GET, ["issues", n, "comments"]) => list_for_issue(repo, n, req),
        _ => return None,
    })
}

fn list_for_issue(repo: &Repo, n: &str, req: &Req) -> Res {
    let n = number(n)?;
    let i = repo.issue(n).ok_or_else(ApiError::not_found)?;
    let c = ctx(req, repo);
    let since = req.q("since").and_then(parse_time);
    let items = i
        .comments
        .iter()
        .filter(|x| since.is_none_or(|s| x.updated_at >= s))
        .collect();
    list_with(req, items, |x| render::comment(&c, n, x))
}

/// The comment's text from a request body: required, at most [`MAX_BODY`] characters.
fn body_text(req: &Req) -> Result<String, ApiError> {
    let body = req.json()?;
    let Some(text) = body.get("body").and_then(Value::as_str) else {
        return Err(ApiError::validation(
            "IssueComment",
            "body",
            "missing_field",
            None,
        ));
    };
    if text.chars().count() > MAX_BODY {
        return Err(ApiError::validation(
            "IssueComment",
            "body",
            "custom",
            Some("body is too long (maximum is 65536 characters)"),
        ));
    }
    Ok(text.to_owned())
}

fn create(repo: &mut Repo, ids: &mut Ids, n: &str, req: &Req) -> Res {
    let n = number(n)?;
    let text = body_text(req)?;
    let id = ids.object();
    let issue = repo.issue_mut(n).ok_or_else(ApiError::not_found)?;
    let comment = Comment {
        id,
        author: req.login.clone(),
        body: text,
        created_at: req.now,
        updated_at: req.now,
    };
    issue.comments.push(comment.clone());
    issue.touch(req.now);
    Ok(Reply::json(
        StatusCode::CREATED,
        render::comment(&ctx(req, repo), n, &comment),
    ))
}

/// The issue number and index of comment `id` in `repo`.
fn find(repo: &Repo, id: &str) -> Result<(u64, usize), ApiError> {
    let id = number(id)?;
    repo.issues
        .iter()
        .find_map(|i| {
            i.comments
                .iter()
                .position(|c| c.id == id)
                .map(|k| (i.number, k))
        })
        .ok_or_else(ApiError::not_found)
}

fn get(repo: &Repo, id: &str, req: &Req) -> Res {
    let (n, k) = find(repo, id)?;
    let issue = repo.issue(n).ok_or_else(ApiError::not_found)?;
    Ok(Reply::ok(render::comment(
        &ctx(req, repo),
        n,
        &issue.comments[k],
    )))
}

fn update(repo: &mut Repo, id: &str, req: &Req) -> Res {
    let (n, k) = find(repo, id)?;
    let text = body_text(req)?;
    let issue = repo.issue_mut(n).ok_or_else(ApiError::not_found)?;
    let comment = &mut issue.comments[k];
    if comment.author != req.login {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Must have admin rights to Repository.",
        ));
    }
    comment.body = text;
    comment.updated_at = req.now.max(comment.updated_at);
    let comment = comment.clone();
    issue.touch(req.now);
    Ok(Reply::ok(render::comment(&ctx(req, repo), n, &comment)))
}
