//! The tick outbox: every checklist tick is written here, fsynced, before any request is sent,
//! and leaves only when GitHub shows the box in the wanted state. Ticks that cannot be applied
//! (item gone, ambiguous, body too long) stay, marked failed, for the user to review.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::release::task_list::ItemKey;

/// "Item `key` of issue `repo#number` should be `checked`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub id: u64,
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
}

/// The on-disk outbox (one JSON file, replaced atomically on every change).
#[derive(Debug)]
pub struct Outbox {
    path: PathBuf,
    intents: Vec<Intent>,
}

#[derive(Serialize, Deserialize)]
struct OutboxFile {
    version: u32,
    intents: Vec<Intent>,
}

impl Outbox {
    /// Opens the outbox at `path`; a missing file is an empty outbox. A file that cannot be
    /// read is moved aside (never deleted) and reported.
    ///
    /// # Errors
    /// The file exists but cannot be read, or is not an outbox (it is renamed to
    /// `*.unreadable-<time>` first, so nothing is lost).
    pub fn open(path: &Path) -> io::Result<Self> {
        let intents = match fs::read(path) {
            Ok(bytes) => match serde_json::from_slice::<OutboxFile>(&bytes) {
                Ok(f) => f.intents,
                Err(e) => {
                    let aside = path.with_extension(format!(
                        "unreadable-{}",
                        Utc::now().format("%Y%m%dT%H%M%S")
                    ));
                    fs::rename(path, &aside)?;
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "the tick outbox {} was unreadable ({e}); moved to {}",
                            path.display(),
                            aside.display()
                        ),
                    ));
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(Self {
            path: path.to_path_buf(),
            intents,
        })
    }

    /// An empty outbox at `path` that has not been written yet.
    #[must_use]
    pub fn empty(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            intents: Vec::new(),
        }
    }

    /// Adds a tick and makes it durable before returning.
    ///
    /// # Errors
    /// Writing or syncing the file failed; the tick is then not queued.
    pub fn push(
        &mut self,
        repo: &str,
        number: u64,
        key: ItemKey,
        checked: bool,
        same_text: usize,
        now: DateTime<Utc>,
    ) -> io::Result<Intent> {
        let id = self.intents.iter().map(|i| i.id).max().unwrap_or(0) + 1;
        let intent = Intent {
            id,
            repo: repo.to_string(),
            number,
            key,
            checked,
            same_text,
            created_at: now,
            failed: None,
        };
        self.intents.push(intent.clone());
        if let Err(e) = self.persist() {
            self.intents.pop();
            return Err(e);
        }
        Ok(intent)
    }

    /// The oldest pending (not failed) intent.
    #[must_use]
    pub fn next_pending(&self) -> Option<Intent> {
        self.intents.iter().find(|i| i.failed.is_none()).cloned()
    }

    /// Every pending intent, oldest first.
    #[must_use]
    pub fn pending(&self) -> Vec<Intent> {
        self.intents
            .iter()
            .filter(|i| i.failed.is_none())
            .cloned()
            .collect()
    }

    /// Intents kept for review.
    #[must_use]
    pub fn failed(&self) -> Vec<Intent> {
        self.intents
            .iter()
            .filter(|i| i.failed.is_some())
            .cloned()
            .collect()
    }

    /// Removes an applied intent.
    ///
    /// # Errors
    /// Writing the file failed (the intent will be applied again, harmlessly: ticks set, not flip).
    pub fn remove(&mut self, id: u64) -> io::Result<()> {
        self.intents.retain(|i| i.id != id);
        self.persist()
    }

    /// Keeps an intent for review with the reason it failed.
    ///
    /// # Errors
    /// Writing the file failed.
    pub fn mark_failed(&mut self, id: u64, reason: &str) -> io::Result<()> {
        if let Some(i) = self.intents.iter_mut().find(|i| i.id == id) {
            i.failed = Some(reason.to_string());
        }
        self.persist()
    }

    /// Writes to a private temp file, syncs it, renames it over the outbox and syncs the
    /// directory ([`crate::files::write_atomic`]).
    fn persist(&self) -> io::Result<()> {
        let data = serde_json::to_vec_pretty(&OutboxFile {
            version: 1,
            intents: self.intents.clone(),
        })
        .map_err(io::Error::other)?;
        crate::files::write_atomic(&self.path, &data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut o = Outbox::open(&path).unwrap();
        let a = o.push("acme/x", 1, key("a"), true, 1, now).unwrap();
        let b = o.push("acme/x", 1, key("b"), false, 1, now).unwrap();
        o.mark_failed(a.id, "gone").unwrap();
        drop(o);
        let mut o = Outbox::open(&path).unwrap();
        assert_eq!(o.next_pending().unwrap().id, b.id);
        assert_eq!(o.failed()[0].failed.as_deref(), Some("gone"));
        o.remove(b.id).unwrap();
        assert!(Outbox::open(&path).unwrap().next_pending().is_none());
    }

    #[test]
    fn an_unreadable_outbox_is_moved_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.json");
        fs::write(&path, b"{not json").unwrap();
        let err = Outbox::open(&path).unwrap_err();
        assert!(err.to_string().contains("was unreadable"), "{err}");
        let kept: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(kept.len(), 1, "the bad file is kept under another name");
    }
}
