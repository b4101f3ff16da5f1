//! What `update` asks the workers to do.

use crate::release::task_list::ItemKey;

/// A rollback asked for (`b`), waiting for the deploy history it is proposed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackAsk {
    pub repo: String,
    /// The rollback workflow's file.
    pub workflow: String,
    /// The deploy workflows' files, whose runs are the history (with the rollback workflow's).
    pub deploy_files: Vec<String>,
    /// The deploy or rollback run under the cursor, if the cursor is on one.
    pub selected: Option<u64>,
}

/// Work for the runtime, carried out off the UI task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Fetch the whole release; answer with `Action::SnapshotLoaded { req, .. }`. `full`: the
    /// user asked for it, so workflows known to be absent are asked for again too.
    FetchSnapshot {
        req: u64,
        full: bool,
    },
    /// Open a URL in the browser; answer with `Action::UrlOpened`.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52, works over SSH).
    CopyToClipboard(String),
    /// Ring the terminal bell.
    Bell,
    /// Run a `[[commands]]` program with exactly these arguments (no shell), its output
    /// captured; answer with `Action::ProgramDone`.
    RunProgram {
        id: u64,
        argv: Vec<String>,
    },
    /// Send exactly the confirmed calls; answer with `Action::WriteDone` and `Action::Audited`.
    Write(super::write::Approved),
    /// Read the workflow file at `git_ref` and build its dispatch form, then apply `prefill`;
    /// `note` says where the pre-filled values came from.
    LoadDispatchForm {
        repo: String,
        file: String,
        git_ref: String,
        prefill: Vec<(String, String)>,
        note: Option<String>,
    },
    /// Read the comments of `repo#number` for its detail view; answer with
    /// `Action::CommentsLoaded`.
    FetchComments {
        repo: String,
        number: u64,
    },
    /// Read issue `repo#number` (not in the release's data) for its detail view; answer with
    /// `Action::IssueLoaded`.
    FetchIssue {
        repo: String,
        number: u64,
    },
    FetchJobs {
        repo: String,
        run_id: u64,
    },
    FetchLogTail {
        repo: String,
        job_id: u64,
    },
    /// Poll for the run a dispatch started (when GitHub did not say), for a grace period.
    FindDispatchedRun {
        repo: String,
        file: String,
        branch: String,
        since: chrono::DateTime<chrono::Utc>,
    },
    /// Read the deploy workflows' recent runs on every branch, for a rollback's proposal;
    /// answer with `Action::DeployHistoryLoaded`.
    FetchDeployHistory(RollbackAsk),
    LoadPendingDeployments {
        repo: String,
        run_id: u64,
        run_number: u64,
    },
    /// Write the release notes' Markdown to `path` (atomically); answer with
    /// `Action::NotesWritten`.
    WriteNotes {
        path: std::path::PathBuf,
        markdown: String,
    },
    /// Read the releases of `repos`, for a draft release's calls; answer with
    /// `Action::ReleasesLoaded`.
    LoadReleases {
        repos: Vec<String>,
    },
    /// Ask GitHub to generate release notes for `tag` in each of `repos` (nothing is saved);
    /// answer with `Action::GeneratedNotesLoaded`.
    LoadGeneratedNotes {
        repos: Vec<String>,
        tag: String,
    },
    /// Read each repository's next milestone and open follow-up issues; answer with
    /// `Action::FollowUpPlanLoaded`.
    LoadFollowUpPlan {
        repos: Vec<(String, crate::release::Milestone)>,
        label: String,
    },
    /// Read the delivery history (reusing `prev`'s comparisons); answer with
    /// `Action::HistoryLoaded`.
    LoadHistory {
        prev: Option<Box<crate::release::kpis::History>>,
    },
    /// Ask who the token belongs to (`GET /user`); answer with `Action::UserLoaded`.
    LoadUser,
    /// Write the tick to the outbox, then apply it: item `key` of `repo#number` should be
    /// `checked`. `same_text` items had that text when the user ticked.
    QueueTick {
        repo: String,
        number: u64,
        key: ItemKey,
        checked: bool,
        same_text: usize,
        /// In sub-issues mode, the sub-issue the item is: the tick closes or reopens it.
        sub_issue: Option<crate::release::sub_issues::IssueRef>,
    },
    /// Make the outbox intent `id`, kept for review, pending again and apply it; answer with
    /// `Action::TickApplied`, or `Action::TickFailed` when it is no longer there.
    RetryTick {
        id: u64,
        tick: super::action::PendingTick,
    },
    /// Remove the outbox intent `id`, kept for review, without applying it.
    DiscardTick {
        id: u64,
    },
}
