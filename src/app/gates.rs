//! The deploy verdict: evaluated at GitHub's time on each new release and each clock tick, the
//! one report the header, the gates pane, dispatch enforcement and the commit status read; and
//! the commit status `shipdeck/go-no-go` kept in step with it.

use chrono::{DateTime, Duration, Utc};

use super::effect::Effect;
use super::state::{AppState, Level};
use super::write::{Approved, WriteRequest};
use crate::release::gates::{self, GateReport, Verdict};
use crate::release::{Phase, window};

/// The commit-status context shipdeck sets.
pub const STATUS_CONTEXT: &str = "shipdeck/go-no-go";

/// GitHub's clock as best known: the local clock plus the skew the last refresh measured.
#[must_use]
pub fn github_now(state: &AppState) -> DateTime<Utc> {
    state.now + state.sync.clock_skew
}

/// The deploy window at GitHub's time, when windows or freezes are configured: the header's
/// line and the gates read the same configuration at the same instant.
#[must_use]
pub fn window_status(state: &AppState) -> Option<window::WindowStatus> {
    let policy = &state.rules.gates;
    if policy.windows.is_empty() && policy.freezes.is_empty() {
        return None;
    }
    Some(window::status(
        &policy.windows,
        &policy.freezes,
        github_now(state),
    ))
}

/// The skew between GitHub's `Date` and the local clock; under 2 s (the header's resolution
/// plus a tick) counts as none.
#[must_use]
pub fn skew(server_time: DateTime<Utc>, local: DateTime<Utc>) -> Duration {
    let d = server_time - local;
    if d.num_seconds().abs() < 2 {
        Duration::zero()
    } else {
        d
    }
}

/// Re-evaluates the deploy gates. With `may_post` (fresh data, not the disk cache), returns
/// the commit-status writes that bring GitHub in line with the verdict: only for a repository
/// whose head commit has no status of this verdict yet, and only once per (commit, verdict)
/// in a session.
pub fn reevaluate(state: &mut AppState, may_post: bool) -> Vec<Effect> {
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let report = gates::evaluate(
        release,
        Phase::Deploy,
        &state.rules.gates,
        github_now(state),
    );
    let changed = state
        .verdict
        .as_ref()
        .is_none_or(|old| old.verdict != report.verdict || old.gates != report.gates);
    if changed {
        if let Some(old) = &state.verdict
            && old.verdict != report.verdict
        {
            state.record(
                Level::Info,
                format!(
                    "go/no-go: {} → {}",
                    old.verdict.label(),
                    report.verdict.label()
                ),
            );
        }
        state.dirty = true;
    }
    state.gates.clamp(report.gates.len());
    state.verdict = Some(report);
    if may_post && state.session.post_status && !state.session.read_only {
        status_writes(state)
    } else {
        Vec::new()
    }
}

/// `success` or `failure`: the commit-status state of a verdict.
#[must_use]
pub fn status_state(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Go => "success",
        Verdict::NoGo => "failure",
    }
}

/// The commit-status write for `repo`'s head commit `sha`: the one description of it, for the
/// dashboard and `shipdeck gate --post-status`.
#[must_use]
pub fn status_request(
    repo: &str,
    sha: &str,
    report: &GateReport,
    target_url: Option<&str>,
) -> WriteRequest {
    WriteRequest::CommitStatus {
        repo: repo.to_string(),
        sha: sha.to_string(),
        state: status_state(report.verdict).to_string(),
        context: STATUS_CONTEXT.to_string(),
        // GitHub keeps at most 140 characters.
        description: report.summary(140),
        target_url: target_url.map(str::to_string),
    }
}

fn status_writes(state: &mut AppState) -> Vec<Effect> {
    let (Some(report), Some(snapshot)) = (&state.verdict, &state.snapshot) else {
        return Vec::new();
    };
    let want = status_state(report.verdict);
    let target = snapshot.tracking.as_ref().map(|t| t.html_url.as_str());
    let mut effects = Vec::new();
    for repo in &snapshot.repos {
        let Some(on_github) = &repo.verdict_status else {
            continue;
        };
        let key = (repo.repo.clone(), on_github.sha.clone(), want.to_string());
        if on_github.state.as_deref() == Some(want) || state.posted_statuses.contains(&key) {
            continue;
        }
        let request = status_request(&repo.repo, &on_github.sha, report, target);
        effects.push(Effect::Write(Approved {
            calls: request.calls(),
            request,
        }));
        state.posted_statuses.push(key);
    }
    effects
}
