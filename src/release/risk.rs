//! The risk register: issues labelled as risks, scored likelihood × impact.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::{Issue, State};

/// A risk, read from an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub repo: String,
    pub number: u64,
    pub title: String,
    /// 1–5, `None` when the issue has no likelihood label.
    pub likelihood: Option<u8>,
    /// 1–5, `None` when the issue has no impact label.
    pub impact: Option<u8>,
    pub owner: Option<String>,
    /// The body's "Mitigation" section, trimmed; `None` when absent or empty.
    pub mitigation: Option<String>,
    pub state: State,
    pub html_url: String,
}

impl Risk {
    /// likelihood × impact, 0 when either is unknown.
    #[must_use]
    pub fn score(&self) -> u8 {
        self.likelihood.unwrap_or(0) * self.impact.unwrap_or(0)
    }

    /// Builds a risk from an issue and the label prefixes (`likelihood:`, `impact:`).
    #[must_use]
    pub fn from_issue(issue: &Issue, likelihood_prefix: &str, impact_prefix: &str) -> Self {
        Risk {
            repo: issue.repo.clone(),
            number: issue.number,
            title: issue.title.clone(),
            likelihood: level_from_labels(&issue.labels, likelihood_prefix),
            impact: level_from_labels(&issue.labels, impact_prefix),
            owner: issue.assignees.first().cloned(),
            mitigation: issue.body.as_deref().and_then(mitigation_section),
            state: issue.state,
            html_url: issue.html_url.clone(),
        }
    }
}

/// Reads a 1–5 level from labels like `impact:4` or `impact:high` (low = 1, medium = 3, high = 5).
#[must_use]
pub fn level_from_labels(labels: &[String], prefix: &str) -> Option<u8> {
    labels.iter().find_map(|label| {
        let lower = label.to_lowercase();
        let value = lower.strip_prefix(&prefix.to_lowercase())?.trim();
        match value {
            "low" => Some(1),
            "medium" | "med" => Some(3),
            "high" => Some(5),
            v => v.parse::<u8>().ok().filter(|n| (1..=5).contains(n)),
        }
    })
}

/// The text of the body's "Mitigation" section (any heading level), up to the next heading of
/// the same or a higher level.
#[must_use]
pub fn mitigation_section(body: &str) -> Option<String> {
    let mut in_heading: Option<(HeadingLevel, String)> = None;
    let mut start: Option<(HeadingLevel, usize)> = None;
    let mut end = body.len();
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((open, _)) = start
                    && level <= open
                {
                    end = range.start;
                    break;
                }
                in_heading = Some((level, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, h)) = in_heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = in_heading.take()
                    && start.is_none()
                    && text
                        .trim()
                        .trim_end_matches(':')
                        .eq_ignore_ascii_case("mitigation")
                {
                    start = Some((level, range.end));
                }
            }
            _ => {}
        }
    }
    let (_, from) = start?;
    let text = body.get(from..end)?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_from_numbers_and_words() {
        let labels = vec![
            "risk".to_string(),
            "Likelihood:4".into(),
            "impact:high".into(),
        ];
        assert_eq!(level_from_labels(&labels, "likelihood:"), Some(4));
        assert_eq!(level_from_labels(&labels, "impact:"), Some(5));
        assert_eq!(level_from_labels(&["impact:9".into()], "impact:"), None);
    }

    #[test]
    fn mitigation_section_stops_at_next_heading() {
        let body = "## Risk\nDB migration may lock.\n\n## Mitigation\nRun online migration.\nRehearse on staging.\n\n## Owner\nbob\n";
        assert_eq!(
            mitigation_section(body).as_deref(),
            Some("Run online migration.\nRehearse on staging.")
        );
        assert_eq!(mitigation_section("## Mitigation\n\n## Next\n"), None);
        assert_eq!(mitigation_section("no sections"), None);
    }
}
