//! Checklist items as sub-issues of the tracking issue (`checklist.mode = "sub-issues"`): each
//! item is an issue of its own, ticked by closing it, so a tick changes only that issue's state
//! and can never overwrite someone else's edit of a body.

use serde::{Deserialize, Serialize};

use super::task_list::{ChecklistItem, Section};
use super::{Issue, Phase, State};

/// Where the checklist lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistMode {
    /// A GitHub task list (`- [ ]`) in the tracking issue's body; a tick rewrites one box.
    #[default]
    TaskList,
    /// The tracking issue's sub-issues; a tick closes or reopens one of them.
    SubIssues,
}

/// An issue named by its repository and number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IssueRef {
    pub repo: String,
    pub number: u64,
}

/// The checklist the sub-issues make, in GitHub's order grouped by phase (general items
/// first): text = the title with whitespace collapsed, checked = closed, section = the phase
/// whose label (`phase_labels`) the sub-issue carries, else general.
#[must_use]
pub fn items(sub_issues: &[Issue], phase_labels: &[(Phase, String)]) -> Vec<ChecklistItem> {
    let mut items: Vec<ChecklistItem> = sub_issues
        .iter()
        .map(|i| {
            let section = phase_labels
                .iter()
                .find(|(_, label)| i.has_label(label))
                .map_or(Section::General, |(p, _)| Section::Phase(*p));
            ChecklistItem {
                text: i.title.split_whitespace().collect::<Vec<_>>().join(" "),
                checked: i.state == State::Closed,
                depth: 0,
                section,
                heading: None,
                marker: 0..0,
                occurrence: 0,
                sub_issue: Some(IssueRef {
                    repo: i.repo.clone(),
                    number: i.number,
                }),
            }
        })
        .collect();
    items.sort_by_key(|i| i.section.phase());
    for n in 0..items.len() {
        items[n].occurrence = items[..n]
            .iter()
            .filter(|i| i.text == items[n].text)
            .count();
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(number: u64, title: &str, labels: &[&str], state: State) -> Issue {
        let at = chrono::DateTime::UNIX_EPOCH;
        Issue {
            repo: "acme/app".into(),
            number,
            title: title.into(),
            state,
            is_pull_request: false,
            labels: labels.iter().map(|l| (*l).to_string()).collect(),
            assignees: Vec::new(),
            author: None,
            body: None,
            html_url: String::new(),
            created_at: at,
            updated_at: at,
            closed_at: None,
            merged_at: None,
            state_reason: None,
        }
    }

    #[test]
    fn sub_issues_become_items_grouped_by_phase_with_equal_titles_told_apart() {
        let labels: Vec<(Phase, String)> = Phase::ALL
            .iter()
            .map(|p| (*p, format!("phase:{}", p.key())))
            .collect();
        let subs = [
            issue(11, "Deploy  to prod", &["phase:deploy"], State::Open),
            issue(12, "Smoke test", &["phase:test"], State::Closed),
            issue(13, "Smoke test", &["Phase:Deploy"], State::Open),
            issue(14, "Tell support", &[], State::Open),
        ];
        let got = items(&subs, &labels);
        let summary: Vec<_> = got
            .iter()
            .map(|i| {
                (
                    i.text.as_str(),
                    i.checked,
                    i.section,
                    i.occurrence,
                    i.sub_issue.as_ref().map(|s| s.number),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Tell support", false, Section::General, 0, Some(14)),
                ("Smoke test", true, Section::Phase(Phase::Test), 0, Some(12)),
                (
                    "Deploy to prod",
                    false,
                    Section::Phase(Phase::Deploy),
                    0,
                    Some(11)
                ),
                (
                    "Smoke test",
                    false,
                    Section::Phase(Phase::Deploy),
                    1,
                    Some(13)
                ),
            ]
        );
    }
}
