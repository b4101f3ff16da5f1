//! The activity log: refreshes, errors, finished runs; newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::theme::theme;
use crate::app::AppState;
use crate::app::state::Level;

/// Draws the log, following the newest entry unless the user scrolled.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    let items: Vec<ListItem> = state
        .activity
        .log
        .iter()
        .map(|e| {
            let style = match e.level {
                Level::Info => ratatui::style::Style::new(),
                Level::Warn => theme().warn,
                Level::Error => theme().bad,
            };
            ListItem::new(Line::from(vec![
                Span::styled(e.at.format("%H:%M:%S ").to_string(), theme().dim),
                Span::styled(e.text.clone(), style),
            ]))
        })
        .collect();
    let selected = if focused {
        Some(state.activity.cursor.selected)
    } else {
        state.activity.log.len().checked_sub(1)
    };
    let mut ls = ListState::default().with_selected(selected);
    let list = if focused {
        List::new(items).highlight_style(theme().selected)
    } else {
        List::new(items)
    };
    frame.render_stateful_widget(list, area, &mut ls);
}
