//! `AppState`: plain data, one sub-state per pane.

use chrono::{DateTime, Duration, Utc};

use super::action::PendingTick;
use super::keymap::{Focus, Keymap};
use super::overlay::Overlays;
use crate::release::{RateBudget, Release, ReleaseRules, Snapshot};

/// The panes, in Tab order; `1`–`6` jump to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Board,
    Checklist,
    Risks,
    Runs,
    Gates,
    Activity,
    Audit,
    /// Not in the grid: shown full size when focused.
    Burnup,
    /// Not in the grid: shown full size when focused.
    Notes,
    /// Not in the grid: shown full size when focused.
    Kpis,
}

impl Pane {
    /// Tab order.
    pub const ALL: [Pane; 10] = [
        Pane::Board,
        Pane::Checklist,
        Pane::Risks,
        Pane::Runs,
        Pane::Gates,
        Pane::Activity,
        Pane::Audit,
        Pane::Burnup,
        Pane::Notes,
        Pane::Kpis,
    ];

    /// Whether the full layout draws this pane (the others show full size when focused).
    #[must_use]
    pub fn in_grid(self) -> bool {
        !matches!(self, Pane::Burnup | Pane::Notes | Pane::Kpis)
    }

    /// Title shown on the pane's border.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Pane::Board => "Phases",
            Pane::Checklist => "Checklist",
            Pane::Risks => "Risks",
            Pane::Runs => "Runs",
            Pane::Gates => "Gates",
            Pane::Activity => "Activity",
            Pane::Audit => "Audit",
            Pane::Burnup => "Burn-up",
            Pane::Notes => "Notes",
            Pane::Kpis => "KPIs",
        }
    }

    /// The digit that focuses it (`1`…`9`, then `0`), shown on its tab and border.
    #[must_use]
    pub fn number(self) -> usize {
        (self.index() + 1) % 10
    }

    /// Position in Tab order.
    #[must_use]
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The keymap focus of this pane.
    #[must_use]
    pub fn focus(self) -> Focus {
        match self {
            Pane::Board => Focus::Board,
            Pane::Checklist => Focus::Checklist,
            Pane::Risks => Focus::Risks,
            Pane::Runs => Focus::Runs,
            Pane::Gates => Focus::Gates,
            Pane::Notes => Focus::Notes,
            Pane::Kpis => Focus::Kpis,
            Pane::Activity | Pane::Audit | Pane::Burnup => Focus::Global,
        }
    }
}

/// Severity of a status-line message or activity entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A line of the activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub level: Level,
    pub text: String,
}

/// Refresh bookkeeping: single-flight with at most one more queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub next_req: u64,
    pub in_flight: Option<u64>,
    /// A refresh was asked for while one was running.
    pub queued: bool,
    /// The queued refresh was asked for by the user (a full one).
    pub queued_full: bool,
    pub last_ok: Option<DateTime<Utc>>,
    /// The last refresh failed with this; the old data stays on screen.
    pub last_error: Option<String>,
    /// Refreshes that failed in a row (the back-off grows with them).
    pub failures: u32,
    /// GitHub rate-limited us: no refresh before this time (its `retry-after` or reset).
    pub limited_until: Option<DateTime<Utc>>,
    /// When the refresh in flight started (for "waiting for GitHub, 12 s").
    pub started: Option<DateTime<Utc>>,
    /// How far the refresh in flight has read (`reading acme/storefront issues 12/50`);
    /// cleared when it answers.
    pub progress: Option<String>,
    pub next_due: DateTime<Utc>,
    /// Showing a snapshot from the disk cache, not yet refreshed.
    pub from_cache: bool,
    /// Refresh interval when idle.
    pub idle_every: Duration,
    /// Refresh interval while a watched run is in progress.
    pub active_every: Duration,
    /// GitHub's clock minus the local one (from the `Date` of the last budget answer).
    pub clock_skew: Duration,
    /// `GET /user` was asked for this command (a sign-off, a status update): it carries on
    /// when GitHub answers.
    pub user_asked: Option<super::action::Command>,
}

/// Cursor of a list pane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
}

impl Cursor {
    /// Moves by `delta` within `len` rows, clamped.
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let max = len - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(max);
    }

    /// Keeps the cursor inside `len` rows after the data changed.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// The phase board's cursor: a column and a card in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoardCursor {
    pub column: usize,
    pub card: usize,
}

/// Settings fixed for the session: from the config file and the command line.
#[derive(Debug, Clone)]
pub struct Session {
    /// `--read-only`: every write is refused.
    pub read_only: bool,
    /// Where the data comes from, e.g. "demo" or "api.github.com".
    pub source: String,
    /// The configured GitHub's web host: `o` opens only its pages.
    pub web: crate::release::web::WebHost,
    /// The release ref's pattern; `{milestone}` is replaced by the title.
    pub ref_pattern: String,
    /// Ring the bell when a watched run completes.
    pub bell: bool,
    /// The configured workflows and what may be done with them.
    pub workflow_rules: Vec<WorkflowRule>,
    pub production_env: String,
    pub protected_envs: Vec<String>,
    /// The label on the tracking issue that locks deploys.
    pub lock_label: String,
    pub keymap: Keymap,
    /// Problems found in the config file (a key that cannot be read, an unknown command):
    /// shown in the header and the `?` overlay all session, until the file is fixed.
    pub config_warnings: Vec<String>,
    /// `NO_COLOR` is set: the screen is drawn without colour, highlights in reverse video.
    pub no_color: bool,
    /// `[ui] theme`, or what `:theme` switched to.
    pub theme: crate::config::ThemeName,
    /// `[ui.colors]`: the roles the user recoloured.
    pub colors: crate::config::ColorOverrides,
    /// `[[commands]]`, bound in the keymap as `Command::Custom(index)`.
    pub commands: Vec<super::custom::CustomCommand>,
    /// `[ui] mouse`: clicks and the wheel are read.
    pub mouse: bool,
    /// `[gates] post_status`: keep commit status `shipdeck/go-no-go` in step with the verdict.
    pub post_status: bool,
    /// The token's login (`GET /user`), once known: who a sign-off is posted as.
    pub login: Option<String>,
    /// `[status_update] history`: history lines the status comment keeps.
    pub status_history: usize,
    /// `[notes]`, and where `w` writes the notes file.
    pub notes: super::notes::NotesSettings,
    /// `[kpis]`, and whether the delivery history is read at all.
    pub kpis: super::kpis::KpiSettings,
    /// `[retro] follow_up_label`: the label of the follow-up issues `F` files.
    pub follow_up_label: String,
}

/// The runs pane: its cursor, its view, the jobs read for it, and the run a dispatch started.
#[derive(Debug, Clone, Default)]
pub struct RunsPane {
    pub cursor: Cursor,
    /// One line per job.
    pub compact: bool,
    /// Jobs of runs, by run id (drill-down, compact view).
    pub jobs: std::collections::HashMap<u64, Vec<crate::release::Job>>,
    /// The run a dispatch started: selected and followed until it completes.
    pub watch: Option<Watch>,
    /// Runs found by the dispatch fallback (no run id from GitHub): shown as "best guess".
    pub best_guess: Vec<u64>,
}

/// The checklist pane: its cursor and the ticks of this session.
#[derive(Debug, Clone, Default)]
pub struct ChecklistPane {
    pub cursor: Cursor,
    /// Ticks sent but not yet confirmed by GitHub, shown as pending.
    pub pending: Vec<PendingTick>,
    /// Ticks made this session, newest last, for `u`.
    pub history: Vec<PendingTick>,
}

/// The activity pane: the log of what happened this session, and its cursor.
#[derive(Debug, Clone, Default)]
pub struct ActivityPane {
    pub cursor: Cursor,
    pub log: Vec<Entry>,
}

/// The audit pane: every write call made this session, oldest first.
#[derive(Debug, Clone, Default)]
pub struct AuditPane {
    pub records: Vec<crate::release::WriteRecord>,
    pub cursor: Cursor,
}

/// Everything the UI shows: the session's settings, the data, one part per pane, and the
/// popups.
#[derive(Debug, Clone)]
pub struct AppState {
    pub now: DateTime<Utc>,
    pub session: Session,
    pub focus: Pane,
    /// One pane fills the body (always so on small terminals).
    pub zoomed: bool,
    /// The popups (help, run drill-down, dispatch form, confirm dialogs): the topmost owns
    /// the keys.
    pub overlays: Overlays,
    pub quit: bool,
    /// Quit was pressed with ticks not yet on GitHub: pressing it again quits.
    pub quit_asked: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    pub repos: Vec<String>,
    pub rules: ReleaseRules,
    pub snapshot: Option<Snapshot>,
    /// Counts the times `snapshot`'s data changed (not a refresh that found it unchanged): what
    /// derived figures (the KPI report) are computed for.
    pub snapshot_version: u64,
    /// Derived from `snapshot` whenever it changes.
    pub release: Option<Release>,
    pub sync: SyncState,
    pub rate: Option<RateBudget>,
    pub terminal_focused: bool,
    pub board: BoardCursor,
    pub checklist: ChecklistPane,
    pub risks: Cursor,
    pub runs: RunsPane,
    pub gates: Cursor,
    /// The deploy go/no-go, evaluated at GitHub's time (see [`super::gates::reevaluate`]).
    pub verdict: Option<crate::release::gates::GateReport>,
    /// Commit statuses asked for this session: (repo, sha, state), each sent once.
    pub posted_statuses: Vec<(String, String, String)>,
    pub activity: ActivityPane,
    pub status: Option<Entry>,
    pub audit: AuditPane,
    /// Ticks that cannot apply, waiting for the user to retry or discard them (a popup).
    pub tick_review: super::review::TickReview,
    /// The notes pane's cursor.
    pub notes: Cursor,
    /// GitHub's generated notes beside shipdeck's in the notes pane (`n`).
    pub generated_notes: super::notes::Generated,
    /// The KPIs pane: the delivery history, its report, its cursors.
    pub kpis: super::kpis::KpiPane,
    /// The `/` filters of the list panes (board, checklist, risks, runs).
    pub filters: super::lists::Filters,
    /// Issues and comments read for the detail view this session.
    pub details: super::detail::DetailCache,
}

/// A configured workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRule {
    pub file: String,
    /// `None`: every repository that has it.
    pub repo: Option<String>,
    pub phase: crate::release::Phase,
    pub dispatch: bool,
    pub rollback: bool,
    pub environment: Option<String>,
    pub protected: bool,
}

/// The drill-down of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDetail {
    pub repo: String,
    pub run_id: u64,
    pub scroll: u16,
    /// The failed job whose log tail is shown, and the lines (or why they could not be read).
    pub log: Option<(u64, Result<Vec<String>, String>)>,
}

/// A run being followed after a dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub repo: String,
    pub file: String,
    /// `None` until the fallback finds it.
    pub run_id: Option<u64>,
}

/// Entries kept in the activity log.
pub const LOG_CAP: usize = 500;

impl AppState {
    /// A fresh state: nothing loaded, first refresh due at once.
    #[must_use]
    pub fn new(
        now: DateTime<Utc>,
        repos: Vec<String>,
        rules: ReleaseRules,
        ref_pattern: String,
    ) -> Self {
        AppState {
            now,
            focus: Pane::Board,
            zoomed: false,
            overlays: Overlays::default(),
            quit: false,
            quit_asked: false,
            dirty: true,
            session: Session {
                read_only: false,
                source: String::new(),
                web: crate::release::web::WebHost::default(),
                ref_pattern,
                bell: true,
                workflow_rules: Vec::new(),
                production_env: "production".into(),
                protected_envs: vec!["production".into()],
                lock_label: "deploy-locked".into(),
                keymap: Keymap::default(),
                config_warnings: Vec::new(),
                no_color: false,
                theme: crate::config::ThemeName::Dark,
                colors: crate::config::ColorOverrides::default(),
                mouse: true,
                commands: Vec::new(),
                post_status: false,
                login: None,
                status_history: crate::release::status_update::DEFAULT_HISTORY,
                notes: super::notes::NotesSettings::default(),
                kpis: super::kpis::KpiSettings::default(),
                follow_up_label: "follow-up".into(),
            },
            repos,
            rules,
            snapshot: None,
            snapshot_version: 0,
            release: None,
            sync: SyncState {
                next_req: 1,
                in_flight: None,
                queued: false,
                queued_full: false,
                last_ok: None,
                last_error: None,
                failures: 0,
                limited_until: None,
                started: None,
                progress: None,
                next_due: now,
                from_cache: false,
                idle_every: Duration::seconds(15),
                active_every: Duration::seconds(3),
                clock_skew: Duration::zero(),
                user_asked: None,
            },
            rate: None,
            terminal_focused: true,
            board: BoardCursor::default(),
            checklist: ChecklistPane::default(),
            risks: Cursor::default(),
            runs: RunsPane::default(),
            gates: Cursor::default(),
            verdict: None,
            posted_statuses: Vec::new(),
            activity: ActivityPane::default(),
            status: None,
            audit: AuditPane::default(),
            tick_review: super::review::TickReview::default(),
            notes: Cursor::default(),
            generated_notes: super::notes::Generated::default(),
            kpis: super::kpis::KpiPane::default(),
            filters: super::lists::Filters::default(),
            details: super::detail::DetailCache::default(),
        }
    }

    /// Whose bindings the keys go through: the topmost popup's, else the focused pane's.
    /// `None` while a dialog that takes text (dispatch form, confirm) has the keys raw.
    #[must_use]
    pub fn key_focus(&self) -> Option<Focus> {
        match self.overlays.top() {
            Some(top) => top.key_focus(),
            None => Some(self.focus.focus()),
        }
    }

    /// Applies the `[keys]` overrides of the config: the keymap, and its problems kept as
    /// config warnings (and logged).
    pub fn apply_key_overrides(
        &mut self,
        overrides: &std::collections::BTreeMap<
            String,
            std::collections::BTreeMap<String, Vec<String>>,
        >,
    ) {
        let (keymap, warnings) = Keymap::with_overrides(overrides);
        self.session.keymap = keymap;
        for w in &warnings {
            self.record(Level::Warn, format!("config: {w}"));
        }
        self.session.config_warnings.extend(warnings);
    }

    /// Binds the `[[commands]]` entries (after the `[keys]` overrides, so a command's key wins
    /// in its pane); entries that cannot be read are warnings, like bad keys.
    pub fn add_custom_commands(&mut self, commands: &[crate::config::CustomCommand]) {
        for c in commands {
            let index = u8::try_from(self.session.commands.len()).ok();
            match (super::custom::CustomCommand::from_config(c), index) {
                (Ok(cmd), Some(index)) => {
                    self.session
                        .keymap
                        .bind_custom(cmd.focus, cmd.key, index, &cmd.name);
                    self.session.commands.push(cmd);
                }
                (Ok(_), None) => {
                    let w = format!("[[commands]] {}: at most 256 commands", c.name);
                    self.record(Level::Warn, format!("config: {w}"));
                    self.session.config_warnings.push(w);
                }
                (Err(w), _) => {
                    self.record(Level::Warn, format!("config: {w}"));
                    self.session.config_warnings.push(w);
                }
            }
        }
    }

    /// Adds an activity entry and shows it in the status line.
    pub fn record(&mut self, level: Level, text: impl Into<String>) {
        let entry = Entry {
            at: self.now,
            level,
            text: text.into(),
        };
        self.status = Some(entry.clone());
        self.activity.log.push(entry);
        if self.activity.log.len() > LOG_CAP {
            self.activity.log.remove(0);
        }
        self.dirty = true;
    }

    /// Rows of the runs pane: each watched workflow's latest run, in config order.
    #[must_use]
    pub fn run_rows(&self) -> Vec<&crate::release::snapshot::WorkflowRuns> {
        self.release
            .as_ref()
            .map(|r| r.workflows.iter().collect())
            .unwrap_or_default()
    }

    /// The pending tick of an item, if one is on its way.
    #[must_use]
    pub fn pending_tick(&self, key: &crate::release::task_list::ItemKey) -> Option<&PendingTick> {
        let tracking = self.release.as_ref()?.tracking.as_ref()?;
        self.checklist
            .pending
            .iter()
            .rev()
            .find(|p| p.repo == tracking.repo && p.number == tracking.number && &p.key == key)
    }

    /// How long the refresh in flight has been waiting for GitHub.
    #[must_use]
    pub fn waiting_for(&self) -> Option<Duration> {
        self.sync
            .in_flight
            .and(self.sync.started)
            .map(|s| self.now - s)
    }

    /// Seconds since the data was fetched.
    #[must_use]
    pub fn data_age(&self) -> Option<Duration> {
        self.snapshot.as_ref().map(|s| self.now - s.fetched_at)
    }
}
