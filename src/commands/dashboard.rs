//! The dashboard: state from the config, the disk cache, the terminal, and the loop.

use chrono::{Duration, Utc};
use crossterm::event::EventStream;
use tokio::sync::mpsc;

use super::Setup;
use std::sync::Arc;

use crate::app::Action;
use crate::app::AppState;
use crate::app::review::ReviewItem;
use crate::app::state::Level;
use crate::app::state::WorkflowRule;
use crate::tui::outbox::Outbox;
use crate::tui::{self, Workers};

/// Bound of the worker → UI channel.
const RESULTS: usize = 256;

/// Builds the initial state from the setup (no I/O).
#[must_use]
pub fn initial_state(setup: &Setup) -> AppState {
    let config = &setup.config;
    let mut state = AppState::new(
        Utc::now(),
        setup.plan.repos.clone(),
        config.rules(&config.github.milestone),
        config.release.ref_pattern.clone(),
    );
    state.session.read_only = setup.read_only;
    state.session.workflow_rules = config
        .workflows
        .iter()
        .map(|w| WorkflowRule {
            file: w.file.clone(),
            repo: w.repo.as_ref().map(|r| r.0.clone()),
            phase: w.phase,
            dispatch: w.dispatch,
            rollback: w.rollback,
            environment: w.environment.clone(),
            protected: w.protected,
        })
        .collect();
    state
        .session
        .production_env
        .clone_from(&config.deploy.production_environment);
    state
        .session
        .protected_envs
        .clone_from(&config.deploy.protected_environments);
    state
        .session
        .lock_label
        .clone_from(&config.labels.deploy_lock);
    state.session.source.clone_from(&setup.source);
    state.session.bell = config.ui.bell;
    state.session.theme = config.ui.theme;
    state.session.colors = config.ui.colors.clone();
    state.session.mouse = config.ui.mouse;
    state.session.post_status = config.gates.post_status;
    state.session.status_history = config.status_update.history;
    state
        .session
        .follow_up_label
        .clone_from(&config.retro.follow_up_label);
    state.session.kpis = crate::app::kpis::KpiSettings {
        enabled: true,
        failure_window: Duration::hours(i64::from(config.kpis.failure_window_hours)),
        every: Duration::minutes(i64::from(config.kpis.refresh_minutes)),
    };
    state.session.notes.rules = config.notes.rules();
    state
        .session
        .notes
        .tag_pattern
        .clone_from(&config.notes.tag);
    state.session.web = crate::release::web::WebHost::for_api(&setup.api_url);
    let idle = i64::try_from(config.refresh_secs).unwrap_or(15);
    state.sync.idle_every = Duration::seconds(idle);
    state.sync.active_every = Duration::seconds(idle.min(3));
    let overrides = config
        .keys
        .iter()
        .map(|(focus, cmds)| {
            (
                focus.clone(),
                cmds.iter()
                    .map(|(c, k)| {
                        (
                            c.clone(),
                            k.keys().iter().map(|s| (*s).to_string()).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    for w in &setup.warnings {
        state.record(Level::Warn, format!("config: {w}"));
    }
    state
        .session
        .config_warnings
        .extend(setup.warnings.iter().cloned());
    state.apply_key_overrides(&overrides);
    state.add_custom_commands(&config.commands);
    state
}

/// Where the last good snapshot of this release is cached (the delivery history beside it).
pub fn cache_path(setup: &Setup) -> std::path::PathBuf {
    let key: String = format!(
        "{}-{}-{}",
        setup.source,
        setup.plan.repos.join("+"),
        setup.config.github.milestone
    )
    .chars()
    .map(|c| {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            c
        } else {
            '_'
        }
    })
    .collect();
    crate::config::data_dir()
        .join("cache")
        .join(format!("{key}.json"))
}

/// Where this session keeps its files: the data dir, or a fresh temp dir for the demo (whose
/// simulator forgets everything when it stops).
pub struct Storage {
    pub cache: Option<std::path::PathBuf>,
    pub outbox: std::path::PathBuf,
    /// Every write call is appended here as a JSON line.
    pub audit: std::path::PathBuf,
}

impl Storage {
    /// Creates the directories of the outbox, the audit file and the cache (0700) and checks
    /// that they can be written: a tick must not be accepted that cannot be saved.
    ///
    /// # Errors
    /// A directory cannot be written; the message names it and `SHIPDECK_DATA_DIR`.
    pub fn check(&self) -> color_eyre::Result<()> {
        let files = [Some(&self.outbox), Some(&self.audit), self.cache.as_ref()];
        let mut dirs: Vec<&std::path::Path> =
            files.iter().flatten().filter_map(|p| p.parent()).collect();
        dirs.dedup();
        for dir in dirs {
            crate::files::check_data_dir(dir).map_err(|e| color_eyre::eyre::eyre!(e))?;
        }
        Ok(())
    }

    /// The real data dir: snapshot cache and the tick outbox.
    #[must_use]
    pub fn data_dir(setup: &Setup) -> Self {
        Storage {
            cache: Some(cache_path(setup)),
            outbox: crate::config::data_dir().join("outbox.json"),
            audit: setup.audit_path(),
        }
    }
}

/// Opens the outbox for this session's API and reports what it holds for it.
fn open_outbox(path: &std::path::Path, api: &str, state: &mut AppState) -> Arc<Outbox> {
    let outbox = match Outbox::open(path, api) {
        Ok(o) => o,
        Err(e) => {
            state.record(Level::Error, e.to_string());
            Outbox::open(path, api).unwrap_or_else(|e| {
                state.record(Level::Error, format!("ticks cannot be saved: {e}"));
                Outbox::empty(path, api)
            })
        }
    };
    let (pending, failed) = match (outbox.pending(), outbox.failed()) {
        (Ok(p), Ok(f)) => (p, f),
        (Err(e), _) | (_, Err(e)) => {
            state.record(Level::Error, format!("cannot read the tick outbox: {e}"));
            (Vec::new(), Vec::new())
        }
    };
    let restored = Action::TicksRestored {
        pending: pending
            .iter()
            .map(crate::tui::outbox::Intent::tick)
            .collect(),
        failed: failed
            .iter()
            .map(|i| ReviewItem {
                id: i.id,
                tick: i.tick(),
                reason: i.failed.clone().unwrap_or_default(),
            })
            .collect(),
    };
    if state.session.read_only {
        let waiting = pending.len();
        if waiting > 0 {
            state.record(
                Level::Warn,
                format!("{waiting} tick(s) wait in the outbox; they are applied when shipdeck runs without --read-only"),
            );
        }
    } else {
        crate::app::update(state, restored);
    }
    Arc::new(outbox)
}

/// Runs the dashboard until the user quits. The terminal is restored on every path.
///
/// # Errors
/// The terminal failed.
pub async fn run(setup: Setup, storage: Storage) -> color_eyre::Result<()> {
    // Before anything starts (the tick worker would apply the outbox).
    tui::terminal::ensure_capable()?;
    storage.check()?;
    let mut state = initial_state(&setup);
    state.session.no_color = tui::terminal::no_color();
    let (tx, rx) = mpsc::channel(RESULTS);
    if let Some(snapshot) = storage.cache.as_deref().and_then(tui::workers::load_cache) {
        crate::app::update(&mut state, Action::CachedSnapshot(Box::new(snapshot)));
    }
    if let Some(cached) = storage
        .cache
        .as_deref()
        .and_then(tui::workers::load_history_cache)
    {
        crate::app::update(
            &mut state,
            Action::CachedHistory {
                history: Box::new(cached.history),
                read_at: cached.read_at,
            },
        );
    }
    let outbox = open_outbox(&storage.outbox, &setup.api_url, &mut state);
    let mut workers = Workers::new(setup.api.clone(), setup.plan.clone(), tx, storage.cache)
        .with_audit_file(storage.audit)
        .with_history(super::setup::history_plan_for(&setup.config));
    if !setup.read_only {
        tokio::spawn(workers.with_ticks(outbox, std::time::Duration::from_millis(500)));
    }
    let mut terminal = tui::terminal::init(state.session.mouse)?;
    let mut stdout = std::io::stdout();
    let result = tui::run(
        &mut terminal,
        &mut state,
        EventStream::new(),
        &workers,
        rx,
        &mut stdout,
        Utc::now,
    )
    .await;
    tui::terminal::restore();
    result
}
