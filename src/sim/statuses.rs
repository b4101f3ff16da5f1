//! Commit statuses: `POST /repos/{o}/{r}/statuses/{sha}` and the combined status of a ref
//! (`GET /repos/{o}/{r}/commits/{ref}/status`).

use chrono::{DateTime, Utc};
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::issues::ctx;
use super::page::paginate;
use super::render::{self, Ctx};
use super::server::{ApiError, Reply, Req, Res};
use super::util::iso;
use super::world::{Ids, Repo};

/// Longest `description` GitHub accepts.
const MAX_DESCRIPTION: usize = 140;

/// One status set on a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitStatus {
    /// Numeric id.
    pub id: u64,
    /// `error`, `failure`, `pending` or `success`.
    pub state: String,
    /// A short description.
    pub description: Option<String>,
    /// Where it links to.
    pub target_url: Option<String>,
    /// What it reports on (`default` when not given).
    pub context: String,
    /// Login of who set it.
    pub creator: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update (the same: a status is never edited, only superseded).
    pub updated_at: DateTime<Utc>,
}

/// Routes `statuses/{sha}` and `commits/{ref…}/status`; `None` when the path is neither.
pub fn route(repo: &mut Repo, ids: &mut Ids, rest: &[&str], req: &Req) -> Option<Res> {
    match (req.method, rest) {
        (&Method::POST, ["statuses", sha @ ..]) if !sha.is_empty() => {
            Some(create(repo, ids, &sha.join("/"), req))
        }
        (&Method::GET, ["commits", r @ .., "status"]) if !r.is_empty() => {
            Some(combined(repo, &r.join("/"), req))
        }
        _ => None,
    }
}

fn create(repo: &mut Repo, ids: &mut Ids, sha: &str, req: &Req) -> Res {
    let body = req.json()?;
    let invalid = |field: &str| ApiError::validation("Status", field, "invalid", None);
    let state = match body.get("state") {
        Some(Value::String(s))
            if matches!(s.as_str(), "error" | "failure" | "pending" | "success") =>
        {
            s.clone()
        }
        None | Some(Value::Null) => {
            return Err(ApiError::validation(
                "Status",
                "state",
                "missing_field",
                None,
            ));
        }
        Some(_) => return Err(invalid("state")),
    };
    let text = |key: &str| match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(key)),
    };
    let description = text("description")?;
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
    {
        return Err(ApiError::validation(
            "Status",
            "description",
            "custom",
            Some("description is too long (maximum is 140 characters)"),
        ));
    }
    let target_url = text("target_url")?;
    let context = text("context")?
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "default".to_owned());
    if repo.commit(sha).is_none() {
        return Err(ApiError::unprocessable(&format!(
            "No commit found for SHA: {sha}"
        )));
    }
    let status = CommitStatus {
        id: ids.object(),
        state,
        description,
        target_url,
        context,
        creator: req.login.clone(),
        created_at: req.now,
        updated_at: req.now,
    };
    let c = ctx(req, repo);
    let mut v = simple(&c, sha, &status);
    v["creator"] = render::user(req.base, &status.creator);
    let location = v["url"].as_str().unwrap_or_default().to_owned();
    repo.statuses
        .entry(sha.to_owned())
        .or_default()
        .push(status);
    Ok(Reply::json(StatusCode::CREATED, v).with("location", location))
}

/// The commit a ref names: a branch or tag (bare, `heads/…`, `tags/…`, `refs/…`) or a SHA.
fn resolve(repo: &Repo, r: &str) -> Option<String> {
    let bare = r.strip_prefix("refs/").unwrap_or(r);
    let short = bare
        .strip_prefix("heads/")
        .or_else(|| bare.strip_prefix("tags/"));
    repo.resolve_ref(r)
        .or_else(|| short.and_then(|s| repo.resolve_ref(s)))
        .map(|(_, c)| c.sha)
        .or_else(|| repo.commit(r).map(|c| c.sha.clone()))
}

fn combined(repo: &Repo, r: &str, req: &Req) -> Res {
    let sha = resolve(repo, r).ok_or_else(ApiError::not_found)?;
    let all = repo.statuses.get(&sha).map_or(&[][..], Vec::as_slice);
    // The latest status of each context (contexts compare case-insensitively), newest first.
    let mut latest: Vec<&CommitStatus> = Vec::new();
    for s in all.iter().rev() {
        if !latest
            .iter()
            .any(|l| l.context.eq_ignore_ascii_case(&s.context))
        {
            latest.push(s);
        }
    }
    let state = combined_state(latest.iter().map(|s| s.state.as_str()));
    let c = ctx(req, repo);
    let total = latest.len();
    let items = latest.into_iter().map(|s| simple(&c, &sha, s)).collect();
    let (items, link) = paginate(items, req);
    let reply = Reply::ok(json!({
        "state": state,
        "statuses": items,
        "sha": sha,
        "total_count": total,
        "repository": render::repo_minimal(&c),
        "commit_url": format!("{}/commits/{sha}", c.api()),
        "url": format!("{}/commits/{sha}/status", c.api()),
    }));
    Ok(match link {
        Some(l) => reply.with("link", l),
        None => reply,
    })
}

/// GitHub's combined state: `failure` if any is `error` or `failure`, else `pending` if any
/// is pending or there are none, else `success`.
fn combined_state<'a>(states: impl Iterator<Item = &'a str>) -> &'static str {
    let mut any = false;
    let mut pending = false;
    for s in states {
        any = true;
        match s {
            "error" | "failure" => return "failure",
            "pending" => pending = true,
            _ => {}
        }
    }
    if pending || !any {
        "pending"
    } else {
        "success"
    }
}

/// `simple-commit-status` (the `status` schema adds `creator`).
fn simple(c: &Ctx, sha: &str, s: &CommitStatus) -> Value {
    let creator = render::user(c.base, &s.creator);
    json!({
        "url": format!("{}/statuses/{sha}", c.api()),
        "avatar_url": creator["avatar_url"],
        "id": s.id,
        "node_id": super::util::base64(format!("013:StatusContext{}", s.id).as_bytes(), false),
        "state": s.state,
        "description": s.description,
        "target_url": s.target_url,
        "context": s.context,
        "created_at": iso(s.created_at),
        "updated_at": iso(s.updated_at),
    })
}

#[cfg(test)]
mod tests {
    use super::combined_state;

    #[test]
    fn combines_like_github() {
        assert_eq!(combined_state([].into_iter()), "pending");
        assert_eq!(
            combined_state(["success", "success"].into_iter()),
            "success"
        );
        assert_eq!(
            combined_state(["success", "pending"].into_iter()),
            "pending"
        );
        assert_eq!(combined_state(["pending", "error"].into_iter()), "failure");
        assert_eq!(
            combined_state(["failure", "success"].into_iter()),
            "failure"
        );
    }
}
