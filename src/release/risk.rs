//! The risk register: issues labelled as risks, scored likelihood × impact.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::{Issue, State};

pub mod form;

/// A risk, read from an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub repo: String,
    pub number: u64,
    pub title: String,
    /// What the likelihood labels say: one level, none, or a contradiction.
    pub likelihood: Level,
    /// What the impact labels say: one level, none, or a contradiction.
    pub impact: Level,
    pub owner: Option<String>,
    /// The body's "Mitigation" section, trimmed; `None` when absent or empty.
    pub mitigation: Option<String>,
    pub state: State,
    pub html_url: String,
}

impl Risk {
    /// likelihood × impact, 0 when either is unknown (missing or contradictory).
    #[must_use]
    pub fn score(&self) -> u8 {
        self.likelihood.value().unwrap_or(0) * self.impact.value().unwrap_or(0)
    }

    /// What is wrong with the risk's labels, for the pane: "two likelihood labels", "no impact
    /// label", … Empty when both levels are read from exactly one label each.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        [
            (Axis::Likelihood, &self.likelihood),
            (Axis::Impact, &self.impact),
        ]
        .into_iter()
        .filter_map(|(axis, level)| level.problem(axis))
        .collect()
    }

    /// The level of `axis`.
    #[must_use]
    pub fn level(&self, axis: Axis) -> &Level {
        match axis {
            Axis::Likelihood => &self.likelihood,
            Axis::Impact => &self.impact,
        }
    }

    /// The label edit that moves `axis` by `delta` (+1 or -1): the label to remove (none when
    /// the level has no label yet) and the label `{prefix}{n}` to add, with the new level.
    ///
    /// # Errors
    /// Why the edit is refused rather than guessed: contradictory or unreadable labels, no
    /// label to lower, or a level already at 1 or 5.
    pub fn step(&self, axis: Axis, delta: i8, prefix: &str) -> Result<LevelEdit, String> {
        let level = self.level(axis);
        if let Some(problem) = level.problem(axis)
            && !(matches!(level, Level::Missing) && delta > 0)
        {
            return Err(format!(
                "#{}: {problem}; fix the labels on GitHub first (nothing is guessed)",
                self.number
            ));
        }
        let (remove, from) = match level {
            Level::Known { value, label } => (Some(label.clone()), *value),
            _ => (None, 0),
        };
        let to = i16::from(from) + i16::from(delta);
        let Ok(to) = u8::try_from(to) else {
            return Err(format!(
                "#{}: the {} is already 1",
                self.number,
                axis.name()
            ));
        };
        if !(1..=5).contains(&to) {
            return Err(format!(
                "#{}: the {} is already {from}",
                self.number,
                axis.name()
            ));
        }
        Ok(LevelEdit {
            remove,
            add: format!("{prefix}{to}"),
            from: (from > 0).then_some(from),
            to,
        })
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

/// Which of a risk's two levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Axis {
    Likelihood,
    Impact,
}

impl Axis {
    /// `likelihood` or `impact`, as the pane and the messages say it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Axis::Likelihood => "likelihood",
            Axis::Impact => "impact",
        }
    }
}

/// What a risk's labels with one prefix say about its level. Never a guess: two labels are a
/// [`Level::Conflict`], not the first of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// Exactly one label, read as 1–5; `label` is its name as on the issue.
    Known { value: u8, label: String },
    /// No label with the prefix.
    Missing,
    /// Two or more labels with the prefix (their names, as on the issue).
    Conflict(Vec<String>),
    /// One label with the prefix whose value is not 1–5, low, medium or high.
    Unreadable(String),
}

impl Level {
    /// 1–5 when exactly one readable label gives it.
    #[must_use]
    pub fn value(&self) -> Option<u8> {
        match self {
            Level::Known { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// What is wrong, said for the pane: "two likelihood labels (likelihood:2, likelihood:5)",
    /// "no impact label", "unreadable impact label impact:9"; `None` when known.
    #[must_use]
    pub fn problem(&self, axis: Axis) -> Option<String> {
        let name = axis.name();
        match self {
            Level::Known { .. } => None,
            Level::Missing => Some(format!("no {name} label")),
            Level::Conflict(labels) => Some(format!(
                "{} {name} labels ({})",
                match labels.len() {
                    2 => "two".to_string(),
                    3 => "three".to_string(),
                    n => n.to_string(),
                },
                labels.join(", ")
            )),
            Level::Unreadable(label) => Some(format!("unreadable {name} label {label}")),
        }
    }
}

/// A label edit moving one level: remove `remove` (when the level had a label), add `add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelEdit {
    pub remove: Option<String>,
    pub add: String,
    /// The level before, `None` when it had no label.
    pub from: Option<u8>,
    pub to: u8,
}

/// Reads a 1–5 level from labels like `impact:4` or `impact:high` (low = 1, medium = 3,
/// high = 5). Every label with the prefix counts: two of them are a conflict, never a guess.
#[must_use]
pub fn level_from_labels(labels: &[String], prefix: &str) -> Level {
    let prefix = prefix.to_lowercase();
    let matching: Vec<&String> = labels
        .iter()
        .filter(|l| l.to_lowercase().starts_with(&prefix))
        .collect();
    match matching.as_slice() {
        [] => Level::Missing,
        [label] => {
            let lower = label.to_lowercase();
            let value = lower.get(prefix.len()..).unwrap_or_default().trim();
            let value = match value {
                "low" => Some(1),
                "medium" | "med" => Some(3),
                "high" => Some(5),
                v => v.parse::<u8>().ok().filter(|n| (1..=5).contains(n)),
            };
            match value {
                Some(value) => Level::Known {
                    value,
                    label: (*label).clone(),
                },
                None => Level::Unreadable((*label).clone()),
            }
        }
        several => Level::Conflict(several.iter().map(|l| (*l).clone()).collect()),
    }
}

/// The body of a risk filed from shipdeck: a `## Mitigation` section that
/// [`mitigation_section`] reads back.
#[must_use]
pub fn new_risk_body(mitigation: &str) -> String {
    format!("## Mitigation\n\n{}\n", mitigation.trim())
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
        assert_eq!(level_from_labels(&labels, "likelihood:").value(), Some(4));
        assert_eq!(
            level_from_labels(&labels, "impact:"),
            Level::Known {
                value: 5,
                label: "impact:high".into()
            }
        );
        assert_eq!(
            level_from_labels(&["impact:9".into()], "impact:"),
            Level::Unreadable("impact:9".into())
        );
    }

    fn risk(labels: &[&str]) -> Risk {
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_string()).collect();
        Risk {
            repo: "acme/app".into(),
            number: 7,
            title: "Risk".into(),
            likelihood: level_from_labels(&labels, "likelihood:"),
            impact: level_from_labels(&labels, "impact:"),
            owner: None,
            mitigation: None,
            state: State::Open,
            html_url: String::new(),
        }
    }

    #[test]
    fn contradictory_and_missing_labels_are_problems_not_guesses() {
        let r = risk(&["risk", "likelihood:2", "Likelihood:high"]);
        assert_eq!(
            r.likelihood,
            Level::Conflict(vec!["likelihood:2".into(), "Likelihood:high".into()])
        );
        assert_eq!(r.score(), 0, "no score from a contradiction");
        assert_eq!(
            r.problems(),
            [
                "two likelihood labels (likelihood:2, Likelihood:high)",
                "no impact label"
            ]
        );
        assert!(risk(&["likelihood:2", "impact:4"]).problems().is_empty());
        assert_eq!(
            risk(&["likelihood:2", "impact:x"]).problems(),
            ["unreadable impact label impact:x"]
        );
    }

    #[test]
    fn a_step_removes_the_label_as_named_and_adds_the_numbered_one() {
        let r = risk(&["likelihood:medium", "impact:5"]);
        assert_eq!(
            r.step(Axis::Likelihood, 1, "likelihood:"),
            Ok(LevelEdit {
                remove: Some("likelihood:medium".into()),
                add: "likelihood:4".into(),
                from: Some(3),
                to: 4
            })
        );
        assert_eq!(
            r.step(Axis::Impact, 1, "impact:"),
            Err("#7: the impact is already 5".into())
        );
        let conflict = risk(&["likelihood:1", "likelihood:4", "impact:2"]);
        let refused = conflict
            .step(Axis::Likelihood, 1, "likelihood:")
            .unwrap_err();
        assert!(refused.contains("two likelihood labels"), "{refused}");
        // A missing level can be raised to 1 (shown in the dialog), never lowered.
        let missing = risk(&["likelihood:1"]);
        assert_eq!(
            missing
                .step(Axis::Impact, 1, "impact:")
                .map(|e| (e.remove, e.add)),
            Ok((None, "impact:1".into()))
        );
        assert!(missing.step(Axis::Impact, -1, "impact:").is_err());
        assert_eq!(
            missing.step(Axis::Likelihood, -1, "likelihood:"),
            Err("#7: the likelihood is already 1".into())
        );
    }

    #[test]
    fn a_new_risk_body_reads_back_its_mitigation() {
        let body = new_risk_body("  Flag off, then roll back  ");
        assert_eq!(body, "## Mitigation\n\nFlag off, then roll back\n");
        assert_eq!(
            mitigation_section(&body).as_deref(),
            Some("Flag off, then roll back")
        );
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
