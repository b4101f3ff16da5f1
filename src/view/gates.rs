//! The go / no-go gates before the deploy phase, each with ✓/✗ and why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::format::truncate;
use super::theme::theme;
use crate::app::AppState;

/// Draws the gate list.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    let w = area.width as usize;
    let Some(report) = &state.verdict else {
        return;
    };
    if report.gates.is_empty() {
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Line::from(Span::styled(
                format!("no gates before {}: go", report.phase),
                theme().dim,
            ))),
            area,
        );
        return;
    }
    let items: Vec<ListItem> = report
        .gates
        .iter()
        .map(|g| {
            let (mark, style) = if g.passed {
                ("✓ ", theme().ok)
            } else {
                ("✗ ", theme().bad)
            };
            ListItem::new(vec![
                Line::from(vec![
                    Span::styled(mark, style),
                    Span::raw(truncate(&g.name, w.saturating_sub(2))),
                ]),
                Line::from(Span::styled(
                    format!("  {}", truncate(&g.reason, w.saturating_sub(2))),
                    theme().dim,
                )),
            ])
        })
        .collect();
    let mut ls = ListState::default().with_selected(focused.then_some(state.gates.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme().selected),
        area,
        &mut ls,
    );
}
