//! `GET /repos/{o}/{r}/contents/{path}`: files (base64, wrapped like GitHub) and directories.

use http::StatusCode;
use serde_json::Value;

use super::render::{self, Ctx};
use super::server::{ApiError, Reply, Req, Res};
use super::world::Repo;

/// A file or a directory listing at `?ref=` (default branch when absent).
pub fn get(repo: &Repo, path: &str, req: &Req) -> Res {
    let r = req.q("ref").unwrap_or(&repo.default_branch).to_owned();
    let Some((short, _)) = repo.resolve_ref(&r) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            &format!("No commit found for the ref {r}"),
        ));
    };
    let c = Ctx {
        base: req.base,
        repo,
    };
    let path = path.trim_end_matches('/');
    if let Some(text) = repo.file_at(Some(&short), path) {
        return Ok(Reply::ok(render::content_file(&c, path, text, &short)));
    }
    // A directory: list its direct children.
    let prefix = format!("{path}/");
    let mut paths: Vec<String> = repo.files.keys().cloned().collect();
    if let Some(over) = repo.ref_files.get(&short) {
        paths.extend(over.keys().cloned());
    }
    let mut children: Vec<(String, bool)> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&prefix))
        .map(|rest| match rest.split_once('/') {
            Some((dir, _)) => (format!("{prefix}{dir}"), false),
            None => (format!("{prefix}{rest}"), true),
        })
        .collect();
    children.sort();
    children.dedup();
    if children.is_empty() {
        return Err(ApiError::not_found());
    }
    let items = children
        .iter()
        .map(|(p, is_file)| {
            let content = if *is_file {
                repo.file_at(Some(&short), p).map(String::as_str)
            } else {
                None
            };
            render::content_entry(&c, p, content, &short)
        })
        .collect();
    Ok(Reply::ok(Value::Array(items)))
}
