//! The review popup of ticks that cannot apply: each with its issue and the reason, the
//! selected one marked, and the keys to retry, discard or close.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use super::confirm::{centred, hint_lines, wrap_text};
use super::theme::theme;
use crate::app::review::TickReview;

/// The widest the popup grows.
const MAX_WIDTH: u16 = 80;

/// Draws the popup centred on `area`, the selected tick kept in view.
pub fn render(review: &TickReview, frame: &mut Frame, area: Rect) {
    let width = MAX_WIDTH.min(area.width);
    let text_width = usize::from(width.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = wrap_text(
        "GitHub will not take these ticks as they are. Retry one once its cause is fixed, or discard it (GitHub is not changed).",
        text_width,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme().dim))
    .collect();
    lines.push(Line::default());
    let mut selected_line = 0;
    for (i, item) in review.items.iter().enumerate() {
        let is_selected = i == review.selected;
        if is_selected {
            selected_line = lines.len();
        }
        let (marker, style) = if is_selected {
            ("› ", theme().selected)
        } else {
            ("  ", theme().bold)
        };
        let what = if item.tick.checked { "tick" } else { "untick" };
        let head = format!(
            "{what} \"{}\" on {}#{}",
            item.tick.key.text, item.tick.repo, item.tick.number
        );
        for (n, part) in wrap_text(&head, text_width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if n == 0 { marker } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(lead, style),
                Span::styled(part, style),
            ]));
        }
        for part in wrap_text(&item.reason, text_width.saturating_sub(4)) {
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(part, theme().warn),
            ]));
        }
    }
    lines.push(Line::default());
    let hints = hint_lines(
        &["r retry", "d discard", "j/k move", "esc close"],
        text_width,
    );
    let hint_height = hints.len();
    let wanted = lines.len() + hint_height + 2;
    let height = u16::try_from(wanted).unwrap_or(u16::MAX).min(area.height);
    // Scroll the list so the selected tick stays visible above the hints.
    let room = usize::from(height).saturating_sub(2 + hint_height);
    let scroll = (selected_line + 3).saturating_sub(room);
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(room).collect();
    shown.extend(hints);
    let popup = centred(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(shown).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme().border_focused)
                .padding(Padding::horizontal(1))
                .title(Span::styled(
                    format!(" Ticks to review ({}) ", review.items.len()),
                    theme().title_focused,
                )),
        ),
        popup,
    );
}
