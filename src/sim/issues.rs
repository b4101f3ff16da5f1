//! Routes for the repository, milestones, issues, labels, comments and file contents.

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::page::paginate;
use super::render::{self, Ctx};
use super::server::{ApiError, Reply, Req, Res};
use super::util::parse_time;
use super::world::{Issue, Repo, World};

/// Maximum issue body length GitHub accepts.
pub const MAX_BODY: usize = 65_536;

/// Routes `/repos/{o}/{r}/...` outside `actions/`.
pub fn route(world: &mut World, full: &str, rest: &[&str], req: &Req) -> Res {
    if let ["issues", n, "sub_issues"] = rest {
        return super::sub_issues::route(world, full, number(n)?, req);
    }
    let now = req.now;
    let login = req.login.clone();
    let World { repos, ids, .. } = world;
    let repo = repos
        .iter_mut()
        .find(|r| r.full_name() == full)
        .ok_or_else(ApiError::not_found)?;
    if let Some(res) = super::comments::route(repo, ids, rest, req)
        .or_else(|| super::statuses::route(repo, ids, rest, req))
        .or_else(|| super::releases::route(repo, ids, rest, req))
        .or_else(|| super::milestones::route(repo, rest, req))
        .or_else(|| super::commits::route(repo, rest, req))
        .or_else(|| super::pulls::route(repo, rest, req))
    {
        return res;
    }
    if let Some(res) = route_read(repo, rest, req) {
        return res;
    }
    let m = req.method;
    match (m, rest) {
        (&Method::POST, ["issues"]) => {
            let body = req.json()?;
            let title = body
                .get("title")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty());
            let Some(title) = title else {
                return Err(ApiError::validation(
                    "Issue",
                    "title",
                    "missing_field",
                    None,
                ));
            };
            let text = opt_str(&body, "body")?;
            check_body_len(text.as_deref())?;
            let milestone = match body.get("milestone") {
                None | Some(Value::Null) => None,
                Some(v) => Some(milestone_ref(repo, v)?),
            };
            let labels = match body.get("labels") {
                Some(v) => label_names(v)?
                    .iter()
                    .map(|n| repo.ensure_label(ids, n))
                    .collect(),
                None => Vec::new(),
            };
            let number = repo.issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
            let issue = Issue {
                id: ids.object(),
                number,
                title: title.to_owned(),
                body: text,
                state: "open".to_owned(),
                state_reason: None,
                labels,
                assignees: string_list(body.get("assignees")),
                author: login,
                milestone,
                created_at: now,
                updated_at: now,
                closed_at: None,
                closed_by: None,
                comments: Vec::new(),
                pull: None,
                locked: false,
                sub_issues: Vec::new(),
            };
            let v = render::issue(&ctx(req, repo), &issue);
            repo.issues.push(issue);
            Ok(Reply::json(StatusCode::CREATED, v))
        }
        (&Method::PATCH, ["issues", n]) => {
            let n = number(n)?;
            let body = req.json()?;
            if repo.issue(n).is_none() {
                return Err(ApiError::not_found());
            }
            let labels = match body.get("labels") {
                Some(v) => Some(
                    label_names(v)?
                        .iter()
                        .map(|name| repo.ensure_label(ids, name))
                        .collect::<Vec<_>>(),
                ),
                None => None,
            };
            let milestone = match body.get("milestone") {
                None => None,
                Some(Value::Null) => Some(None),
                Some(v) => Some(Some(milestone_ref(repo, v)?)),
            };
            let issue = repo.issue_mut(n).ok_or_else(ApiError::not_found)?;
            update_issue(issue, &body, labels, milestone, &login, now)?;
            let i = repo.issue(n).ok_or_else(ApiError::not_found)?;
            Ok(Reply::ok(render::issue(&ctx(req, repo), i)))
        }
        (&Method::POST, ["issues", n, "labels"]) => {
            let n = number(n)?;
            let body = req.json()?;
            let v = body.get("labels").unwrap_or(&body);
            let names: Vec<String> = label_names(v)?
                .iter()
                .map(|name| repo.ensure_label(ids, name))
                .collect();
            let issue = repo.issue_mut(n).ok_or_else(ApiError::not_found)?;
            for name in names {
                if !issue.labels.iter().any(|l| l.eq_ignore_ascii_case(&name)) {
                    issue.labels.push(name);
                }
            }
            issue.touch(now);
            let i = repo.issue(n).ok_or_else(ApiError::not_found)?;
            Ok(Reply::ok(json!(render::issue_labels(
                &ctx(req, repo),
                &i.labels
            ))))
        }
        (&Method::DELETE, ["issues", n, "labels", name]) => {
            let issue = repo.issue_mut(number(n)?).ok_or_else(ApiError::not_found)?;
            let before = issue.labels.len();
            issue.labels.retain(|l| !l.eq_ignore_ascii_case(name));
            if issue.labels.len() == before {
                return Err(ApiError::new(StatusCode::NOT_FOUND, "Label does not exist"));
            }
            issue.touch(now);
            let labels = issue.labels.clone();
            Ok(Reply::ok(json!(render::issue_labels(
                &ctx(req, repo),
                &labels
            ))))
        }
        _ => Err(ApiError::not_found()),
    }
}

/// The read-only routes under `/repos/{o}/{r}/` outside `actions/` and the sub-routes of
/// [`route`]: the server answers them under a shared lock, so reads run side by side. `None`
/// for any other request.
pub fn route_read(repo: &Repo, rest: &[&str], req: &Req) -> Option<Res> {
    if req.method != Method::GET {
        return None;
    }
    read(repo, rest, req).transpose()
}

fn read(repo: &Repo, rest: &[&str], req: &Req) -> Result<Option<Reply>, ApiError> {
    let reply = match rest {
        [] => Reply::ok(render::repo_full(&ctx(req, repo))),
        ["milestones"] => list_milestones(repo, req)?,
        ["milestones", n] => {
            let n = number(n)?;
            let ms = repo
                .milestones
                .iter()
                .find(|x| x.number == n)
                .ok_or_else(ApiError::not_found)?;
            Reply::ok(render::milestone(&ctx(req, repo), ms))
        }
        ["milestones", n, "labels"] => {
            let n = number(n)?;
            let mut names: Vec<String> = repo
                .issues
                .iter()
                .filter(|i| i.milestone == Some(n))
                .flat_map(|i| i.labels.iter().cloned())
                .collect();
            names.sort();
            names.dedup();
            list(req, render::issue_labels(&ctx(req, repo), &names))?
        }
        ["labels"] => {
            let c = ctx(req, repo);
            list_with(req, repo.labels.iter().collect(), |l| render::label(&c, l))?
        }
        ["labels", name] => {
            let l = repo.label(name).ok_or_else(ApiError::not_found)?;
            Reply::ok(render::label(&ctx(req, repo), l))
        }
        ["issues"] => list_issues(repo, req)?,
        ["issues", n] => {
            let i = repo.issue(number(n)?).ok_or_else(ApiError::not_found)?;
            Reply::ok(render::issue(&ctx(req, repo), i))
        }
        ["issues", n, "labels"] => {
            let i = repo.issue(number(n)?).ok_or_else(ApiError::not_found)?;
            list(req, render::issue_labels(&ctx(req, repo), &i.labels))?
        }
        ["contents", path @ ..] if !path.is_empty() => {
            super::contents::get(repo, &path.join("/"), req)?
        }
        _ => return Ok(None),
    };
    Ok(Some(reply))
}

/// The rendering context of `repo` for this request.
pub fn ctx<'a>(req: &'a Req, repo: &'a Repo) -> Ctx<'a> {
    Ctx {
        base: req.base,
        repo,
    }
}

/// A number from a path segment; anything else is a 404, like GitHub.
pub fn number(s: &str) -> Result<u64, ApiError> {
    s.parse().map_err(|_| ApiError::not_found())
}

/// A JSON array answer, paginated.
pub fn list(req: &Req, items: Vec<Value>) -> Res {
    list_with(req, items, |v| v)
}

/// A JSON array answer, paginated before rendering: only the requested page of `items` is
/// passed to `render`, so a page costs the same whatever the length of the list.
pub fn list_with<T>(req: &Req, items: Vec<T>, render: impl FnMut(T) -> Value) -> Res {
    let (items, link) = paginate(items, req);
    let reply = Reply::ok(Value::Array(items.into_iter().map(render).collect()));
    Ok(match link {
        Some(l) => reply.with("link", l),
        None => reply,
    })
}

fn direction(req: &Req, default_desc: bool) -> Result<bool, ApiError> {
    match req.q("direction") {
        None => Ok(default_desc),
        Some("desc") => Ok(true),
        Some("asc") => Ok(false),
        Some(_) => Err(ApiError::validation("Issue", "direction", "invalid", None)),
    }
}

fn list_milestones(repo: &Repo, req: &Req) -> Res {
    let state = req.q("state").unwrap_or("open");
    if !matches!(state, "open" | "closed" | "all") {
        return Err(ApiError::validation("Milestone", "state", "invalid", None));
    }
    let mut ms: Vec<_> = repo
        .milestones
        .iter()
        .filter(|m| state == "all" || m.state == state)
        .collect();
    match req.q("sort").unwrap_or("due_on") {
        "due_on" => ms.sort_by_key(|m| (m.due_on.is_none(), m.due_on, m.number)),
        "completeness" => ms.sort_by_key(|m| {
            let (open, closed) = repo
                .issues
                .iter()
                .filter(|i| i.milestone == Some(m.number))
                .fold((0u64, 0u64), |(o, c), i| {
                    if i.state == "open" {
                        (o + 1, c)
                    } else {
                        (o, c + 1)
                    }
                });
            (closed * 1000).checked_div(open + closed).unwrap_or(0)
        }),
        _ => return Err(ApiError::validation("Milestone", "sort", "invalid", None)),
    }
    if direction(req, false)? {
        ms.reverse();
    }
    let c = ctx(req, repo);
    list_with(req, ms, |m| render::milestone(&c, m))
}

fn list_issues(repo: &Repo, req: &Req) -> Res {
    let state = req.q("state").unwrap_or("open");
    if !matches!(state, "open" | "closed" | "all") {
        return Err(ApiError::validation("Issue", "state", "invalid", None));
    }
    let milestone = match req.q("milestone") {
        None => None,
        Some("*") => Some(Some(None)),
        Some("none") => Some(None),
        Some(n) => Some(Some(Some(n.parse::<u64>().map_err(|_| {
            ApiError::validation("Issue", "milestone", "invalid", None)
        })?))),
    };
    let labels: Vec<&str> = req
        .q("labels")
        .map(|l| {
            l.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let since = match req.q("since") {
        None => None,
        Some(s) => Some(
            parse_time(s).ok_or_else(|| ApiError::validation("Issue", "since", "invalid", None))?,
        ),
    };
    let assignee = req.q("assignee");
    let creator = req.q("creator");
    let mut items: Vec<&Issue> = repo
        .issues
        .iter()
        .filter(|i| state == "all" || i.state == state)
        .filter(|i| match milestone {
            None => true,
            Some(None) => i.milestone.is_none(),
            Some(Some(None)) => i.milestone.is_some(),
            Some(Some(Some(n))) => i.milestone == Some(n),
        })
        .filter(|i| {
            labels
                .iter()
                .all(|l| i.labels.iter().any(|x| x.eq_ignore_ascii_case(l)))
        })
        .filter(|i| since.is_none_or(|s| i.updated_at >= s))
        .filter(|i| match assignee {
            None => true,
            Some("none") => i.assignees.is_empty(),
            Some("*") => !i.assignees.is_empty(),
            Some(a) => i.assignees.iter().any(|x| x == a),
        })
        .filter(|i| creator.is_none_or(|c| i.author == c))
        .collect();
    match req.q("sort").unwrap_or("created") {
        "created" => items.sort_by_key(|i| (i.created_at, i.number)),
        "updated" => items.sort_by_key(|i| (i.updated_at, i.number)),
        "comments" => items.sort_by_key(|i| (i.comments.len(), i.number)),
        _ => return Err(ApiError::validation("Issue", "sort", "invalid", None)),
    }
    if direction(req, true)? {
        items.reverse();
    }
    let c = ctx(req, repo);
    let mut milestones: BTreeMap<u64, Option<Value>> = BTreeMap::new();
    list_with(req, items, |i| {
        let m = i.milestone.and_then(|n| {
            milestones
                .entry(n)
                .or_insert_with(|| render::milestone_number(&c, n))
                .clone()
        });
        render::issue_with(&c, i, m)
    })
}

fn opt_str(body: &Value, key: &str) -> Result<Option<String>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::validation("Issue", key, "invalid", None)),
    }
}

fn check_body_len(body: Option<&str>) -> Result<(), ApiError> {
    if body.is_some_and(|b| b.chars().count() > MAX_BODY) {
        return Err(ApiError::validation(
            "Issue",
            "body",
            "custom",
            Some("body is too long (maximum is 65536 characters)"),
        ));
    }
    Ok(())
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Label names from `["a", "b"]`, `[{"name": "a"}]` or a single string.
fn label_names(v: &Value) -> Result<Vec<String>, ApiError> {
    let bad = || ApiError::validation("Label", "labels", "invalid", None);
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                Value::Object(o) => o
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(bad),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

fn milestone_ref(repo: &Repo, v: &Value) -> Result<u64, ApiError> {
    let n = v
        .as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| ApiError::validation("Issue", "milestone", "invalid", None))?;
    if repo.milestones.iter().any(|m| m.number == n) {
        Ok(n)
    } else {
        Err(ApiError::validation("Issue", "milestone", "invalid", None))
    }
}

fn update_issue(
    issue: &mut Issue,
    body: &Value,
    labels: Option<Vec<String>>,
    milestone: Option<Option<u64>>,
    login: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    let title = match body.get("title") {
        None => None,
        Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
        Some(_) => return Err(ApiError::validation("Issue", "title", "invalid", None)),
    };
    let text = if body.get("body").is_some() {
        let t = opt_str(body, "body")?;
        check_body_len(t.as_deref())?;
        Some(t)
    } else {
        None
    };
    let state = match body.get("state") {
        None => None,
        Some(Value::String(s)) if s == "open" || s == "closed" => Some(s.clone()),
        Some(_) => return Err(ApiError::validation("Issue", "state", "invalid", None)),
    };
    let reason = match body.get("state_reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s))
            if matches!(
                s.as_str(),
                "completed" | "not_planned" | "reopened" | "duplicate"
            ) =>
        {
            Some(s.clone())
        }
        Some(_) => {
            return Err(ApiError::validation(
                "Issue",
                "state_reason",
                "invalid",
                None,
            ));
        }
    };
    if let Some(t) = title {
        issue.title = t;
    }
    if let Some(t) = text {
        issue.body = t;
    }
    if let Some(s) = state
        && s != issue.state
    {
        if s == "closed" {
            issue.closed_at = Some(now);
            issue.closed_by = Some(login.to_owned());
            issue.state_reason = Some(reason.clone().unwrap_or_else(|| "completed".to_owned()));
        } else {
            issue.closed_at = None;
            issue.closed_by = None;
            issue.state_reason = Some("reopened".to_owned());
        }
        issue.state = s;
    }
    if let Some(r) = reason {
        issue.state_reason = Some(r);
    }
    if let Some(l) = labels {
        issue.labels = l;
    }
    if let Some(m) = milestone {
        issue.milestone = m;
    }
    if body.get("assignees").is_some() {
        issue.assignees = string_list(body.get("assignees"));
    } else if let Some(a) = body.get("assignee") {
        issue.assignees = a.as_str().map(|s| vec![s.to_owned()]).unwrap_or_default();
    }
    issue.touch(now);
    Ok(())
}
