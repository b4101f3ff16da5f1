//! The notes pane: the release notes grouped by section, one line per entry
//! ("repo#number title — @author"), as `shipdeck notes` groups them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::theme::theme;
use crate::app::AppState;
use crate::app::notes::{self, Generated, Row};
use crate::release::notes::render::EMPTY;
use crate::release::text;

/// Draws the sections and their entries, the cursor on one row when focused; with `n`,
/// GitHub's generated notes beside them.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    let area = if state.generated_notes == Generated::Hidden {
        area
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        generated(state, frame, right);
        left
    };
    let Some(notes) = notes::current(state) else {
        return;
    };
    if notes.is_empty() {
        frame.render_widget(
            Paragraph::new(EMPTY)
                .style(theme().dim)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let items: Vec<ListItem> = notes::rows(&notes)
        .into_iter()
        .map(|row| match row {
            Row::Section { title, entries } => ListItem::new(Line::from(vec![
                Span::styled(text::line(title).into_owned(), theme().title),
                Span::styled(format!(" ({entries})"), theme().dim),
            ])),
            Row::Entry(e) => {
                let author = e
                    .author
                    .as_deref()
                    .map_or_else(|| "(deleted account)".to_string(), |a| format!("@{a}"));
                ListItem::new(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{}#{}", e.repo, e.number), theme().dim),
                    Span::raw(format!(" {} — ", text::line(&e.title))),
                    Span::styled(text::line(&author).into_owned(), theme().dim),
                ]))
            }
        })
        .collect();
    let mut ls = ListState::default().with_selected(focused.then_some(state.notes.selected));
    let list = if focused {
        List::new(items).highlight_style(theme().selected)
    } else {
        List::new(items)
    };
    frame.render_stateful_widget(list, area, &mut ls);
}

/// GitHub's own notes (`generate-notes`), one block per repository, as plain text lines.
fn generated(state: &AppState, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme().border)
        .title(Span::styled(" GitHub's generate-notes ", theme().title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = match &state.generated_notes {
        Generated::Hidden => return,
        Generated::Loading => vec![Line::styled("asking GitHub…", theme().dim)],
        Generated::Failed(e) => vec![Line::styled(
            format!("GitHub did not generate notes: {}", text::line(e)),
            theme().bad,
        )],
        Generated::Shown(repos) => repos
            .iter()
            .flat_map(|(repo, body)| {
                std::iter::once(Line::styled(text::line(repo).into_owned(), theme().bold))
                    .chain(
                        body.lines()
                            .map(|l| Line::raw(text::line(l).into_owned()))
                            .collect::<Vec<_>>(),
                    )
                    .chain(std::iter::once(Line::raw("")))
            })
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
