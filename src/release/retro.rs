//! The retrospective draft: facts about a release gathered from what shipdeck already derived
//! (the board, the burn-up's freeze and late scope, the status comment's history, the override
//! comments, the KPI report, the incident issues), as numbered lines a user can pick to file
//! as follow-up issues. Pure; each fact is read from the one place that computes it.
//!
//! Time in a phase: a phase's span starts when the previous phase (the nearest earlier one
//! with issues) completed, or, for the first such phase, when its first issue was created; it
//! ends when its last issue closed (once all are closed), else it is still going. A phase
//! completes as the freeze does ([`super::burnup::completed_at`]). Checklist items have no
//! dates on GitHub and do not count.

mod follow_up;
mod lines;
mod render;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

pub use follow_up::{Filing, FollowUpPlan, Origin, follow_up_calls, next_milestone};
pub use lines::{Line, Section};
pub use render::{json, markdown};

use super::gates::GateReport;
use super::kpis::{self, History, KpiReport, Scope};
use super::overrides::OverrideNote;
use super::status_update::{self, HistoryEntry};
use super::{Issue, Phase, Release, Snapshot, State};

/// What the retrospective is built from; `history` is the delivery history with the KPI
/// report computed from it, or why it could not be read.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub snapshot: &'a Snapshot,
    pub release: &'a Release,
    pub history: Result<(&'a History, &'a KpiReport), &'a str>,
    /// The deploy verdict now (its failing gates are listed).
    pub gate: Option<&'a GateReport>,
    pub now: DateTime<Utc>,
}

/// An issue or PR of the board, as the retrospective names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub html_url: String,
    pub is_open: bool,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Planned against delivered scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeFacts {
    /// When scope froze (the burn-up's freeze); `None` while the Plan phase has open issues.
    pub freeze: Option<DateTime<Utc>>,
    /// Issues and PRs on the board created by the freeze (all of them without a freeze).
    pub planned: usize,
    /// Of those, closed.
    pub planned_done: usize,
    /// Created after the freeze (the burn-up's late scope), oldest first.
    pub late: Vec<Item>,
    /// Still open, planned or late.
    pub open: Vec<Item>,
}

/// A stretch of NO-GO seen by the status comment's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoGo {
    /// The first update that saw NO-GO.
    pub from: DateTime<Utc>,
    /// The last update that still saw NO-GO.
    pub last_seen: DateTime<Utc>,
    /// The update that saw GO again; `None` while the last update is NO-GO.
    pub until: Option<DateTime<Utc>>,
}

impl NoGo {
    /// From the first NO-GO update to the GO one (or to the last NO-GO one, while still on).
    #[must_use]
    pub fn duration(&self) -> TimeDelta {
        self.until.unwrap_or(self.last_seen) - self.from
    }
}

/// The verdict over time, from the history lines of every status comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictHistory {
    /// History lines read.
    pub updates: usize,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub no_go: Vec<NoGo>,
}

/// One phase's span (see the module's definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PhaseSpan {
    pub phase: Phase,
    /// Issues and PRs with the phase's label.
    pub issues: usize,
    pub start: Option<DateTime<Utc>>,
    /// When its last issue closed; `None` while any is open.
    pub end: Option<DateTime<Utc>>,
}

impl PhaseSpan {
    /// Its length: to the end, or to `now` while going; never negative (a phase finished
    /// before the previous one did has none).
    #[must_use]
    pub fn duration(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        let start = self.start?;
        Some((self.end.unwrap_or(now) - start).max(TimeDelta::zero()))
    }
}

/// One KPI for this release against the last 90 days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiVs {
    pub kind: kpis::Kind,
    pub release: Option<kpis::Measure>,
    pub days90: Option<kpis::Measure>,
}

/// An incident issue opened during the release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub item: Item,
}

/// Every fact of the retrospective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retro {
    pub milestone: String,
    pub phase: Phase,
    pub at: DateTime<Utc>,
    /// The tracking issue: `(repo, number, url)`.
    pub tracking: Option<(String, u64, String)>,
    pub repos: Vec<String>,
    pub scope: ScopeFacts,
    /// `None` when no status comment holds a history line.
    pub verdicts: Option<VerdictHistory>,
    /// The deploy gates failing now, "name: reason".
    pub failing_now: Vec<String>,
    pub overrides: Vec<OverrideNote>,
    pub phases: Vec<PhaseSpan>,
    /// `Err`: why the delivery history could not be read.
    pub kpis: Result<Vec<KpiVs>, String>,
    pub incidents: Result<Vec<Incident>, String>,
}

impl Retro {
    /// Gathers the facts.
    #[must_use]
    pub fn build(i: &Inputs<'_>) -> Self {
        let issues: HashMap<(&str, u64), &Issue> = i
            .snapshot
            .repos
            .iter()
            .flat_map(|r| r.issues.iter())
            .map(|x| ((x.repo.as_str(), x.number), x))
            .collect();
        let item = |repo: &str, number: u64| issues.get(&(repo, number)).map(|x| item_of(x));
        let board: Vec<Item> = i
            .release
            .board()
            .iter()
            .flat_map(|c| c.cards.iter())
            .filter_map(|c| item(&c.repo, c.number))
            .collect();
        let scope = scope_facts(i.release, &board);
        let phases = phase_spans(i.release, &item);
        let start = board.iter().map(|b| b.created_at).min();
        let tracking = i.release.tracking.as_ref();
        Retro {
            milestone: i.release.title.clone(),
            phase: i.release.current_phase,
            at: i.now,
            tracking: tracking.map(|t| (t.repo.clone(), t.number, t.html_url.clone())),
            repos: i.release.repos.clone(),
            scope,
            verdicts: tracking.and_then(|t| verdict_history(&t.status_comments)),
            failing_now: i.gate.map_or_else(Vec::new, |g| {
                g.failing()
                    .map(|f| format!("{}: {}", f.name, f.reason))
                    .collect()
            }),
            overrides: tracking.map(|t| t.overrides.clone()).unwrap_or_default(),
            phases,
            kpis: i
                .history
                .map(|(_, report)| kpis_vs(report))
                .map_err(str::to_string),
            incidents: i
                .history
                .map(|(h, _)| incidents(h, start, i.now))
                .map_err(str::to_string),
        }
    }

    /// Whether the release is in its Review phase (the retrospective's time).
    #[must_use]
    pub fn is_review(&self) -> bool {
        self.phase == Phase::Review
    }
}

fn item_of(x: &Issue) -> Item {
    Item {
        repo: x.repo.clone(),
        number: x.number,
        title: x.title.clone(),
        html_url: x.html_url.clone(),
        is_open: x.state == State::Open,
        created_at: x.created_at,
        closed_at: x.closed_at.filter(|_| x.state == State::Closed),
    }
}

/// Planned and late scope: the late set is the burn-up's, not computed again.
fn scope_facts(release: &Release, board: &[Item]) -> ScopeFacts {
    let key = |b: &Item| format!("{}#{}", b.repo, b.number);
    let is_late = |b: &Item| release.burnup.late.contains(&key(b));
    let planned: Vec<&Item> = board.iter().filter(|b| !is_late(b)).collect();
    let mut late: Vec<Item> = board.iter().filter(|b| is_late(b)).cloned().collect();
    late.sort_by_key(|b| (b.created_at, b.repo.clone(), b.number));
    let mut open: Vec<Item> = board.iter().filter(|b| b.is_open).cloned().collect();
    open.sort_by_key(|b| (b.repo.clone(), b.number));
    ScopeFacts {
        freeze: release.burnup.freeze.map(|f| f.at),
        planned: planned.len(),
        planned_done: planned.iter().filter(|b| !b.is_open).count(),
        late,
        open,
    }
}

/// Each phase's span, on the board's own phase columns.
fn phase_spans(release: &Release, item: &dyn Fn(&str, u64) -> Option<Item>) -> Vec<PhaseSpan> {
    let mut prev_end: Option<DateTime<Utc>> = None;
    let mut out = Vec::new();
    for col in &release.phases {
        let items: Vec<Item> = col
            .cards
            .iter()
            .filter_map(|c| item(&c.repo, c.number))
            .collect();
        if items.is_empty() {
            out.push(PhaseSpan {
                phase: col.phase,
                issues: 0,
                start: None,
                end: None,
            });
            continue;
        }
        let end = super::burnup::completed_at(items.iter().map(|b| b.closed_at));
        let first = items.iter().map(|b| b.created_at).min();
        let start = prev_end.or(first);
        out.push(PhaseSpan {
            phase: col.phase,
            issues: items.len(),
            start,
            end,
        });
        prev_end = end;
    }
    out
}

/// The NO-GO stretches in the history lines of every status comment, merged by time (each
/// line is one observation of the verdict, whoever posted it).
#[must_use]
pub fn verdict_history(comments: &[status_update::StatusComment]) -> Option<VerdictHistory> {
    let mut entries: Vec<HistoryEntry> = comments
        .iter()
        .flat_map(|c| status_update::history(&c.body))
        .filter_map(|l| status_update::history_entry(&l))
        .collect();
    entries.sort_by_key(|e| e.at);
    entries.dedup_by(|a, b| a.at == b.at && a.go == b.go);
    let (first, last) = (entries.first()?.at, entries.last()?.at);
    let mut no_go: Vec<NoGo> = Vec::new();
    let mut open: Option<NoGo> = None;
    for e in &entries {
        match (&mut open, e.go) {
            (None, false) => {
                open = Some(NoGo {
                    from: e.at,
                    last_seen: e.at,
                    until: None,
                });
            }
            (Some(o), false) => o.last_seen = e.at,
            (Some(o), true) => {
                o.until = Some(e.at);
                no_go.push(*o);
                open = None;
            }
            (None, true) => {}
        }
    }
    no_go.extend(open);
    Some(VerdictHistory {
        updates: entries.len(),
        first,
        last,
        no_go,
    })
}

fn kpis_vs(report: &KpiReport) -> Vec<KpiVs> {
    report
        .metrics
        .iter()
        .map(|m| KpiVs {
            kind: m.kind,
            release: m.measure(Scope::Release).cloned(),
            days90: m.measure(Scope::Days90).cloned(),
        })
        .collect()
}

/// Incident issues opened from the release's first issue to `now`, oldest first.
fn incidents(history: &History, start: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Vec<Incident> {
    let Some(start) = start else {
        return Vec::new();
    };
    let mut out: Vec<Incident> = history
        .repos
        .iter()
        .flat_map(|r| r.incidents.iter())
        .filter(|x| x.created_at >= start && x.created_at <= now)
        .map(|x| Incident { item: item_of(x) })
        .collect();
    out.sort_by_key(|x| (x.item.created_at, x.item.repo.clone(), x.item.number));
    out
}
