//! The rows each list pane shows (board cards, checklist items, risks, runs) under its `/`
//! filter, and the filter's one-line input. A pane's cursor is a position among these visible
//! rows, so every action on "the selected row" goes through here and never reaches a row the
//! filter hides.

use std::collections::HashMap;

use super::effect::Effect;
use super::filter::{Filter, Subject};
use super::keymap::Key;
use super::runs::RunRow;
use super::state::{AppState, Level, Pane};
use crate::release::snapshot::WorkflowRuns;
use crate::release::{Issue, State};
use crossterm::event::{KeyCode, KeyModifiers};

/// One pane's filter: the query as typed, and whether keys go to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneFilter {
    pub query: String,
    /// The input line has the keys (between `/` and Enter or Esc).
    pub editing: bool,
}

impl PaneFilter {
    /// Whether the pane shows only some rows (a query with at least one term).
    #[must_use]
    pub fn is_active(&self) -> bool {
        !self.parsed().is_empty()
    }

    /// The query, parsed.
    #[must_use]
    pub fn parsed(&self) -> Filter {
        Filter::parse(&self.query)
    }
}

/// The filters of the four list panes; each pane keeps its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub board: PaneFilter,
    pub checklist: PaneFilter,
    pub risks: PaneFilter,
    pub runs: PaneFilter,
}

impl Filters {
    /// The filter of `pane`, if it is a list pane.
    #[must_use]
    pub fn get(&self, pane: Pane) -> Option<&PaneFilter> {
        match pane {
            Pane::Board => Some(&self.board),
            Pane::Checklist => Some(&self.checklist),
            Pane::Risks => Some(&self.risks),
            Pane::Runs => Some(&self.runs),
            _ => None,
        }
    }

    fn get_mut(&mut self, pane: Pane) -> Option<&mut PaneFilter> {
        match pane {
            Pane::Board => Some(&mut self.board),
            Pane::Checklist => Some(&mut self.checklist),
            Pane::Risks => Some(&mut self.risks),
            Pane::Runs => Some(&mut self.runs),
            _ => None,
        }
    }
}

/// Issues of the release by (repo, number): a card's or a risk's labels and people.
fn issues(state: &AppState) -> HashMap<(&str, u64), &Issue> {
    state
        .snapshot
        .iter()
        .flat_map(|s| s.repos.iter())
        .flat_map(|r| r.issues.iter())
        .map(|i| ((i.repo.as_str(), i.number), i))
        .collect()
}

fn issue_subject<'a>(
    title: &'a str,
    repo: &'a str,
    number: u64,
    state: State,
    issue: Option<&'a Issue>,
    also: &[&'a str],
) -> Subject<'a> {
    let mut people: Vec<&str> = also.to_vec();
    if let Some(i) = issue {
        people.extend(i.assignees.iter().map(String::as_str));
        people.extend(i.author.as_deref());
    }
    Subject {
        title,
        repo,
        number: Some(number),
        labels: issue.map_or(&[], |i| i.labels.as_slice()),
        people,
        open: Some(state == State::Open),
        text: Vec::new(),
    }
}

/// The board cards shown in `column`: indices into its cards.
#[must_use]
pub fn board_cards(state: &AppState, column: usize) -> Vec<usize> {
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let board = release.board();
    let Some(col) = board.get(column) else {
        return Vec::new();
    };
    let filter = state.filters.board.parsed();
    if filter.is_empty() {
        return (0..col.cards.len()).collect();
    }
    let by_key = issues(state);
    col.cards
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let issue = by_key.get(&(c.repo.as_str(), c.number)).copied();
            let also: Vec<&str> = c.assignee.as_deref().into_iter().collect();
            filter.matches(&issue_subject(
                &c.title, &c.repo, c.number, c.state, issue, &also,
            ))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The checklist items shown: indices into the release's checklist. A sub-issue item is
/// matched as that issue (labels, people, open or closed); a task-list item is open while
/// unticked.
#[must_use]
pub fn checklist_rows(state: &AppState) -> Vec<usize> {
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let filter = state.filters.checklist.parsed();
    if filter.is_empty() {
        return (0..release.checklist.len()).collect();
    }
    let tracking = release.tracking.as_ref();
    release
        .checklist
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let sub = item
                .sub_issue
                .as_ref()
                .and_then(|r| tracking.and_then(|t| t.sub_issue(r)));
            let mut subject = match sub {
                Some(i) => issue_subject(&item.text, &i.repo, i.number, i.state, Some(i), &[]),
                None => Subject {
                    title: &item.text,
                    repo: tracking.map_or("", |t| t.repo.as_str()),
                    open: Some(!item.checked),
                    ..Subject::default()
                },
            };
            subject.text.extend(item.heading.as_deref());
            subject.text.push(item.section.title());
            filter.matches(&subject)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The risk under the Risks pane's cursor (among the rows its filter keeps).
#[must_use]
pub fn selected_risk(state: &AppState) -> Option<&crate::release::risk::Risk> {
    let release = state.release.as_ref()?;
    risk_rows(state)
        .get(state.risks.selected)
        .and_then(|&i| release.risks.get(i))
}

/// The risks shown: indices into the release's register.
#[must_use]
pub fn risk_rows(state: &AppState) -> Vec<usize> {
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let filter = state.filters.risks.parsed();
    if filter.is_empty() {
        return (0..release.risks.len()).collect();
    }
    let by_key = issues(state);
    release
        .risks
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let issue = by_key.get(&(r.repo.as_str(), r.number)).copied();
            let also: Vec<&str> = r.owner.as_deref().into_iter().collect();
            let mut subject = issue_subject(&r.title, &r.repo, r.number, r.state, issue, &also);
            subject.text.extend(r.mitigation.as_deref());
            filter.matches(&subject)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a runs-pane row passes `filter`: a run by its workflow, title, branch, actor,
/// event and status (open while it is going); a job row with its run, or by its own name; a
/// workflow without runs by its name and file.
#[must_use]
pub fn run_row_matches(state: &AppState, filter: &Filter, w: &WorkflowRuns, row: RunRow) -> bool {
    let mut subject = Subject {
        title: &w.name,
        repo: &w.repo,
        text: vec![&w.file],
        ..Subject::default()
    };
    if let Some(run) = row.run.and_then(|i| w.runs.get(i)) {
        subject.title = &run.display_title;
        subject.number = Some(run.run_number);
        subject.people.extend(run.actor.as_deref());
        subject.open = Some(run.status.is_active());
        subject
            .text
            .extend([w.name.as_str(), run.event.as_str(), run.status.as_str()]);
        subject.text.extend(run.name.as_deref());
        subject.text.extend(run.head_branch.as_deref());
        subject.text.extend(run.conclusion.map(|c| c.as_str()));
        if let Some(job) = row.job.and_then(|j| state.runs.jobs.get(&run.id)?.get(j)) {
            subject.text.push(&job.name);
        }
    }
    filter.matches(&subject)
}

/// Rows shown and rows in all, for the pane's title while a filter is active.
#[must_use]
pub fn counts(state: &AppState, pane: Pane) -> Option<(usize, usize)> {
    if !state.filters.get(pane)?.is_active() {
        return None;
    }
    let release = state.release.as_ref()?;
    Some(match pane {
        Pane::Board => {
            let board = release.board();
            (
                (0..board.len()).map(|c| board_cards(state, c).len()).sum(),
                board.iter().map(|c| c.cards.len()).sum(),
            )
        }
        Pane::Checklist => (checklist_rows(state).len(), release.checklist.len()),
        Pane::Risks => (risk_rows(state).len(), release.risks.len()),
        Pane::Runs => (
            super::runs::rows(state).len(),
            super::runs::all_rows(state).len(),
        ),
        _ => return None,
    })
}

/// `/`: opens the focused list pane's filter input (keeping its query, to refine it).
pub(super) fn start(state: &mut AppState) {
    let focus = state.focus;
    if state.overlays.top().is_some() {
        return;
    }
    match state.filters.get_mut(focus) {
        Some(f) => f.editing = true,
        None => state.record(
            Level::Info,
            "/ filters the board, checklist, risks and runs panes",
        ),
    }
}

/// Whether the focused pane's filter input has the keys.
#[must_use]
pub fn editing(state: &AppState) -> bool {
    state.filters.get(state.focus).is_some_and(|f| f.editing)
}

/// Esc on a pane with a filter: clears it. `false` when there was none to clear.
pub(super) fn clear(state: &mut AppState) -> bool {
    let focus = state.focus;
    let Some(f) = state.filters.get_mut(focus) else {
        return false;
    };
    if f.query.is_empty() && !f.editing {
        return false;
    }
    *f = PaneFilter::default();
    reset_cursor(state, focus);
    true
}

/// A key while the input has it: printable characters edit the query (rows narrow at once),
/// Enter keeps the filter and gives the keys back to the pane, Esc clears it, ↑/↓ move.
pub(super) fn key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let focus = state.focus;
    state.dirty = true;
    let Some(f) = state.filters.get_mut(focus) else {
        return Vec::new();
    };
    let plain = !key
        .mods
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Enter => f.editing = false,
        KeyCode::Esc => {
            clear(state);
        }
        KeyCode::Backspace => {
            f.query.pop();
            reset_cursor(state, focus);
        }
        KeyCode::Char('u') if key.mods == KeyModifiers::CONTROL => {
            f.query.clear();
            reset_cursor(state, focus);
        }
        KeyCode::Char(c) if plain => {
            f.query.push(c);
            reset_cursor(state, focus);
        }
        KeyCode::Up => super::input::move_cursor(state, -1),
        KeyCode::Down => super::input::move_cursor(state, 1),
        _ => {}
    }
    Vec::new()
}

/// `:repo name`: every list pane's filter keeps its other terms and shows only `repo`
/// (`None`: drops the `repo:` terms, so every repository shows again).
pub fn scope_to_repo(state: &mut AppState, repo: Option<&str>) {
    for pane in [Pane::Board, Pane::Checklist, Pane::Risks, Pane::Runs] {
        let Some(f) = state.filters.get_mut(pane) else {
            continue;
        };
        let mut words: Vec<String> = f
            .query
            .split_whitespace()
            .filter(|w| !w.to_lowercase().starts_with("repo:"))
            .map(str::to_string)
            .collect();
        if let Some(r) = repo {
            words.push(format!("repo:{r}"));
        }
        f.query = words.join(" ");
        f.editing = false;
        reset_cursor(state, pane);
    }
}

/// The query changed: the first visible row is selected.
fn reset_cursor(state: &mut AppState, pane: Pane) {
    match pane {
        Pane::Board => state.board.card = 0,
        Pane::Checklist => state.checklist.cursor.selected = 0,
        Pane::Risks => state.risks.selected = 0,
        Pane::Runs => state.runs.cursor.selected = 0,
        _ => {}
    }
}

/// After new data: each list pane's cursor stays within its visible rows.
pub(super) fn clamp_cursors(state: &mut AppState) {
    let checklist = checklist_rows(state).len();
    state.checklist.cursor.clamp(checklist);
    let risks = risk_rows(state).len();
    state.risks.clamp(risks);
    let runs = super::runs::rows(state).len();
    state.runs.cursor.clamp(runs);
    let cards = board_cards(state, state.board.column).len();
    state.board.card = state.board.card.min(cards.saturating_sub(1));
}
