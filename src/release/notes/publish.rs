//! Publishing the notes as a draft GitHub Release per repository: which call each repository
//! needs. Idempotent: a draft for the tag is updated, never a second one created; a release
//! already published for the tag is left alone; nothing here ever publishes.

use serde::{Deserialize, Serialize};

use super::{Notes, render};
use crate::release::call::Call;

/// A GitHub Release of a repository, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoRelease {
    pub id: u64,
    pub tag_name: String,
    pub name: Option<String>,
    pub draft: bool,
    pub html_url: String,
}

/// The call that leaves one draft release for `tag` in `repo` with `name` and `body`: update
/// the existing draft for the tag (the oldest, when there are several), or create one.
///
/// # Errors
/// A release for the tag is already published: it is not touched (say why).
pub fn draft_call(
    repo: &str,
    tag: &str,
    name: &str,
    body: &str,
    existing: &[RepoRelease],
) -> Result<Call, String> {
    if let Some(published) = existing.iter().find(|r| !r.draft && r.tag_name == tag) {
        return Err(format!(
            "{repo}: the release for {tag} is already published ({}); it was not changed",
            published.html_url
        ));
    }
    Ok(existing
        .iter()
        .filter(|r| r.draft && r.tag_name == tag)
        .min_by_key(|r| r.id)
        .map_or_else(
            || Call::create_release(repo, tag, name, body),
            |draft| Call::update_release(repo, draft.id, tag, name, body),
        ))
}

/// The calls that leave one draft release for `tag` per repository, each with the notes'
/// part for that repository (named after the milestone): `existing` is each repository's
/// releases, in the order the calls go. Returns the calls and, for each repository left
/// alone, why. The one description of a publish, shown by the CLI and the dashboard alike.
#[must_use]
pub fn draft_calls(
    notes: &Notes,
    tag: &str,
    existing: &[(String, Vec<RepoRelease>)],
) -> (Vec<Call>, Vec<String>) {
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    for (repo, releases) in existing {
        let body = render::markdown(&notes.for_repo(repo));
        match draft_call(repo, tag, &notes.milestone, &body, releases) {
            Ok(call) => calls.push(call),
            Err(why) => skipped.push(why),
        }
    }
    (calls, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::call::Method;

    fn release(id: u64, tag: &str, draft: bool) -> RepoRelease {
        RepoRelease {
            id,
            tag_name: tag.into(),
            name: Some(tag.into()),
            draft,
            html_url: format!("https://github.com/acme/app/releases/tag/{tag}"),
        }
    }

    #[test]
    fn no_draft_for_the_tag_creates_one() {
        let c = draft_call("acme/app", "v2", "v2", "b", &[release(1, "v1", true)]).expect("a call");
        assert_eq!(
            (c.method, c.path.as_str()),
            (Method::Post, "/repos/acme/app/releases")
        );
    }

    #[test]
    fn an_existing_draft_is_updated_not_duplicated() {
        let existing = [
            release(9, "v2", true),
            release(4, "v2", true),
            release(1, "v1", false),
        ];
        let c = draft_call("acme/app", "v2", "v2", "b", &existing).expect("a call");
        assert_eq!(
            (c.method, c.path.as_str()),
            (Method::Patch, "/repos/acme/app/releases/4")
        );
        assert_eq!(c.body_json().expect("json")["draft"], true);
    }

    #[test]
    fn a_published_release_is_never_touched() {
        let err = draft_call("acme/app", "v1", "v1", "b", &[release(1, "v1", false)])
            .expect_err("refused");
        assert!(err.contains("already published"), "{err}");
    }
}
