//! Which gates hold before each phase: the kinds of gate, their defaults, and the lighter
//! profiles a label on the tracking issue selects (a hotfix needs less ceremony).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use super::super::Phase;
use super::super::signoff::Roles;
use super::super::window::{Freeze, Window};

/// A go/no-go criterion that can be required before a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateKind {
    /// The checklists of every earlier phase complete (`checklists`).
    EarlierChecklists,
    /// The checklist of one phase complete (`checklist:build`).
    Checklist(Phase),
    /// No open release blocker (`blockers`).
    Blockers,
    /// Required workflows of earlier phases green on the release ref (`workflows`).
    Workflows,
    /// No open risk at or above the threshold without a mitigation (`risks`).
    Risks,
    /// The milestone's due date not passed (`overdue`).
    NotOverdue,
    /// Inside a deploy window (`window`).
    Window,
    /// Not in a freeze (`freeze`).
    Freeze,
    /// Deploys not locked (`unlocked`).
    Unlocked,
    /// Every configured role signed off (`signoffs`), or the named ones (`signoff:qa`).
    Signoffs(Option<Vec<String>>),
}

impl FromStr for GateKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(phase) = s.strip_prefix("checklist:") {
            return Phase::parse(phase).map(GateKind::Checklist).ok_or_else(|| {
                format!(
                    "gate \"{s}\": unknown phase \"{phase}\" (plan, build, test, prepare, deploy, review)"
                )
            });
        }
        if let Some(roles) = s.strip_prefix("signoff:") {
            let roles: Vec<String> = roles
                .split('+')
                .map(|r| r.trim().to_ascii_lowercase())
                .filter(|r| !r.is_empty())
                .collect();
            if roles.is_empty() {
                return Err(format!("gate \"{s}\": name a role, e.g. signoff:qa"));
            }
            return Ok(GateKind::Signoffs(Some(roles)));
        }
        Ok(match s {
            "checklists" => GateKind::EarlierChecklists,
            "blockers" => GateKind::Blockers,
            "workflows" => GateKind::Workflows,
            "risks" => GateKind::Risks,
            "overdue" => GateKind::NotOverdue,
            "window" => GateKind::Window,
            "freeze" => GateKind::Freeze,
            "unlocked" => GateKind::Unlocked,
            "signoffs" => GateKind::Signoffs(None),
            other => {
                return Err(format!(
                    "unknown gate \"{other}\": use checklists, checklist:PHASE, blockers, \
                     workflows, risks, overdue, window, freeze, unlocked, signoffs or signoff:ROLE"
                ));
            }
        })
    }
}

impl fmt::Display for GateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateKind::EarlierChecklists => f.write_str("checklists"),
            GateKind::Checklist(p) => write!(f, "checklist:{}", p.key()),
            GateKind::Blockers => f.write_str("blockers"),
            GateKind::Workflows => f.write_str("workflows"),
            GateKind::Risks => f.write_str("risks"),
            GateKind::NotOverdue => f.write_str("overdue"),
            GateKind::Window => f.write_str("window"),
            GateKind::Freeze => f.write_str("freeze"),
            GateKind::Unlocked => f.write_str("unlocked"),
            GateKind::Signoffs(None) => f.write_str("signoffs"),
            GateKind::Signoffs(Some(r)) => write!(f, "signoff:{}", r.join("+")),
        }
    }
}

impl<'de> Deserialize<'de> for GateKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The gates before each phase (a phase not listed keeps its default).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PhaseGates(pub BTreeMap<Phase, Vec<GateKind>>);

impl PhaseGates {
    /// The defaults: before every phase, the earlier checklists, no blockers, the required
    /// workflows and the risks; before Deploy also the window, no freeze, no lock and the
    /// sign-offs.
    #[must_use]
    pub fn defaults() -> Self {
        use GateKind::{
            Blockers, EarlierChecklists, Freeze, Risks, Signoffs, Unlocked, Window, Workflows,
        };
        let base = || vec![EarlierChecklists, Blockers, Workflows, Risks];
        Self(
            Phase::ALL
                .into_iter()
                .map(|p| {
                    let mut gates = base();
                    if p == Phase::Deploy {
                        gates.extend([Window, Freeze, Unlocked, Signoffs(None)]);
                    }
                    (p, gates)
                })
                .collect(),
        )
    }

    /// The gates before `phase`.
    #[must_use]
    pub fn of(&self, phase: Phase) -> &[GateKind] {
        self.0.get(&phase).map_or(&[], Vec::as_slice)
    }

    /// These gates with `overrides` replacing the phases it names.
    #[must_use]
    pub fn with(&self, overrides: &PhaseGates) -> PhaseGates {
        let mut merged = self.clone();
        for (p, g) in &overrides.0 {
            merged.0.insert(*p, g.clone());
        }
        merged
    }
}

/// A lighter (or heavier) gate set for some releases, chosen by a label on the tracking issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// The tracking issue label that selects it, e.g. `release:hotfix`.
    pub label: String,
    /// The phases whose gates it replaces.
    pub phases: PhaseGates,
}

/// Everything gate evaluation needs from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Open risks scoring this or more need a mitigation to pass the gate.
    pub risk_threshold: u8,
    /// The standard gates.
    pub phases: PhaseGates,
    pub profiles: Vec<Profile>,
    pub windows: Vec<Window>,
    pub freezes: Vec<Freeze>,
    /// Who may sign off each role.
    pub roles: Roles,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            risk_threshold: 12,
            phases: PhaseGates::defaults(),
            profiles: Vec::new(),
            windows: Vec::new(),
            freezes: Vec::new(),
            roles: Roles::default(),
        }
    }
}

/// The profile name when no profile's label is on the tracking issue.
pub const STANDARD: &str = "standard";

impl Policy {
    /// The profile the tracking issue's labels select (the first configured one whose label it
    /// carries), or `None` for the standard gates.
    #[must_use]
    pub fn profile(&self, labels: &[String]) -> Option<&Profile> {
        self.profiles
            .iter()
            .find(|p| labels.iter().any(|l| l.eq_ignore_ascii_case(&p.label)))
    }

    /// The gates before `phase` under `profile`.
    #[must_use]
    pub fn gates(&self, phase: Phase, profile: Option<&Profile>) -> Vec<GateKind> {
        match profile.and_then(|p| p.phases.0.get(&phase)) {
            Some(g) => g.clone(),
            None => self.phases.of(phase).to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_own_name() {
        let kinds = [
            GateKind::EarlierChecklists,
            GateKind::Checklist(Phase::Build),
            GateKind::Blockers,
            GateKind::Workflows,
            GateKind::Risks,
            GateKind::NotOverdue,
            GateKind::Window,
            GateKind::Freeze,
            GateKind::Unlocked,
            GateKind::Signoffs(None),
            GateKind::Signoffs(Some(vec!["qa".into(), "product".into()])),
        ];
        for k in kinds {
            assert_eq!(k.to_string().parse::<GateKind>(), Ok(k));
        }
    }

    #[test]
    fn a_misspelt_gate_names_the_choices() {
        let err = "windows".parse::<GateKind>().unwrap_err();
        assert!(err.contains("unknown gate \"windows\""), "{err}");
        assert!(err.contains("window, freeze"), "{err}");
        let err = "checklist:ship".parse::<GateKind>().unwrap_err();
        assert!(err.contains("unknown phase \"ship\""), "{err}");
    }

    #[test]
    fn a_profile_replaces_only_the_phases_it_names() {
        let hotfix = Profile {
            name: "hotfix".into(),
            label: "release:hotfix".into(),
            phases: PhaseGates([(Phase::Deploy, vec![GateKind::Blockers])].into()),
        };
        let policy = Policy {
            profiles: vec![hotfix],
            ..Policy::default()
        };
        let labels = vec!["Release:Hotfix".to_string()];
        let profile = policy.profile(&labels);
        assert_eq!(profile.map(|p| p.name.as_str()), Some("hotfix"));
        assert_eq!(
            policy.gates(Phase::Deploy, profile),
            vec![GateKind::Blockers]
        );
        assert_eq!(
            policy.gates(Phase::Test, profile),
            policy.phases.of(Phase::Test)
        );
        assert_eq!(policy.profile(&["release-checklist".to_string()]), None);
    }
}
