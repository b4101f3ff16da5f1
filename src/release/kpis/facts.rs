//! The facts every metric is computed from: each completed production deploy with its outcome,
//! the PRs it shipped and whether (and when) it failed and was restored. Computed once, so the
//! six metrics, their weekly series and their event lists count the same things.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::failure::{Failure, FailureInputs, failure};
use super::format::{count_text, value_text};
use super::{
    Band, Event, History, Kind, Measure, MergedPr, Metric, Scope, Settings, ShippedCommits, WEEKS,
    belongs_to, is_production_deploy, is_production_rollback, median, week_of, window_start,
};
use crate::release::rollback::version_in;
use crate::release::time::span;
use crate::release::{Conclusion, Issue, Run, RunStatus};

/// A completed production deploy.
#[derive(Debug, Clone)]
pub(super) struct DeployFact<'a> {
    pub repo: &'a str,
    pub run: &'a Run,
    /// Completion time.
    pub done: DateTime<Utc>,
    pub success: bool,
    /// Its version belongs to the current release.
    pub in_release: bool,
    pub failure: Option<Failure>,
    /// PRs it shipped, with their lead times (successful deploys only).
    pub lead: Vec<(&'a MergedPr, TimeDelta)>,
}

/// All deploy facts, and what limited them.
pub(super) struct Facts<'a> {
    pub deploys: Vec<DeployFact<'a>>,
    pub caveats: Vec<String>,
}

fn in_window(at: DateTime<Utc>, scope: Scope, now: DateTime<Utc>) -> bool {
    window_start(scope, now).is_some_and(|start| at >= start && at <= now)
}

impl DeployFact<'_> {
    fn in_scope(&self, scope: Scope, now: DateTime<Utc>) -> bool {
        match scope {
            Scope::Release => self.in_release,
            _ => in_window(self.done, scope, now),
        }
    }

    fn label(&self) -> String {
        let version = version_in(&self.run.display_title).unwrap_or_else(|| "?".into());
        format!("deploy #{} {version}", self.run.run_number)
    }

    fn event(&self, text: String) -> Event {
        Event {
            at: self.done,
            repo: self.repo.to_string(),
            text,
            url: self.run.html_url.clone(),
        }
    }
}

impl<'a> Facts<'a> {
    /// Reads `history` into deploy facts.
    pub fn gather(history: &'a History, settings: &Settings, now: DateTime<Utc>) -> Self {
        let mut deploys = Vec::new();
        let mut caveats = Vec::new();
        let production = settings.production.as_str();
        for repo in &history.repos {
            if !repo.deploys.is_empty()
                && !repo
                    .deploys
                    .iter()
                    .any(|r| is_production_deploy(r, production))
            {
                caveats.push(format!(
                    "{}: none of its {} deploy runs names {production} in its title; the KPIs \
                     read the environment from the title (run-name: \"Deploy ${{{{ \
                     inputs.version }}}} to ${{{{ inputs.environment }}}}\")",
                    repo.repo,
                    repo.deploys.len()
                ));
            }
            let mut completed: Vec<&Run> = repo
                .deploys
                .iter()
                .filter(|r| r.status == RunStatus::Completed)
                .filter(|r| !matches!(r.conclusion, None | Some(Conclusion::Skipped)))
                .filter(|r| is_production_deploy(r, production))
                .collect();
            completed.sort_by_key(|r| (r.updated_at, r.id));
            let successes: Vec<&Run> = completed.iter().copied().filter(|r| r.is_green()).collect();
            let rollbacks: Vec<&Run> = repo
                .rollbacks
                .iter()
                .filter(|r| is_production_rollback(r, production))
                .collect();
            // Looked up once per deploy, so built once: a year of daily deploys in 20
            // repositories stays well under a frame.
            let by_sha: HashMap<&str, &MergedPr> = repo
                .merged
                .iter()
                .map(|pr| (pr.merge_commit_sha.as_str(), pr))
                .collect();
            let shipped: HashMap<u64, &ShippedCommits> = repo
                .shipped
                .iter()
                .map(|s| (s.run_id, &s.commits))
                .collect();
            let mut newest: HashMap<String, (DateTime<Utc>, u64)> = HashMap::new();
            for s in &successes {
                if let Some(v) = version_in(&s.display_title) {
                    let key = (s.updated_at, s.id);
                    let e = newest.entry(v).or_insert(key);
                    *e = (*e).max(key);
                }
            }
            let mut next_success = 0;
            for run in completed {
                let success = run.is_green();
                let version = version_in(&run.display_title);
                let in_release = version
                    .as_deref()
                    .is_some_and(|v| belongs_to(v, &settings.milestone));
                let mut fact = DeployFact {
                    repo: &repo.repo,
                    run,
                    done: run.updated_at,
                    success,
                    in_release,
                    failure: None,
                    lead: Vec::new(),
                };
                if success {
                    // `completed` and `successes` are in the same order: this is the next one.
                    next_success += 1;
                    let next = successes.get(next_success).map(|s| s.updated_at);
                    let newest_of_release = version
                        .as_deref()
                        .and_then(|v| newest.get(v))
                        .is_some_and(|k| *k == (run.updated_at, run.id));
                    let faulty = newest_of_release
                        && version.as_deref().is_some_and(|v| {
                            history.faulty_releases.iter().any(|r| belongs_to(v, r))
                        });
                    fact.failure = failure(
                        &fact,
                        FailureInputs {
                            next,
                            rollbacks: &rollbacks,
                            incidents: &repo.incidents,
                            faulty,
                            window: settings.failure_window,
                        },
                    );
                    let relevant = in_window(fact.done, Scope::Days90, now) || in_release;
                    match shipped.get(&run.id) {
                        Some(commits) => match commits {
                            ShippedCommits::Known { shas } => {
                                fact.lead = shas
                                    .iter()
                                    .filter_map(|sha| by_sha.get(sha.as_str()))
                                    .map(|pr| (*pr, fact.done - pr.merged_at))
                                    .collect();
                            }
                            ShippedCommits::NoEarlierDeploy if relevant => caveats.push(format!(
                                "{}: {} is the oldest production deploy read; what it shipped \
                                 is not in the lead time",
                                repo.repo,
                                fact.label()
                            )),
                            ShippedCommits::Unknown { why } if relevant => caveats.push(format!(
                                "{}: {} not in the lead time: {why}",
                                repo.repo,
                                fact.label()
                            )),
                            _ => {}
                        },
                        None if relevant => caveats.push(format!(
                            "{}: {} was not compared; not in the lead time",
                            repo.repo,
                            fact.label()
                        )),
                        None => {}
                    }
                }
                deploys.push(fact);
            }
        }
        deploys.sort_by_key(|d| std::cmp::Reverse((d.done, d.run.id)));
        Facts { deploys, caveats }
    }

    /// The metric of `kind`, over every scope, with its weekly series and events.
    pub fn metric(
        &self,
        kind: Kind,
        cycle: &[&Issue],
        settings: &Settings,
        now: DateTime<Utc>,
    ) -> Metric {
        let measures = Scope::ALL
            .iter()
            .map(|&scope| {
                let subject = Subject::new(scope, &settings.milestone);
                let mut m = match kind {
                    Kind::CycleTime => self.cycle_time(cycle, &subject, |i| match scope {
                        Scope::Release => true,
                        _ => i.closed_at.is_some_and(|c| in_window(c, scope, now)),
                    }),
                    _ => self.measure(kind, &subject, |d| d.in_scope(scope, now)),
                };
                m.scope = scope;
                if scope == Scope::Release && kind == Kind::DeploymentFrequency {
                    m.band = None;
                }
                m
            })
            .collect();
        let weekly = (0..WEEKS)
            .map(|w| {
                let subject = Subject::new(Scope::Days90, "");
                match kind {
                    Kind::CycleTime => self.cycle_time(cycle, &subject, |i| {
                        i.closed_at.and_then(|c| week_of(c, now)) == Some(w)
                    }),
                    Kind::DeploymentFrequency => {
                        let n = self
                            .deploys
                            .iter()
                            .filter(|d| d.success && week_of(d.done, now) == Some(w))
                            .count();
                        Measure::counted(n as f64, n)
                    }
                    _ => self.measure(kind, &subject, |d| week_of(d.done, now) == Some(w)),
                }
                .value
            })
            .collect();
        Metric {
            kind,
            measures,
            weekly,
            events: self.events(kind, cycle, settings, now),
        }
    }

    fn measure(
        &self,
        kind: Kind,
        subject: &Subject,
        keep: impl Fn(&DeployFact) -> bool,
    ) -> Measure {
        let completed: Vec<&DeployFact> = self.deploys.iter().filter(|d| keep(d)).collect();
        let ok: Vec<&DeployFact> = completed.iter().copied().filter(|d| d.success).collect();
        let none_deployed = || Measure::none(format!("no production deploys {}", subject.span));
        match kind {
            Kind::DeploymentFrequency => {
                let n = ok.len();
                if n == 0 {
                    return none_deployed();
                }
                match subject.days {
                    Some(days) => {
                        let per_week = n as f64 / (days / 7.0);
                        Measure::banded(
                            kind,
                            per_week,
                            n,
                            format!("{} ({n})", value_text(kind, per_week)),
                        )
                    }
                    None => Measure::counted(n as f64, n).with_text(count_text(n, "deploy")),
                }
            }
            Kind::DeploySuccessRate => {
                let total = completed.len();
                if total == 0 {
                    return Measure::none(format!(
                        "no completed production deploys {}",
                        subject.span
                    ));
                }
                let rate = ok.len() as f64 / total as f64;
                Measure::banded(
                    kind,
                    rate,
                    total,
                    format!("{} ({} of {total})", value_text(kind, rate), ok.len()),
                )
            }
            Kind::ChangeFailureRate => {
                if ok.is_empty() {
                    return none_deployed();
                }
                let failed = ok.iter().filter(|d| d.failure.is_some()).count();
                let rate = failed as f64 / ok.len() as f64;
                Measure::banded(
                    kind,
                    rate,
                    ok.len(),
                    format!("{} ({failed} of {})", value_text(kind, rate), ok.len()),
                )
            }
            Kind::LeadTime => {
                let mut secs: Vec<f64> = ok
                    .iter()
                    .flat_map(|d| d.lead.iter().map(|(_, t)| t.num_seconds() as f64))
                    .collect();
                let n = secs.len();
                match median(&mut secs) {
                    Some(m) => Measure::banded(
                        kind,
                        m,
                        n,
                        format!("{} ({})", value_text(kind, m), count_text(n, "PR")),
                    ),
                    None if ok.is_empty() => none_deployed(),
                    None => {
                        Measure::none(format!("no merged PRs traced to a deploy {}", subject.span))
                    }
                }
            }
            Kind::TimeToRestore => {
                let failures: Vec<&Failure> =
                    ok.iter().filter_map(|d| d.failure.as_ref()).collect();
                if failures.is_empty() {
                    return Measure::none(format!("no failed deploys {}", subject.span));
                }
                let open = failures.iter().filter(|f| f.restored.is_none()).count();
                let mut secs: Vec<f64> = failures
                    .iter()
                    .filter_map(|f| {
                        f.restored
                            .as_ref()
                            .map(|(t, _)| (*t - f.start).num_seconds() as f64)
                    })
                    .collect();
                let n = secs.len();
                let open_text = if open > 0 {
                    format!(", {open} open")
                } else {
                    String::new()
                };
                match median(&mut secs) {
                    Some(m) => Measure::banded(
                        kind,
                        m,
                        n,
                        format!("{} ({n} restored{open_text})", value_text(kind, m)),
                    ),
                    None => Measure::none(format!("{} still failing", count_text(open, "failure"))),
                }
            }
            Kind::CycleTime => unreachable_cycle(),
        }
    }

    fn cycle_time(
        &self,
        issues: &[&Issue],
        subject: &Subject,
        keep: impl Fn(&Issue) -> bool,
    ) -> Measure {
        let mut secs: Vec<f64> = issues
            .iter()
            .filter(|i| keep(i))
            .filter_map(|i| i.closed_at.map(|c| (c - i.created_at).num_seconds() as f64))
            .collect();
        let n = secs.len();
        match median(&mut secs) {
            Some(m) => Measure::banded(
                Kind::CycleTime,
                m,
                n,
                format!(
                    "{} ({})",
                    value_text(Kind::CycleTime, m),
                    count_text(n, "issue")
                ),
            ),
            None => Measure::none(format!("no milestone issues closed {}", subject.span)),
        }
    }

    fn events(
        &self,
        kind: Kind,
        cycle: &[&Issue],
        settings: &Settings,
        now: DateTime<Utc>,
    ) -> Vec<Event> {
        let shown: Vec<&DeployFact> = self
            .deploys
            .iter()
            .filter(|d| d.in_scope(Scope::Days90, now) || d.in_release)
            .collect();
        let mut out: Vec<Event> = match kind {
            Kind::DeploymentFrequency => shown
                .iter()
                .filter(|d| d.success)
                .map(|d| {
                    d.event(format!(
                        "{} to {} succeeded",
                        d.label(),
                        settings.production
                    ))
                })
                .collect(),
            Kind::DeploySuccessRate => shown
                .iter()
                .map(|d| {
                    let how = d.run.conclusion.map_or("?", Conclusion::as_str);
                    d.event(format!("{} to {}: {how}", d.label(), settings.production))
                })
                .collect(),
            Kind::LeadTime => shown
                .iter()
                .filter(|d| d.success)
                .flat_map(|d| {
                    d.lead.iter().map(move |(pr, t)| Event {
                        at: pr.merged_at,
                        repo: d.repo.to_string(),
                        text: format!("PR #{} merged → {}: {}", pr.number, d.label(), span(*t)),
                        url: pr.html_url.clone(),
                    })
                })
                .collect(),
            Kind::ChangeFailureRate => shown
                .iter()
                .filter(|d| d.success)
                .map(|d| match &d.failure {
                    Some(f) => {
                        let why: Vec<&str> = f.signals.iter().map(|s| s.text.as_str()).collect();
                        d.event(format!("{} failed: {}", d.label(), why.join("; ")))
                    }
                    None => d.event(format!("{} held", d.label())),
                })
                .collect(),
            Kind::TimeToRestore => shown
                .iter()
                .filter_map(|d| d.failure.as_ref().map(|f| (d, f)))
                .map(|(d, f)| match &f.restored {
                    Some((t, by)) => d.event(format!(
                        "{}: restored in {} by {by}",
                        d.label(),
                        span(*t - f.start)
                    )),
                    None => d.event(format!(
                        "{}: still failing, {} so far",
                        d.label(),
                        span(now - f.start)
                    )),
                })
                .collect(),
            Kind::CycleTime => cycle
                .iter()
                .filter_map(|i| {
                    let closed = i.closed_at?;
                    Some(Event {
                        at: closed,
                        repo: i.repo.clone(),
                        text: format!(
                            "#{} closed after {}: {}",
                            i.number,
                            span(closed - i.created_at),
                            i.title
                        ),
                        url: i.html_url.clone(),
                    })
                })
                .collect(),
        };
        out.sort_by_key(|e| std::cmp::Reverse(e.at));
        out
    }
}

fn unreachable_cycle() -> Measure {
    Measure::none("cycle time is measured over issues".into())
}

/// How a scope reads in "no … in 30 days".
struct Subject {
    span: String,
    days: Option<f64>,
}

impl Subject {
    fn new(scope: Scope, milestone: &str) -> Self {
        match scope {
            Scope::Days30 => Subject {
                span: "in 30 days".into(),
                days: Some(30.0),
            },
            Scope::Days90 => Subject {
                span: "in 90 days".into(),
                days: Some(90.0),
            },
            Scope::Release => Subject {
                span: format!("of {milestone}"),
                days: None,
            },
        }
    }
}

impl Measure {
    fn none(text: String) -> Self {
        Measure {
            scope: Scope::Days30,
            value: None,
            count: 0,
            text,
            band: None,
        }
    }

    fn counted(value: f64, count: usize) -> Self {
        Measure {
            scope: Scope::Days30,
            value: Some(value),
            count,
            text: String::new(),
            band: None,
        }
    }

    fn banded(kind: Kind, value: f64, count: usize, text: String) -> Self {
        Measure {
            scope: Scope::Days30,
            value: Some(value),
            count,
            text,
            band: Band::of(kind, value),
        }
    }

    fn with_text(mut self, text: String) -> Self {
        self.text = text;
        self
    }
}
