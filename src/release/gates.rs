//! Go / no-go gates: what must hold before a phase may start, each with its reason. Which
//! gates apply where comes from the [`Policy`] (config); evaluation is pure, with the time
//! passed in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::git_ref;
use super::signoff::{self, Tally};
use super::snapshot::{Missing, MissingWorkflow, Release, WorkflowRuns};
use super::task_list::Section;
use super::{Phase, State, window};

mod policy;

pub use policy::{GateKind, PhaseGates, Policy, Profile, STANDARD};

/// One criterion and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub name: String,
    pub passed: bool,
    pub reason: String,
}

impl Gate {
    /// "✓ not in a freeze — no freeze now": the line the text outputs print.
    #[must_use]
    pub fn line(&self) -> String {
        format!(
            "{} {} — {}",
            if self.passed { "✓" } else { "✗" },
            self.name,
            self.reason
        )
    }
}

/// `go` only when every gate passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "go")]
    Go,
    #[serde(rename = "no-go")]
    NoGo,
}

impl Verdict {
    /// "GO" / "NO-GO".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Go => "GO",
            Verdict::NoGo => "NO-GO",
        }
    }
}

/// The gates of one phase; the shape `status --json` and `gate --json` share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateReport {
    pub phase: Phase,
    pub verdict: Verdict,
    pub gates: Vec<Gate>,
    /// The gate profile in force: a profile's name, or `standard`.
    pub profile: String,
    /// The time the gates were evaluated at (GitHub's clock when known).
    pub evaluated_at: DateTime<Utc>,
}

impl GateReport {
    /// The gates that failed.
    pub fn failing(&self) -> impl Iterator<Item = &Gate> {
        self.gates.iter().filter(|g| !g.passed)
    }

    /// The failing gates in one line of at most `max` characters, for a commit status's
    /// description: "no-go: no open blockers (#17 is open); …", or "go: all 9 gates pass".
    #[must_use]
    pub fn summary(&self, max: usize) -> String {
        let text = if self.verdict == Verdict::Go {
            match self.gates.len() {
                0 => "go: no gates apply".to_string(),
                1 => "go: the one gate passes".to_string(),
                n => format!("go: all {n} gates pass"),
            }
        } else {
            let failing: Vec<String> = self
                .failing()
                .map(|g| format!("{} ({})", g.name, g.reason))
                .collect();
            format!("no-go: {}", failing.join("; "))
        };
        truncate(&text, max)
    }
}

/// Evaluates the gates before entering `phase` at `now`, under the profile the tracking issue's
/// labels select.
#[must_use]
pub fn evaluate(
    release: &Release,
    phase: Phase,
    policy: &Policy,
    now: DateTime<Utc>,
) -> GateReport {
    let labels = release
        .tracking
        .as_ref()
        .map(|t| t.labels.as_slice())
        .unwrap_or_default();
    let profile = policy.profile(labels);
    let gates: Vec<Gate> = policy
        .gates(phase, profile)
        .iter()
        .flat_map(|kind| gate(release, phase, kind, policy, now))
        .collect();
    let verdict = if gates.iter().all(|g| g.passed) {
        Verdict::Go
    } else {
        Verdict::NoGo
    };
    GateReport {
        phase,
        verdict,
        gates,
        profile: profile.map_or(STANDARD, |p| p.name.as_str()).to_string(),
        evaluated_at: now,
    }
}

/// The gates one kind stands for (the earlier checklists are one gate per phase).
fn gate(
    release: &Release,
    phase: Phase,
    kind: &GateKind,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Vec<Gate> {
    let one = |name: &str, (passed, reason): (bool, String)| {
        vec![Gate {
            name: name.to_string(),
            passed,
            reason,
        }]
    };
    match kind {
        GateKind::EarlierChecklists => Phase::ALL
            .into_iter()
            .filter(|p| *p < phase)
            .map(|p| checklist(release, p))
            .collect(),
        GateKind::Checklist(p) => vec![checklist(release, *p)],
        GateKind::Blockers => one("no open blockers", blockers(release)),
        GateKind::Workflows => vec![required_workflows(release, phase)],
        GateKind::Risks => one(
            &format!("no unmitigated risk scoring {}+", policy.risk_threshold),
            risks(release, policy.risk_threshold),
        ),
        GateKind::NotOverdue => one("milestone not overdue", not_overdue(release, now)),
        GateKind::Window => one(
            "inside a deploy window",
            window::window_gate(&policy.windows, &policy.freezes, now),
        ),
        GateKind::Freeze => one("not in a freeze", window::freeze_gate(&policy.freezes, now)),
        GateKind::Unlocked => one(
            "deploys not locked",
            match &release.lock {
                None => (true, "not locked".to_string()),
                Some(lock) => (
                    false,
                    match &lock.author {
                        Some(who) => format!("locked by {who}: {}", lock.reason),
                        None => format!("locked: {}", lock.reason),
                    },
                ),
            },
        ),
        GateKind::Signoffs(roles) => vec![signoff_gate(release, policy, roles.as_deref())],
    }
}

fn checklist(release: &Release, phase: Phase) -> Gate {
    let items: Vec<_> = release
        .checklist
        .iter()
        .filter(|i| i.section == Section::Phase(phase))
        .collect();
    let open: Vec<_> = items.iter().filter(|i| !i.checked).collect();
    Gate {
        name: format!("{phase} checklist complete"),
        passed: open.is_empty(),
        reason: match (items.len(), open.first()) {
            (0, _) => "no items".to_string(),
            (n, None) => format!("{n} of {n} ticked"),
            (n, Some(first)) => format!(
                "{} of {n} ticked; next: {}",
                n - open.len(),
                truncate(&first.text, 40)
            ),
        },
    }
}

fn blockers(release: &Release) -> (bool, String) {
    let open: Vec<String> = release
        .blockers
        .iter()
        .filter(|b| b.state == State::Open)
        .map(|b| format!("#{}", b.number))
        .collect();
    let reason = match open.len() {
        0 => "none open".to_string(),
        1 => format!("{} is open", open[0]),
        _ => format!("{} are open", open.join(", ")),
    };
    (open.is_empty(), reason)
}

/// The open risks scoring `threshold` or more, highest first: the ones the risk gate weighs
/// (it fails on those without a mitigation) and the status comment lists.
pub fn open_risks_at(release: &Release, threshold: u8) -> impl Iterator<Item = &super::risk::Risk> {
    release
        .risks
        .iter()
        .filter(move |r| r.state == State::Open && r.score() >= threshold)
}

fn risks(release: &Release, threshold: u8) -> (bool, String) {
    let unmitigated: Vec<String> = open_risks_at(release, threshold)
        .filter(|r| r.mitigation.is_none())
        .map(|r| format!("#{} (score {})", r.number, r.score()))
        .collect();
    if unmitigated.is_empty() {
        (true, "none".to_string())
    } else {
        (false, unmitigated.join(", "))
    }
}

fn not_overdue(release: &Release, now: DateTime<Utc>) -> (bool, String) {
    match release.due_on {
        None => (true, "no due date".to_string()),
        Some(due) => {
            let (text, overdue) = super::time::countdown(due, now);
            (!overdue, format!("due {} ({text})", due.format("%b %-d")))
        }
    }
}

/// The sign-offs of `roles` (every configured role when `None`) as the tracking issue's
/// comments record them: the one tally the gate, the gates pane and the sign-off dialog read.
#[must_use]
pub fn signoffs(release: &Release, policy: &Policy, roles: Option<&[String]>) -> Tally {
    let required: Vec<String> = match roles {
        Some(r) => r.to_vec(),
        None => policy.roles.0.keys().cloned().collect(),
    };
    let commands = release
        .tracking
        .as_ref()
        .map(|t| t.signoffs.as_slice())
        .unwrap_or_default();
    signoff::tally(commands, &policy.roles, &required)
}

fn signoff_gate(release: &Release, policy: &Policy, roles: Option<&[String]>) -> Gate {
    let tally = signoffs(release, policy, roles);
    if tally.roles.is_empty() {
        return Gate {
            name: "sign-offs".to_string(),
            passed: true,
            reason: "no roles configured".to_string(),
        };
    }
    let names: Vec<&str> = tally.roles.iter().map(|r| r.role.as_str()).collect();
    let mut parts: Vec<String> = tally
        .roles
        .iter()
        .filter_map(|r| {
            let by: Vec<&str> = r.signed.iter().map(|s| s.by.as_str()).collect();
            (!by.is_empty()).then(|| format!("{} by {}", r.role, by.join(", ")))
        })
        .collect();
    let missing = tally.missing();
    if !missing.is_empty() {
        let who = |role: &str| match policy.roles.signers(role) {
            Some(s) if !s.is_empty() => s.join(" or "),
            _ => "nobody is listed".to_string(),
        };
        let missing: Vec<String> = missing
            .iter()
            .map(|r| format!("{r} ({})", who(r)))
            .collect();
        parts.push(format!("missing: {}", missing.join(", ")));
    }
    Gate {
        name: format!("sign-offs: {}", names.join(", ")),
        passed: tally.missing().is_empty(),
        reason: parts.join("; "),
    }
}

/// Required workflows of earlier phases green on the release ref. A required workflow must
/// exist: one named for a repository in that repository, one watched in "every repository that
/// has it" in one of them at least (the repositories without it are named in the reason).
fn required_workflows(release: &Release, phase: Phase) -> Gate {
    let name = format!("required workflows green on {}", release.release_ref);
    let present: Vec<&WorkflowRuns> = release
        .workflows
        .iter()
        .filter(|w| w.required && w.phase < phase)
        .collect();
    let missing: Vec<&MissingWorkflow> = release
        .missing_workflows
        .iter()
        .filter(|m| m.required && m.phase < phase)
        .collect();
    if present.is_empty() && missing.is_empty() {
        return Gate {
            name,
            passed: true,
            reason: "none required".to_string(),
        };
    }
    if let Some(error) = release.bad_ref {
        return Gate {
            name,
            passed: false,
            reason: git_ref::bad_ref_reason(&release.release_ref, error),
        };
    }
    let mut failing: Vec<String> = present
        .iter()
        .filter_map(|w| match w.runs.first() {
            Some(run) if run.is_green() => None,
            Some(run) => Some(format!(
                "{} #{} {}",
                w.file,
                run.run_number,
                run.conclusion
                    .map_or_else(|| run.status.as_str(), |c| c.as_str())
            )),
            None => Some(format!("{} has no run", w.file)),
        })
        .collect();
    let mut absent_elsewhere = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    for m in &missing {
        if !files.contains(&m.file.as_str()) {
            files.push(&m.file);
        }
    }
    for file in files {
        let of_file = || missing.iter().filter(move |m| m.file == file);
        let repos_where = |not_asked: bool| {
            of_file()
                .filter(|m| (m.why == Missing::BadRef) == not_asked)
                .map(|m| m.repo.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (absent, not_asked) = (repos_where(false), repos_where(true));
        if !not_asked.is_empty() {
            failing.push(format!("{file}: runs not fetched in {not_asked}"));
        }
        if absent.is_empty() {
            continue;
        }
        let must_exist = of_file().any(|m| m.named) || !present.iter().any(|w| w.file == file);
        if must_exist {
            failing.push(format!("{file}: not found in {absent}"));
        } else {
            absent_elsewhere.push(format!("{file} not in {absent}"));
        }
    }
    let reason = if !failing.is_empty() {
        failing.join("; ")
    } else if absent_elsewhere.is_empty() {
        format!("{} green", present.len())
    } else {
        format!("{} green ({})", present.len(), absent_elsewhere.join("; "))
    };
    Gate {
        name,
        passed: failing.is_empty(),
        reason,
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
