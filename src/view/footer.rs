//! The footer (key hints from the keymap, then the latest status message) and the outage banner.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::short_duration;
use super::theme::THEME;
use crate::app::AppState;
use crate::app::keymap::Keymap;
use crate::app::state::Level;

/// Draws the hint line.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if state.read_only {
        spans.push(Span::styled(" READ-ONLY ", THEME.no_go));
        spans.push(Span::raw(" "));
    }
    for b in state.keymap.hints(state.key_focus()) {
        spans.push(Span::styled(Keymap::keys_label(b).replace("/ctrl-c", ""), THEME.key));
        spans.push(Span::raw(format!(" {}  ", b.description)));
    }
    if let Some(status) = &state.status {
        let style = match status.level {
            Level::Info => THEME.dim,
            Level::Warn => THEME.warn,
            Level::Error => THEME.bad,
        };
        spans.push(Span::styled("│ ", THEME.dim));
        spans.push(Span::styled(status.text.clone(), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The red banner shown while GitHub cannot be reached; the last good data stays on screen.
pub fn render_banner(state: &AppState, frame: &mut Frame, area: Rect) {
    let Some(err) = &state.sync.last_error else {
        return;
    };
    let age = state
        .data_age()
        .map_or_else(|| "no data yet".to_string(), |d| format!("showing data from {} ago", short_duration(d)));
    let retry = short_duration(state.sync.next_due - state.now);
    frame.render_widget(
        Paragraph::new(format!(" ⚠ {err} — {age}; retrying in {retry} (r to retry now)"))
            .style(THEME.banner),
        area,
    );
}
