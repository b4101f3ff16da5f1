//! `Command`: what a user can bind to a key. `Action`: everything `update` consumes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::release::{RateBudget, Snapshot};

/// A user-bindable command. Small, `Copy`, and named in `[keys]` config by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Quit,
    Help,
    Close,
    NextPane,
    PrevPane,
    FocusBoard,
    FocusChecklist,
    FocusRisks,
    FocusRuns,
    FocusGates,
    FocusActivity,
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Refresh,
    Zoom,
    OpenInBrowser,
    CopyUrl,
}

impl Command {
    /// Parses the snake_case name used in the config file.
    #[must_use]
    pub fn parse(name: &str) -> Option<Command> {
        serde_json::from_value(serde_json::Value::String(name.trim().to_string())).ok()
    }

    /// The snake_case name.
    #[must_use]
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// A refresh's outcome.
pub type FetchResult = Result<Box<Snapshot>, String>;

/// Everything `update` consumes: commands, time, and results from the workers.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// The clock moved on (about once a second).
    Tick {
        now: DateTime<Utc>,
    },
    /// The terminal was resized; redraw.
    Resize,
    /// The terminal gained (`true`) or lost focus.
    FocusChanged(bool),
    /// A snapshot from the on-disk cache, shown until the first refresh answers.
    CachedSnapshot(Box<Snapshot>),
    /// The answer to `Effect::FetchSnapshot { req }`.
    SnapshotLoaded {
        req: u64,
        result: FetchResult,
        rate: Option<RateBudget>,
    },
    /// A key that is bound to nothing in the current focus.
    UnboundKey(String),
}
