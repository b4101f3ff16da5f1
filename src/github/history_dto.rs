//! Wire types of the delivery history the KPIs read: pull requests and comparisons. Only what
//! the KPIs cannot do without is required.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::dto::UserDto;
use crate::release::kpis::MergedPr;

/// A pull request from `GET /pulls`.
#[derive(Debug, Clone, Deserialize)]
pub struct PullDto {
    pub number: u64,
    #[serde(default)]
    pub title: String,
    pub user: Option<UserDto>,
    pub html_url: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub merged_at: Option<DateTime<Utc>>,
    pub merge_commit_sha: Option<String>,
}

impl PullDto {
    /// The merged PR, or `None` when it was closed unmerged (or the server did not say which
    /// commit merged it).
    #[must_use]
    pub fn into_merged(self, repo: &str) -> Option<MergedPr> {
        Some(MergedPr {
            number: self.number,
            html_url: self
                .html_url
                .unwrap_or_else(|| format!("https://github.com/{repo}/pull/{}", self.number)),
            title: self.title,
            author: self.user.and_then(|u| u.login),
            merged_at: self.merged_at?,
            merge_commit_sha: self.merge_commit_sha.filter(|s| !s.is_empty())?,
        })
    }
}

/// `GET /compare/{base}...{head}`.
#[derive(Debug, Clone, Deserialize)]
pub struct CompareDto {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub total_commits: u64,
    #[serde(default)]
    pub commits: Vec<ShaDto>,
}

/// Anything with a `sha`.
#[derive(Debug, Clone, Deserialize)]
pub struct ShaDto {
    pub sha: String,
}

/// An issue with its milestone's title (labelled-issue lists need it to name the release).
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledIssueDto {
    #[serde(flatten)]
    pub issue: super::dto::IssueDto,
    pub milestone: Option<TitleDto>,
}

/// `POST …/releases/generate-notes`.
#[derive(Debug, Clone, Deserialize)]
pub struct GeneratedNotesDto {
    #[serde(default)]
    pub body: String,
}

/// Anything with a `title`.
#[derive(Debug, Clone, Deserialize)]
pub struct TitleDto {
    pub title: String,
}
