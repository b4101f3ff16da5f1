//! The notes pane: the loaded release's notes (the same grouping as `shipdeck notes`), `w`
//! to write them as Markdown, `P` to create or update a draft GitHub Release per repository.

use std::path::PathBuf;

use super::effect::Effect;
use super::runs::refuse_if_read_only;
use super::state::{AppState, Level, Pane};
use super::write::{Confirm, WriteRequest};
use crate::release::notes::publish::{RepoRelease, draft_calls};
use crate::release::notes::{self, Entry, Notes, NotesRules, render};

/// What the notes pane needs from the config: the grouping, the draft release's tag pattern
/// (`{milestone}` replaced) and the directory `w` writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesSettings {
    pub rules: NotesRules,
    pub tag_pattern: String,
    pub dir: PathBuf,
}

impl Default for NotesSettings {
    fn default() -> Self {
        Self {
            rules: NotesRules::default(),
            tag_pattern: "{milestone}".into(),
            dir: PathBuf::from("."),
        }
    }
}

/// One row of the pane: a section's title, or an entry under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    Section { title: &'a str, entries: usize },
    Entry(&'a Entry),
}

/// The notes of the loaded release, grouped as the CLI groups them; `None` before it loads.
#[must_use]
pub fn current(state: &AppState) -> Option<Notes> {
    state
        .snapshot
        .as_ref()
        .map(|s| notes::from_snapshot(s, &state.rules, &state.session.notes.rules))
}

/// The pane's rows: each section's title, then its entries.
#[must_use]
pub fn rows(notes: &Notes) -> Vec<Row<'_>> {
    notes
        .sections
        .iter()
        .flat_map(|s| {
            std::iter::once(Row::Section {
                title: &s.title,
                entries: s.entries.len(),
            })
            .chain(s.entries.iter().map(Row::Entry))
        })
        .collect()
}

/// How many entries the notes have.
#[must_use]
pub fn entry_count(notes: &Notes) -> usize {
    notes.sections.iter().map(|s| s.entries.len()).sum()
}

/// `notes-<milestone>.md`, the milestone made a safe file name (anything but letters, digits,
/// `.`, `-` and `_` becomes `_`).
#[must_use]
pub fn file_name(milestone: &str) -> String {
    let safe: String = milestone
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("notes-{safe}.md")
}

/// The draft release's tag for `milestone`.
#[must_use]
pub fn tag(state: &AppState, milestone: &str) -> String {
    crate::release::git_ref::release_ref(&state.session.notes.tag_pattern, milestone)
}

/// Whether the notes pane has the keys.
#[must_use]
pub fn focused(state: &AppState) -> bool {
    state.focus == Pane::Notes
}

/// `w`: write the notes as Markdown to `notes-<milestone>.md` in the notes directory.
pub fn write_file(state: &mut AppState) -> Vec<Effect> {
    let Some(notes) = current(state) else {
        state.record(Level::Warn, "the release is not loaded yet");
        return Vec::new();
    };
    let path = state.session.notes.dir.join(file_name(&notes.milestone));
    vec![Effect::WriteNotes {
        path,
        markdown: render::markdown(&notes),
    }]
}

/// The notes file was written, or not.
pub fn written(state: &mut AppState, path: &std::path::Path, result: Result<(), String>) {
    match result {
        Ok(()) => state.record(
            Level::Info,
            format!("wrote the release notes to {}", path.display()),
        ),
        Err(e) => state.record(
            Level::Error,
            format!(
                "could not write the release notes to {}: {e}",
                path.display()
            ),
        ),
    }
}

/// GitHub's generated notes, shown beside shipdeck's (`n`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Generated {
    #[default]
    Hidden,
    Loading,
    /// Per repository: its name and GitHub's Markdown.
    Shown(Vec<(String, String)>),
    Failed(String),
}

/// `n`: show GitHub's generated notes beside shipdeck's, or hide them.
pub fn toggle_generated(state: &mut AppState) -> Vec<Effect> {
    if !matches!(state.generated_notes, Generated::Hidden) {
        state.generated_notes = Generated::Hidden;
        return Vec::new();
    }
    let Some(snapshot) = &state.snapshot else {
        state.record(Level::Warn, "the release is not loaded yet");
        return Vec::new();
    };
    let repos: Vec<String> = snapshot.repos.iter().map(|r| r.repo.clone()).collect();
    let tag = tag(state, &snapshot.milestone);
    state.generated_notes = Generated::Loading;
    vec![Effect::LoadGeneratedNotes { repos, tag }]
}

/// GitHub's notes came back (ignored if hidden meanwhile).
pub fn generated_loaded(state: &mut AppState, result: Result<Vec<(String, String)>, String>) {
    if state.generated_notes != Generated::Loading {
        return;
    }
    state.generated_notes = match result {
        Ok(notes) => Generated::Shown(notes),
        Err(e) => {
            state.record(Level::Warn, format!("GitHub's generated notes: {e}"));
            Generated::Failed(e)
        }
    };
}

/// `P`: read every repository's releases, then ask to create or update the drafts.
pub fn publish(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(snapshot) = &state.snapshot else {
        state.record(Level::Warn, "the release is not loaded yet");
        return Vec::new();
    };
    let repos: Vec<String> = snapshot.repos.iter().map(|r| r.repo.clone()).collect();
    state.record(Level::Info, "reading the repositories' releases…");
    vec![Effect::LoadReleases { repos }]
}

/// The releases came back: open the confirm dialog with the exact draft calls.
pub fn releases_loaded(
    state: &mut AppState,
    result: Result<Vec<(String, Vec<RepoRelease>)>, String>,
) {
    if refuse_if_read_only(state) {
        return;
    }
    let existing = match result {
        Ok(existing) => existing,
        Err(e) => {
            state.record(
                Level::Error,
                format!("could not read the releases; nothing was sent: {e}"),
            );
            return;
        }
    };
    let Some(notes) = current(state) else {
        return;
    };
    let tag = tag(state, &notes.milestone);
    let (calls, skipped) = draft_calls(&notes, &tag, &existing);
    if calls.is_empty() {
        let mut text = "no draft release to create or update".to_string();
        for why in &skipped {
            text.push_str("; ");
            text.push_str(why);
        }
        state.record(Level::Warn, text);
        return;
    }
    let repos: Vec<String> = existing.into_iter().map(|(r, _)| r).collect();
    let mut context = format!(
        "Draft release {tag} (never published) in {}:",
        repos.join(", ")
    );
    for why in &skipped {
        context.push('\n');
        context.push_str(why);
    }
    state.overlays.ask(Confirm::new(
        "Publish draft release",
        &context,
        WriteRequest::PublishDrafts { tag, calls },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_milestone_becomes_a_safe_file_name() {
        assert_eq!(file_name("v2.4.0"), "notes-v2.4.0.md");
        assert_eq!(file_name("../etc/passwd"), "notes-.._etc_passwd.md");
        assert_eq!(file_name("Q3 release: café"), "notes-Q3_release__caf_.md");
    }
}
