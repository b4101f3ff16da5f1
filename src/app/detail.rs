//! The detail view of one issue or pull request: opened by Enter on a board card or a risk, or
//! by `i` on a checklist item that is a sub-issue. Its text comes from the snapshot; its latest
//! comments are read on demand (ETag-cached by the client) and kept per issue for the session.

use std::collections::HashMap;

use super::action::Command;
use super::effect::Effect;
use super::overlay::Overlay;
use super::state::{AppState, Level, Pane};
use super::write::{Confirm, WriteRequest};
use crate::release::{Comment, Issue};

/// Comments shown (the newest ones).
pub const LATEST_COMMENTS: usize = 10;

/// Lines scrolled by PageUp / PageDown.
const PAGE: u16 = 10;

/// The open detail view: which issue, and how far it is scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueView {
    pub repo: String,
    pub number: u64,
    pub scroll: u16,
}

/// An issue's comments as last read, and whether a read is on its way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// The newest [`LATEST_COMMENTS`] comments (oldest first) and how many there are in all,
    /// or why they could not be read; `None` before the first answer.
    pub result: Option<Result<(Vec<Comment>, usize), String>>,
    pub loading: bool,
}

/// What the detail view read this session: comments by issue, and the issues not in the
/// release's data (a checklist item's link to another milestone), or why they could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailCache {
    by_issue: HashMap<(String, u64), Comments>,
    issues: HashMap<(String, u64), Result<Issue, String>>,
}

impl DetailCache {
    /// The comments of `repo#number`, if they were ever asked for.
    #[must_use]
    pub fn comments(&self, repo: &str, number: u64) -> Option<&Comments> {
        self.by_issue.get(&(repo.to_string(), number))
    }

    /// `repo#number` read on its own (it is not in the release's data), or why it could not
    /// be; `None` while it is on its way.
    #[must_use]
    pub fn issue(&self, repo: &str, number: u64) -> Option<&Result<Issue, String>> {
        self.issues.get(&(repo.to_string(), number))
    }
}

/// The issue `repo#number` as the snapshot has it (a milestone issue or PR, or a sub-issue of
/// the tracking issue), with its milestone's title when it is in the milestone.
#[must_use]
pub fn find_issue<'a>(
    state: &'a AppState,
    repo: &str,
    number: u64,
) -> Option<(&'a Issue, Option<&'a str>)> {
    let snapshot = state.snapshot.as_ref()?;
    let in_milestone = snapshot
        .repos
        .iter()
        .filter(|r| r.repo == repo)
        .find_map(|r| {
            r.issues
                .iter()
                .find(|i| i.number == number)
                .map(|i| (i, Some(r.milestone.title.as_str())))
        });
    in_milestone
        .or_else(|| {
            let subs = snapshot.tracking.as_ref()?.sub_issues.as_ref()?;
            subs.iter()
                .find(|i| i.repo == repo && i.number == number)
                .map(|i| (i, None))
        })
        .or_else(|| match state.details.issue(repo, number) {
            Some(Ok(i)) => Some((i, None)),
            _ => None,
        })
}

/// The issue under the cursor of the focused pane, if the pane has issues.
pub(crate) fn selected(state: &AppState) -> Result<(String, u64), &'static str> {
    let release = state.release.as_ref().ok_or("nothing loaded yet")?;
    // The cursor counts the rows shown: through the pane's filter to the item.
    match state.focus {
        Pane::Board => super::lists::board_cards(state, state.board.column)
            .get(state.board.card)
            .and_then(|&i| {
                release
                    .board()
                    .get(state.board.column)?
                    .cards
                    .get(i)
                    .cloned()
            })
            .map(|c| (c.repo.clone(), c.number))
            .ok_or("no card selected"),
        Pane::Risks => super::lists::selected_risk(state)
            .map(|r| (r.repo.clone(), r.number))
            .ok_or("no risk selected"),
        Pane::Checklist => {
            let item = super::lists::checklist_rows(state)
                .get(state.checklist.cursor.selected)
                .and_then(|&i| release.checklist.get(i))
                .ok_or("no checklist item selected")?;
            if let Some(r) = &item.sub_issue {
                return Ok((r.repo.clone(), r.number));
            }
            let tracking = release.tracking.as_ref().map_or("", |t| t.repo.as_str());
            linked_issue(&item.text, tracking).ok_or("this checklist item links no issue")
        }
        _ => Err("no issue here"),
    }
}

/// The issue a checklist item's text links, the last one when it names several: `owner/name#N`,
/// or `#N` in `repo` (the tracking issue's repository).
#[must_use]
pub fn linked_issue(text: &str, repo: &str) -> Option<(String, u64)> {
    let bytes = text.as_bytes();
    let mut found = None;
    for (at, _) in text.match_indices('#') {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = bytes.get(at + 1 + digits);
        if digits == 0 || after.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            continue;
        }
        let Ok(number) = text[at + 1..at + 1 + digits].parse::<u64>() else {
            continue;
        };
        let name_start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
            .map_or(0, |i| i + 1);
        let name = &text[name_start..at];
        match name.split('/').collect::<Vec<_>>().as_slice() {
            [] | [""] if !repo.is_empty() => found = Some((repo.to_string(), number)),
            [owner, project] if !owner.is_empty() && !project.is_empty() => {
                found = Some((name.to_string(), number));
            }
            _ => {}
        }
    }
    found
}

/// Whether the focused pane lists issues the detail view can open.
#[must_use]
pub fn focused(state: &AppState) -> bool {
    matches!(state.focus, Pane::Board | Pane::Risks | Pane::Checklist)
}

/// Opens the detail view of the selected issue and asks for its comments (again, if they
/// were read before: the cached ones show meanwhile).
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let (repo, number) = match selected(state) {
        Ok(sel) => sel,
        Err(why) => {
            state.record(Level::Info, why);
            return Vec::new();
        }
    };
    let mut effects = Vec::new();
    let key = (repo.clone(), number);
    if find_issue(state, &repo, number).is_none() && !state.details.issues.contains_key(&key) {
        // Not in the release's data: read on its own (a failure before is asked again).
        effects.push(Effect::FetchIssue {
            repo: repo.clone(),
            number,
        });
    }
    if let Some(Err(_)) = state.details.issues.get(&key) {
        state.details.issues.remove(&key);
        effects.push(Effect::FetchIssue {
            repo: repo.clone(),
            number,
        });
    }
    state.dirty = true;
    state.overlays.open(Overlay::Issue(IssueView {
        repo: repo.clone(),
        number,
        scroll: 0,
    }));
    let entry = state.details.by_issue.entry(key).or_default();
    if !entry.loading {
        entry.loading = true;
        effects.push(Effect::FetchComments { repo, number });
    }
    effects
}

/// An issue read on its own for the detail view, or why it could not be.
pub fn issue_loaded(
    state: &mut AppState,
    repo: String,
    number: u64,
    result: Result<Issue, String>,
) {
    state.details.issues.insert((repo, number), result);
    state.dirty = true;
}

/// An issue's comments arrived (every one, oldest first), or why they could not be read.
/// A failure keeps comments read before.
pub fn comments_loaded(
    state: &mut AppState,
    repo: String,
    number: u64,
    result: Result<Vec<Comment>, String>,
) {
    let entry = state.details.by_issue.entry((repo, number)).or_default();
    entry.loading = false;
    match result {
        Ok(mut all) => {
            let total = all.len();
            all.drain(..total.saturating_sub(LATEST_COMMENTS));
            entry.result = Some(Ok((all, total)));
        }
        Err(e) => {
            if !matches!(entry.result, Some(Ok(_))) {
                entry.result = Some(Err(e));
            }
        }
    }
    state.dirty = true;
}

/// A command while the detail view is on top: scrolling and closing; open and copy act on its
/// issue (see `selected_url`), help and refresh go through; other commands do nothing.
pub fn command(state: &mut AppState, cmd: Command) -> Option<Vec<Effect>> {
    let Some(Overlay::Issue(view)) = state.overlays.top_mut() else {
        return None;
    };
    match cmd {
        Command::Close => {
            state.overlays.close_top();
        }
        Command::Up => view.scroll = view.scroll.saturating_sub(1),
        Command::Down => view.scroll = view.scroll.saturating_add(1),
        Command::PageUp => view.scroll = view.scroll.saturating_sub(PAGE),
        Command::PageDown => view.scroll = view.scroll.saturating_add(PAGE),
        Command::Top => view.scroll = 0,
        Command::Comment => {
            let (repo, number) = (view.repo.clone(), view.number);
            if !super::runs::refuse_if_read_only(state) {
                state.overlays.ask(
                    Confirm::new(
                        "Comment",
                        &format!("Comment on {repo}#{number} as the token's user:"),
                        WriteRequest::Comment {
                            repo,
                            number,
                            body: String::new(),
                        },
                    )
                    .with_text("comment", true),
                );
            }
        }
        Command::Help | Command::Refresh | Command::OpenInBrowser | Command::CopyUrl => {
            return None;
        }
        _ => {}
    }
    Some(Vec::new())
}

/// The URL of the issue in the open detail view.
#[must_use]
pub fn url(state: &AppState) -> Option<Option<String>> {
    let view = state.overlays.issue()?;
    Some(find_issue(state, &view.repo, view.number).map(|(i, _)| i.html_url.clone()))
}

#[cfg(test)]
mod tests {
    use super::linked_issue;

    #[test]
    fn a_checklist_item_links_its_last_issue_reference() {
        let r = |repo: &str, n: u64| Some((repo.to_string(), n));
        assert_eq!(
            linked_issue("Scope agreed (#201)", "acme/web"),
            r("acme/web", 201)
        );
        assert_eq!(
            linked_issue(
                "payments: token decryption merged (acme/payments#85)",
                "acme/web"
            ),
            r("acme/payments", 85)
        );
        assert_eq!(linked_issue("#1 then #2", "acme/web"), r("acme/web", 2));
        assert_eq!(linked_issue("no reference here", "acme/web"), None);
        assert_eq!(
            linked_issue("channel #ops and C# and #12a", "acme/web"),
            None
        );
        assert_eq!(linked_issue("a/b/c#3 issue#4", "acme/web"), None);
        assert_eq!(linked_issue("#7", ""), None);
        assert_eq!(linked_issue("#99999999999999999999999", "acme/web"), None);
    }
}
