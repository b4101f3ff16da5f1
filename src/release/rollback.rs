//! What a rollback goes back to, from the history of deploy runs: the environment of the deploy
//! being rolled back, and the last version that succeeded in that environment before it. Where
//! the history cannot tell, it says so rather than guessing.
//!
//! Runs do not carry their inputs; a deploy's environment and version are read from its title
//! (`run-name: "Deploy ${{ inputs.version }} to ${{ inputs.environment }}"`), a rollback's
//! from its title too (`"Rollback production to v2.2.0"`: the version, and the environment
//! that deploy titles name).
//!
//! A successful rollback changes what runs: after rolling production back from v2.3.0 to
//! v2.2.0, production runs v2.2.0 again, and the version before it is the one before v2.2.0
//! was deployed (never v2.3.0, which was rolled back). The history is replayed as a stack per
//! environment: a deploy pushes, a rollback to a version on the stack pops back down to it.

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

/// The runs a rollback is proposed from, in any order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The deploy workflows' runs.
    pub deploys: Vec<Run>,
    /// The rollback workflow's runs.
    pub rollbacks: Vec<Run>,
}

/// The environment a rollback title names: its first word that is one of `known`
/// ("Rollback production to v2.2.0" → `production`).
#[must_use]
pub fn rollback_environment_in(title: &str, known: &[String]) -> Option<String> {
    title
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .find_map(|w| known.iter().find(|k| k.eq_ignore_ascii_case(w)).cloned())
}

/// A deploy run, or a rollback run, as a rollback reads it.
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
    /// When it last ran: its latest attempt's start (a re-run of an old deploy puts its version
    /// back after later ones), else its creation. The history is replayed in this order.
    pub ran_at: DateTime<Utc>,
    pub short_sha: String,
    /// A run of the rollback workflow: it put `version` back on `environment`.
    pub is_rollback: bool,
    /// Completed with success.
    pub succeeded: bool,
    /// Queued, waiting or in progress.
    pub is_running: bool,
}

impl Deploy {
    /// `known`: for a rollback run, the environments its title may name; `None` for a deploy.
    fn of(run: &Run, known: Option<&[String]>) -> Self {
        Deploy {
            run_id: run.id,
            run_number: run.run_number,
            title: run.display_title.clone(),
            environment: match known {
                None => environment_in(&run.display_title),
                Some(known) => rollback_environment_in(&run.display_title, known),
            },
            version: version_in(&run.display_title),
            created_at: run.created_at,
            ran_at: run
                .run_started_at
                .unwrap_or(run.created_at)
                .max(run.created_at),
            short_sha: run.short_sha().to_string(),
            is_rollback: known.is_some(),
            succeeded: run.is_green(),
            is_running: run.status.is_active(),
        }
    }

    /// "deploy" or "rollback".
    #[must_use]
    pub fn kind(&self) -> &'static str {
        if self.is_rollback {
            "rollback"
        } else {
            "deploy"
        }
    }

    /// "v2.4.0-rc.3, deploy #216", "v2.2.0, rollback #18", or "abc1234, deploy #216" without a
    /// version.
    #[must_use]
    pub fn label(&self) -> String {
        format!(
            "{}, {} #{}",
            self.version.as_deref().unwrap_or(&self.short_sha),
            self.kind(),
            self.run_number
        )
    }

    fn is_in(&self, environment: &str) -> bool {
        self.environment
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(environment))
    }

    fn has_failed(&self) -> bool {
        !self.succeeded && !self.is_running
    }

    /// Whether both name the same version, written with or without a leading `v`.
    fn same_version(&self, other: &Deploy) -> bool {
        let bare = |d: &Deploy| {
            d.version
                .as_deref()
                .map(|v| v.strip_prefix(['v', 'V']).unwrap_or(v).to_string())
        };
        bare(self).is_some() && bare(self) == bare(other)
    }
}

/// What the deploy history proposes for a rollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackProposal {
    /// Roll `from`'s environment back to `good`'s version: what ran there before `from`, with
    /// another version. `from` may be a rollback (the environment was already rolled back to
    /// its version); `good` may be a rollback too (it put a version back that the history read
    /// has no deploy of).
    Target { from: Deploy, good: Deploy },
    /// The deploy being rolled back is known, but no earlier deploy to its environment
    /// succeeded in the history read.
    NoEarlierSuccess { from: Deploy },
    /// The selected deploy's title names no environment.
    UnknownEnvironment { from: Deploy },
    /// Nothing selected, and no deploy to `production` in the history read.
    NoDeploy { production: String },
    /// The selected deploy was already rolled back by the successful rollback `by`.
    AlreadyRolledBack { from: Deploy, by: Deploy },
    /// A rollback of the environment is still running: another would race it.
    RollbackRunning { rollback: Deploy },
}

/// Replays the successful deploys and rollbacks among `events` (in time order) to
/// `environment`: the stack of what ran there, newest last, and for each deploy a rollback
/// took off the stack, that rollback (run ids).
fn standing<'a>(events: &'a [Deploy], environment: &str) -> (Vec<&'a Deploy>, Vec<(u64, u64)>) {
    let mut stack: Vec<&Deploy> = Vec::new();
    let mut undone = Vec::new();
    for e in events
        .iter()
        .filter(|e| e.succeeded && e.is_in(environment))
    {
        if !e.is_rollback {
            stack.push(e);
            continue;
        }
        match stack.iter().rposition(|d| d.same_version(e)) {
            Some(i) => undone.extend(stack.drain(i + 1..).map(|d| (d.run_id, e.run_id))),
            // A rollback to a version the history does not show (older than what was read, a
            // commit, a tag): what ran before it is unknown, so nothing under it is proposed.
            None => {
                stack.clear();
                stack.push(e);
            }
        }
    }
    (stack, undone)
}

/// The rollback the history proposes. `selected`: the deploy or rollback run under the cursor,
/// if any; without one, the run being rolled back is the newest deploy or rollback (in
/// progress or not; a failed rollback changed nothing) to `production`.
#[must_use]
pub fn propose(history: &History, selected: Option<u64>, production: &str) -> RollbackProposal {
    let mut known: Vec<String> = history
        .deploys
        .iter()
        .filter_map(|r| environment_in(&r.display_title))
        .collect();
    known.push(production.to_string());
    let mut events: Vec<Deploy> = history
        .deploys
        .iter()
        .map(|r| Deploy::of(r, None))
        .chain(
            history
                .rollbacks
                .iter()
                .map(|r| Deploy::of(r, Some(&known))),
        )
        .collect();
    events.sort_by_key(|d| (d.ran_at, d.run_id));
    events.dedup_by_key(|d| d.run_id);
    let pos = selected
        .and_then(|id| events.iter().position(|d| d.run_id == id))
        .or_else(|| {
            events
                .iter()
                .rposition(|d| d.is_in(production) && !(d.is_rollback && d.has_failed()))
        });
    let Some(pos) = pos else {
        return RollbackProposal::NoDeploy {
            production: production.to_string(),
        };
    };
    let from = events[pos].clone();
    let Some(environment) = from.environment.clone() else {
        return RollbackProposal::UnknownEnvironment { from };
    };
    if from.is_rollback && from.is_running {
        return RollbackProposal::RollbackRunning { rollback: from };
    }
    let (_, undone) = standing(&events, &environment);
    if let Some((_, by)) = undone.iter().find(|(id, _)| *id == from.run_id)
        && let Some(by) = events.iter().find(|d| d.run_id == *by)
    {
        return RollbackProposal::AlreadyRolledBack {
            from,
            by: by.clone(),
        };
    }
    // What ran before `from`: below it on the stack when it succeeded; the whole stack before
    // it when it is still going or failed (a failed rollback: below what it failed to undo).
    let (mut before, _) = if from.succeeded {
        standing(&events[..=pos], &environment)
    } else {
        standing(&events[..pos], &environment)
    };
    let mut from = from;
    if from.succeeded || from.is_rollback {
        match before.pop() {
            Some(top) if from.is_rollback && !from.succeeded => from = top.clone(),
            Some(_) => {}
            None => return RollbackProposal::NoEarlierSuccess { from },
        }
    }
    let good = before
        .into_iter()
        .rev()
        .find(|d| d.version.is_some() && !d.same_version(&from));
    match good {
        Some(good) => RollbackProposal::Target {
            from,
            good: good.clone(),
        },
        None => RollbackProposal::NoEarlierSuccess { from },
    }
}

impl RollbackProposal {
    /// The rollback form's inputs to fill in: only what the history shows.
    #[must_use]
    pub fn prefill(&self) -> Vec<(String, String)> {
        let reason = |from: &Deploy| ("reason".to_string(), format!("roll back {}", from.label()));
        let environment = |d: &Deploy| {
            (
                "environment".to_string(),
                d.environment.clone().unwrap_or_default(),
            )
        };
        match self {
            Self::Target { from, good } => vec![
                environment(from),
                (
                    "version".to_string(),
                    good.version.clone().unwrap_or_default(),
                ),
                reason(from),
            ],
            Self::NoEarlierSuccess { from } => vec![environment(from), reason(from)],
            Self::UnknownEnvironment { from } => vec![reason(from)],
            Self::AlreadyRolledBack { from, .. } => vec![environment(from)],
            Self::RollbackRunning { rollback } => vec![environment(rollback)],
            Self::NoDeploy { .. } => Vec::new(),
        }
    }

    /// Where the proposal came from, for the status line and the confirm dialog. `searched`
    /// names the history read, e.g. "the last 12 runs of deploy.yml".
    #[must_use]
    pub fn describe(&self, now: DateTime<Utc>, searched: &str) -> String {
        let ago = |d: &Deploy| short_duration(now - d.created_at);
        // "production was rolled back to v2.2.0 by rollback #18, 5m ago; "
        let rolled_back = |d: &Deploy| {
            if d.is_rollback {
                format!(
                    "{} was rolled back to {} by rollback #{}, {} ago; ",
                    d.environment.as_deref().unwrap_or_default(),
                    d.version.as_deref().unwrap_or(&d.short_sha),
                    d.run_number,
                    ago(d)
                )
            } else {
                String::new()
            }
        };
        match self {
            Self::Target { from, good } => format!(
                "{}last good on {}: {}, {} #{}, {} ago (rolling back {})",
                rolled_back(from),
                good.environment.as_deref().unwrap_or_default(),
                good.version.as_deref().unwrap_or_default(),
                good.kind(),
                good.run_number,
                ago(good),
                from.label()
            ),
            Self::NoEarlierSuccess { from } => format!(
                "{}no successful {} deploy before {} among {searched}; fill in the version",
                rolled_back(from),
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
            Self::AlreadyRolledBack { from, by } => format!(
                "{} was already rolled back: {}to go back further, press b on that rollback's run; else fill in the version",
                from.label(),
                rolled_back(by)
            ),
            Self::RollbackRunning { rollback } => format!(
                "rollback #{} of {} to {} is still running ({} ago): wait for it before rolling back again; else fill in the version",
                rollback.run_number,
                rollback.environment.as_deref().unwrap_or_default(),
                rollback.version.as_deref().unwrap_or(&rollback.short_sha),
                ago(rollback)
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

    /// A history of deploy runs only.
    fn deploys(runs: &[Run]) -> History {
        History {
            deploys: runs.to_vec(),
            rollbacks: Vec::new(),
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
        let p = propose(&deploys(&h), None, "production");
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
            target(&propose(&deploys(&h), None, "production")),
            (Some("production"), Some("v2.3.0"), 8)
        );
    }

    #[test]
    fn a_selected_deploy_keeps_its_environment_and_skips_failures_and_its_own_version() {
        let h = history();
        // rc.2 on staging: its failed attempt (6) is skipped, and so would be an earlier rc.2.
        assert_eq!(
            target(&propose(&deploys(&h), Some(7), "production")),
            (Some("staging"), Some("v2.4.0-rc.1"), 7)
        );
        // The failed production v2.3.0 (3): the production deploy before it is v2.2.0.
        assert_eq!(
            target(&propose(&deploys(&h), Some(3), "production")),
            (Some("production"), Some("v2.2.0"), 3)
        );
        // A re-deploy of the version already there is not a target.
        let mut h = history();
        h.push(deploy(9, "v2.3.0", "production", 0, OK));
        assert_eq!(
            target(&propose(&deploys(&h), Some(9), "production")),
            (Some("production"), Some("v2.2.0"), 9)
        );
    }

    #[test]
    fn no_earlier_success_in_that_environment_proposes_no_version() {
        let h = history();
        let p = propose(&deploys(&h), Some(1), "production");
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
            propose(&deploys(&staging_only), None, "production"),
            RollbackProposal::NoEarlierSuccess { .. }
        ));
    }

    #[test]
    fn no_production_deploy_and_unnamed_environments_prefill_nothing_wrong() {
        let staging: Vec<Run> = history()
            .into_iter()
            .filter(|r| r.display_title.ends_with("staging"))
            .collect();
        let p = propose(&deploys(&staging), None, "production");
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
        let p = propose(&deploys(&h), Some(7), "production");
        assert!(
            matches!(p, RollbackProposal::UnknownEnvironment { .. }),
            "{p:?}"
        );
        assert!(
            !p.prefill()
                .iter()
                .any(|(k, _)| k == "environment" || k == "version")
        );
        assert!(
            propose(&History::default(), None, "production")
                .prefill()
                .is_empty()
        );
    }

    /// A run of the rollback workflow `days_ago`, titled as the demo's rollback.yml titles it.
    fn rollback_run(
        id: u64,
        version: &str,
        env: &str,
        days_ago: i64,
        outcome: Option<Conclusion>,
    ) -> Run {
        let mut run = deploy(id, version, env, days_ago, outcome);
        run.run_number = 20 + id;
        run.workflow_id = 8;
        run.name = Some("Rollback".into());
        run.display_title = format!("Rollback {env} to {version}");
        run
    }

    /// Production: v2.1.0 ✓, v2.2.0 ✓, v2.3.0 ✗ then ✓, then rolled back to v2.2.0 (run 10);
    /// staging deploys around it.
    fn rolled_back() -> History {
        let mut deploys = history();
        deploys.pop(); // no rc.3 under way
        deploys.push(deploy(0, "v2.1.0", "production", 90, OK));
        History {
            deploys,
            rollbacks: vec![rollback_run(10, "v2.2.0", "production", 0, OK)],
        }
    }

    #[test]
    fn after_a_rollback_the_proposal_goes_back_before_the_restored_version() {
        let h = rolled_back();
        let p = propose(&h, None, "production");
        // Never v2.3.0 again (it was rolled back), nor v2.2.0 (production runs it).
        assert_eq!(target(&p), (Some("production"), Some("v2.1.0"), 10));
        assert_eq!(
            p.prefill(),
            vec![
                ("environment".into(), "production".into()),
                ("version".into(), "v2.1.0".into()),
                ("reason".into(), "roll back v2.2.0, rollback #30".into()),
            ]
        );
        assert_eq!(
            p.describe(
                now() + Duration::minutes(5),
                "the last 9 runs of deploy.yml"
            ),
            "production was rolled back to v2.2.0 by rollback #30, 4m ago; last good on production: v2.1.0, deploy #200, 90d ago (rolling back v2.2.0, rollback #30)"
        );
        // The rollback run under the cursor proposes the same.
        assert_eq!(propose(&h, Some(10), "production"), p);
        // Staging is untouched by a production rollback.
        assert_eq!(
            target(&propose(&h, Some(7), "production")),
            (Some("staging"), Some("v2.4.0-rc.1"), 7)
        );
    }

    #[test]
    fn after_a_rollback_with_nothing_before_the_restored_version_it_says_so() {
        let mut h = rolled_back();
        h.deploys.retain(|r| r.id != 0);
        let p = propose(&h, None, "production");
        assert!(
            matches!(&p, RollbackProposal::NoEarlierSuccess { from } if from.run_id == 10),
            "{p:?}"
        );
        assert_eq!(
            p.prefill(),
            vec![
                ("environment".into(), "production".into()),
                ("reason".into(), "roll back v2.2.0, rollback #30".into()),
            ]
        );
        assert_eq!(
            p.describe(
                now() + Duration::minutes(5),
                "the last 8 runs of deploy.yml"
            ),
            "production was rolled back to v2.2.0 by rollback #30, 4m ago; no successful production deploy before v2.2.0, rollback #30 among the last 8 runs of deploy.yml; fill in the version"
        );
    }

    #[test]
    fn a_deploy_already_rolled_back_is_not_proposed_again() {
        let h = rolled_back();
        let p = propose(&h, Some(4), "production");
        assert!(
            matches!(&p, RollbackProposal::AlreadyRolledBack { from, by } if from.run_id == 4 && by.run_id == 10),
            "{p:?}"
        );
        assert_eq!(
            p.prefill(),
            vec![("environment".into(), "production".into())]
        );
        assert_eq!(
            p.describe(
                now() + Duration::minutes(5),
                "the last 9 runs of deploy.yml"
            ),
            "v2.3.0, deploy #204 was already rolled back: production was rolled back to v2.2.0 by rollback #30, 4m ago; to go back further, press b on that rollback's run; else fill in the version"
        );
    }

    #[test]
    fn a_running_rollback_is_not_raced_and_a_failed_one_changed_nothing() {
        let mut h = rolled_back();
        h.rollbacks[0] = rollback_run(10, "v2.2.0", "production", 0, None);
        let p = propose(&h, None, "production");
        assert!(
            matches!(&p, RollbackProposal::RollbackRunning { rollback } if rollback.run_id == 10),
            "{p:?}"
        );
        assert!(!p.prefill().iter().any(|(k, _)| k == "version"));
        assert!(
            p.describe(now(), "")
                .starts_with("rollback #30 of production to v2.2.0 is still running"),
            "{}",
            p.describe(now(), "")
        );
        // Failed: production still runs v2.3.0, so going back to v2.2.0 is proposed again,
        // whether the failed rollback is under the cursor or not.
        h.rollbacks[0] = rollback_run(10, "v2.2.0", "production", 0, FAILED);
        for selected in [None, Some(10)] {
            assert_eq!(
                target(&propose(&h, selected, "production")),
                (Some("production"), Some("v2.2.0"), 4),
                "{selected:?}"
            );
        }
    }

    #[test]
    fn a_rollback_to_a_version_not_on_the_stack_counts_as_what_ran() {
        // v2.1.5, v2.1.6, rolled back to v2.1.5, then forward again to v2.1.6 (a rollback
        // run), then v2.1.7: before v2.1.7 production ran v2.1.6, put there by the rollback.
        let h = History {
            deploys: vec![
                deploy(1, "v2.1.5", "production", 80, OK),
                deploy(2, "v2.1.6", "production", 74, OK),
                deploy(5, "v2.1.7", "production", 67, OK),
            ],
            rollbacks: vec![
                rollback_run(3, "v2.1.5", "production", 73, OK),
                rollback_run(4, "v2.1.6", "production", 72, OK),
            ],
        };
        let p = propose(&h, None, "production");
        assert!(
            matches!(&p, RollbackProposal::Target { from, good } if from.run_id == 5 && good.run_id == 4 && good.is_rollback),
            "{p:?}"
        );
        assert!(
            p.describe(now(), "")
                .starts_with("last good on production: v2.1.6, rollback #24, 71d ago"),
            "{}",
            p.describe(now(), "")
        );
    }

    #[test]
    fn a_rollback_names_its_version_with_or_without_v() {
        // v2.2.0, v2.3.0, then "Rollback production to 2.2.0": production runs v2.2.0, so
        // the proposal goes before it, never back to v2.3.0.
        let h = History {
            deploys: vec![
                deploy(1, "v2.1.0", "production", 40, OK),
                deploy(2, "v2.2.0", "production", 30, OK),
                deploy(3, "v2.3.0", "production", 20, OK),
            ],
            rollbacks: vec![rollback_run(4, "2.2.0", "production", 10, OK)],
        };
        let p = propose(&h, None, "production");
        assert!(
            matches!(&p, RollbackProposal::Target { from, good } if from.run_id == 4 && good.run_id == 1),
            "{p:?}"
        );
    }

    #[test]
    fn a_rollback_to_a_version_the_history_lacks_proposes_nothing_under_it() {
        // Rolled back to a commit (no version) or to a release older than the history read:
        // what ran before it is unknown, and v2.3.0 (just rolled back) is never proposed.
        for target in ["to 1a2b3c4", "to v1.9.0"] {
            let mut rollback = rollback_run(4, "x", "production", 10, OK);
            rollback.display_title = format!("Rollback production {target}");
            let h = History {
                deploys: vec![
                    deploy(2, "v2.2.0", "production", 30, OK),
                    deploy(3, "v2.3.0", "production", 20, OK),
                ],
                rollbacks: vec![rollback],
            };
            let p = propose(&h, None, "production");
            assert!(
                matches!(&p, RollbackProposal::NoEarlierSuccess { from } if from.run_id == 4),
                "{target}: {p:?}"
            );
        }
    }

    #[test]
    fn a_re_run_of_a_rolled_back_deploy_puts_its_version_back() {
        // v2.3.0 rolled back to v2.2.0, then v2.3.0's run re-run (attempt 2, started after the
        // rollback): production runs v2.3.0 again, and rolling it back goes to v2.2.0.
        let mut rerun = deploy(3, "v2.3.0", "production", 20, OK);
        rerun.run_attempt = 2;
        rerun.run_started_at = Some(now() - Duration::days(5));
        let h = History {
            deploys: vec![
                deploy(1, "v2.1.0", "production", 40, OK),
                deploy(2, "v2.2.0", "production", 30, OK),
                rerun,
            ],
            rollbacks: vec![rollback_run(4, "v2.2.0", "production", 10, OK)],
        };
        let p = propose(&h, None, "production");
        assert!(
            matches!(&p, RollbackProposal::Target { from, good }
                if from.run_id == 3 && good.version.as_deref() == Some("v2.2.0")),
            "{p:?}"
        );
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
        let known = ["staging".to_string(), "production".to_string()];
        assert_eq!(
            rollback_environment_in("Rollback Production to v2.2.0", &known).as_deref(),
            Some("production")
        );
        assert_eq!(rollback_environment_in("Roll back to v2.2.0", &known), None);
    }
}
