//! The runs pane: each watched workflow's latest run on the release ref.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::format::{ago, clock_duration, run_state};
use super::theme::THEME;
use crate::app::AppState;
use crate::release::Release;

/// Draws the runs table.
pub fn render(state: &AppState, release: &Release, frame: &mut Frame, area: Rect, focused: bool) {
    if release.workflows.is_empty() {
        frame.render_widget(
            Paragraph::new("No watched workflows found: configure [[workflows]] in the config.")
                .style(THEME.dim),
            area,
        );
        return;
    }
    let multi_repo = release.repos.len() > 1;
    let width = area.width;
    let show_commit = width >= 64;
    let show_title = width >= 78;
    let show_actor = width >= 100;
    let rows = release.workflows.iter().map(|w| {
        let repo_name = w.repo.rsplit('/').next().unwrap_or(&w.repo).to_string();
        let file = w.file.trim_end_matches(".yml").trim_end_matches(".yaml");
        let workflow = if multi_repo {
            format!("{repo_name}/{file}")
        } else {
            file.to_string()
        };
        let Some(run) = w.runs.first() else {
            return Row::new(vec![
                Cell::from(Span::styled("– no run", THEME.dim)),
                Cell::from(workflow),
            ]);
        };
        let (glyph, word, style) = run_state(run.status, run.conclusion);
        let mut cells = vec![
            Cell::from(Span::styled(format!("{glyph} {word}"), style)),
            Cell::from(workflow),
            Cell::from(format!("#{}", run.run_number)),
        ];
        if show_commit {
            cells.push(Cell::from(Span::styled(
                run.short_sha().to_string(),
                THEME.dim,
            )));
        }
        if show_actor {
            cells.push(Cell::from(run.actor.clone().unwrap_or_default()));
            cells.push(Cell::from(Span::styled(run.event.clone(), THEME.dim)));
        }
        cells.push(Cell::from(ago(
            run.run_started_at.unwrap_or(run.created_at),
            state.now,
        )));
        cells.push(Cell::from(clock_duration(run.duration(state.now))));
        if show_title {
            cells.push(Cell::from(run.display_title.clone()));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(10),
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
    let table = Table::new(rows, widths)
        .header(ratatui::widgets::Row::new(header).style(THEME.dim))
        .row_highlight_style(THEME.selected);
    let mut ts = TableState::default().with_selected(focused.then_some(state.runs.selected));
    frame.render_stateful_widget(table, area, &mut ts);
}
