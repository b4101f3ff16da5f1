//! Workers: each effect runs on a tokio task holding the API and a sender; the result comes
//! back as an action. Workers never touch `AppState` and never print.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use tokio::sync::mpsc;

use super::browser;
use super::outbox::Outbox;
use super::ticks::TickWorker;
use super::writes::{self, AuditLog};
use crate::app::action::PendingTick;
use crate::app::{Action, Effect};
use crate::github::history::HistoryPlan;
use crate::github::sync::{SyncError, SyncPlan, Synced, refresh_within};
use crate::github::{ApiError, GitHubApi, progress};
use crate::release::Snapshot;
use crate::release::task_list::ItemKey;

/// Carries out effects that need the network or the OS.
#[derive(Clone)]
pub struct Workers {
    api: Arc<dyn GitHubApi>,
    plan: Arc<SyncPlan>,
    tx: mpsc::Sender<Action>,
    cache: Option<PathBuf>,
    ticks: Option<(Arc<Outbox>, TickWorker)>,
    audit: AuditLog,
    /// The last refresh: the next one asks only for what changed since.
    last: Arc<Mutex<Option<Synced>>>,
    /// How long the dispatch fallback looks for the run, and how often.
    pub find_grace: (std::time::Duration, std::time::Duration),
    /// The browser commands `o` tries, from `$BROWSER` (see `browser::commands`).
    browser: Arc<Vec<String>>,
    /// What delivery history to read for the KPIs; `None`: none.
    history: Option<Arc<HistoryPlan>>,
}

/// How long one read of the delivery history may take.
const HISTORY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

impl Workers {
    /// Workers that answer on `tx`. `cache` is where the last good snapshot is kept.
    #[must_use]
    pub fn new(
        api: Arc<dyn GitHubApi>,
        plan: SyncPlan,
        tx: mpsc::Sender<Action>,
        cache: Option<PathBuf>,
    ) -> Self {
        Self {
            api,
            plan: Arc::new(plan),
            tx,
            cache,
            ticks: None,
            audit: AuditLog::default(),
            last: Arc::new(Mutex::new(None)),
            find_grace: (
                std::time::Duration::from_secs(60),
                std::time::Duration::from_secs(2),
            ),
            browser: Arc::new(browser::commands(std::env::var("BROWSER").ok().as_deref())),
            history: None,
        }
    }

    /// Reads the delivery history `plan` describes when the app asks (the KPIs pane).
    #[must_use]
    pub fn with_history(mut self, plan: HistoryPlan) -> Self {
        self.history = Some(Arc::new(plan));
        self
    }

    /// Opens URLs with `browser`, read like `$BROWSER` (instead of the environment's).
    #[must_use]
    pub fn with_browser(mut self, browser: Option<&str>) -> Self {
        self.browser = Arc::new(browser::commands(browser));
        self
    }

    /// Appends every write record to `path` (JSON lines) as well as the audit pane.
    #[must_use]
    pub fn with_audit_file(mut self, path: PathBuf) -> Self {
        self.audit = AuditLog { path: Some(path) };
        self
    }

    /// Enables ticking: ticks go to `outbox` and a worker applies them. Returns the worker's
    /// future, which the caller spawns.
    pub fn with_ticks(
        &mut self,
        outbox: Arc<Outbox>,
        backoff: std::time::Duration,
    ) -> impl Future<Output = ()> + use<> {
        let worker = TickWorker::new(self.api.clone(), outbox.clone(), self.tx.clone(), backoff)
            .with_audit(self.audit.clone());
        self.ticks = Some((outbox, worker.clone()));
        worker.run()
    }

    /// Starts the work for `effect` in the background. Terminal effects (bell, clipboard)
    /// are handled by the loop, which owns the terminal.
    pub fn start(&self, effect: Effect) {
        match effect {
            Effect::FetchSnapshot { req, full } => {
                // A refresh is also when ticks stalled by an outage are tried again.
                if let Some((_, worker)) = &self.ticks {
                    worker.wake();
                }
                let workers = self.clone();
                tokio::spawn(async move {
                    let prev = workers
                        .last
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone();
                    let tx = workers.tx.clone();
                    // Progress lines are dropped, not waited for, when the UI is behind.
                    let sink: progress::Sink = Arc::new(move |line| {
                        let _ = tx.try_send(Action::SyncProgress { req, line });
                    });
                    let result = progress::reporting(
                        sink,
                        refresh_within(
                            workers.api.as_ref(),
                            &workers.plan,
                            Utc::now(),
                            prev.as_ref(),
                            full,
                        ),
                    )
                    .await
                    .map(|mut synced| {
                        // "synced N s ago" counts from when the data arrived, not from when it
                        // was asked for.
                        synced.snapshot.fetched_at = Utc::now();
                        synced
                    });
                    if let Ok(synced) = &result {
                        let changed = prev
                            .as_ref()
                            .is_none_or(|p| !p.snapshot.same_data(&synced.snapshot));
                        *workers.last.lock().unwrap_or_else(PoisonError::into_inner) =
                            Some(synced.clone());
                        if changed && let Some(path) = &workers.cache {
                            save_cache(path, &synced.snapshot).await;
                        }
                    }
                    let result = result.map(|s| s.snapshot);
                    // The budget comes from `GET /rate_limit`, which costs nothing; not asked when
                    // the network is what failed.
                    let unreachable = result
                        .as_ref()
                        .err()
                        .and_then(SyncError::api_error)
                        .is_some_and(ApiError::is_transient);
                    let rate = if unreachable {
                        None
                    } else {
                        workers.api.rate_limit().await.ok()
                    };
                    let action = Action::SnapshotLoaded {
                        req,
                        result: result.map(Box::new),
                        rate,
                    };
                    // A closed channel means the UI has gone: nothing left to do.
                    let _ = workers.tx.send(action).await;
                });
            }
            Effect::OpenUrl(url) => {
                let (commands, tx) = (self.browser.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let result = browser::open(&url, &commands, browser::LAUNCH_WAIT);
                    if let Err(e) = &result {
                        tracing::warn!(%url, error = %e, "could not open a browser");
                    }
                    // A closed channel means the UI has gone: nothing left to do.
                    let _ = tx.blocking_send(Action::UrlOpened { url, result });
                });
            }
            Effect::RunProgram { id, argv } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = super::program::run(&argv, super::program::TIMEOUT).await;
                    // A closed channel means the UI has gone: nothing left to do.
                    let _ = tx.send(Action::ProgramDone { id, result }).await;
                });
            }
            Effect::QueueTick {
                repo,
                number,
                key,
                checked,
                same_text,
                sub_issue,
            } => self.queue_tick(repo, number, key, checked, same_text, sub_issue),
            Effect::Write(approved) => self.spawn(move |workers| async move {
                let started_at = Utc::now();
                let (records, result) = writes::write(workers.api.as_ref(), &approved).await;
                workers.audit.record(records, &workers.tx).await;
                Action::WriteDone {
                    request: approved.request,
                    started_at,
                    result,
                }
            }),
            Effect::LoadDispatchForm {
                repo,
                file,
                git_ref,
                prefill,
                note,
            } => self.spawn(move |workers| async move {
                let result =
                    writes::load_form(workers.api.as_ref(), &repo, &file, &git_ref, &prefill).await;
                Action::DispatchFormLoaded {
                    result: result.map(|form| {
                        Box::new(crate::release::dispatch::DispatchForm { note, ..form })
                    }),
                }
            }),
            Effect::FetchIssue { repo, number } => self.spawn(move |workers| async move {
                let result = workers
                    .api
                    .issue(&repo, number)
                    .await
                    .map(Box::new)
                    .map_err(|e| e.to_string());
                Action::IssueLoaded {
                    repo,
                    number,
                    result,
                }
            }),
            Effect::FetchComments { repo, number } => self.spawn(move |workers| async move {
                let result = workers
                    .api
                    .comments(&repo, number)
                    .await
                    .map_err(|e| e.to_string());
                Action::CommentsLoaded {
                    repo,
                    number,
                    result,
                }
            }),
            Effect::FetchJobs { repo, run_id } => self.spawn(move |workers| async move {
                let result = workers
                    .api
                    .run_jobs(&repo, run_id)
                    .await
                    .map_err(|e| e.to_string());
                Action::JobsLoaded { run_id, result }
            }),
            Effect::FetchLogTail { repo, job_id } => self.spawn(move |workers| async move {
                let result = writes::log_tail(
                    workers.api.as_ref(),
                    &repo,
                    job_id,
                    crate::app::runs::LOG_TAIL,
                )
                .await;
                Action::LogTailLoaded { job_id, result }
            }),
            Effect::FindDispatchedRun {
                repo,
                file,
                branch,
                since,
            } => self.spawn(move |workers| async move {
                let (grace, every) = workers.find_grace;
                let run = writes::find_dispatched_run(
                    workers.api.clone(),
                    &repo,
                    &file,
                    &branch,
                    None,
                    since,
                    grace,
                    every,
                )
                .await;
                Action::DispatchedRunFound {
                    repo,
                    file,
                    run: run.map(Box::new),
                }
            }),
            Effect::FetchDeployHistory(ask) => self.spawn(move |workers| async move {
                let api = workers.api.as_ref();
                let result = async {
                    Ok(crate::release::rollback::History {
                        deploys: deploy_history(api, &ask.repo, &ask.deploy_files).await?,
                        rollbacks: deploy_history(
                            api,
                            &ask.repo,
                            std::slice::from_ref(&ask.workflow),
                        )
                        .await?,
                    })
                }
                .await
                .map_err(|e: crate::github::ApiError| e.to_string());
                Action::DeployHistoryLoaded { ask, result }
            }),
            Effect::LoadPendingDeployments {
                repo,
                run_id,
                run_number,
            } => self.spawn(move |workers| async move {
                let result = workers
                    .api
                    .pending_deployments(&repo, run_id)
                    .await
                    .map_err(|e| e.to_string());
                Action::PendingDeploymentsLoaded {
                    repo,
                    run_id,
                    run_number,
                    result,
                }
            }),
            Effect::WriteNotes { path, markdown } => self.spawn(move |_| async move {
                let target = path.clone();
                let result = tokio::task::spawn_blocking(move || {
                    crate::files::write_atomic(&target, markdown.as_bytes())
                })
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()));
                Action::NotesWritten { path, result }
            }),
            Effect::LoadReleases { repos } => self.spawn(move |workers| async move {
                let mut existing = Vec::new();
                for repo in repos {
                    match workers.api.releases(&repo).await {
                        Ok(releases) => existing.push((repo, releases)),
                        Err(e) => {
                            return Action::ReleasesLoaded {
                                result: Err(format!("listing the releases of {repo}: {e}")),
                            };
                        }
                    }
                }
                Action::ReleasesLoaded {
                    result: Ok(existing),
                }
            }),
            Effect::LoadGeneratedNotes { repos, tag } => self.spawn(move |workers| async move {
                let mut out = Vec::new();
                for repo in repos {
                    match workers.api.generate_notes(&repo, &tag).await {
                        Ok(body) => out.push((repo, body)),
                        Err(e) => {
                            return Action::GeneratedNotesLoaded {
                                result: Err(format!("{repo}: {e}")),
                            };
                        }
                    }
                }
                Action::GeneratedNotesLoaded { result: Ok(out) }
            }),
            Effect::LoadFollowUpPlan { repos, label } => self.spawn(move |workers| async move {
                let result =
                    crate::github::follow_up::read_plan(&*workers.api, &repos, &label).await;
                Action::FollowUpPlanLoaded { result }
            }),
            Effect::LoadHistory { prev } => {
                if let Some(plan) = self.history.clone() {
                    self.spawn(move |workers| async move {
                        let read = crate::github::history::fetch_history(
                            &*workers.api,
                            &plan,
                            Utc::now(),
                            prev.as_deref(),
                        );
                        let result = match tokio::time::timeout(HISTORY_DEADLINE, read).await {
                            Ok(r) => {
                                if let (Ok(history), Some(path)) = (&r, &workers.cache) {
                                    let cached = CachedHistory {
                                        read_at: Utc::now(),
                                        history: history.clone(),
                                    };
                                    save_json(&history_cache_path(path), cached).await;
                                }
                                r.map(Box::new).map_err(|e| e.to_string())
                            }
                            Err(_) => Err(format!(
                                "no answer within {} s; the last history read stays",
                                HISTORY_DEADLINE.as_secs()
                            )),
                        };
                        Action::HistoryLoaded { result }
                    });
                }
            }
            Effect::LoadUser => self.spawn(move |workers| async move {
                Action::UserLoaded(workers.api.user().await.map_err(|e| e.to_string()))
            }),
            Effect::RetryTick { id, tick } => self.retry_tick(id, tick),
            Effect::DiscardTick { id } => {
                if let Some((outbox, _)) = &self.ticks
                    && let Err(e) = outbox.remove(id)
                {
                    tracing::error!(error = %e, id, "could not discard a tick from the outbox");
                }
            }
            Effect::Bell | Effect::CopyToClipboard(_) => {}
        }
    }
}

impl Workers {
    /// Runs `work` on a task and sends the action it returns.
    fn spawn<F, Fut>(&self, work: F)
    where
        F: FnOnce(Workers) -> Fut + Send + 'static,
        Fut: Future<Output = Action> + Send + 'static,
    {
        let workers = self.clone();
        tokio::spawn(async move {
            let tx = workers.tx.clone();
            let action = work(workers).await;
            // A closed channel means the UI has gone: nothing left to do.
            let _ = tx.send(action).await;
        });
    }

    /// Writes the tick to the outbox (durably) before anything is sent, then wakes the worker.
    fn queue_tick(
        &self,
        repo: String,
        number: u64,
        key: ItemKey,
        checked: bool,
        same_text: usize,
        sub_issue: Option<crate::release::sub_issues::IssueRef>,
    ) {
        let Some((outbox, worker)) = &self.ticks else {
            return;
        };
        let saved = outbox.push_intent(super::outbox::Intent {
            id: 0,
            api: String::new(),
            repo: repo.clone(),
            number,
            key: key.clone(),
            checked,
            same_text,
            created_at: Utc::now(),
            failed: None,
            owner: None,
            sub_issue,
        });
        match saved {
            Ok(_) => worker.wake(),
            Err(e) => {
                tracing::error!(error = %e, "could not save a tick to the outbox");
                let _ = self.tx.try_send(Action::TickFailed {
                    repo,
                    number,
                    key,
                    checked,
                    reason: format!("could not save the tick to the outbox: {e}"),
                    kept_pending: false,
                });
            }
        }
    }
}

impl Workers {
    /// Makes a tick kept for review pending again and wakes the worker; says so when another
    /// shipdeck already retried or discarded it.
    fn retry_tick(&self, id: u64, tick: PendingTick) {
        let Some((outbox, worker)) = &self.ticks else {
            return;
        };
        let reason = match outbox.retry(id) {
            Ok(Some(_)) => {
                worker.wake();
                return;
            }
            Ok(None) => "another shipdeck already retried or discarded it".to_string(),
            Err(e) => format!("could not update the outbox: {e}"),
        };
        let _ = self.tx.try_send(Action::TickFailed {
            repo: tick.repo,
            number: tick.number,
            key: tick.key,
            checked: tick.checked,
            reason,
            kept_pending: false,
        });
    }
}

/// Writes the snapshot atomically (a private temp file, then rename), on a blocking thread.
async fn save_cache(path: &std::path::Path, snapshot: &Snapshot) {
    save_json(path, snapshot.clone()).await;
}

/// Writes `value` as JSON, atomically (a private temp file, then rename); serialising and
/// writing both happen on a blocking thread, off the async workers.
async fn save_json<T: serde::Serialize + Send + 'static>(path: &std::path::Path, value: T) {
    let target = path.to_path_buf();
    let written = tokio::task::spawn_blocking(move || write_json(&target, &value)).await;
    if let Ok(Err(e)) = written {
        tracing::warn!(error = %e, path = %path.display(), "could not save a cache file");
    }
}

/// Writes `value` as JSON to `path`, atomically (a private temp file, then rename): how the
/// snapshot and history caches are saved (blocking; the workers call it off the async tasks).
///
/// # Errors
/// Serialising or writing failed.
pub fn write_json<T: serde::Serialize>(path: &std::path::Path, value: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    crate::files::write_atomic(path, &json)
}

/// The delivery history as last read, with when: shown at the next start until it is read
/// again.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CachedHistory {
    pub read_at: chrono::DateTime<Utc>,
    pub history: crate::release::kpis::History,
}

/// Where the delivery history is cached: beside the snapshot cache `snapshot_cache`.
#[must_use]
pub fn history_cache_path(snapshot_cache: &std::path::Path) -> PathBuf {
    snapshot_cache.with_extension("kpis.json")
}

/// Reads the cached delivery history, if there is a readable one.
#[must_use]
pub fn load_history_cache(snapshot_cache: &std::path::Path) -> Option<CachedHistory> {
    let bytes = std::fs::read(history_cache_path(snapshot_cache)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Reads a cached snapshot, if there is a readable one.
#[must_use]
pub fn load_cache(path: &std::path::Path) -> Option<Snapshot> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The latest runs of each deploy workflow on every branch (a workflow this repository lacks is
/// skipped), for a rollback's proposal.
async fn deploy_history(
    api: &dyn GitHubApi,
    repo: &str,
    files: &[String],
) -> Result<Vec<crate::release::Run>, crate::github::ApiError> {
    let mut runs = Vec::new();
    for file in files {
        match api
            .workflow_runs(repo, file, None, crate::app::dispatch::DEPLOY_HISTORY_RUNS)
            .await
        {
            Ok(found) => runs.extend(found),
            Err(crate::github::ApiError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(runs)
}
