//! `[gates]` and `[signoffs]`: which gates hold before each phase, the risk threshold, deploy
//! windows and freezes, lighter profiles, whether the verdict is posted as a commit status, and
//! who may sign off each role.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::release::Phase;
use crate::release::gates::{GateKind, PhaseGates, Policy, Profile};
use crate::release::signoff::Roles;
use crate::release::window::{Freeze, Window};

/// `[gates]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Gates {
    #[serde(deserialize_with = "risk_threshold")]
    pub risk_threshold: u8,
    /// Set commit status `shipdeck/go-no-go` on the release ref's head commit when the verdict
    /// changes (the dashboard; `shipdeck gate --post-status` always may).
    pub post_status: bool,
    /// Weekly deploy windows, e.g. `"Mon-Thu 09:00-16:00 Europe/Berlin"`.
    pub windows: Vec<Window>,
    /// Dated freezes: `{ from = "2026-12-19", to = "2027-01-04", reason = "holiday freeze" }`.
    pub freezes: Vec<Freeze>,
    /// `[gates.phases]`: the gates before each phase; a phase left out keeps its defaults.
    pub phases: PhaseLists,
    /// `[gates.profiles.NAME]`: a label on the tracking issue selects lighter gates.
    pub profiles: BTreeMap<String, ProfileConfig>,
}

impl Default for Gates {
    fn default() -> Self {
        Self {
            risk_threshold: 12,
            post_status: false,
            windows: Vec::new(),
            freezes: Vec::new(),
            phases: PhaseLists::default(),
            profiles: BTreeMap::new(),
        }
    }
}

/// Gate lists by phase name; `None` = not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhaseLists {
    pub plan: Option<Vec<GateKind>>,
    pub build: Option<Vec<GateKind>>,
    pub test: Option<Vec<GateKind>>,
    pub prepare: Option<Vec<GateKind>>,
    pub deploy: Option<Vec<GateKind>>,
    pub review: Option<Vec<GateKind>>,
}

impl PhaseLists {
    /// The lists given, by phase.
    fn given(&self) -> PhaseGates {
        let lists = [
            (Phase::Plan, &self.plan),
            (Phase::Build, &self.build),
            (Phase::Test, &self.test),
            (Phase::Prepare, &self.prepare),
            (Phase::Deploy, &self.deploy),
            (Phase::Review, &self.review),
        ];
        PhaseGates(
            lists
                .into_iter()
                .filter_map(|(p, l)| l.clone().map(|l| (p, l)))
                .collect(),
        )
    }
}

/// `[gates.profiles.NAME]`: the tracking-issue label that selects it (default
/// `release:NAME`) and the gate lists it replaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileConfig {
    pub label: Option<String>,
    pub plan: Option<Vec<GateKind>>,
    pub build: Option<Vec<GateKind>>,
    pub test: Option<Vec<GateKind>>,
    pub prepare: Option<Vec<GateKind>>,
    pub deploy: Option<Vec<GateKind>>,
    pub review: Option<Vec<GateKind>>,
}

impl ProfileConfig {
    fn lists(&self) -> PhaseLists {
        PhaseLists {
            plan: self.plan.clone(),
            build: self.build.clone(),
            test: self.test.clone(),
            prepare: self.prepare.clone(),
            deploy: self.deploy.clone(),
            review: self.review.clone(),
        }
    }
}

fn risk_threshold<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let n = u8::deserialize(d)?;
    if !(1..=25).contains(&n) {
        return Err(serde::de::Error::custom(format!(
            "risk_threshold = {n} is outside 1-25 (likelihood x impact, each 1-5)"
        )));
    }
    Ok(n)
}

/// `[signoffs]`: role = ["login", …]. Logins are checked for GitHub's form.
pub fn signoff_roles<'de, D: Deserializer<'de>>(d: D) -> Result<Roles, D::Error> {
    let map = BTreeMap::<String, Vec<String>>::deserialize(d)?;
    for (role, logins) in &map {
        if role.is_empty() || role.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(serde::de::Error::custom(format!(
                "sign-off role {role:?}: a role is one word (it is typed after /signoff)"
            )));
        }
        for login in logins {
            let valid = !login.is_empty()
                && login.len() <= 39
                && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return Err(serde::de::Error::custom(format!(
                    "sign-off role {role}: {login:?} is not a GitHub login"
                )));
            }
        }
    }
    Ok(Roles(
        map.into_iter()
            .map(|(r, l)| (r.to_ascii_lowercase(), l))
            .collect(),
    ))
}

impl Gates {
    /// The gate policy these settings and `roles` make.
    #[must_use]
    pub fn policy(&self, roles: &Roles) -> Policy {
        Policy {
            risk_threshold: self.risk_threshold,
            phases: PhaseGates::defaults().with(&self.phases.given()),
            profiles: self
                .profiles
                .iter()
                .map(|(name, p)| Profile {
                    name: name.clone(),
                    label: p.label.clone().unwrap_or_else(|| format!("release:{name}")),
                    phases: p.lists().given(),
                })
                .collect(),
            windows: self.windows.clone(),
            freezes: self.freezes.clone(),
            roles: roles.clone(),
        }
    }
}

/// The demo's gates and sign-off roles, dated from `now` like the demo's data: a daily window
/// open from two hours ago to six hours from now (so the demo can reach GO at any time of
/// day), a holiday freeze starting in five days, and two roles (QA is signed in the demo data;
/// `alice`, the demo's user, may sign for product).
#[must_use]
pub fn demo(now: chrono::DateTime<chrono::Utc>) -> (Gates, Roles) {
    use chrono::{Duration, Timelike};
    let hour = now.hour();
    let open = (hour + 22) % 24;
    let close = (hour + 6) % 24;
    let from = (now + Duration::days(5)).date_naive();
    let to = (now + Duration::days(19)).date_naive();
    let text = format!(
        "[gates]\n\
         post_status = true\n\
         windows = [\"daily {open:02}:00-{close:02}:00 UTC\"]\n\
         freezes = [{{ from = \"{from}\", to = \"{to}\", reason = \"holiday freeze\" }}]\n\
         [gates.profiles.hotfix]\n\
         deploy = [\"blockers\", \"workflows\", \"unlocked\", \"freeze\", \"signoff:qa\"]\n\
         [signoffs]\n\
         qa = [\"carol\"]\n\
         product = [\"dave\", \"erin\", \"alice\"]\n"
    );
    #[derive(Deserialize)]
    struct Demo {
        gates: Gates,
        #[serde(deserialize_with = "signoff_roles")]
        signoffs: Roles,
    }
    match toml::from_str::<Demo>(&text) {
        Ok(d) => (d.gates, d.signoffs),
        Err(e) => {
            // The text above is fixed apart from the numbers; a test parses it for every hour.
            tracing::error!(error = %e, "the demo's gate config does not parse");
            (Gates::default(), Roles::default())
        }
    }
}
