//! The config file: where it lives, its defaults, and errors that name the line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use crate::release::signoff::Roles;
use crate::release::sub_issues::ChecklistMode;
use crate::release::task_list::HeadingNames;
use crate::release::{Phase, ReleaseRules};

/// The documented default config, printed by `--print-default-config`.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

mod commands;
mod file;
mod gates;
mod kpis;
mod notes;
mod retro;
mod status_update;
mod ui;

pub use commands::{CustomCommand, FIELDS as COMMAND_FIELDS, placeholders};
pub use file::{ConfigError, Loaded};
pub use gates::{Gates, PhaseLists, ProfileConfig, demo as demo_gates};
pub use kpis::Kpis;
pub use notes::Notes;
pub use retro::Retro;
pub use status_update::StatusUpdate;
pub use ui::{ColorOverrides, StyleSpec, ThemeName, Ui};

/// The whole config file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    #[serde(deserialize_with = "refresh_secs")]
    pub refresh_secs: u64,
    pub github: GitHub,
    pub release: ReleaseSection,
    pub checklist: ChecklistSection,
    pub labels: Labels,
    pub phases: Phases,
    pub gates: Gates,
    /// `[signoffs]`: who may sign off each role.
    #[serde(deserialize_with = "gates::signoff_roles")]
    pub signoffs: Roles,
    /// `[status_update]`: the release status comment.
    pub status_update: StatusUpdate,
    pub ui: Ui,
    pub deploy: Deploy,
    /// `[notes]`: release-notes sections, the skip label, the release tag.
    pub notes: Notes,
    /// `[kpis]`: incidents, the failure window, how often the history is read.
    pub kpis: Kpis,
    /// `[retro]`: the follow-up issues' label.
    pub retro: Retro,
    pub workflows: Vec<WorkflowConfig>,
    /// `[[commands]]`: the user's own commands on the selected item.
    pub commands: Vec<CustomCommand>,
    /// `[keys.<focus>] command = ["key", …]`: partial overrides of the default keymap.
    pub keys: BTreeMap<String, BTreeMap<String, KeyList>>,
}

/// `[github]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GitHub {
    pub api_url: ApiUrl,
    pub repos: Vec<RepoName>,
    pub milestone: String,
    pub timeout_secs: u64,
    pub token: Option<String>,
}

/// `[release]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReleaseSection {
    /// Branch or tag pattern; `{milestone}` is replaced by the milestone title.
    #[serde(rename = "ref")]
    pub ref_pattern: String,
    /// The checklist `shipdeck init` puts in a new tracking issue; unset = built in.
    pub checklist_template: Option<PathBuf>,
    /// `[release.scope_freeze]`: milestone title → the date (`2026-11-20`, midnight UTC) or
    /// time (RFC 3339) its scope froze. Unset: when the Plan phase's last issue closed.
    #[serde(deserialize_with = "scope_freeze")]
    pub scope_freeze: BTreeMap<String, chrono::DateTime<chrono::Utc>>,
}

fn scope_freeze<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, chrono::DateTime<chrono::Utc>>, D::Error> {
    let raw = BTreeMap::<String, String>::deserialize(d)?;
    raw.into_iter()
        .map(|(milestone, when)| {
            let at = chrono::NaiveDate::parse_from_str(when.trim(), "%Y-%m-%d")
                .map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc())
                .or_else(|_| {
                    chrono::DateTime::parse_from_rfc3339(when.trim())
                        .map(|t| t.with_timezone(&chrono::Utc))
                })
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "scope_freeze for {milestone:?}: {when:?} is neither a date (2026-11-20) nor an RFC 3339 time (2026-11-20T09:00:00+01:00)"
                    ))
                })?;
            Ok((milestone, at))
        })
        .collect()
}

/// `[checklist]`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChecklistSection {
    /// `"task-list"` (the tracking issue's body) or `"sub-issues"` (its sub-issues).
    pub mode: ChecklistMode,
}

/// `[labels]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Labels {
    pub checklist: String,
    pub risk: String,
    pub likelihood_prefix: String,
    pub impact_prefix: String,
    pub blocker: String,
    pub deploy_lock: String,
    pub healthy: String,
    pub faulty: String,
}

/// `[deploy]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deploy {
    /// The production environment: dispatch forms and the header turn a distinct colour.
    pub production_environment: String,
    /// Dispatching to these environments needs the environment's name typed to confirm.
    pub protected_environments: Vec<String>,
}

impl Default for Deploy {
    fn default() -> Self {
        Self {
            production_environment: "production".into(),
            protected_environments: vec!["production".into()],
        }
    }
}

/// `[phases.<phase>]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseConfig {
    pub label: String,
    #[serde(default)]
    pub headings: Vec<String>,
}

/// `[phases]`: one table per phase.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Phases {
    pub plan: PhaseConfig,
    pub build: PhaseConfig,
    pub test: PhaseConfig,
    pub prepare: PhaseConfig,
    pub deploy: PhaseConfig,
    pub review: PhaseConfig,
}

impl Phases {
    /// The config of `phase`.
    #[must_use]
    pub fn get(&self, phase: Phase) -> &PhaseConfig {
        match phase {
            Phase::Plan => &self.plan,
            Phase::Build => &self.build,
            Phase::Test => &self.test,
            Phase::Prepare => &self.prepare,
            Phase::Deploy => &self.deploy,
            Phase::Review => &self.review,
        }
    }
}

/// `[[workflows]]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowConfig {
    pub file: String,
    #[serde(default)]
    pub repo: Option<RepoName>,
    pub phase: Phase,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub dispatch: bool,
    #[serde(default)]
    pub rollback: bool,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub protected: bool,
}

impl WorkflowConfig {
    fn new(file: &str, phase: Phase, required: bool, dispatch: bool, rollback: bool) -> Self {
        Self {
            file: file.into(),
            repo: None,
            phase,
            required,
            dispatch,
            rollback,
            environment: None,
            protected: false,
        }
    }

    /// Whether this workflow is watched in `repo`.
    #[must_use]
    pub fn applies_to(&self, repo: &str) -> bool {
        self.repo.as_ref().is_none_or(|r| r.0 == repo)
    }
}

/// One key or several: `quit = "q"` or `refresh = ["r", "f5"]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    /// The keys as a slice-like list.
    #[must_use]
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

/// A repository name, `owner/name`, checked when the file is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RepoName(pub String);

impl RepoName {
    /// Checks the `owner/name` shape.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok_part = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match s.split_once('/') {
            Some((owner, name)) if ok_part(owner) && ok_part(name) => Ok(RepoName(s.to_string())),
            _ => Err(format!(
                "\"{s}\" is not a repository name; expected OWNER/NAME, e.g. \"acme/storefront\""
            )),
        }
    }
}

impl<'de> Deserialize<'de> for RepoName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RepoName::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for RepoName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The API root URL, checked when the file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUrl(pub String);

impl ApiUrl {
    /// Checks that `s` is an http(s) URL.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        match url::Url::parse(s) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                Ok(ApiUrl(s.trim_end_matches('/').to_string()))
            }
            _ => Err(format!(
                "\"{s}\" is not an API URL; expected e.g. \"https://api.github.com\" or \"https://HOST/api/v3\""
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ApiUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ApiUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn refresh_secs<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = u64::deserialize(d)?;
    if n < 2 {
        return Err(serde::de::Error::custom(format!(
            "refresh_secs = {n} would hammer GitHub; use 2 or more"
        )));
    }
    Ok(n)
}

impl Default for Config {
    fn default() -> Self {
        Self {
            refresh_secs: 15,
            github: GitHub::default(),
            release: ReleaseSection::default(),
            checklist: ChecklistSection::default(),
            labels: Labels::default(),
            phases: Phases::default(),
            gates: Gates::default(),
            signoffs: Roles::default(),
            status_update: StatusUpdate::default(),
            ui: Ui::default(),
            deploy: Deploy::default(),
            notes: Notes::default(),
            kpis: Kpis::default(),
            retro: Retro::default(),
            workflows: vec![
                WorkflowConfig::new("ci.yml", Phase::Build, true, false, false),
                WorkflowConfig::new("e2e.yml", Phase::Test, true, false, false),
                WorkflowConfig::new("deploy.yml", Phase::Deploy, false, true, false),
                WorkflowConfig::new("rollback.yml", Phase::Deploy, false, true, true),
            ],
            commands: Vec::new(),
            keys: BTreeMap::new(),
        }
    }
}

impl Default for GitHub {
    fn default() -> Self {
        Self {
            api_url: ApiUrl("https://api.github.com".into()),
            repos: Vec::new(),
            milestone: "auto".into(),
            timeout_secs: 20,
            token: None,
        }
    }
}

impl Default for ReleaseSection {
    fn default() -> Self {
        Self {
            ref_pattern: "release/{milestone}".into(),
            checklist_template: None,
            scope_freeze: BTreeMap::new(),
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Self {
            checklist: "release-checklist".into(),
            risk: "risk".into(),
            likelihood_prefix: "likelihood:".into(),
            impact_prefix: "impact:".into(),
            blocker: "release-blocker".into(),
            deploy_lock: "deploy-locked".into(),
            healthy: "release:healthy".into(),
            faulty: "release:faulty".into(),
        }
    }
}

impl Default for Phases {
    fn default() -> Self {
        let p = |phase: Phase| PhaseConfig {
            label: format!("phase:{}", phase.key()),
            headings: vec![phase.title().to_string()],
        };
        Self {
            plan: p(Phase::Plan),
            build: p(Phase::Build),
            test: p(Phase::Test),
            prepare: p(Phase::Prepare),
            deploy: p(Phase::Deploy),
            review: p(Phase::Review),
        }
    }
}

impl Config {
    /// The release ref for a milestone title.
    #[must_use]
    pub fn release_ref(&self, milestone: &str) -> String {
        crate::release::git_ref::release_ref(&self.release.ref_pattern, milestone)
    }

    /// The domain rules for the release `milestone`.
    #[must_use]
    pub fn rules(&self, milestone: &str) -> ReleaseRules {
        ReleaseRules {
            phase_labels: Phase::ALL
                .iter()
                .map(|p| (*p, self.phases.get(*p).label.clone()))
                .collect(),
            headings: HeadingNames::new(Phase::ALL.iter().flat_map(|p| {
                self.phases
                    .get(*p)
                    .headings
                    .iter()
                    .map(move |h| (*p, h.clone()))
            })),
            checklist_label: self.labels.checklist.clone(),
            risk_label: self.labels.risk.clone(),
            blocker_label: self.labels.blocker.clone(),
            likelihood_prefix: self.labels.likelihood_prefix.clone(),
            impact_prefix: self.labels.impact_prefix.clone(),
            gates: self.gates.policy(&self.signoffs),
            release_ref: self.release_ref(milestone),
            scope_freeze: self.release.scope_freeze.get(milestone).copied(),
            healthy_label: self.labels.healthy.clone(),
            faulty_label: self.labels.faulty.clone(),
        }
    }
}

/// The platform's config file path (`~/.config/shipdeck/config.toml` on Linux).
#[must_use]
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("dev", "shipdeck", "shipdeck")
        .map(|d| d.config_dir().join("config.toml"))
}

/// Where the outbox, audit log, snapshot cache and log file live. `SHIPDECK_DATA_DIR`
/// overrides the platform's data dir.
#[must_use]
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SHIPDECK_DATA_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("dev", "shipdeck", "shipdeck").map_or_else(
        || std::env::temp_dir().join("shipdeck"),
        |d| d.data_dir().to_path_buf(),
    )
}

/// Where a token came from (shown to the user; the token itself never is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    GhTokenEnv,
    GitHubTokenEnv,
    GhCli,
    ConfigFile,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenSource::GhTokenEnv => "GH_TOKEN",
            TokenSource::GitHubTokenEnv => "GITHUB_TOKEN",
            TokenSource::GhCli => "`gh auth token`",
            TokenSource::ConfigFile => "the config file",
        })
    }
}

/// Finds a token: `GH_TOKEN`, then `GITHUB_TOKEN`, then `gh auth token`, then the config file.
/// The token is never logged or written anywhere.
#[must_use]
pub fn discover_token(config: &Config) -> Option<(String, TokenSource)> {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(t) = env("GH_TOKEN") {
        return Some((t, TokenSource::GhTokenEnv));
    }
    if let Some(t) = env("GITHUB_TOKEN") {
        return Some((t, TokenSource::GitHubTokenEnv));
    }
    if let Some(t) = gh_auth_token(&config.github.api_url) {
        return Some((t, TokenSource::GhCli));
    }
    config
        .github
        .token
        .clone()
        .filter(|t| !t.trim().is_empty())
        .map(|t| (t, TokenSource::ConfigFile))
}

fn gh_auth_token(api_url: &ApiUrl) -> Option<String> {
    let mut cmd = std::process::Command::new("gh");
    cmd.args(["auth", "token"]);
    if let Ok(u) = url::Url::parse(&api_url.0)
        && let Some(host) = u.host_str()
        && host != "api.github.com"
    {
        cmd.args(["--hostname", host]);
    }
    let out = cmd
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let t = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests;
