//! Go / no-go gates: what must hold before a phase may start, each with its reason.

use serde::{Deserialize, Serialize};

use super::snapshot::{Release, WorkflowRuns};
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

    let required: Vec<&WorkflowRuns> = release
        .workflows
        .iter()
        .filter(|w| w.required && w.phase < phase)
        .collect();
    let failing: Vec<String> = required
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
    gates.push(Gate {
        name: format!("required workflows green on {}", release.release_ref),
        passed: failing.is_empty(),
        reason: if required.is_empty() {
            "none required".to_string()
        } else if failing.is_empty() {
            format!("{} green", required.len())
        } else {
            failing.join("; ")
        },
    });

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

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
