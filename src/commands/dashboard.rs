//! The dashboard: state from the config, the disk cache, the terminal, and the loop.

use chrono::{Duration, Utc};
use crossterm::event::EventStream;
use tokio::sync::mpsc;

use super::Setup;
use crate::app::Action;
use crate::app::AppState;
use crate::app::keymap::Keymap;
use crate::app::state::Level;
use crate::tui::{self, Jobs};

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
    state.read_only = setup.read_only;
    state.source.clone_from(&setup.source);
    state.bell = config.ui.bell;
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
    let (keymap, warnings) = Keymap::with_overrides(&overrides);
    state.keymap = keymap;
    for w in warnings {
        state.record(Level::Warn, format!("config: {w}"));
    }
    state
}

/// Where the last good snapshot of this release is cached.
fn cache_path(setup: &Setup) -> std::path::PathBuf {
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

/// Runs the dashboard until the user quits. The terminal is restored on every path.
///
/// # Errors
/// The terminal failed.
pub async fn run(setup: Setup, use_cache: bool) -> color_eyre::Result<()> {
    let mut state = initial_state(&setup);
    let (tx, rx) = mpsc::channel(RESULTS);
    let cache = use_cache.then(|| cache_path(&setup));
    if let Some(snapshot) = cache.as_deref().and_then(tui::jobs::load_cache) {
        crate::app::update(&mut state, Action::CachedSnapshot(Box::new(snapshot)));
    }
    let jobs = Jobs::new(setup.api.clone(), setup.plan.clone(), tx, cache);
    let mut terminal = tui::terminal::init();
    let mut stdout = std::io::stdout();
    let result = tui::run(
        &mut terminal,
        &mut state,
        EventStream::new(),
        &jobs,
        rx,
        &mut stdout,
        Utc::now,
    )
    .await;
    tui::terminal::restore();
    result
}
