//! The retrospective overlay: the draft's sections and numbered lines over most of the
//! screen, picked lines marked, the cursor's line highlighted and kept in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::theme::theme;
use crate::app::AppState;
use crate::app::keymap::{Focus, Keymap};
use crate::app::retro::RetroView;
use crate::release::retro::Section;
use crate::release::text;

/// Draws the draft over most of `area`; its keys, from the keymap, along the bottom.
pub fn render(state: &AppState, view: &RetroView, frame: &mut Frame, area: Rect) {
    let [popup] = Layout::horizontal([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Percentage(88)])
        .flex(Flex::Center)
        .areas(popup);
    let mut lines = Vec::new();
    if view.phase != crate::release::Phase::Review {
        lines.push(Line::from(Span::styled(
            format!(
                "The release is in its {} phase, not Review: these are the facts so far.",
                view.phase.title()
            ),
            theme().warn,
        )));
    }
    let mut cursor_row = 0;
    let mut section = None;
    for (i, l) in view.lines.iter().enumerate() {
        if section != Some(l.section) {
            section = Some(l.section);
            lines.push(Line::from(Span::styled(
                section_title(l.section),
                theme().section,
            )));
        }
        let picked = view.picked.contains(&l.number);
        let mark = if picked { "[x]" } else { "[ ]" };
        let row = Line::from(vec![
            Span::styled(
                format!(" {mark} "),
                if picked { theme().ok } else { theme().dim },
            ),
            Span::styled(format!("{:>3}. ", l.number), theme().dim),
            Span::raw(text::line(&l.text).into_owned()),
        ]);
        if i == view.cursor {
            cursor_row = lines.len();
            lines.push(row.style(theme().selected));
        } else {
            lines.push(row);
        }
    }
    let inner_height = usize::from(popup.height.saturating_sub(2)).max(1);
    let scroll = cursor_row.saturating_sub(inner_height.saturating_sub(2));
    let title = format!(
        " Retrospective: {} · {} picked ",
        text::line(&view.origin.milestone),
        view.picked.len()
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .block(
                Block::bordered()
                    .border_type(BorderType::Rounded)
                    .border_style(theme().border_focused)
                    .title(Span::styled(title, theme().title_focused))
                    .title_bottom(Span::styled(keys(state), theme().dim)),
            ),
        popup,
    );
}

/// " space pick line · F file … · esc close ": the overlay's own bindings.
fn keys(state: &AppState) -> String {
    let keymap = &state.session.keymap;
    let own: Vec<String> = keymap
        .bindings
        .iter()
        .filter(|b| b.focus == Focus::Retro && b.hint && !b.keys.is_empty())
        .filter(|b| !(state.session.read_only && b.command.is_write()))
        .map(|b| format!("{} {}", Keymap::keys_label(b), b.description))
        .collect();
    format!(" {} ", own.join(" · "))
}

fn section_title(s: Section) -> String {
    format!("── {} ──", s.title())
}
