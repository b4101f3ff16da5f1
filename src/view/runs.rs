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
    let wide = area.width >= 80;
    let rows = release.workflows.iter().map(|w| {
        let repo_name = w.repo.rsplit('/').next().unwrap_or(&w.repo).to_string();
        let workflow = if multi_repo {
            format!("{repo_name}/{}", w.file.trim_end_matches(".yml").trim_end_matches(".yaml"))
        } else {
            w.file.clone()
        };
        match w.runs.first() {
            None => Row::new(vec![
                Cell::from(Span::styled("– no run", THEME.dim)),
                Cell::from(workflow),
                Cell::from(""),
                Cell::from(Span::styled(format!("none on {}", release.release_ref), THEME.dim)),
            ]),
            Some(run) => {
                let (glyph, word, style) = run_state(run.status, run.conclusion);
                let mut cells = vec![
                    Cell::from(Span::styled(format!("{glyph} {word}"), style)),
                    Cell::from(workflow),
                    Cell::from(format!("#{}", run.run_number)),
                    Cell::from(run.display_title.clone()),
                    Cell::from(Span::styled(run.short_sha().to_string(), THEME.dim)),
                ];
                if wide {
                    cells.push(Cell::from(run.actor.clone().unwrap_or_default()));
                    cells.push(Cell::from(Span::styled(run.event.clone(), THEME.dim)));
                }
                cells.push(Cell::from(ago(run.run_started_at.unwrap_or(run.created_at), state.now)));
                cells.push(Cell::from(clock_duration(run.duration(state.now))));
                Row::new(cells)
            }
        }
    });
    let mut widths = vec![
        Constraint::Length(11),
        Constraint::Length(if multi_repo { 18 } else { 12 }),
        Constraint::Length(5),
        Constraint::Min(12),
        Constraint::Length(7),
    ];
    let mut header = vec!["Status", "Workflow", "Run", "Title", "Commit"];
    if wide {
        widths.extend([Constraint::Length(8), Constraint::Length(9)]);
        header.extend(["Actor", "Event"]);
    }
    widths.extend([Constraint::Length(8), Constraint::Length(8)]);
    header.extend(["Started", "Took"]);
    let table = Table::new(rows, widths)
        .header(ratatui::widgets::Row::new(header).style(THEME.dim))
        .row_highlight_style(THEME.selected);
    let mut ts = TableState::default().with_selected(focused.then_some(state.runs.selected));
    frame.render_stateful_widget(table, area, &mut ts);
}
