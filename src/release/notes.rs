//! Release notes: the milestone's closed issues and merged pull requests, across every
//! repository of the release, grouped into sections by label. Pure; rendered by
//! [`render`].

pub mod publish;
pub mod render;

use serde::{Deserialize, Serialize};

use super::snapshot::{ReleaseRules, Snapshot};
use super::{Issue, State};

/// One `[[notes.sections]]`: a title and the labels that put an entry in it. A section with no
/// labels takes every entry no earlier section took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionRule {
    pub title: String,
    #[serde(default)]
    pub labels: Vec<String>,
}

impl SectionRule {
    /// A section named `title` for `labels`.
    #[must_use]
    pub fn new(title: &str, labels: &[&str]) -> Self {
        Self {
            title: title.to_string(),
            labels: labels.iter().map(|l| (*l).to_string()).collect(),
        }
    }

    /// Whether an entry with these labels belongs here (a catch-all takes everything).
    fn takes(&self, issue: &Issue) -> bool {
        self.labels.is_empty() || self.labels.iter().any(|l| issue.has_label(l))
    }
}

/// How notes are made: the sections in order (the first that takes an entry wins) and the
/// label that keeps an entry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesRules {
    pub sections: Vec<SectionRule>,
    pub skip_label: String,
}

impl Default for NotesRules {
    fn default() -> Self {
        Self {
            sections: default_sections(),
            skip_label: "skip-notes".into(),
        }
    }
}

/// Features, Fixes, Security, Other (everything else).
#[must_use]
pub fn default_sections() -> Vec<SectionRule> {
    vec![
        SectionRule::new("Features", &["feature", "enhancement"]),
        SectionRule::new("Fixes", &["bug", "fix"]),
        SectionRule::new("Security", &["security"]),
        SectionRule::new("Other", &[]),
    ]
}

/// The notes of one milestone: its non-empty sections in the configured order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notes {
    pub milestone: String,
    pub sections: Vec<Section>,
}

/// One section with its entries, sorted by repository then number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: String,
    pub entries: Vec<Entry>,
}

/// One closed issue or merged pull request, as GitHub has it (not sanitised: the renderers
/// do that for where the text goes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub repo: String,
    pub number: u64,
    pub title: String,
    /// The author's login; `None` for a deleted account.
    pub author: Option<String>,
    pub html_url: String,
    pub is_pull_request: bool,
}

impl Entry {
    fn of(issue: &Issue) -> Self {
        Self {
            repo: issue.repo.clone(),
            number: issue.number,
            title: issue.title.clone(),
            author: issue.author.clone(),
            html_url: issue.html_url.clone(),
            is_pull_request: issue.is_pull_request,
        }
    }
}

impl Notes {
    /// Whether no section has an entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.entries.is_empty())
    }

    /// Only the entries of `repo` (what that repository's GitHub Release says).
    #[must_use]
    pub fn for_repo(&self, repo: &str) -> Notes {
        Notes {
            milestone: self.milestone.clone(),
            sections: self
                .sections
                .iter()
                .map(|s| Section {
                    title: s.title.clone(),
                    entries: s
                        .entries
                        .iter()
                        .filter(|e| e.repo == repo)
                        .cloned()
                        .collect(),
                })
                .filter(|s| !s.entries.is_empty())
                .collect(),
        }
    }
}

/// Whether `issue` is a change the notes tell: an issue closed as done (not "not planned", not
/// a duplicate), or a merged pull request (one closed without merging changed nothing).
#[must_use]
pub fn is_shipped(issue: &Issue) -> bool {
    if issue.is_pull_request {
        issue.state == State::Closed && issue.merged_at.is_some()
    } else {
        issue.closed_as_done()
    }
}

/// The notes of the snapshot's milestone: shipped issues and PRs of every repository, without
/// the tracking issue, checklist-labelled issues, risks and anything labelled
/// `rules.skip_label`, grouped into the first section that takes each.
#[must_use]
pub fn from_snapshot(snapshot: &Snapshot, release: &ReleaseRules, rules: &NotesRules) -> Notes {
    let tracking = snapshot
        .tracking
        .as_ref()
        .map(|t| (t.repo.as_str(), t.number));
    let excluded = |i: &Issue| {
        tracking == Some((i.repo.as_str(), i.number))
            || i.has_label(&release.checklist_label)
            || i.has_label(&release.risk_label)
    };
    group(
        &snapshot.milestone,
        snapshot
            .repos
            .iter()
            .flat_map(|r| r.issues.iter())
            .filter(|i| !excluded(i)),
        rules,
    )
}

/// Groups `issues`: the shipped ones not labelled `rules.skip_label`, each in the first
/// section that takes it (left out when none does), sorted by repository then number; empty
/// sections are dropped.
#[must_use]
pub fn group<'a>(
    milestone: &str,
    issues: impl IntoIterator<Item = &'a Issue>,
    rules: &NotesRules,
) -> Notes {
    let mut sections: Vec<Section> = rules
        .sections
        .iter()
        .map(|s| Section {
            title: s.title.clone(),
            entries: Vec::new(),
        })
        .collect();
    for issue in issues {
        if !is_shipped(issue) || issue.has_label(&rules.skip_label) {
            continue;
        }
        if let Some(k) = rules.sections.iter().position(|s| s.takes(issue)) {
            sections[k].entries.push(Entry::of(issue));
        }
    }
    for s in &mut sections {
        s.entries
            .sort_by(|a, b| (&a.repo, a.number).cmp(&(&b.repo, b.number)));
        s.entries
            .dedup_by(|a, b| a.repo == b.repo && a.number == b.number);
    }
    sections.retain(|s| !s.entries.is_empty());
    Notes {
        milestone: milestone.to_string(),
        sections,
    }
}

#[cfg(test)]
mod tests;
