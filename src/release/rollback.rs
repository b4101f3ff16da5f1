//! What a rollback goes back to, from the history of deploy runs: the environment of the deploy
//! being rolled back, and the last version that succeeded in that environment before it. Where
//! the history cannot tell, it says so rather than guessing.
//!
//! Runs do not carry their inputs; a deploy's environment and version are read from its title
//! (`run-name: "Deploy ${{ inputs.version }} to ${{ inputs.environment }}"`).

use chrono::{DateTime, Utc};

use super::Run;
use super::time::short_duration;

/// The first version-looking word of a run title: `v2.4.0-rc.1`, `1.2.3`.
#[must_use]
pub fn version_in(title: &str) -> Option<String> {
    title
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | '(' | ')' | '"' | '\'')))
        .find(|t| looks_like_version(t))
        .map(str::to_string)
}

fn looks_like_version(word: &str) -> bool {
    let digits = word.strip_prefix('v').unwrap_or(word);
    digits.starts_with(|c: char| c.is_ascii_digit()) && digits.contains('.')
}

/// The environment a deploy title names: "Deploy v1 to staging" → `staging`. A version after
/// "to" ("Bump version to 2.4.1") is not an environment.
#[must_use]
pub fn environment_in(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    words
        .windows(2)
        .rev()
        .filter(|w| w[0].eq_ignore_ascii_case("to"))
        .map(|w| {
            w[1].trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_string()
        })
        .find(|s| !s.is_empty() && !looks_like_version(s))
}

/// A deploy run as a rollback reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    pub run_id: u64,
    pub run_number: u64,
    pub title: String,
    /// From the title; `None` when it names none.
    pub environment: Option<String>,
    /// From the title; `None` when it names none.
    pub version: Option<String>,
    pub created_at: DateTime<Utc>,
    pub short_sha: String,
}

impl Deploy {
    fn of(run: &Run) -> Self {
        Deploy {
            run_id: run.id,
            run_number: run.run_number,
            title: run.display_title.clone(),
            environment: environment_in(&run.display_title),
            version: version_in(&run.display_title),
            created_at: run.created_at,
            short_sha: run.short_sha().to_string(),
        }
    }

    /// "v2.4.0-rc.3, deploy #216", or "abc1234, deploy #216" without a version.
    #[must_use]
    pub fn label(&self) -> String {
        format!(
            "{}, deploy #{}",
            self.version.as_deref().unwrap_or(&self.short_sha),
            self.run_number
        )
    }
}

/// What the deploy history proposes for a rollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackProposal {
    /// Roll `from`'s environment back to `good`'s version: the newest deploy to that
    /// environment that succeeded before `from`, with another version.
    Target { from: Deploy, good: Deploy },
    /// The deploy being rolled back is known, but no earlier deploy to its environment
    /// succeeded in the history read.
    NoEarlierSuccess { from: Deploy },
    /// The selected deploy's title names no environment.
    UnknownEnvironment { from: Deploy },
    /// Nothing selected, and no deploy to `production` in the history read.
    NoDeploy { production: String },
}

/// The rollback the history proposes. `history`: the deploy runs read, in any order.
/// `selected`: the deploy run under the cursor, if any; without one, the deploy being rolled
/// back is the newest deploy (in progress or not) to `production`.
#[must_use]
pub fn propose(history: &[Run], selected: Option<u64>, production: &str) -> RollbackProposal {
    let order = |r: &&Run| (r.created_at, r.id);
    let from = selected
        .and_then(|id| history.iter().find(|r| r.id == id))
        .or_else(|| {
            history
                .iter()
                .filter(|r| {
                    environment_in(&r.display_title)
                        .is_some_and(|e| e.eq_ignore_ascii_case(production))
                })
                .max_by_key(order)
        });
    let Some(from_run) = from else {
        return RollbackProposal::NoDeploy {
            production: production.to_string(),
        };
    };
    let from = Deploy::of(from_run);
    let Some(environment) = from.environment.clone() else {
        return RollbackProposal::UnknownEnvironment { from };
    };
    let good = history
        .iter()
        .filter(|r| order(r) < order(&from_run))
        .filter(|r| r.is_green())
        .map(Deploy::of)
        .filter(|d| {
            d.environment
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&environment))
                && d.version.is_some()
                && d.version != from.version
        })
        .max_by_key(|d| (d.created_at, d.run_id));
    match good {
        Some(good) => RollbackProposal::Target { from, good },
        None => RollbackProposal::NoEarlierSuccess { from },
    }
}

impl RollbackProposal {
    /// The rollback form's inputs to fill in: only what the history shows.
    #[must_use]
    pub fn prefill(&self) -> Vec<(String, String)> {
        let reason = |from: &Deploy| ("reason".to_string(), format!("roll back {}", from.label()));
        match self {
            Self::Target { from, good } => vec![
                (
                    "environment".to_string(),
                    from.environment.clone().unwrap_or_default(),
                ),
                (
                    "version".to_string(),
                    good.version.clone().unwrap_or_default(),
                ),
                reason(from),
            ],
            Self::NoEarlierSuccess { from } => vec![
                (
                    "environment".to_string(),
                    from.environment.clone().unwrap_or_default(),
                ),
                reason(from),
            ],
            Self::UnknownEnvironment { from } => vec![reason(from)],
            Self::NoDeploy { .. } => Vec::new(),
        }
    }

    /// Where the proposal came from, for the status line and the confirm dialog. `searched`
    /// names the history read, e.g. "the last 12 runs of deploy.yml".
    #[must_use]
    pub fn describe(&self, now: DateTime<Utc>, searched: &str) -> String {
        match self {
            Self::Target { from, good } => format!(
                "last good on {}: {}, deploy #{}, {} ago (rolling back {})",
                good.environment.as_deref().unwrap_or_default(),
                good.version.as_deref().unwrap_or_default(),
                good.run_number,
                short_duration(now - good.created_at),
                from.label()
            ),
            Self::NoEarlierSuccess { from } => format!(
                "no successful {} deploy before {} among {searched}; fill in the version",
                from.environment.as_deref().unwrap_or_default(),
                from.label()
            ),
            Self::UnknownEnvironment { from } => format!(
                "deploy #{} (\"{}\") names no environment in its title; fill in the environment and version",
                from.run_number, from.title
            ),
            Self::NoDeploy { production } => format!(
                "no {production} deploy among {searched}; fill in the environment and version"
            ),
        }
    }

    /// Whether a version to go back to was found.
    #[must_use]
    pub fn is_target(&self) -> bool {
        matches!(self, Self::Target { .. })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::release::{Conclusion, RunStatus};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
            .single()
            .expect("valid date")
    }

    /// A deploy run `days_ago`, numbered in time order.
    fn deploy(
        id: u64,
        version: &str,
        env: &str,
        days_ago: i64,
        outcome: Option<Conclusion>,
    ) -> Run {
        let at =
            now() - Duration::days(days_ago) + Duration::seconds(i64::try_from(id).unwrap_or(0));
        Run {
            repo: "acme/app".into(),
            id,
            run_number: 200 + id,
            run_attempt: 1,
            workflow_id: 7,
            name: Some("Deploy".into()),
            display_title: format!("Deploy {version} to {env}"),
            event: "workflow_dispatch".into(),
            status: if outcome.is_some() {
                RunStatus::Completed
            } else {
                RunStatus::InProgress
            },
            conclusion: outcome,
            head_branch: Some(version.into()),
            head_sha: format!("{id:07}abcdef"),
            actor: Some("alice".into()),
            created_at: at,
            updated_at: at + Duration::minutes(7),
            run_started_at: Some(at),
            html_url: String::new(),
            waiting_for: Vec::new(),
        }
    }

    const OK: Option<Conclusion> = Some(Conclusion::Success);
    const FAILED: Option<Conclusion> = Some(Conclusion::Failure);

    /// Interleaved staging and production deploys, failures, and one in progress, newest last
    /// (the order does not matter to `propose`).
    fn history() -> Vec<Run> {
        vec![
            deploy(1, "v2.2.0", "production", 60, OK),
            deploy(2, "v2.3.0", "staging", 33, OK),
            deploy(3, "v2.3.0", "production", 32, FAILED),
            deploy(4, "v2.3.0", "production", 31, OK),
            deploy(5, "v2.4.0-rc.1", "staging", 3, OK),
            deploy(6, "v2.4.0-rc.2", "staging", 1, FAILED),
            deploy(7, "v2.4.0-rc.2", "staging", 0, OK),
            deploy(8, "v2.4.0-rc.3", "production", 0, None),
        ]
    }

    fn target(p: &RollbackProposal) -> (Option<&str>, Option<&str>, u64) {
        match p {
            RollbackProposal::Target { from, good } => (
                good.environment.as_deref(),
                good.version.as_deref(),
                from.run_id,
            ),
            other => panic!("no target: {other:?}"),
        }
    }

    #[test]
    fn a_production_deploy_in_progress_goes_back_to_the_last_production_success() {
        let mut h = history();
        h.reverse();
        let p = propose(&h, None, "production");
        assert_eq!(target(&p), (Some("production"), Some("v2.3.0"), 8));
        assert_eq!(
            p.prefill(),
            vec![
                ("environment".into(), "production".into()),
                ("version".into(), "v2.3.0".into()),
                ("reason".into(), "roll back v2.4.0-rc.3, deploy #208".into()),
            ]
        );
        assert_eq!(
            p.describe(now(), "the last 8 runs of deploy.yml"),
            "last good on production: v2.3.0, deploy #204, 30d ago (rolling back v2.4.0-rc.3, deploy #208)"
        );
    }

    #[test]
    fn once_it_succeeded_the_newest_production_deploy_still_goes_back_before_itself() {
        let mut h = history();
        h[7] = deploy(8, "v2.4.0-rc.3", "production", 0, OK);
        assert_eq!(
            target(&propose(&h, None, "production")),
            (Some("production"), Some("v2.3.0"), 8)
        );
    }

    #[test]
    fn a_selected_deploy_keeps_its_environment_and_skips_failures_and_its_own_version() {
        let h = history();
        // rc.2 on staging: its failed attempt (6) is skipped, and so would be an earlier rc.2.
        assert_eq!(
            target(&propose(&h, Some(7), "production")),
            (Some("staging"), Some("v2.4.0-rc.1"), 7)
        );
        // The failed production v2.3.0 (3): the production deploy before it is v2.2.0.
        assert_eq!(
            target(&propose(&h, Some(3), "production")),
            (Some("production"), Some("v2.2.0"), 3)
        );
        // A re-deploy of the version already there is not a target.
        let mut h = history();
        h.push(deploy(9, "v2.3.0", "production", 0, OK));
        assert_eq!(
            target(&propose(&h, Some(9), "production")),
            (Some("production"), Some("v2.2.0"), 9)
        );
    }

    #[test]
    fn no_earlier_success_in_that_environment_proposes_no_version() {
        let h = history();
        let p = propose(&h, Some(1), "production");
        assert!(matches!(&p, RollbackProposal::NoEarlierSuccess { from } if from.run_id == 1));
        assert_eq!(
            p.prefill(),
            vec![
                ("environment".into(), "production".into()),
                ("reason".into(), "roll back v2.2.0, deploy #201".into()),
            ]
        );
        assert_eq!(
            p.describe(now(), "the last 8 runs of deploy.yml"),
            "no successful production deploy before v2.2.0, deploy #201 among the last 8 runs of deploy.yml; fill in the version"
        );
        // Staging history never counts for production.
        let staging_only: Vec<Run> = history()
            .into_iter()
            .filter(|r| r.display_title.ends_with("staging") || r.id == 8)
            .collect();
        assert!(matches!(
            propose(&staging_only, None, "production"),
            RollbackProposal::NoEarlierSuccess { .. }
        ));
    }

    #[test]
    fn no_production_deploy_and_unnamed_environments_prefill_nothing_wrong() {
        let staging: Vec<Run> = history()
            .into_iter()
            .filter(|r| r.display_title.ends_with("staging"))
            .collect();
        let p = propose(&staging, None, "production");
        assert_eq!(
            p,
            RollbackProposal::NoDeploy {
                production: "production".into()
            }
        );
        assert!(p.prefill().is_empty());
        assert_eq!(
            p.describe(now(), "the last 4 runs of deploy.yml"),
            "no production deploy among the last 4 runs of deploy.yml; fill in the environment and version"
        );
        let mut h = history();
        h[6].display_title = "Bump version to 2.4.1".into();
        let p = propose(&h, Some(7), "production");
        assert!(
            matches!(p, RollbackProposal::UnknownEnvironment { .. }),
            "{p:?}"
        );
        assert!(
            !p.prefill()
                .iter()
                .any(|(k, _)| k == "environment" || k == "version")
        );
        assert!(propose(&[], None, "production").prefill().is_empty());
    }

    #[test]
    fn versions_and_environments_from_titles() {
        assert_eq!(
            version_in("Deploy v2.4.0-rc.2 to staging").as_deref(),
            Some("v2.4.0-rc.2")
        );
        assert_eq!(version_in("Release 1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(version_in("Bump deps"), None);
        assert_eq!(
            environment_in("Deploy v2.4.0-rc.2 to staging").as_deref(),
            Some("staging")
        );
        assert_eq!(environment_in("Nightly"), None);
        assert_eq!(environment_in("Bump version to 2.4.1"), None);
        assert_eq!(environment_in("Rollback production to v2.2.0"), None);
    }
}
