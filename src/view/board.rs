//! The phase board: one column per phase with progress, then its cards; and an "Unsorted"
//! column for the issues without a phase label, while there are any.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::format::truncate;
use super::header::bar;
use super::theme::theme;
use crate::app::AppState;
use crate::app::lists::board_cards;
use crate::release::{Release, State};

/// Draws the board.
pub fn render(state: &AppState, release: &Release, frame: &mut Frame, area: Rect, focused: bool) {
    let board = release.board();
    let n = board.len().max(1) as u32;
    let columns = Layout::horizontal(vec![Constraint::Ratio(1, n); n as usize]).split(area);
    for (i, (column, rect)) in board.iter().zip(columns.iter()).enumerate() {
        let is_current = column
            .phase
            .is_some_and(|c| c.phase == release.current_phase);
        let selected_col = state.board.column == i;
        let title_style = match column.phase {
            _ if is_current => theme().title_focused,
            Some(c) if c.is_passed() => theme().ok,
            Some(_) => theme().title,
            None => theme().warn,
        };
        let mark = match column.phase {
            Some(c) if c.is_done() => " ✓",
            Some(c) if c.is_passed() => " ☑",
            _ if is_current => " ◀",
            _ => "",
        };
        let block = Block::default()
            .borders(if i + 1 < board.len() {
                Borders::RIGHT
            } else {
                Borders::NONE
            })
            .border_style(theme().border);
        let inner = block.inner(*rect);
        frame.render_widget(block, *rect);
        super::hits::add(*rect, crate::app::mouse::Target::Column(i));
        let w = inner.width as usize;
        let bar_w = w.saturating_sub(8).min(12);
        let counts = column.counts();
        let mut lines = vec![
            Line::from(Span::styled(
                truncate(&format!("{}{mark}", column.title()), w),
                if selected_col && focused {
                    theme().tab_active
                } else {
                    title_style
                },
            )),
            Line::from(vec![
                Span::styled(
                    format!("{:>2}/{:<2} ", counts.closed, counts.total()),
                    theme().dim,
                ),
                Span::styled(bar(counts.closed, counts.total(), bar_w), theme().ok),
            ]),
            match column.phase {
                Some(col) => Line::from(vec![
                    Span::styled(
                        format!("☑{:>2}/{:<2}", col.checklist_checked, col.checklist_total),
                        theme().dim,
                    ),
                    Span::styled(
                        bar(
                            col.checklist_checked,
                            col.checklist_total,
                            bar_w.saturating_sub(1),
                        ),
                        theme().queued,
                    ),
                ]),
                None => Line::from(Span::styled(
                    if w >= 14 {
                        "no phase label"
                    } else {
                        "no label"
                    },
                    theme().dim,
                )),
            },
        ];
        let visible = (inner.height as usize).saturating_sub(3);
        let selected = (selected_col && focused).then_some(state.board.card);
        let offset = selected.map_or(0, |s| s.saturating_sub(visible.saturating_sub(1)));
        // The cards the pane's `/` filter keeps (all without one).
        let shown: Vec<_> = board_cards(state, i)
            .into_iter()
            .filter_map(|c| column.cards.get(c))
            .collect();
        super::hits::rows(
            inner,
            3,
            offset,
            shown.len().min(offset + visible),
            |index| crate::app::mouse::Target::Row {
                pane: crate::app::Pane::Board,
                column: i,
                index,
            },
        );
        for (j, card) in shown.iter().enumerate().skip(offset).take(visible) {
            let glyph = match (card.state, card.is_pull_request) {
                (State::Open, false) => Span::styled("○", theme().ok),
                (State::Open, true) => Span::styled("⇡", theme().ok),
                (State::Closed, _) => Span::styled("✓", theme().dim),
            };
            let text = format!(" #{} {}", card.number, card.title);
            let style = if selected == Some(j) {
                theme().selected
            } else if card.state == State::Closed {
                theme().dim
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(vec![
                glyph,
                Span::styled(truncate(&text, w.saturating_sub(1)), style),
            ]));
        }
        if shown.len() > visible + offset {
            let more = shown.len() - visible - offset;
            if let Some(last) = lines.last_mut() {
                *last = Line::from(Span::styled(format!(" … {more} more"), theme().dim));
            }
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
