//! `Command`: what a user can bind to a key. `Action`: everything `update` consumes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::release::task_list::ItemKey;
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
    /// Tick or untick the selected checklist item.
    ToggleItem,
    /// Undo the last tick of this session.
    Undo,
    /// Open the list of ticks that cannot apply, to retry or discard each.
    ReviewTicks,
    FocusAudit,
    /// The milestone's burn-up chart (full size).
    FocusBurnup,
    /// The release notes, grouped by section (full size).
    FocusNotes,
    FocusKpis,
    Palette,
    GeneratedNotes,
    /// Notes pane: write the notes as Markdown to `notes-<milestone>.md`.
    WriteNotes,
    /// Notes pane: create or update a draft GitHub Release per repository (never published).
    PublishNotes,
    /// Runs pane: jobs, steps and the failed job's log of the selected run.
    Drill,
    /// Runs pane: one line per job with its current step.
    Compact,
    /// Dispatch the selected workflow (opens its input form).
    Dispatch,
    /// Re-run the selected run: its failed jobs or every job (`rerun_failed` in older
    /// configs).
    #[serde(alias = "rerun_failed")]
    Rerun,
    /// Cancel the selected run.
    CancelRun,
    /// Roll back: the rollback workflow, pre-filled with the previous good version.
    Rollback,
    /// Approve or reject a run waiting for a reviewer.
    Review,
    /// Lock or unlock deploys of this release.
    ToggleLock,
    /// Mark the release healthy or faulty after a deploy.
    MarkHealth,
    /// Gates pane: sign off a role (or withdraw one's sign-off) as the token's user.
    Signoff,
    /// Post the release status comment on the tracking issue, or edit it in place.
    StatusUpdate,
    /// Close the release's milestone in every repository, after a confirm listing what is
    /// still open.
    CloseMilestone,
    /// Open the retrospective draft (lines picked with `toggle_item`).
    Retro,
    /// Retrospective: file the picked lines as follow-up issues.
    FileFollowUps,
    /// List panes: filter the rows (`/`): text, `@login`, `label:x`, `is:open`, `repo:name`.
    Filter,
    /// The user's `[[commands]]` entry at this index.
    Custom(u8),
    /// Issue details: comment on the issue (a confirm dialog with the text; the exact call is
    /// shown before it is sent).
    Comment,
    /// Risks pane: file a new risk (opens its form).
    NewRisk,
    /// Risks pane: raise the selected risk's likelihood by one.
    RaiseLikelihood,
    /// Risks pane: lower the selected risk's likelihood by one.
    LowerLikelihood,
    /// Risks pane: raise the selected risk's impact by one.
    RaiseImpact,
    /// Risks pane: lower the selected risk's impact by one.
    LowerImpact,
    /// Risks pane: retire the selected risk (a comment, then the issue closed).
    RetireRisk,
}

impl Command {
    /// Parses the snake_case name used in the config file.
    #[must_use]
    pub fn parse(name: &str) -> Option<Command> {
        serde_json::from_value(serde_json::Value::String(name.trim().to_string())).ok()
    }

    /// Whether the command changes something on GitHub (disabled by `--read-only`).
    #[must_use]
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Command::ToggleItem
                | Command::Undo
                | Command::Dispatch
                | Command::Rerun
                | Command::CancelRun
                | Command::Rollback
                | Command::Review
                | Command::ToggleLock
                | Command::MarkHealth
                | Command::Signoff
                | Command::StatusUpdate
                | Command::CloseMilestone
                | Command::PublishNotes
                | Command::FileFollowUps
                | Command::NewRisk
                | Command::RaiseLikelihood
                | Command::LowerLikelihood
                | Command::RaiseImpact
                | Command::LowerImpact
                | Command::RetireRisk
                | Command::Comment
        )
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
pub type FetchResult = Result<Box<Snapshot>, crate::release::error::SyncError>;

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
    /// How far the refresh `req` has read: a line such as `reading acme/storefront issues
    /// 12/50`, shown where "loading…" would be until the refresh answers.
    SyncProgress {
        req: u64,
        line: String,
    },
    /// A key press. `update` decides who gets it: Ctrl-C quits from anywhere; otherwise the
    /// topmost popup (a dialog that takes text gets it raw), else the focused pane's bindings.
    Input(super::keymap::Key),
    /// The dispatch form read from the workflow file at the chosen ref.
    DispatchFormLoaded {
        result: Result<Box<crate::release::dispatch::DispatchForm>, String>,
    },
    /// A confirmed write finished.
    WriteDone {
        request: super::write::WriteRequest,
        /// When the first call was sent: a dispatch's run is looked for from then on.
        started_at: DateTime<Utc>,
        result: Result<WriteResult, crate::release::call::Stopped>,
    },
    /// A worker's warning for the status line and the activity log.
    Notice(String),
    /// Write calls made (for the audit pane).
    Audited(Vec<crate::release::WriteRecord>),
    /// Every comment of `repo#number`, oldest first, for its detail view, or why not.
    CommentsLoaded {
        repo: String,
        number: u64,
        result: Result<Vec<crate::release::Comment>, String>,
    },
    /// A click or the wheel, with what was under the pointer.
    Mouse(super::mouse::Mouse),
    /// A `[[commands]]` program ended (or could not start).
    ProgramDone {
        id: u64,
        result: Result<super::custom::Finished, String>,
    },
    /// Issue `repo#number` read on its own for its detail view, or why not.
    IssueLoaded {
        repo: String,
        number: u64,
        result: Result<Box<crate::release::Issue>, String>,
    },
    /// The jobs of a run, for the drill-down and the compact view.
    JobsLoaded {
        run_id: u64,
        result: Result<Vec<crate::release::Job>, String>,
    },
    /// The answer to `Effect::OpenUrl`: the browser program that opened `url`, or why none
    /// could.
    UrlOpened {
        url: String,
        result: Result<String, String>,
    },
    /// The end of a failed job's log.
    LogTailLoaded {
        job_id: u64,
        result: Result<Vec<String>, String>,
    },
    /// The run a dispatch started, found by polling (a best guess), or `None` after the grace
    /// period.
    DispatchedRunFound {
        repo: String,
        file: String,
        run: Option<Box<crate::release::Run>>,
    },
    /// The deploy history a rollback is proposed from (`Effect::FetchDeployHistory`).
    DeployHistoryLoaded {
        ask: super::effect::RollbackAsk,
        result: Result<crate::release::rollback::History, String>,
    },
    /// The token's login (`GET /user`), or why it could not be read.
    UserLoaded(Result<String, String>),
    /// The notes file was written to `path`, or why not.
    NotesWritten {
        path: std::path::PathBuf,
        result: Result<(), String>,
    },
    /// Each repository's releases (in the order asked), for the draft release's calls.
    /// The delivery history the KPIs are computed from, or why it could not be read.
    /// GitHub's generated notes per repository (`repo`, body), or why not.
    GeneratedNotesLoaded {
        result: Result<Vec<(String, String)>, String>,
    },
    /// The delivery history cached by an earlier session, read at `read_at`.
    CachedHistory {
        history: Box<crate::release::kpis::History>,
        read_at: chrono::DateTime<chrono::Utc>,
    },
    HistoryLoaded {
        result: Result<Box<crate::release::kpis::History>, String>,
    },
    /// What filing follow-ups reads first (next milestones, follow-ups already open).
    FollowUpPlanLoaded {
        result: Result<crate::release::retro::FollowUpPlan, String>,
    },
    ReleasesLoaded {
        result: Result<Vec<(String, Vec<crate::release::notes::publish::RepoRelease>)>, String>,
    },
    /// What a waiting run waits for, to approve or reject.
    PendingDeploymentsLoaded {
        repo: String,
        run_id: u64,
        run_number: u64,
        result: Result<Vec<crate::release::PendingDeployment>, String>,
    },
    /// GitHub shows the box in the wanted state; `body` is the body as read back. For a
    /// sub-issue's tick, `sub_issue` is that issue as read back (closed or open as wanted)
    /// and `body` is empty.
    TickApplied {
        repo: String,
        number: u64,
        key: ItemKey,
        checked: bool,
        body: String,
        updated_at: DateTime<Utc>,
        sub_issue: Option<crate::release::Issue>,
    },
    /// A tick could not be applied (yet). `kept_pending`: it stays queued and will be
    /// retried; otherwise it is no longer queued (it could not be saved, or another shipdeck
    /// already dealt with it).
    TickFailed {
        repo: String,
        number: u64,
        key: ItemKey,
        checked: bool,
        reason: String,
        kept_pending: bool,
    },
    /// A tick that cannot apply (the item is gone or ambiguous, the issue is locked or
    /// gone): kept in the outbox for the user to retry or discard.
    TickNeedsReview(super::review::ReviewItem),
    /// Ticks found in the outbox at start-up: pending ones are being applied, failed ones
    /// wait for review.
    TicksRestored {
        pending: Vec<PendingTick>,
        failed: Vec<super::review::ReviewItem>,
    },
}

/// What a confirmed write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteResult {
    Done,
    Dispatched(crate::release::DispatchOutcome),
}

/// A tick on its way to GitHub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTick {
    pub repo: String,
    pub number: u64,
    pub key: ItemKey,
    pub checked: bool,
}
