//! Resolving config + command line + token into what a command needs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{WrapErr, eyre};

use crate::cli::Cli;
use crate::config::{ApiUrl, Config, RepoName, discover_token};
use crate::github::sync::{MilestoneChoice, SyncPlan, WatchedWorkflow};
use crate::github::{GitHubApi, Octo};

/// Everything a command needs to talk to GitHub about one release.
pub struct Setup {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub api: Arc<dyn GitHubApi>,
    pub plan: SyncPlan,
    pub read_only: bool,
    /// Shown in the header: "demo" or the API host.
    pub source: String,
    /// The API root the client talks to (the simulator's for the demo).
    pub api_url: String,
    /// About the config file (e.g. a token others can read): printed to stderr before a
    /// command runs, and shown in the dashboard's status line.
    pub warnings: Vec<String>,
}

/// Where the API is and who we are, when not from the config and environment (the demo).
pub struct Endpoint {
    pub api_url: String,
    pub token: String,
    pub repos: Vec<String>,
    pub source: String,
}

impl Setup {
    /// The audit log every write is appended to (in the data dir).
    #[must_use]
    pub fn audit_path(&self) -> PathBuf {
        crate::config::data_dir().join("audit.jsonl")
    }

    /// Loads the config, applies the command line, finds the token and builds the client.
    ///
    /// # Errors
    /// A bad config (naming the line), bad arguments, or no token.
    pub fn new(cli: &Cli, endpoint: Option<Endpoint>) -> color_eyre::Result<Self> {
        let crate::config::Loaded {
            mut config,
            path: config_path,
            warnings,
        } = Config::load(cli.config.as_deref())?;
        if let Some(url) = &cli.api_url {
            config.github.api_url = ApiUrl::parse(url).map_err(|e| eyre!("--api-url: {e}"))?;
        }
        if !cli.repos.is_empty() {
            config.github.repos = cli
                .repos
                .iter()
                .map(|r| RepoName::parse(r).map_err(|e| eyre!("--repo: {e}")))
                .collect::<Result<_, _>>()?;
        }
        if let Some(m) = &cli.milestone {
            config.github.milestone.clone_from(m);
        }
        let (api_url, token, source) = match endpoint {
            Some(ep) => {
                config.github.repos = ep
                    .repos
                    .iter()
                    .map(|r| RepoName::parse(r).map_err(|e| eyre!(e)))
                    .collect::<Result<_, _>>()?;
                (ep.api_url, ep.token, ep.source)
            }
            None => {
                let (token, _from) = discover_token(&config)
                    .ok_or_else(|| eyre!(crate::github::ApiError::NoToken.to_string()))?;
                let url = config.github.api_url.0.clone();
                let host = url::Url::parse(&url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_else(|| url.clone());
                (url, token, host)
            }
        };
        if config.github.repos.is_empty() {
            return Err(eyre!(
                "no repositories configured: pass --repo OWNER/NAME or set github.repos in {}",
                config_path.as_ref().map_or_else(
                    || crate::config::default_path().map_or_else(
                        || "the config file".to_string(),
                        |p| p.display().to_string()
                    ),
                    |p| p.display().to_string()
                )
            ));
        }
        let octo = Octo::new(&api_url, &token, plan_for(&config).timeout)
            .wrap_err("building the GitHub client")?;
        let plan = plan_for(&config);
        Ok(Setup {
            read_only: cli.read_only,
            api: Arc::new(octo),
            plan,
            config,
            config_path,
            source,
            api_url,
            warnings,
        })
    }
}

/// The sync plan the config describes.
#[must_use]
pub fn plan_for(config: &Config) -> SyncPlan {
    SyncPlan {
        status_context: config
            .gates
            .post_status
            .then(|| crate::app::gates::STATUS_CONTEXT.to_string()),
        repos: config.github.repos.iter().map(|r| r.0.clone()).collect(),
        milestone: MilestoneChoice::parse(&config.github.milestone),
        workflows: config
            .workflows
            .iter()
            .map(|w| WatchedWorkflow {
                file: w.file.clone(),
                repo: w.repo.as_ref().map(|r| r.0.clone()),
                phase: w.phase,
                required: w.required,
            })
            .collect(),
        ref_pattern: config.release.ref_pattern.clone(),
        checklist_label: config.labels.checklist.clone(),
        lock_label: config.labels.deploy_lock.clone(),
        runs_per_workflow: 10,
        checklist_mode: config.checklist.mode,
        timeout: Duration::from_secs(config.github.timeout_secs.max(1)),
    }
}

/// The delivery history the config describes: deploy workflows are the deploy-phase ones that
/// do not roll back.
#[must_use]
pub fn history_plan_for(config: &Config) -> crate::github::history::HistoryPlan {
    let pick = |rollback: bool| {
        config
            .workflows
            .iter()
            .filter(|w| w.phase == crate::release::Phase::Deploy && w.rollback == rollback)
            .map(|w| (w.file.clone(), w.repo.as_ref().map(|r| r.0.clone())))
            .collect()
    };
    crate::github::history::HistoryPlan {
        repos: config.github.repos.iter().map(|r| r.0.clone()).collect(),
        deploy_workflows: pick(false),
        rollback_workflows: pick(true),
        production: config.deploy.production_environment.clone(),
        incident_label: config.kpis.incident_label.clone(),
        faulty_label: config.labels.faulty.clone(),
        checklist_label: config.labels.checklist.clone(),
    }
}

/// What the KPIs need from the config, for release `milestone`.
#[must_use]
pub fn kpi_settings(config: &Config, milestone: &str) -> crate::release::kpis::Settings {
    crate::release::kpis::Settings {
        production: config.deploy.production_environment.clone(),
        failure_window: chrono::TimeDelta::hours(i64::from(config.kpis.failure_window_hours)),
        milestone: milestone.to_string(),
    }
}
