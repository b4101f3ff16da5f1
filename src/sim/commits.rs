//! Routes for the commit graph: `GET commits` (a ref's history, newest first) and
//! `GET compare/{base}...{head}` (what head has that base lacks, oldest first).

use chrono::SubsecRound;
use http::Method;
use serde_json::{Value, json};

use super::issues::{ctx, list_with};
use super::page::paginate;
use super::render::{Ctx, user};
use super::server::{ApiError, Reply, Req, Res};
use super::util::{fake_sha, iso, parse_time};
use super::world::{Commit, Repo};

/// Most commits a comparison lists, like GitHub.
pub const COMPARE_CAP: usize = 250;

/// Answers `GET commits` and `GET compare/...`; `None` for other routes.
pub fn route(repo: &Repo, rest: &[&str], req: &Req) -> Option<Res> {
    if req.method != Method::GET {
        return None;
    }
    match rest {
        ["commits"] => Some(list_commits(repo, req)),
        ["compare", spec @ ..] if !spec.is_empty() => Some(compare(repo, &spec.join("/"), req)),
        _ => None,
    }
}

/// The commit a ref names: a branch or tag (bare, `heads/…`, `tags/…`, `refs/…`) or a SHA.
fn resolve(repo: &Repo, r: &str) -> Option<Commit> {
    let bare = r.strip_prefix("refs/").unwrap_or(r);
    let short = bare
        .strip_prefix("heads/")
        .or_else(|| bare.strip_prefix("tags/"));
    repo.resolve_ref(r)
        .or_else(|| short.and_then(|s| repo.resolve_ref(s)))
        .map(|(_, c)| c)
        .or_else(|| repo.commit(r).cloned())
}

fn no_commit(r: &str) -> ApiError {
    ApiError::new(
        http::StatusCode::NOT_FOUND,
        &format!("No commit found for SHA: {r}"),
    )
}

fn list_commits(repo: &Repo, req: &Req) -> Res {
    let start = req.q("sha").unwrap_or(&repo.default_branch);
    let head = resolve(repo, start).ok_or_else(|| no_commit(start))?;
    let bound = |key: &str| -> Result<Option<_>, ApiError> {
        req.q(key)
            .map(|v| {
                parse_time(v).ok_or_else(|| {
                    ApiError::new(http::StatusCode::BAD_REQUEST, &format!("Invalid {key}"))
                })
            })
            .transpose()
    };
    let (since, until) = (bound("since")?, bound("until")?);
    let author = req.q("author");
    let c = ctx(req, repo);
    let history = repo.graph.history(&head);
    let items = history
        .iter()
        // Compared at whole seconds, the precision the answers show.
        .filter(|k| since.is_none_or(|s| k.timestamp.trunc_subsecs(0) >= s))
        .filter(|k| until.is_none_or(|u| k.timestamp.trunc_subsecs(0) <= u))
        .filter(|k| author.is_none_or(|a| a.eq_ignore_ascii_case(&k.author)))
        .collect();
    list_with(req, items, |k| commit_json(&c, k))
}

fn compare(repo: &Repo, spec: &str, req: &Req) -> Res {
    let (base, head) = spec.split_once("...").ok_or_else(ApiError::not_found)?;
    // `owner:ref` names a fork's ref; only this repository's own are known.
    let own = |r: &str| match r.split_once(':') {
        Some((owner, rest)) if owner == repo.owner => rest.to_owned(),
        _ => r.to_owned(),
    };
    let (base, head) = (own(base), own(head));
    let b = resolve(repo, &base).ok_or_else(ApiError::not_found)?;
    let h = resolve(repo, &head).ok_or_else(ApiError::not_found)?;
    let cmp = repo.graph.compare(&b, &h);
    let c = ctx(req, repo);
    let total = cmp.ahead.len();
    let paged = req.q("page").is_some() || req.q("per_page").is_some();
    let (shown, link) = if paged {
        paginate(cmp.ahead, req)
    } else {
        (cmp.ahead.into_iter().take(COMPARE_CAP).collect(), None)
    };
    let html = c.html();
    let api = c.api();
    let v = json!({
        "url": format!("{api}/compare/{base}...{head}"),
        "html_url": format!("{html}/compare/{base}...{head}"),
        "permalink_url": format!("{html}/compare/{o}:{}...{o}:{}", b.sha, h.sha, o = repo.owner),
        "diff_url": format!("{html}/compare/{base}...{head}.diff"),
        "patch_url": format!("{html}/compare/{base}...{head}.patch"),
        "base_commit": commit_json(&c, &b),
        "merge_base_commit": commit_json(&c, &cmp.merge_base),
        "status": cmp.status,
        "ahead_by": total,
        "behind_by": cmp.behind_by,
        "total_commits": total,
        "commits": shown.iter().map(|k| commit_json(&c, k)).collect::<Vec<Value>>(),
        "files": []
    });
    let reply = Reply::ok(v);
    Ok(match link {
        Some(l) => reply.with("link", l),
        None => reply,
    })
}

/// `commit` as the commits and compare routes list it.
pub fn commit_json(c: &Ctx, k: &Commit) -> Value {
    let api = format!("{}/commits/{}", c.api(), k.sha);
    let html = format!("{}/commit/{}", c.html(), k.sha);
    let person = json!({
        "name": k.author,
        "email": format!("{}@acme.example", k.author),
        "date": iso(k.timestamp)
    });
    let tree = fake_sha(&format!("tree:{}", k.sha));
    let parents: Vec<Value> = c
        .repo
        .graph
        .parents(&k.sha)
        .iter()
        .map(|p| {
            json!({
                "sha": p,
                "url": format!("{}/commits/{p}", c.api()),
                "html_url": format!("{}/commit/{p}", c.html())
            })
        })
        .collect();
    json!({
        "url": api,
        "sha": k.sha,
        "node_id": super::util::base64(format!("06:Commit{}", k.sha).as_bytes(), false),
        "html_url": html,
        "comments_url": format!("{api}/comments"),
        "commit": {
            "url": format!("{}/git/commits/{}", c.api(), k.sha),
            "author": person,
            "committer": person,
            "message": k.message,
            "comment_count": 0,
            "tree": {"sha": tree, "url": format!("{}/git/trees/{tree}", c.api())},
            "verification": {
                "verified": false, "reason": "unsigned", "payload": null,
                "signature": null, "verified_at": null
            }
        },
        "author": user(c.base, &k.author),
        "committer": user(c.base, &k.author),
        "parents": parents
    })
}
