//! The `?` overlay, built from the keymap so it always matches the real keys; config problems
//! (keys that could not be read) come first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::confirm::wrap_text;
use super::theme::theme;
use crate::app::AppState;
use crate::app::keymap::{Focus, INTERRUPT, Keymap};
use crate::app::overlay::in_popup;

/// Draws the overlay centred on `area`, scrolled down by `scroll` lines.
pub fn render(state: &AppState, scroll: u16, frame: &mut Frame, area: Rect) {
    let width = 48.min(area.width);
    let mut lines = Vec::new();
    if !state.session.config_warnings.is_empty() {
        lines.push(Line::from(Span::styled(
            "Config problems (fix the file, then restart)",
            theme().warn,
        )));
        for w in &state.session.config_warnings {
            for (i, part) in wrap_text(w, usize::from(width.saturating_sub(4)))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { "⚠ " } else { "  " };
                lines.push(Line::from(Span::styled(
                    format!("{lead}{part}"),
                    theme().warn,
                )));
            }
        }
        lines.push(Line::from(""));
    }
    for focus in Focus::ALL {
        let bindings: Vec<_> = state
            .session
            .keymap
            .bindings
            .iter()
            .filter(|b| b.focus == focus && !b.keys.is_empty())
            .collect();
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            match focus {
                Focus::Global => "Everywhere".to_string(),
                Focus::Popup => "In this help".to_string(),
                Focus::Issue => "In an issue's details".to_string(),
                f => format!("In the {} pane", f.name()),
            },
            theme().section,
        )));
        if focus == Focus::Global {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", INTERRUPT.to_string()), theme().key),
                Span::raw("quit, from anywhere"),
            ]));
        }
        for b in bindings {
            let mut description = b.description.to_string();
            if in_popup(b.command) != b.command {
                description.push_str(" (in a popup: close)");
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", Keymap::keys_label(b)), theme().key),
                Span::raw(description),
            ]));
        }
        lines.push(Line::from(""));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme().border_focused)
                .title(Span::styled(" Keys ", theme().title_focused))
                .title_bottom(Span::styled(" esc close · j/k scroll ", theme().dim)),
        ),
        popup,
    );
}
