//! Delivery KPIs after DORA's "four keys" (deployment frequency, lead time for changes, change
//! failure rate, time to restore) plus deploy success rate and cycle time, over the last 30
//! and 90 days and for the current release, from what GitHub holds: deploy and rollback runs,
//! merged pull requests, `compare` between deploys, incident issues and faulty marks.
//!
//! Pure: [`report`] turns a fetched [`History`] into numbers, bands, weekly sparklines and the
//! raw events behind each number. What GitHub does not hold is said, never guessed.

mod band;
mod facts;
mod failure;
mod format;
#[cfg(test)]
mod tests;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

pub use band::Band;
use facts::Facts;
pub use format::value_text;

use super::{Issue, Run};

/// Weekly sparkline buckets: 13 weeks cover the 90-day window.
pub const WEEKS: usize = 13;

/// Everything the KPIs are computed from, as fetched for each repository of the release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub repos: Vec<RepoHistory>,
    /// Milestone titles whose tracking issue carries the faulty label.
    pub faulty_releases: Vec<String>,
    /// Oldest time the history covers (runs created since then were read).
    pub since: Option<DateTime<Utc>>,
}

/// One repository's delivery history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoHistory {
    pub repo: String,
    /// Runs of the deploy workflows (every environment; [`is_production_deploy`] picks).
    pub deploys: Vec<Run>,
    /// Runs of the rollback workflow.
    pub rollbacks: Vec<Run>,
    /// Pull requests merged into the default branch.
    pub merged: Vec<MergedPr>,
    /// Issues carrying the incident label, open and closed.
    pub incidents: Vec<Issue>,
    /// What each successful production deploy shipped, by run id.
    pub shipped: Vec<Shipped>,
}

/// A merged pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedPr {
    pub number: u64,
    pub title: String,
    pub author: Option<String>,
    pub merged_at: DateTime<Utc>,
    pub merge_commit_sha: String,
    pub html_url: String,
}

/// The commits a successful production deploy shipped: `compare` from the previous successful
/// production deploy's commit to its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipped {
    pub run_id: u64,
    pub commits: ShippedCommits,
}

/// The answer of a `compare`, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShippedCommits {
    /// SHAs between the previous deploy (exclusive) and this one (inclusive).
    Known { shas: Vec<String> },
    /// No earlier successful production deploy was found to compare with.
    NoEarlierDeploy,
    /// The compare failed or was cut short (GitHub lists at most 250 commits).
    Unknown { why: String },
}

/// What the KPIs need from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The production environment's name.
    pub production: String,
    /// A deploy is failed when a failure signal comes within this long after it.
    pub failure_window: TimeDelta,
    /// The current release (milestone title).
    pub milestone: String,
}

/// Whether `run` (of a deploy workflow) is a production deploy: its title names the
/// production environment the way the rollback proposal reads it.
#[must_use]
pub fn is_production_deploy(run: &Run, production: &str) -> bool {
    super::rollback::environment_in(&run.display_title)
        .is_some_and(|e| e.eq_ignore_ascii_case(production))
}

/// Whether `run` (of the rollback workflow) rolls back production: its title holds the
/// production environment's name as a word ("Rollback production to v2.3.0").
#[must_use]
pub fn is_production_rollback(run: &Run, production: &str) -> bool {
    run.display_title
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .any(|w| w.eq_ignore_ascii_case(production))
}

/// The successful, completed production deploys of `runs`, oldest first: what lead time
/// compares between.
#[must_use]
pub fn successful_production_deploys<'a>(runs: &'a [Run], production: &str) -> Vec<&'a Run> {
    let mut out: Vec<&Run> = runs
        .iter()
        .filter(|r| r.is_green() && is_production_deploy(r, production))
        .collect();
    out.sort_by_key(|r| (r.updated_at, r.id));
    out
}

/// Whether `version` belongs to release `milestone`: `v2.4.0` and `v2.4.0-rc.3` to `v2.4.0`.
#[must_use]
pub fn belongs_to(version: &str, milestone: &str) -> bool {
    version == milestone
        || version
            .strip_prefix(milestone)
            .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('+'))
}

/// A time range the numbers are given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Days30,
    Days90,
    /// The current release's own events.
    Release,
}

impl Scope {
    /// The three scopes, in column order.
    pub const ALL: [Scope; 3] = [Scope::Days30, Scope::Days90, Scope::Release];

    /// Column heading.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Scope::Days30 => "30 days",
            Scope::Days90 => "90 days",
            Scope::Release => "this release",
        }
    }
}

/// The six metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    DeploymentFrequency,
    LeadTime,
    ChangeFailureRate,
    TimeToRestore,
    DeploySuccessRate,
    CycleTime,
}

impl Kind {
    /// In display order.
    pub const ALL: [Kind; 6] = [
        Kind::DeploymentFrequency,
        Kind::LeadTime,
        Kind::ChangeFailureRate,
        Kind::TimeToRestore,
        Kind::DeploySuccessRate,
        Kind::CycleTime,
    ];

    /// Its name on screen.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Kind::DeploymentFrequency => "Deployment frequency",
            Kind::LeadTime => "Lead time for changes",
            Kind::ChangeFailureRate => "Change failure rate",
            Kind::TimeToRestore => "Time to restore",
            Kind::DeploySuccessRate => "Deploy success rate",
            Kind::CycleTime => "Cycle time",
        }
    }

    /// One line saying what is measured, shown with the raw events.
    #[must_use]
    pub fn definition(self) -> &'static str {
        match self {
            Kind::DeploymentFrequency => {
                "successful production deploy runs, per week (per release: their count)"
            }
            Kind::LeadTime => {
                "median, PR merged → completion of the first production deploy whose compare \
                 with the previous one contains its merge commit"
            }
            Kind::ChangeFailureRate => {
                "production deploys followed, before the next one and within the failure \
                 window, by a production rollback, an incident, or a faulty mark"
            }
            Kind::TimeToRestore => {
                "median, first failure signal → successful rollback, next successful \
                 production deploy, or the incidents closed"
            }
            Kind::DeploySuccessRate => "completed production deploy runs that succeeded",
            Kind::CycleTime => "median, issue created → closed, over the milestone's issues",
        }
    }
}

/// One metric over one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub scope: Scope,
    /// Per week for deployment frequency (a count per release), a fraction for rates,
    /// seconds for times; `None` when there is nothing to measure.
    pub value: Option<f64>,
    /// How many events the value is computed from.
    pub count: usize,
    /// The value in words, or why there is none ("no production deploys in 30 days").
    pub text: String,
    /// DORA band; `None` for metrics without one, per release frequency, or no value.
    pub band: Option<Band>,
}

/// One raw event behind a metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub repo: String,
    /// What happened, with its own number ("PR #213 merged → deploy #41: 1d 2h").
    pub text: String,
    pub url: String,
}

/// A metric's measures, its weekly series and the events it counted (last 90 days and this
/// release, newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub kind: Kind,
    pub measures: Vec<Measure>,
    /// One value per week, oldest first ([`WEEKS`] of them); `None` where nothing happened.
    pub weekly: Vec<Option<f64>>,
    pub events: Vec<Event>,
}

impl Metric {
    /// The measure for `scope`.
    #[must_use]
    pub fn measure(&self, scope: Scope) -> Option<&Measure> {
        self.measures.iter().find(|m| m.scope == scope)
    }
}

/// Every metric, and what limited them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiReport {
    pub milestone: String,
    pub evaluated_at: DateTime<Utc>,
    pub metrics: Vec<Metric>,
    /// What the numbers could not see ("acme/app: no earlier production deploy to compare
    /// deploy #12 with").
    pub caveats: Vec<String>,
}

impl KpiReport {
    /// The metric of `kind`.
    #[must_use]
    pub fn metric(&self, kind: Kind) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.kind == kind)
    }
}

/// Computes every metric at `now`. `issues` are the milestone's issues (for cycle time);
/// `tracking` the tracking issue, which is not counted, nor are issues closed as not planned
/// or duplicates.
#[must_use]
pub fn report(
    history: &History,
    issues: &[Issue],
    tracking: Option<(&str, u64)>,
    settings: &Settings,
    now: DateTime<Utc>,
) -> KpiReport {
    let facts = Facts::gather(history, settings, now);
    let cycle: Vec<&Issue> = issues
        .iter()
        .filter(|i| !i.is_pull_request && i.closed_as_done() && i.closed_at.is_some())
        .filter(|i| tracking != Some((i.repo.as_str(), i.number)))
        .collect();
    let metrics = Kind::ALL
        .iter()
        .map(|&kind| facts.metric(kind, &cycle, settings, now))
        .collect();
    KpiReport {
        milestone: settings.milestone.clone(),
        evaluated_at: now,
        metrics,
        caveats: facts.caveats,
    }
}

/// [`report`] for the release in `snapshot`: its milestone's issues, without its tracking
/// issue; `settings.milestone` is the snapshot's.
#[must_use]
pub fn report_for(
    history: &History,
    snapshot: &super::Snapshot,
    production: &str,
    failure_window: TimeDelta,
    now: DateTime<Utc>,
) -> KpiReport {
    let issues: Vec<Issue> = snapshot
        .repos
        .iter()
        .flat_map(|r| r.issues.iter().cloned())
        .collect();
    let tracking = snapshot
        .tracking
        .as_ref()
        .map(|t| (t.repo.as_str(), t.number));
    let settings = Settings {
        production: production.to_string(),
        failure_window,
        milestone: snapshot.milestone.clone(),
    };
    report(history, &issues, tracking, &settings, now)
}

/// The start of scope `scope` at `now` (`None` for a release, which is not a time range).
#[must_use]
pub fn window_start(scope: Scope, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match scope {
        Scope::Days30 => Some(now - TimeDelta::days(30)),
        Scope::Days90 => Some(now - TimeDelta::days(90)),
        Scope::Release => None,
    }
}

/// The weekly bucket (0 = oldest) `at` falls in, if within the 13 weeks before `now`.
#[must_use]
pub fn week_of(at: DateTime<Utc>, now: DateTime<Utc>) -> Option<usize> {
    if at > now {
        return None;
    }
    let back = usize::try_from((now - at).num_seconds() / (7 * 86_400)).ok()?;
    (back < WEEKS).then(|| WEEKS - 1 - back)
}

/// The median: the mean of the two middle values when the count is even.
#[must_use]
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    })
}
