//! The tick outbox, one file shared by every shipdeck process of a user: each tick is written
//! here, fsynced, before any request is sent, and leaves only when GitHub shows the box in the
//! wanted state. Every change is a read-modify-write of the whole file under an exclusive file
//! lock, so processes never overwrite each other's ticks. Ids are random, never reused. An
//! intent is bound to the API it was made against and is owned by the session that queued it;
//! a session that ends (however it ends) leaves its intents to the next session for that API.
//! Ticks that cannot apply (item gone, ambiguous, issue locked) stay, marked failed, for review.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::app::action::PendingTick;
use crate::release::sub_issues::IssueRef;
use crate::release::task_list::ItemKey;

/// How long a change waits for another process to release the outbox before giving up. Each
/// holder only reads, writes and fsyncs one small file, but an fsync can stall for seconds on a
/// busy disk.
const LOCK_WAIT: Duration = Duration::from_secs(10);
/// The file format written; older ones are read too.
const VERSION: u32 = 2;

/// "Item `key` of issue `repo#number` on the GitHub at `api` should be `checked`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// Random and unique in the file: a removed id is never handed out again by chance.
    pub id: u64,
    /// The API root the tick was made against, e.g. `https://api.github.com`. Only a session
    /// talking to that API applies it. Empty in files written before intents were bound.
    #[serde(default)]
    pub api: String,
    pub repo: String,
    pub number: u64,
    pub key: ItemKey,
    pub checked: bool,
    /// How many items had this text when the tick was made: if that changes, the item is
    /// ambiguous and the tick is kept for review rather than guessed.
    pub same_text: usize,
    pub created_at: DateTime<Utc>,
    /// Why it could not be applied; `None` while pending.
    #[serde(default)]
    pub failed: Option<String>,
    /// The session applying it. `None`, or a session that has ended: the next session for the
    /// same API takes it over.
    #[serde(default)]
    pub owner: Option<u64>,
    /// In sub-issues mode, the sub-issue the item is: the tick closes or reopens it instead
    /// of editing the tracking issue's body. `None` for a task-list item and in older files.
    #[serde(default)]
    pub sub_issue: Option<IssueRef>,
}

impl Intent {
    /// The tick as the app shows it.
    #[must_use]
    pub fn tick(&self) -> PendingTick {
        PendingTick {
            repo: self.repo.clone(),
            number: self.number,
            key: self.key.clone(),
            checked: self.checked,
        }
    }
}

/// One session's handle on the shared outbox file. Holds no copy of the intents: every call
/// reads the file under the lock, so what it returns is what every process sees.
#[derive(Debug)]
pub struct Outbox {
    path: PathBuf,
    api: String,
    session: u64,
    /// This session's lock file, locked for as long as the session lives: other sessions see
    /// it alive while they cannot lock it (the OS releases it when the process dies).
    alive: Option<(PathBuf, File)>,
}

#[derive(Serialize, Deserialize)]
struct OutboxFile {
    version: u32,
    intents: Vec<Intent>,
}

/// Why an intent from a file without API bindings is held back.
fn unbound_reason(api: &str) -> String {
    format!(
        "saved by an older shipdeck that did not record which GitHub it was for; retry applies it to {api}"
    )
}

impl Outbox {
    /// Opens the outbox at `path` for a session talking to the API at `api`, and registers the
    /// session. A missing file is an empty outbox. A file that cannot be read is moved aside
    /// (never deleted) and reported.
    ///
    /// # Errors
    /// The data dir cannot be written, the outbox stayed locked by another process, or the
    /// file is not an outbox (it is renamed to `*.unreadable-<time>` first, so nothing is lost).
    pub fn open(path: &Path, api: &str) -> io::Result<Self> {
        let mut outbox = Self::empty(path, api);
        let _guard = outbox.lock()?;
        outbox.load()?;
        crate::files::create_dir(&outbox.sessions_dir())?;
        outbox.sweep_ended_sessions();
        let alive = outbox
            .sessions_dir()
            .join(format!("{:016x}.lock", outbox.session));
        let file = crate::files::create(&alive)?;
        file.try_lock().map_err(io::Error::from)?;
        outbox.alive = Some((alive, file));
        Ok(outbox)
    }

    /// A handle on `path` for `api` that has not touched the disk (used when opening failed:
    /// every call then tries the file again).
    #[must_use]
    pub fn empty(path: &Path, api: &str) -> Self {
        Self {
            path: path.to_path_buf(),
            api: api.trim_end_matches('/').to_string(),
            session: random_u64(),
            alive: None,
        }
    }

    /// Adds a tick of a task-list item, owned by this session, and makes it durable before
    /// returning.
    ///
    /// # Errors
    /// Locking, writing or syncing the file failed; the tick is then not queued.
    pub fn push(
        &self,
        repo: &str,
        number: u64,
        key: ItemKey,
        checked: bool,
        same_text: usize,
        now: DateTime<Utc>,
    ) -> io::Result<Intent> {
        self.push_intent(Intent {
            id: 0,
            api: String::new(),
            repo: repo.to_string(),
            number,
            key,
            checked,
            same_text,
            created_at: now,
            failed: None,
            owner: None,
            sub_issue: None,
        })
    }

    /// Adds `intent` (a sub-issue's tick, say) with a fresh id, bound to this session's API and
    /// owned by this session, and makes it durable before returning it as saved.
    ///
    /// # Errors
    /// Locking, writing or syncing the file failed; the tick is then not queued.
    pub fn push_intent(&self, mut intent: Intent) -> io::Result<Intent> {
        self.change(|intents| {
            let mut id = random_u64();
            while intents.iter().any(|i| i.id == id) {
                id = random_u64();
            }
            intent.id = id;
            intent.api.clone_from(&self.api);
            intent.owner = Some(self.session);
            intent.failed = None;
            intents.push(intent.clone());
            intent
        })
    }

    /// The oldest pending intent this session should apply: one of its own, or one left by a
    /// session that has ended, which this session then takes over.
    ///
    /// # Errors
    /// The file could not be locked, read or written.
    pub fn next_pending(&self) -> io::Result<Option<Intent>> {
        let _guard = self.lock()?;
        let mut intents = self.load()?;
        let Some(i) = intents.iter().position(|i| self.is_mine_to_apply(i)) else {
            return Ok(None);
        };
        if intents[i].owner != Some(self.session) {
            intents[i].owner = Some(self.session);
            self.persist(&intents)?;
        }
        Ok(Some(intents[i].clone()))
    }

    /// Every pending intent this session would apply (its own and those of ended sessions),
    /// oldest first.
    ///
    /// # Errors
    /// The file could not be locked or read.
    pub fn pending(&self) -> io::Result<Vec<Intent>> {
        let _guard = self.lock()?;
        let intents = self.load()?;
        Ok(intents
            .into_iter()
            .filter(|i| self.is_mine_to_apply(i))
            .collect())
    }

    /// Intents of this API kept for review, and those from files that did not record an API
    /// (with the reason they are held back), oldest first.
    ///
    /// # Errors
    /// The file could not be locked or read.
    pub fn failed(&self) -> io::Result<Vec<Intent>> {
        let _guard = self.lock()?;
        let intents = self.load()?;
        Ok(intents
            .into_iter()
            .filter_map(|mut i| {
                if i.api.is_empty() {
                    i.failed = Some(unbound_reason(&self.api));
                    Some(i)
                } else {
                    (i.api == self.api && i.failed.is_some()).then_some(i)
                }
            })
            .collect())
    }

    /// Removes an applied or discarded intent; `false` when it was not there (another session
    /// removed it).
    ///
    /// # Errors
    /// Writing the file failed (an applied intent will be applied again, harmlessly: ticks
    /// set, not flip).
    pub fn remove(&self, id: u64) -> io::Result<bool> {
        self.change(|intents| {
            let before = intents.len();
            intents.retain(|i| i.id != id);
            intents.len() != before
        })
    }

    /// Keeps an intent for review with the reason it failed.
    ///
    /// # Errors
    /// Writing the file failed.
    pub fn mark_failed(&self, id: u64, reason: &str) -> io::Result<()> {
        self.change(|intents| {
            if let Some(i) = intents.iter_mut().find(|i| i.id == id) {
                i.failed = Some(reason.to_string());
            }
        })
    }

    /// Makes an intent kept for review pending again, owned by this session and bound to its
    /// API; `None` when it is no longer waiting for review (another session retried or
    /// discarded it).
    ///
    /// # Errors
    /// Writing the file failed.
    pub fn retry(&self, id: u64) -> io::Result<Option<Intent>> {
        self.change(|intents| {
            let i = intents
                .iter_mut()
                .find(|i| i.id == id && (i.failed.is_some() || i.api.is_empty()))?;
            i.failed = None;
            i.api.clone_from(&self.api);
            i.owner = Some(self.session);
            Some(i.clone())
        })
    }

    /// The API this session talks to.
    #[must_use]
    pub fn api(&self) -> &str {
        &self.api
    }

    /// Pending, for this API, and owned by this session or by none that is still running.
    fn is_mine_to_apply(&self, i: &Intent) -> bool {
        i.failed.is_none()
            && !i.api.is_empty()
            && i.api == self.api
            && i.owner
                .is_none_or(|owner| owner == self.session || !self.is_running(owner))
    }

    /// Whether session `owner` is still running: its lock file exists and is locked. Called
    /// with the outbox locked, so a starting session is never seen half-registered. The lock
    /// file of an ended session is removed.
    fn is_running(&self, owner: u64) -> bool {
        let path = self.sessions_dir().join(format!("{owner:016x}.lock"));
        let Ok(file) = OpenOptions::new().write(true).open(&path) else {
            return false;
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = fs::remove_file(&path);
                false
            }
            Err(TryLockError::WouldBlock) => true,
            Err(TryLockError::Error(e)) => {
                // Cannot tell: assume it runs, so its ticks are not applied twice.
                tracing::warn!(error = %e, session = owner, "cannot tell whether a shipdeck session is running");
                true
            }
        }
    }

    /// Removes the lock files of sessions that have ended.
    fn sweep_ended_sessions(&self) {
        let Ok(entries) = fs::read_dir(self.sessions_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if let Some(owner) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".lock"))
                .and_then(|hex| u64::from_str_radix(hex, 16).ok())
            {
                let _ = self.is_running(owner);
            }
        }
    }

    fn sessions_dir(&self) -> PathBuf {
        self.path.with_extension("sessions")
    }

    /// Locks the outbox for this process, waiting a little for another one to finish.
    fn lock(&self) -> io::Result<File> {
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        crate::files::create_dir(dir)?;
        let path = self.path.with_extension("lock");
        // Private like every file shipdeck keeps; its contents do not matter, only its lock.
        let file = crate::files::create(&path)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        format!(
                            "another shipdeck has held {} for over {} s",
                            path.display(),
                            LOCK_WAIT.as_secs()
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
        }
    }

    /// Runs `f` on the intents under the lock and writes the result back.
    fn change<R>(&self, f: impl FnOnce(&mut Vec<Intent>) -> R) -> io::Result<R> {
        let _guard = self.lock()?;
        let mut intents = self.load()?;
        let result = f(&mut intents);
        self.persist(&intents)?;
        Ok(result)
    }

    /// Reads the file (the caller holds the lock). A file that is not an outbox is moved aside.
    fn load(&self) -> io::Result<Vec<Intent>> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        match serde_json::from_slice::<OutboxFile>(&bytes) {
            Ok(f) => Ok(f.intents),
            Err(e) => {
                let aside = self
                    .path
                    .with_extension(format!("unreadable-{}", Utc::now().format("%Y%m%dT%H%M%S")));
                fs::rename(&self.path, &aside)?;
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the tick outbox {} was unreadable ({e}); moved to {}",
                        self.path.display(),
                        aside.display()
                    ),
                ))
            }
        }
    }

    /// Writes a private temp file, syncs it, renames it over the outbox and syncs the
    /// directory ([`crate::files::write_atomic`]; the caller holds the lock).
    fn persist(&self, intents: &[Intent]) -> io::Result<()> {
        let data = serde_json::to_vec_pretty(&OutboxFile {
            version: VERSION,
            intents: intents.to_vec(),
        })
        .map_err(io::Error::other)?;
        crate::files::write_atomic(&self.path, &data)
    }
}

impl Drop for Outbox {
    /// Ends the session: its pending intents are left to the next session for its API.
    fn drop(&mut self) {
        if let Some((path, file)) = self.alive.take() {
            drop(file);
            let _ = fs::remove_file(path);
        }
    }
}

/// A random 64-bit number from the standard library's randomly keyed hasher (seeded from the
/// OS), mixed with the time, process and a counter so two calls never repeat.
fn random_u64() -> u64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    // Ids go through JSON, where some readers lose precision above 2^53: keep them below.
    h.finish() >> 11
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.github.com";

    fn key(t: &str) -> ItemKey {
        ItemKey {
            text: t.into(),
            occurrence: 0,
        }
    }

    #[test]
    fn survives_reopening_and_keeps_failed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.json");
        let now = Utc::now();
        let o = Outbox::open(&path, API).unwrap();
        let a = o.push("acme/x", 1, key("a"), true, 1, now).unwrap();
        let b = o.push("acme/x", 1, key("b"), false, 1, now).unwrap();
        o.mark_failed(a.id, "gone").unwrap();
        drop(o);
        let o = Outbox::open(&path, API).unwrap();
        assert_eq!(o.next_pending().unwrap().unwrap().id, b.id);
        assert_eq!(o.failed().unwrap()[0].failed.as_deref(), Some("gone"));
        assert!(o.remove(b.id).unwrap());
        assert!(!o.remove(b.id).unwrap(), "already gone");
        assert!(
            Outbox::open(&path, API)
                .unwrap()
                .next_pending()
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn an_unreadable_outbox_is_moved_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.json");
        fs::write(&path, b"{not json").unwrap();
        let err = Outbox::open(&path, API).unwrap_err();
        assert!(err.to_string().contains("was unreadable"), "{err}");
        let kept: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("unreadable-"))
            .collect();
        assert_eq!(kept.len(), 1, "the bad file is kept under another name");
        assert_eq!(fs::read(kept[0].path()).unwrap(), b"{not json");
    }

    #[test]
    fn a_running_session_keeps_its_ticks_and_an_ended_one_leaves_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.json");
        let a = Outbox::open(&path, API).unwrap();
        let b = Outbox::open(&path, API).unwrap();
        let mine = a.push("acme/x", 1, key("a"), true, 1, Utc::now()).unwrap();
        assert_eq!(b.next_pending().unwrap(), None, "a is running: b leaves it");
        assert_eq!(a.next_pending().unwrap().map(|i| i.id), Some(mine.id));
        drop(a);
        let taken = b.next_pending().unwrap().unwrap();
        assert_eq!(taken.id, mine.id, "a ended: b takes its tick over");
        assert_eq!(taken.owner, Some(b.session));
        let c = Outbox::open(&path, API).unwrap();
        assert_eq!(c.next_pending().unwrap(), None, "b owns it now");
    }

    #[test]
    fn ticks_of_older_files_are_held_for_review_and_retry_binds_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.json");
        let old = r#"{"version":1,"intents":[{"id":1,"repo":"acme/x","number":1,
            "key":{"text":"a","occurrence":0},"checked":true,"same_text":1,
            "created_at":"2026-11-01T10:00:00Z","failed":null}]}"#;
        fs::write(&path, old).unwrap();
        let o = Outbox::open(&path, API).unwrap();
        assert!(o.pending().unwrap().is_empty(), "not applied blindly");
        let held = o.failed().unwrap();
        assert_eq!(held.len(), 1);
        assert!(
            held[0]
                .failed
                .as_deref()
                .unwrap()
                .contains("did not record which GitHub"),
            "{held:?}"
        );
        let retried = o.retry(1).unwrap().unwrap();
        assert_eq!(retried.api, API);
        assert_eq!(o.pending().unwrap().len(), 1);
        assert!(o.failed().unwrap().is_empty());
        assert_eq!(o.retry(1).unwrap(), None, "no longer waiting for review");
    }
}
