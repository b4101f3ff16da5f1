//! The runs pane: each watched workflow's runs on the release ref, newest first, or (compact)
//! the latest run with one line per job and its current step.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use super::format::{ago, clock_duration, run_state, took};
use super::theme::theme;
use crate::app::AppState;
use crate::app::runs::rows;
use crate::release::git_ref::{RefNameError, bad_ref_reason};
use crate::release::snapshot::Missing;
use crate::release::{Release, RunStatus};

/// "not found: e2e.yml in acme/payments, …": watched workflows a repository lacks (a workflow
/// watched in every repository has no row where it does not exist).
fn not_found(release: &Release) -> Option<String> {
    let list: Vec<String> = release
        .missing_workflows
        .iter()
        .filter(|m| matches!(m.why, Missing::NotFound { .. }))
        .map(|m| format!("{} in {}", m.file, m.repo))
        .collect();
    (!list.is_empty()).then(|| format!("not found: {}", list.join(", ")))
}

/// Instead of runs: the release ref cannot exist, why, where it comes from, and the fix.
fn render_bad_ref(
    state: &AppState,
    release: &Release,
    error: RefNameError,
    frame: &mut Frame,
    area: Rect,
) {
    let lines = vec![
        Line::styled(
            format!("⚠ {}", bad_ref_reason(&release.release_ref, error)),
            theme().bad,
        ),
        Line::raw(""),
        Line::raw(format!(
            "No runs are fetched: no branch or tag can have this name. It is [release] ref = \
             \"{}\" with the milestone \"{}\". Set ref to the branch or tag the release's runs \
             happen on, or rename the milestone to a title that fits in a ref name.",
            state.session.ref_pattern, release.title
        )),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// Draws the runs table.
pub fn render(state: &AppState, release: &Release, frame: &mut Frame, area: Rect, focused: bool) {
    if let Some(error) = release.bad_ref {
        render_bad_ref(state, release, error, frame, area);
        return;
    }
    let not_found = not_found(release);
    if release.workflows.is_empty() {
        let text = match not_found {
            Some(list) => format!(
                "None of the watched workflows exists here; {list}. Check the file names \
                 under [[workflows]] in the config."
            ),
            None => "No watched workflows found: configure [[workflows]] in the config.".into(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme().dim)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let area = match not_found {
        Some(list) if area.height > 2 => {
            let [table, note] = area.layout(&Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(1),
            ]));
            frame.render_widget(Paragraph::new(list).style(theme().dim), note);
            table
        }
        _ => area,
    };
    let multi_repo = release.repos.len() > 1;
    let width = area.width;
    let show_commit = width >= 64;
    let show_title = width >= 78;
    let show_actor = width >= 100;
    let shown = rows(state);
    if shown.is_empty() && state.filters.runs.is_active() {
        frame.render_widget(
            Paragraph::new("no run matches the filter").style(theme().dim),
            area,
        );
        return;
    }
    let row_count = shown.len();
    let mut table_rows = Vec::new();
    let mut last_wf = None;
    for row in shown {
        let w = &release.workflows[row.wf];
        let first_of_group = last_wf != Some(row.wf);
        last_wf = Some(row.wf);
        let file = w.file.trim_end_matches(".yml").trim_end_matches(".yaml");
        let workflow = match (first_of_group, multi_repo) {
            (false, _) => String::new(),
            (true, true) => format!("{}/{file}", w.repo.rsplit('/').next().unwrap_or(&w.repo)),
            (true, false) => file.to_string(),
        };
        let Some(run) = row.run.and_then(|i| w.runs.get(i)) else {
            table_rows.push(Row::new(vec![
                Cell::from(Span::styled("– no run", theme().dim)),
                Cell::from(workflow),
            ]));
            continue;
        };
        if let Some(job) = row.job.and_then(|j| state.runs.jobs.get(&run.id)?.get(j)) {
            let (glyph, word, style) = run_state(job.status, job.conclusion);
            let step = job
                .steps
                .iter()
                .find(|s| s.status.is_active())
                .or_else(|| {
                    job.steps
                        .iter()
                        .rev()
                        .find(|s| s.conclusion.is_some_and(crate::release::Conclusion::is_bad))
                })
                .or(job.steps.last())
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let job_took = took(job.started_at, job.completed_at, state.now);
            // Same columns as a run row: the step goes where the title is (or, narrow, where
            // "Started" is).
            let mut cells = vec![
                Cell::from(Span::styled(format!(" {glyph} {word}"), style)),
                Cell::from(format!(" └ {}", job.name)),
                Cell::from(""),
            ];
            if show_commit {
                cells.push(Cell::from(""));
            }
            if show_actor {
                cells.extend([Cell::from(""), Cell::from("")]);
            }
            if show_title {
                cells.extend([
                    Cell::from(""),
                    Cell::from(job_took),
                    Cell::from(Span::styled(format!("step: {step}"), theme().dim)),
                ]);
            } else {
                cells.extend([
                    Cell::from(Span::styled(step, theme().dim)),
                    Cell::from(job_took),
                ]);
            }
            table_rows.push(Row::new(cells));
            continue;
        }
        let (glyph, word, style) = run_state(run.status, run.conclusion);
        let status = if run.status == RunStatus::Waiting && !run.waiting_for.is_empty() {
            format!("{glyph} waiting: {}", run.waiting_for.join(","))
        } else {
            format!("{glyph} {word}")
        };
        let mut cells = vec![
            Cell::from(Span::styled(status, style)),
            Cell::from(workflow),
            Cell::from(format!("#{}", run.run_number)),
        ];
        if show_commit {
            cells.push(Cell::from(Span::styled(
                run.short_sha().to_string(),
                theme().dim,
            )));
        }
        if show_actor {
            cells.push(Cell::from(run.actor.clone().unwrap_or_default()));
            cells.push(Cell::from(Span::styled(run.event.clone(), theme().dim)));
        }
        cells.push(Cell::from(ago(
            run.run_started_at.unwrap_or(run.created_at),
            state.now,
        )));
        cells.push(Cell::from(clock_duration(run.duration(state.now))));
        if show_title {
            let mut title = run.display_title.clone();
            if run.run_attempt > 1 {
                title = format!("{title} (attempt {})", run.run_attempt);
            }
            if state.runs.best_guess.contains(&run.id) {
                title = format!("{title} · best guess");
            }
            cells.push(Cell::from(title));
        }
        table_rows.push(Row::new(cells));
    }
    let mut widths = vec![
        Constraint::Length(
            if release
                .workflows
                .iter()
                .any(|w| w.runs.iter().any(|r| !r.waiting_for.is_empty()))
            {
                22
            } else {
                11
            },
        ),
        Constraint::Length(if multi_repo { 19 } else { 10 }),
        Constraint::Length(6),
    ];
    let mut header = vec!["Status", "Workflow", "Run"];
    if show_commit {
        widths.push(Constraint::Length(7));
        header.push("Commit");
    }
    if show_actor {
        widths.extend([Constraint::Length(8), Constraint::Length(17)]);
        header.extend(["Actor", "Event"]);
    }
    widths.extend([Constraint::Length(8), Constraint::Length(7)]);
    header.extend(["Started", "Took"]);
    if show_title {
        widths.push(Constraint::Fill(1));
        header.push("Title");
    }
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme().dim))
        .row_highlight_style(theme().selected);
    let mut ts = TableState::default().with_selected(focused.then_some(state.runs.cursor.selected));
    frame.render_stateful_widget(table, area, &mut ts);
    super::hits::rows(area, 1, ts.offset(), row_count, |index| {
        crate::app::mouse::Target::Row {
            pane: crate::app::Pane::Runs,
            column: 0,
            index,
        }
    });
}
