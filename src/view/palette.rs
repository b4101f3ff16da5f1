//! The `:` command palette: the query, then the matching commands with their keys and pane,
//! the cursor's highlighted.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Paragraph};

use super::theme::theme;
use crate::app::AppState;
use crate::app::palette::{self, Palette};
use crate::release::text;

/// Draws the palette in the upper middle of `area`.
pub fn render(state: &AppState, p: &Palette, frame: &mut Frame, area: Rect) {
    let [popup] = Layout::horizontal([Constraint::Max(72)])
        .flex(Flex::Center)
        .areas(area);
    let [_, popup] = Layout::vertical([Constraint::Length(2), Constraint::Max(18)]).areas(popup);
    frame.render_widget(Clear, popup);
    let found = palette::matches(state, &p.query);
    let argument = palette::argument(state, &p.query);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme().border_focused)
        .title(Span::styled(
            format!(
                " Commands · {} match(es) · enter runs · esc closes ",
                found.len() + usize::from(argument.is_some())
            ),
            theme().title_focused,
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(":", theme().key),
            Span::raw(text::line(&p.query).into_owned()),
            Span::styled("█", theme().dim),
        ])),
        input,
    );
    if found.is_empty() && argument.is_none() {
        frame.render_widget(
            Paragraph::new("No command matches.").style(theme().dim),
            list_area,
        );
        return;
    }
    let verb = p.query.split_whitespace().next().unwrap_or_default();
    let argument_row = argument.map(|(arg, line)| {
        let style = if matches!(arg, palette::Argument::Invalid(_)) {
            theme().warn
        } else {
            theme().bold
        };
        ListItem::new(Line::from(vec![
            Span::styled(format!("{:<12}", format!(":{verb}")), theme().key),
            Span::styled(text::line(&line).into_owned(), style),
        ]))
    });
    let items: Vec<ListItem> = argument_row
        .into_iter()
        .chain(found.iter().map(|e| {
            let pane = palette::pane_of(e.focus)
                .map_or_else(String::new, |p| format!("  ({})", p.title()));
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<12}", e.keys), theme().key),
                Span::raw(e.description.as_str()),
                Span::styled(pane, theme().dim),
            ]))
        }))
        .collect();
    let mut ls = ListState::default().with_selected(Some(p.cursor));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme().selected),
        list_area,
        &mut ls,
    );
}
