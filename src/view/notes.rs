//! The notes pane: the release notes grouped by section, one line per entry
//! ("repo#number title — @author"), as `shipdeck notes` groups them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::theme::THEME;
use crate::app::AppState;
use crate::app::notes::{self, Row};
use crate::release::notes::render::EMPTY;
use crate::release::text;

/// Draws the sections and their entries, the cursor on one row when focused.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    let Some(notes) = notes::current(state) else {
        return;
    };
    if notes.is_empty() {
        frame.render_widget(
            Paragraph::new(EMPTY)
                .style(THEME.dim)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let items: Vec<ListItem> = notes::rows(&notes)
        .into_iter()
        .map(|row| match row {
            Row::Section { title, entries } => ListItem::new(Line::from(vec![
                Span::styled(text::line(title).into_owned(), THEME.title),
                Span::styled(format!(" ({entries})"), THEME.dim),
            ])),
            Row::Entry(e) => {
                let author = e
                    .author
                    .as_deref()
                    .map_or_else(|| "(deleted account)".to_string(), |a| format!("@{a}"));
                ListItem::new(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{}#{}", e.repo, e.number), THEME.dim),
                    Span::raw(format!(" {} — ", text::line(&e.title))),
                    Span::styled(text::line(&author).into_owned(), THEME.dim),
                ]))
            }
        })
        .collect();
    let mut ls = ListState::default().with_selected(focused.then_some(state.notes.selected));
    let list = if focused {
        List::new(items).highlight_style(THEME.selected)
    } else {
        List::new(items)
    };
    frame.render_stateful_widget(list, area, &mut ls);
}
