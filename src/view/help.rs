//! The `?` overlay, built from the keymap so it always matches the real keys; config problems
//! (keys that could not be read) come first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::confirm::wrap_text;
use super::theme::theme;
use crate::app::AppState;
use crate::app::keymap::{DIALOG_KEYS, Focus, INTERRUPT, Keymap};
use crate::app::overlay::in_popup;

/// Draws the overlay centred on `area`, scrolled down by `scroll` lines.
pub fn render(state: &AppState, scroll: u16, frame: &mut Frame, area: Rect) {
    let width = 76.min(area.width);
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
    // The focused pane's keys first, then everywhere, then the others.
    let here = state.focus.focus();
    let order = std::iter::once(here).chain(Focus::ALL.into_iter().filter(|f| *f != here));
    for focus in order {
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
        let mut heading = match focus {
            Focus::Global => "Everywhere".to_string(),
            Focus::Popup => "In this help".to_string(),
            Focus::Issue => "In an issue's details".to_string(),
            f => format!("In the {} pane", f.name()),
        };
        if focus == here && focus != Focus::Global {
            heading.push_str(" (here)");
        }
        lines.push(Line::from(Span::styled(heading, theme().section)));
        if focus == Focus::Global {
            lines.push(key_line(
                &INTERRUPT.to_string(),
                "quit, from anywhere".into(),
            ));
        }
        for b in bindings {
            let mut description = b.description.clone();
            if in_popup(b.command) != b.command {
                description.push_str(" (in a popup: close)");
            }
            if matches!(b.command, crate::app::Command::Custom(_)) {
                description.push_str(" ([[commands]])");
            } else if let Some(defaults) = Keymap::rebound(b) {
                let was: Vec<String> = defaults.iter().map(ToString::to_string).collect();
                description.push_str(&if was.is_empty() {
                    " (your binding)".to_string()
                } else {
                    format!(" (rebound; default {})", was.join("/"))
                });
            }
            lines.push(key_line(&Keymap::keys_label(b), description));
        }
        lines.push(Line::from(""));
    }
    for (context, keys) in DIALOG_KEYS {
        lines.push(Line::from(Span::styled(*context, theme().section)));
        for (key, what) in *keys {
            lines.push(key_line(key, (*what).to_string()));
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

/// One key and what it does, the key in a fixed-width column.
fn key_line(keys: &str, description: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {keys:<16}"), theme().key),
        Span::raw(description),
    ])
}
