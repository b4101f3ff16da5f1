//! The KPIs pane's state: the delivery history as last read, the report computed from it and
//! the release, when to read the history again, and which metric's events are open.

use chrono::{DateTime, Duration, Utc};

use super::effect::Effect;
use super::state::{AppState, Cursor, Level, Pane};
use crate::release::kpis::{self, History, Kind, KpiReport};

/// The KPIs pane.
#[derive(Debug, Clone, Default)]
pub struct KpiPane {
    /// The history as last read.
    pub history: Option<History>,
    /// When it was read.
    pub read_at: Option<DateTime<Utc>>,
    /// Computed from `history` and the release; recomputed when either changes.
    pub report: Option<KpiReport>,
    /// The snapshot's data version and the history's read time the report was computed for:
    /// a refresh that finds nothing changed does not recompute it.
    computed_for: Option<(u64, DateTime<Utc>)>,
    /// A read is in flight.
    pub loading: bool,
    /// The last read failed: why (the last good history stays on screen).
    pub error: Option<String>,
    /// The next read is due; `None`: as soon as the release is loaded.
    pub next_due: Option<DateTime<Utc>>,
    /// Which metric is selected.
    pub cursor: Cursor,
    /// The selected metric's events are shown (Enter), with their own cursor.
    pub events: Option<Cursor>,
}

/// The KPI settings of the session.
#[derive(Debug, Clone)]
pub struct KpiSettings {
    /// Read the history at all (the dashboard was given a plan for it).
    pub enabled: bool,
    pub failure_window: Duration,
    pub every: Duration,
}

impl Default for KpiSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            failure_window: Duration::hours(24),
            every: Duration::minutes(15),
        }
    }
}

impl KpiPane {
    /// The snapshot data version and history read time the report was last computed for.
    #[must_use]
    pub fn computed_for(&self) -> Option<(u64, DateTime<Utc>)> {
        self.computed_for
    }
}

/// After every action: read the history when it is due, and recompute the report when the
/// history or the release changed.
pub fn after(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    let settings = state.session.kpis.clone();
    if settings.enabled
        && !state.kpis.loading
        && state.sync.last_ok.is_some()
        && state.kpis.next_due.is_none_or(|due| state.now >= due)
    {
        state.kpis.loading = true;
        effects.push(Effect::LoadHistory {
            prev: state.kpis.history.clone().map(Box::new),
        });
    }
    recompute(state);
    effects
}

fn recompute(state: &mut AppState) {
    let (Some(history), Some(read_at), Some(snapshot)) = (
        &state.kpis.history,
        state.kpis.read_at,
        state.snapshot.as_ref(),
    ) else {
        return;
    };
    let key = (state.snapshot_version, read_at);
    if state.kpis.computed_for == Some(key) {
        return;
    }
    let now = super::gates::github_now(state);
    state.kpis.report = Some(kpis::report_for(
        history,
        snapshot,
        &state.session.production_env,
        state.session.kpis.failure_window,
        now,
    ));
    state.kpis.computed_for = Some(key);
    state.dirty = true;
}

/// The history came back.
pub fn history_loaded(state: &mut AppState, result: Result<Box<History>, String>) {
    state.kpis.loading = false;
    state.kpis.next_due = Some(state.now + state.session.kpis.every);
    match result {
        Ok(history) => {
            if state.kpis.error.take().is_some() {
                state.record(Level::Info, "delivery history read again");
            }
            state.kpis.history = Some(*history);
            state.kpis.read_at = Some(state.now);
        }
        Err(e) => {
            state.record(
                Level::Warn,
                format!("could not read the delivery history: {e}"),
            );
            state.kpis.error = Some(e);
        }
    }
}

/// The history an earlier session cached: shown (with its age) until it is read again, which
/// happens as soon as the release loads.
pub fn cached(state: &mut AppState, history: History, read_at: DateTime<Utc>) {
    if state.kpis.history.is_none() {
        state.kpis.history = Some(history);
        state.kpis.read_at = Some(read_at);
    }
}

/// `r`: read the history again with the next refresh.
pub fn refresh_requested(state: &mut AppState) {
    if state.session.kpis.enabled {
        state.kpis.next_due = None;
    }
}

/// Whether the KPIs pane has focus.
#[must_use]
pub fn focused(state: &AppState) -> bool {
    state.focus == Pane::Kpis && state.overlays.top().is_none()
}

/// The selected metric.
#[must_use]
pub fn selected(state: &AppState) -> Option<Kind> {
    Kind::ALL.get(state.kpis.cursor.selected).copied()
}

/// Rows of the pane: metrics, or the open metric's events.
#[must_use]
pub fn rows(state: &AppState) -> usize {
    match (&state.kpis.events, &state.kpis.report) {
        (Some(_), Some(r)) => selected(state)
            .and_then(|k| r.metric(k))
            .map_or(0, |m| m.events.len()),
        (None, _) => Kind::ALL.len(),
        (Some(_), None) => 0,
    }
}

/// Moves the cursor of whichever list shows.
pub fn step(state: &mut AppState, delta: isize) {
    let len = rows(state);
    match &mut state.kpis.events {
        Some(c) => c.step(delta, len),
        None => state.kpis.cursor.step(delta, len),
    }
}

/// Enter: show the selected metric's events.
pub fn open_events(state: &mut AppState) {
    state.kpis.events = Some(Cursor::default());
}

/// Esc: back to the metrics. Returns whether there was a list to close.
pub fn close_events(state: &mut AppState) -> bool {
    state.kpis.events.take().is_some()
}

/// The selected event's link.
#[must_use]
pub fn selected_url(state: &AppState) -> Option<String> {
    let c = state.kpis.events.as_ref()?;
    let m = state.kpis.report.as_ref()?.metric(selected(state)?)?;
    m.events.get(c.selected).map(|e| e.url.clone())
}
