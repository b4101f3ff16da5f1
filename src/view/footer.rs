//! The footer (key hints from the keymap, then the latest status message) and the outage banner.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{short_duration, trailing_url, truncate_keeping_url};
use super::theme::theme;
use crate::app::AppState;
use crate::app::overlay::in_popup;
use crate::app::state::Level;

/// Draws the hint line: key hints on the left, the latest status message on the right.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if state.session.read_only {
        let text = if state.focus == crate::app::Pane::Checklist {
            " READ-ONLY: ticking disabled "
        } else {
            " READ-ONLY "
        };
        spans.push(Span::styled(text, theme().no_go));
        spans.push(Span::raw(" "));
    }
    // A dialog that takes text (dispatch form, confirm) shows its own keys.
    let hints = state
        .key_focus()
        .map(|focus| state.session.keymap.hints(focus))
        .unwrap_or_default();
    for b in hints {
        if state.session.read_only && b.command.is_write() {
            continue;
        }
        // In a popup, `q` closes it.
        let description = if !state.overlays.is_empty() && in_popup(b.command) != b.command {
            "close"
        } else {
            b.description.as_str()
        };
        if let Some(key) = b.keys.first() {
            spans.push(Span::styled(key.to_string(), theme().key));
            spans.push(Span::styled(format!(" {description}  "), theme().dim));
        }
    }
    // The first hint (`?` help) stays when a status with a URL needs the line.
    let first_hint = spans.iter().take(2).map(Span::width).sum::<usize>();
    let hints = Line::from(spans);
    // The status message takes up to half the line, or all but the first hint when it ends
    // with a URL (which is no use cut); hints fill the rest.
    let status_width = state.status.as_ref().map_or(0, |s| {
        let most = if trailing_url(&s.text).is_some() {
            area.width
                .saturating_sub(u16::try_from(first_hint).unwrap_or(u16::MAX))
        } else {
            area.width / 2
        };
        u16::try_from(s.text.chars().count() + 2)
            .unwrap_or(u16::MAX)
            .min(most)
    });
    let hints_width = u16::try_from(hints.width())
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(status_width));
    let [left, right] =
        Layout::horizontal([Constraint::Length(hints_width), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(hints), left);
    if let Some(status) = &state.status {
        let style = match status.level {
            Level::Info => theme().dim,
            Level::Warn => theme().warn,
            Level::Error => theme().bad,
        };
        let text = truncate_keeping_url(&status.text, (right.width as usize).saturating_sub(1));
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).alignment(Alignment::Right),
            right,
        );
    }
}

/// The red banner shown while GitHub cannot be reached; the last good data stays on screen.
pub fn render_banner(state: &AppState, frame: &mut Frame, area: Rect) {
    let Some(err) = &state.sync.last_error else {
        return;
    };
    let age = state.data_age().map_or_else(
        || "no data yet".to_string(),
        |d| format!("showing data from {} ago", short_duration(d)),
    );
    let retry = short_duration(state.sync.next_due - state.now);
    frame.render_widget(
        Paragraph::new(format!(
            " ⚠ {err} — {age}; retrying in {retry} (r to retry now)"
        ))
        .style(theme().banner),
        area,
    );
}
