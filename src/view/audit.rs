//! The audit pane: every write call made to GitHub this session, with its result.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::theme::THEME;
use crate::app::AppState;

/// Draws the audit table.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    if state.audit.is_empty() {
        let text = if state.read_only {
            "Read-only: nothing will be written."
        } else {
            "No write calls yet. Every write (ticks, dispatches, re-runs, cancels, reviews, locks) is listed here and appended to audit.jsonl."
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(THEME.dim)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let rows = state.audit.iter().map(|r| {
        let ok = r.status.is_some_and(|s| (200..300).contains(&s));
        Row::new(vec![
            Cell::from(Span::styled(r.at.format("%H:%M:%S").to_string(), THEME.dim)),
            Cell::from(r.method.clone()),
            Cell::from(Span::styled(
                r.status.map_or_else(|| "—".to_string(), |s| s.to_string()),
                if ok { THEME.ok } else { THEME.bad },
            )),
            Cell::from(r.path.clone()),
            Cell::from(Span::styled(
                r.outcome.clone(),
                if ok { THEME.dim } else { THEME.bad },
            )),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(8),
            Constraint::Length(6),
            Constraint::Length(3),
            Constraint::Fill(2),
            Constraint::Fill(1),
        ],
    )
    .header(Row::new(["Time", "Method", "St", "Path", "Result"]).style(THEME.dim))
    .row_highlight_style(THEME.selected);
    let selected = if focused {
        Some(state.audit_cursor.selected)
    } else {
        Some(state.audit.len() - 1)
    };
    let mut ts = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut ts);
}
