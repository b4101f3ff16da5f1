//! Follow-up issues from picked retrospective lines: one `POST /repos/{repo}/issues` each,
//! titled with the line, linking the tracking issue, labelled, in the repository's next
//! milestone. A line already filed (an open issue with the same title and the label) is not
//! filed again.

use std::fmt::Write as _;

use super::{Line, Retro};
use crate::release::call::Call;
use crate::release::notes::render::{escape, link_target};
use crate::release::{Milestone, State, text};

/// GitHub refuses titles longer than this.
const TITLE_MAX: usize = 256;

/// What filing needs besides the draft, read from GitHub just before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpPlan {
    /// The follow-up label (`[retro] follow_up_label`).
    pub label: String,
    /// Per repository, the next milestone's number; `None` when it has none.
    pub next_milestone: Vec<(String, Option<u64>)>,
    /// Per repository, the titles of its open issues carrying the label.
    pub existing: Vec<(String, Vec<String>)>,
}

/// Where the draft's follow-ups go: the release, its repositories and its tracking issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub milestone: String,
    pub repos: Vec<String>,
    /// `(repo, number, url)`.
    pub tracking: Option<(String, u64, String)>,
}

impl Retro {
    /// Where its follow-ups go.
    #[must_use]
    pub fn origin(&self) -> Origin {
        Origin {
            milestone: self.milestone.clone(),
            repos: self.repos.clone(),
            tracking: self.tracking.clone(),
        }
    }
}

/// The calls to send and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filing {
    pub calls: Vec<Call>,
    /// Lines not filed, and why ("line 3: already filed in acme/app").
    pub skipped: Vec<String>,
    /// Repositories getting an issue without a milestone (they have no next one).
    pub without_milestone: Vec<String>,
}

/// The next open milestone after `current` by due date (a different milestone, due later; one
/// without a due date cannot be placed and is passed over); its number.
#[must_use]
pub fn next_milestone(milestones: &[Milestone], current: &Milestone) -> Option<u64> {
    milestones
        .iter()
        .filter(|m| m.state == State::Open && m.number != current.number)
        .filter(|m| m.title != current.title)
        .filter_map(|m| m.due_on.map(|d| (d, m)))
        .filter(|(d, _)| current.due_on.is_none_or(|c| *d > c))
        .min_by_key(|(d, m)| (*d, m.number))
        .map(|(_, m)| m.number)
}

/// The title of line `l`'s follow-up: the line as one plain line, cut to GitHub's limit.
#[must_use]
pub fn title(l: &Line) -> String {
    let one = text::line(&l.text);
    one.trim().chars().take(TITLE_MAX).collect()
}

/// The repository a line's follow-up goes to: the one it names, else the tracking issue's,
/// else the first.
fn repo_for<'a>(retro: &'a Origin, l: &'a Line) -> Option<&'a str> {
    l.repo
        .as_deref()
        .filter(|r| retro.repos.iter().any(|x| x == r))
        .or(retro.tracking.as_ref().map(|t| t.0.as_str()))
        .or(retro.repos.first().map(String::as_str))
}

/// The follow-up's body: where it comes from, the line (escaped) and its link.
fn body(retro: &Origin, l: &Line) -> String {
    let mut out = format!(
        "Follow-up from the retrospective of {} (line {}).\n\n> {}\n",
        escape(&retro.milestone),
        l.number,
        escape(&l.text)
    );
    if let Some(u) = l.url.as_deref().and_then(link_target) {
        let _ = writeln!(out, "\nAbout: {u}");
    }
    if let Some((repo, number, _)) = &retro.tracking {
        let _ = writeln!(out, "\nTracking issue: {repo}#{number}");
    }
    out.push_str("\n_Filed via shipdeck._\n");
    out
}

/// The calls filing `picked` (numbers of `lines`, the draft's) makes, in the order given,
/// once each.
///
/// # Errors
/// A number that is not a line of the draft.
pub fn follow_up_calls(
    retro: &Origin,
    lines: &[Line],
    picked: &[usize],
    plan: &FollowUpPlan,
) -> Result<Filing, String> {
    let mut filing = Filing::default();
    let mut seen: Vec<(String, String)> = Vec::new();
    for &n in picked {
        let l = lines
            .iter()
            .find(|l| l.number == n)
            .ok_or_else(|| format!("no line {n} in the draft (it has 1 to {})", lines.len()))?;
        let Some(repo) = repo_for(retro, l) else {
            filing.skipped.push(format!("line {n}: no repository"));
            continue;
        };
        let t = title(l);
        let filed = plan
            .existing
            .iter()
            .filter(|(r, _)| r == repo)
            .any(|(_, titles)| titles.iter().any(|x| x.trim() == t));
        if filed || seen.contains(&(repo.to_string(), t.clone())) {
            filing
                .skipped
                .push(format!("line {n}: already filed in {repo}"));
            continue;
        }
        seen.push((repo.to_string(), t.clone()));
        let milestone = plan
            .next_milestone
            .iter()
            .find(|(r, _)| r == repo)
            .and_then(|(_, m)| *m);
        if milestone.is_none() && !filing.without_milestone.iter().any(|r| r == repo) {
            filing.without_milestone.push(repo.to_string());
        }
        filing.calls.push(Call::create_issue(
            repo,
            &t,
            &body(retro, l),
            std::slice::from_ref(&plan.label),
            milestone,
        ));
    }
    Ok(filing)
}
