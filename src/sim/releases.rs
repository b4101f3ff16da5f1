//! GitHub Releases: list, create, read and update (`…/releases`, `…/releases/{id}`), drafts
//! included, and GitHub's own generated notes (`…/releases/generate-notes`). A tag can have one published release: creating or renaming another release to
//! it is GitHub's 422 `already_exists`; drafts may share a tag, as on GitHub, so a client that
//! creates instead of updating leaves two drafts (and a test can see it).

use chrono::{DateTime, Utc};
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::issues::{ctx, list, number};
use super::render::{self, Ctx};
use super::server::{ApiError, Reply, Req, Res};
use super::util::iso;
use super::world::{Ids, Repo};

/// Longest release body GitHub accepts (characters).
const MAX_BODY: usize = 125_000;

/// A release of a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Numeric id.
    pub id: u64,
    pub tag_name: String,
    /// Branch or commit the tag is created from when published.
    pub target_commitish: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    /// Login of who created it.
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it was published; `None` while a draft.
    pub published_at: Option<DateTime<Utc>>,
}

/// Routes `releases` and `releases/{id}`; `None` when the path is neither.
pub fn route(repo: &mut Repo, ids: &mut Ids, rest: &[&str], req: &Req) -> Option<Res> {
    Some(match (req.method, rest) {
        (&Method::GET, ["releases"]) => {
            let c = ctx(req, repo);
            let mut all: Vec<&Release> = repo.releases.iter().collect();
            all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
            list(req, all.iter().map(|r| render(&c, r)).collect())
        }
        (&Method::POST, ["releases"]) => create(repo, ids, req),
        (&Method::POST, ["releases", "generate-notes"]) => generate(repo, req),
        (&Method::GET, ["releases", id]) => number(id).and_then(|id| {
            let r = repo
                .releases
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(ApiError::not_found)?;
            Ok(Reply::ok(render(&ctx(req, repo), r)))
        }),
        (&Method::PATCH, ["releases", id]) => update(repo, id, req),
        _ => return None,
    })
}

/// `release`, as GitHub renders it.
fn render(c: &Ctx, r: &Release) -> Value {
    let api = format!("{}/releases/{}", c.api(), r.id);
    let archive = |kind: &str| (!r.draft).then(|| format!("{}/{kind}/{}", c.api(), r.tag_name));
    json!({
        "url": api,
        "html_url": format!("{}/releases/tag/{}", c.html(), r.tag_name),
        "assets_url": format!("{api}/assets"),
        "upload_url": format!("{}/releases/{}/assets{{?name,label}}", c.api().replace("/repos/", "/uploads/repos/"), r.id),
        "tarball_url": archive("tarball"),
        "zipball_url": archive("zipball"),
        "id": r.id,
        "node_id": super::util::base64(format!("07:Release{}", r.id).as_bytes(), false),
        "tag_name": r.tag_name,
        "target_commitish": r.target_commitish,
        "name": r.name,
        "body": r.body,
        "draft": r.draft,
        "prerelease": r.prerelease,
        "immutable": false,
        "created_at": iso(r.created_at),
        "published_at": r.published_at.map(iso),
        "updated_at": iso(r.updated_at),
        "author": render::user(c.base, &r.author),
        "assets": [],
    })
}

/// The fields a create or update may set, checked.
struct Fields {
    tag_name: Option<String>,
    target_commitish: Option<String>,
    name: Option<Option<String>>,
    body: Option<Option<String>>,
    draft: Option<bool>,
    prerelease: Option<bool>,
}

fn fields(req: &Req) -> Result<Fields, ApiError> {
    let v = req.json()?;
    let invalid = |field: &str| ApiError::validation("Release", field, "invalid", None);
    let text = |field: &str| -> Result<Option<String>, ApiError> {
        match v.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(field)),
        }
    };
    let nullable = |field: &str| -> Result<Option<Option<String>>, ApiError> {
        match v.get(field) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
            Some(_) => Err(invalid(field)),
        }
    };
    let flag = |field: &str| -> Result<Option<bool>, ApiError> {
        match v.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(invalid(field)),
        }
    };
    let f = Fields {
        tag_name: text("tag_name")?,
        target_commitish: text("target_commitish")?,
        name: nullable("name")?,
        body: nullable("body")?,
        draft: flag("draft")?,
        prerelease: flag("prerelease")?,
    };
    if f.tag_name.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(invalid("tag_name"));
    }
    if f.body
        .as_ref()
        .and_then(Option::as_deref)
        .is_some_and(|b| b.chars().count() > MAX_BODY)
    {
        return Err(ApiError::validation(
            "Release",
            "body",
            "custom",
            Some("body is too long (maximum is 125000 characters)"),
        ));
    }
    Ok(f)
}

/// 422 `already_exists` when a published release other than `except` has `tag`.
fn check_tag(repo: &Repo, tag: &str, draft: bool, except: Option<u64>) -> Result<(), ApiError> {
    let taken = repo
        .releases
        .iter()
        .any(|r| Some(r.id) != except && !r.draft && r.tag_name == tag);
    if taken && !draft {
        return Err(ApiError::validation(
            "Release",
            "tag_name",
            "already_exists",
            None,
        ));
    }
    Ok(())
}

fn create(repo: &mut Repo, ids: &mut Ids, req: &Req) -> Res {
    let f = fields(req)?;
    let Some(tag) = f.tag_name else {
        return Err(ApiError::validation(
            "Release",
            "tag_name",
            "missing_field",
            None,
        ));
    };
    let draft = f.draft.unwrap_or(false);
    check_tag(repo, &tag, draft, None)?;
    let release = Release {
        id: ids.object(),
        tag_name: tag,
        target_commitish: f
            .target_commitish
            .unwrap_or_else(|| repo.default_branch.clone()),
        name: f.name.flatten(),
        body: f.body.flatten(),
        draft,
        prerelease: f.prerelease.unwrap_or(false),
        author: req.login.clone(),
        created_at: req.now,
        updated_at: req.now,
        published_at: (!draft).then_some(req.now),
    };
    let reply = Reply::json(StatusCode::CREATED, render(&ctx(req, repo), &release));
    repo.releases.push(release);
    Ok(reply)
}

fn update(repo: &mut Repo, id: &str, req: &Req) -> Res {
    let id = number(id)?;
    let k = repo
        .releases
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(ApiError::not_found)?;
    let f = fields(req)?;
    let current = &repo.releases[k];
    let tag = f.tag_name.unwrap_or_else(|| current.tag_name.clone());
    let draft = f.draft.unwrap_or(current.draft);
    check_tag(repo, &tag, draft, Some(id))?;
    let r = &mut repo.releases[k];
    r.tag_name = tag;
    if let Some(t) = f.target_commitish {
        r.target_commitish = t;
    }
    if let Some(n) = f.name {
        r.name = n;
    }
    if let Some(b) = f.body {
        r.body = b;
    }
    if let Some(p) = f.prerelease {
        r.prerelease = p;
    }
    if r.draft && !draft {
        r.published_at = Some(req.now);
    }
    r.draft = draft;
    r.updated_at = req.now.max(r.updated_at);
    let r = r.clone();
    Ok(Reply::ok(render(&ctx(req, repo), &r)))
}

/// `release-notes-content`, as GitHub writes it: the pull requests merged since the previous
/// release (`previous_tag_name`, else the newest published release; all of them when there is
/// none), oldest first, then the full-changelog link. Nothing is saved.
fn generate(repo: &Repo, req: &Req) -> Res {
    let v = req.json()?;
    let Some(tag) = v.get("tag_name").and_then(Value::as_str) else {
        return Err(ApiError::validation(
            "Release",
            "tag_name",
            "missing_field",
            None,
        ));
    };
    let previous = match v.get("previous_tag_name").and_then(Value::as_str) {
        Some(p) => Some(
            repo.releases
                .iter()
                .find(|r| r.tag_name == p && !r.draft)
                .ok_or_else(|| {
                    ApiError::validation("Release", "previous_tag_name", "invalid", None)
                })?,
        ),
        None => repo
            .releases
            .iter()
            .filter(|r| !r.draft && r.tag_name != tag)
            .max_by_key(|r| r.published_at),
    };
    let since = previous.and_then(|r| r.published_at);
    // Without a previous release, the pull requests of the milestone named like the tag (when
    // there is one) stand for "since the previous release", not the whole history.
    let milestone = previous
        .is_none()
        .then(|| repo.milestones.iter().find(|m| m.title == tag))
        .flatten()
        .map(|m| m.number);
    let c = ctx(req, repo);
    let mut merged: Vec<(DateTime<Utc>, String)> = repo
        .issues
        .iter()
        .filter_map(|i| {
            let at = i.pull.as_ref()?.merged_at?;
            let in_milestone = milestone.is_none_or(|m| i.milestone == Some(m));
            (in_milestone && since.is_none_or(|s| at > s)).then(|| {
                (
                    at,
                    format!(
                        "* {} by @{} in {}/pull/{}",
                        i.title,
                        i.author,
                        c.html(),
                        i.number
                    ),
                )
            })
        })
        .collect();
    merged.sort();
    let mut body = String::new();
    if !merged.is_empty() {
        body.push_str("## What's Changed\n");
        for (_, line) in &merged {
            body.push_str(line);
            body.push('\n');
        }
        body.push('\n');
    }
    body.push_str(&match previous {
        Some(p) => format!(
            "**Full Changelog**: {}/compare/{}...{tag}",
            c.html(),
            p.tag_name
        ),
        None => format!("**Full Changelog**: {}/commits/{tag}", c.html()),
    });
    Ok(Reply::ok(json!({"name": tag, "body": body})))
}
