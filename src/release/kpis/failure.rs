//! Whether a successful production deploy failed (a rollback, an incident or a faulty mark
//! after it), and when service was restored.

use chrono::{DateTime, TimeDelta, Utc};

use super::facts::DeployFact;
use crate::release::{Issue, Run};

/// A failure signal after a deploy.
#[derive(Debug, Clone)]
pub struct Signal {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// A failed deploy: its signals, when the failure started and when service was restored.
#[derive(Debug, Clone)]
pub struct Failure {
    pub signals: Vec<Signal>,
    pub start: DateTime<Utc>,
    /// When, and by what; `None` while still failing.
    pub restored: Option<(DateTime<Utc>, String)>,
}

pub(super) struct FailureInputs<'r> {
    pub next: Option<DateTime<Utc>>,
    pub rollbacks: &'r [&'r Run],
    pub incidents: &'r [Issue],
    pub faulty: bool,
    pub window: TimeDelta,
}

/// Whether a successful deploy failed, and when it was restored.
pub(super) fn failure(d: &DeployFact, inp: FailureInputs) -> Option<Failure> {
    let limit = match inp.next {
        Some(next) => next.min(d.done + inp.window),
        None => d.done + inp.window,
    };
    let within = |at: DateTime<Utc>| at >= d.done && at < limit;
    let mut signals: Vec<Signal> = inp
        .rollbacks
        .iter()
        .filter(|r| within(r.created_at))
        .map(|r| Signal {
            at: r.created_at,
            text: format!("rollback run #{}", r.run_number),
        })
        .collect();
    let incidents: Vec<&Issue> = inp
        .incidents
        .iter()
        .filter(|i| within(i.created_at))
        .collect();
    signals.extend(incidents.iter().map(|i| Signal {
        at: i.created_at,
        text: format!("incident #{}", i.number),
    }));
    if inp.faulty {
        signals.push(Signal {
            at: d.done,
            text: "release marked faulty".into(),
        });
    }
    let start = signals.iter().map(|s| s.at).min()?;
    let mut restored: Vec<(DateTime<Utc>, String)> = inp
        .rollbacks
        .iter()
        .filter(|r| r.is_green() && r.updated_at >= start)
        .map(|r| (r.updated_at, format!("rollback run #{}", r.run_number)))
        .collect();
    if let Some(next) = inp.next.filter(|n| *n >= start) {
        restored.push((next, "the next production deploy".into()));
    }
    if incidents.iter().all(|i| i.closed_at.is_some())
        && let Some(last) = incidents.iter().filter_map(|i| i.closed_at).max()
    {
        restored.push((last.max(start), "closing the incident".into()));
    }
    Some(Failure {
        signals,
        start,
        restored: restored.into_iter().min_by_key(|(t, _)| *t),
    })
}
