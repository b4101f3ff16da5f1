//! Go / no-go gates: what must hold before a phase may start, each with its reason.

use serde::{Deserialize, Serialize};

use super::git_ref;
use super::snapshot::{Missing, MissingWorkflow, Release, WorkflowRuns};
use super::task_list::Section;
use super::{Phase, State};

/// One criterion and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub name: String,
    pub passed: bool,
    pub reason: String,
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
}

/// Evaluates the gates before entering `phase`: the checklists of every earlier phase complete,
/// no open blockers, required workflows of earlier phases green on the release ref, and no open
/// risk at or above `risk_threshold` without a mitigation.
#[must_use]
pub fn evaluate(release: &Release, phase: Phase, risk_threshold: u8) -> GateReport {
    let mut gates = Vec::new();

    for earlier in Phase::ALL.into_iter().filter(|p| *p < phase) {
        let items: Vec<_> = release
            .checklist
            .iter()
            .filter(|i| i.section == Section::Phase(earlier))
            .collect();
        let open: Vec<_> = items.iter().filter(|i| !i.checked).collect();
        gates.push(Gate {
            name: format!("{earlier} checklist complete"),
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
        });
    }

    let open_blockers: Vec<String> = release
        .blockers
        .iter()
        .filter(|b| b.state == State::Open)
        .map(|b| format!("#{}", b.number))
        .collect();
    gates.push(Gate {
        name: "no open blockers".to_string(),
        passed: open_blockers.is_empty(),
        reason: match open_blockers.len() {
            0 => "none open".to_string(),
            1 => format!("{} is open", open_blockers[0]),
            _ => format!("{} are open", open_blockers.join(", ")),
        },
    });

    gates.push(required_workflows(release, phase));

    let unmitigated: Vec<String> = release
        .risks
        .iter()
        .filter(|r| r.state == State::Open && r.score() >= risk_threshold && r.mitigation.is_none())
        .map(|r| format!("#{} (score {})", r.number, r.score()))
        .collect();
    gates.push(Gate {
        name: format!("no unmitigated risk scoring {risk_threshold}+"),
        passed: unmitigated.is_empty(),
        reason: if unmitigated.is_empty() {
            "none".to_string()
        } else {
            unmitigated.join(", ")
        },
    });

    let verdict = if gates.iter().all(|g| g.passed) {
        Verdict::Go
    } else {
        Verdict::NoGo
    };
    GateReport {
        phase,
        verdict,
        gates,
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
