//! Routes for pull requests: `GET pulls` and `GET pulls/{n}`, the pull-request side of the
//! issues that carry a [`PullInfo`](super::world::PullInfo).

use http::Method;
use serde_json::{Value, json};

use super::issues::{ctx, list, number};
use super::render::{self, Ctx, user};
use super::server::{ApiError, Reply, Req, Res};
use super::util::iso;
use super::world::{Issue, PullInfo, Repo};

/// Answers `GET pulls` and `GET pulls/{n}`; `None` for other routes.
pub fn route(repo: &Repo, rest: &[&str], req: &Req) -> Option<Res> {
    if req.method != Method::GET {
        return None;
    }
    match rest {
        ["pulls"] => Some(list_pulls(repo, req)),
        ["pulls", n] => Some(get(repo, n, req)),
        _ => None,
    }
}

fn get(repo: &Repo, n: &str, req: &Req) -> Res {
    let n = number(n)?;
    let (i, p) = repo
        .issue(n)
        .and_then(|i| i.pull.as_ref().map(|p| (i, p)))
        .ok_or_else(ApiError::not_found)?;
    let c = ctx(req, repo);
    let mut v = simple(&c, i, p);
    let merged_by = p
        .merged_at
        .map(|_| user(c.base, i.closed_by.as_deref().unwrap_or(&i.author)));
    let more = json!({
        "merged": p.merged_at.is_some(),
        "mergeable": if i.state == "open" { json!(true) } else { Value::Null },
        "rebaseable": if i.state == "open" { json!(true) } else { Value::Null },
        "mergeable_state": if i.state == "open" { "clean" } else { "unknown" },
        "merged_by": merged_by,
        "comments": i.comments.len(),
        "review_comments": 0,
        "maintainer_can_modify": false,
        "commits": 1,
        "additions": 10 + n % 90,
        "deletions": n % 17,
        "changed_files": 1 + n % 7
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), more) {
        obj.extend(more);
    }
    Ok(Reply::ok(v))
}

fn invalid(field: &str) -> ApiError {
    ApiError::validation("PullRequest", field, "invalid", None)
}

fn list_pulls(repo: &Repo, req: &Req) -> Res {
    let state = req.q("state").unwrap_or("open");
    if !["open", "closed", "all"].contains(&state) {
        return Err(invalid("state"));
    }
    let by_updated = match req.q("sort").unwrap_or("created") {
        "created" | "popularity" | "long-running" => false,
        "updated" => true,
        _ => return Err(invalid("sort")),
    };
    let desc = match req.q("direction") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => return Err(invalid("direction")),
    };
    let base = req.q("base");
    // `head=user:ref` (or a bare ref).
    let head = req
        .q("head")
        .map(|h| h.split_once(':').map_or(h, |(_, r)| r));
    let mut pulls: Vec<(&Issue, &PullInfo)> = repo
        .issues
        .iter()
        .filter_map(|i| i.pull.as_ref().map(|p| (i, p)))
        .filter(|(i, _)| state == "all" || i.state == state)
        .filter(|(_, p)| base.is_none_or(|b| b == p.base_ref))
        .filter(|(_, p)| head.is_none_or(|h| h == p.head_ref))
        .collect();
    pulls.sort_by_key(|(i, _)| {
        (
            if by_updated {
                i.updated_at
            } else {
                i.created_at
            },
            i.number,
        )
    });
    if desc {
        pulls.reverse();
    }
    let c = ctx(req, repo);
    list(req, pulls.iter().map(|(i, p)| simple(&c, i, p)).collect())
}

/// `pull-request-simple`.
fn simple(c: &Ctx, i: &Issue, p: &PullInfo) -> Value {
    let api = format!("{}/pulls/{}", c.api(), i.number);
    let issue = format!("{}/issues/{}", c.api(), i.number);
    let html = format!("{}/pull/{}", c.html(), i.number);
    let statuses = format!("{}/statuses/{}", c.api(), p.head_sha);
    let repo_json = render::repo_full(c);
    let owner = &c.repo.owner;
    let base_sha = c
        .repo
        .branches
        .get(&p.base_ref)
        .map(|b| b.sha.clone())
        .unwrap_or_default();
    let assignees: Vec<Value> = i.assignees.iter().map(|a| user(c.base, a)).collect();
    let milestone = i
        .milestone
        .and_then(|n| c.repo.milestones.iter().find(|m| m.number == n))
        .map(|m| render::milestone(c, m));
    let link = |href: &str| json!({ "href": href });
    json!({
        "url": api,
        "id": i.id,
        "node_id": super::util::base64(format!("011:PullRequest{}", i.id).as_bytes(), false),
        "html_url": html,
        "diff_url": format!("{html}.diff"),
        "patch_url": format!("{html}.patch"),
        "issue_url": issue,
        "commits_url": format!("{api}/commits"),
        "review_comments_url": format!("{api}/comments"),
        "review_comment_url": format!("{}/pulls/comments{{/number}}", c.api()),
        "comments_url": format!("{issue}/comments"),
        "statuses_url": statuses,
        "number": i.number,
        "state": i.state,
        "locked": i.locked,
        "title": i.title,
        "user": user(c.base, &i.author),
        "body": i.body,
        "labels": render::issue_labels(c, &i.labels),
        "milestone": milestone,
        "active_lock_reason": null,
        "created_at": iso(i.created_at),
        "updated_at": iso(i.updated_at),
        "closed_at": i.closed_at.map(iso),
        "merged_at": p.merged_at.map(iso),
        "merge_commit_sha": p.merge_commit_sha,
        "assignee": assignees.first().cloned(),
        "assignees": assignees,
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {
            "label": format!("{owner}:{}", p.head_ref),
            "ref": p.head_ref,
            "sha": p.head_sha,
            "user": user(c.base, owner),
            "repo": repo_json.clone()
        },
        "base": {
            "label": format!("{owner}:{}", p.base_ref),
            "ref": p.base_ref,
            "sha": base_sha,
            "user": user(c.base, owner),
            "repo": repo_json
        },
        "_links": {
            "self": link(&api),
            "html": link(&html),
            "issue": link(&issue),
            "comments": link(&format!("{issue}/comments")),
            "review_comments": link(&format!("{api}/comments")),
            "review_comment": link(&format!("{}/pulls/comments{{/number}}", c.api())),
            "commits": link(&format!("{api}/commits")),
            "statuses": link(&statuses)
        },
        "author_association": "MEMBER",
        "auto_merge": null,
        "draft": p.draft
    })
}
