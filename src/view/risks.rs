//! The risk register: a table sorted by score, and a 5×5 heat map when there is room.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::format::truncate;
use super::theme::theme;
use crate::app::AppState;
use crate::release::risk::Level;
use crate::release::{Release, State};

/// Heat map width: "I " + 5 cells of 3 + margin.
const HEAT_WIDTH: u16 = 19;

/// Draws the register.
pub fn render(state: &AppState, release: &Release, frame: &mut Frame, area: Rect, focused: bool) {
    if release.risks.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(
                "No risks: label issues `{}` with `{}N` and `{}N` (1-5).",
                state.rules.risk_label, state.rules.likelihood_prefix, state.rules.impact_prefix
            ))
            .style(theme().dim),
            area,
        );
        return;
    }
    let (table_area, heat_area) = if area.width >= 70 {
        let [t, h] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(HEAT_WIDTH)]).areas(area);
        (t, Some(h))
    } else {
        (area, None)
    };
    let threshold = state.rules.gates.risk_threshold;
    // The risks the pane's `/` filter keeps (all without one).
    let shown = crate::app::lists::risk_rows(state);
    let rows = shown.iter().filter_map(|i| release.risks.get(*i)).map(|r| {
        let score = r.score();
        let score_style = if r.state == State::Closed {
            theme().dim
        } else {
            score_style(score)
        };
        let mitigation = match (&r.mitigation, r.state) {
            (_, State::Closed) => Span::styled("retired", theme().dim),
            (Some(_), _) => Span::styled("✓ plan", theme().ok),
            (None, _) if score >= threshold => Span::styled("✗ none", theme().bad),
            (None, _) => Span::styled("– none", theme().warn),
        };
        let problems = r.problems();
        let levels = format!("{}×{}", level_text(&r.likelihood), level_text(&r.impact));
        // A risk whose labels are missing or contradict each other says so before its title:
        // its level is never guessed.
        let mut title = Vec::new();
        if !problems.is_empty() {
            title.push(Span::styled(
                format!("⚠ {} · ", problems.join("; ")),
                theme().warn,
            ));
        }
        title.push(Span::raw(r.title.clone()));
        Row::new(vec![
            Cell::from(Span::styled(format!("{score:>2}"), score_style)),
            Cell::from(if problems.is_empty() {
                Span::raw(levels)
            } else {
                Span::styled(levels, theme().warn)
            }),
            Cell::from(format!("#{}", r.number)),
            Cell::from(Line::from(title)),
            Cell::from(
                r.owner
                    .clone()
                    .map_or_else(|| "—".to_string(), |o| format!("@{o}")),
            ),
            Cell::from(mitigation),
        ])
        .style(if r.state == State::Closed {
            theme().dim
        } else {
            Style::new()
        })
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(3),
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Min(10),
            Constraint::Length(8),
            Constraint::Length(8),
        ],
    )
    .header(Row::new(["Sc", "L×I", "#", "Risk", "Owner", "Mitig."]).style(theme().dim))
    .row_highlight_style(theme().selected);
    let mut ts = TableState::default().with_selected(focused.then_some(state.risks.selected));
    frame.render_stateful_widget(table, table_area, &mut ts);
    super::hits::rows(table_area, 1, ts.offset(), shown.len(), |index| {
        crate::app::mouse::Target::Row {
            pane: crate::app::Pane::Risks,
            column: 0,
            index,
        }
    });

    if let Some(heat) = heat_area {
        render_heat_map(release, frame, heat);
    }
}

/// A level as the L×I column shows it: the number, `?` without a label, `!` for contradictory
/// or unreadable labels.
fn level_text(level: &Level) -> String {
    match level {
        Level::Known { value, .. } => value.to_string(),
        Level::Missing => "?".to_string(),
        Level::Conflict(_) | Level::Unreadable(_) => "!".to_string(),
    }
}

fn score_style(score: u8) -> Style {
    match score {
        15.. => theme().bad,
        8..15 => theme().warn,
        _ => theme().ok,
    }
}

fn render_heat_map(release: &Release, frame: &mut Frame, area: Rect) {
    let mut lines = vec![Line::from(Span::styled(" impact ↑", theme().dim))];
    for impact in (1..=5u8).rev() {
        let mut spans = vec![Span::styled(format!(" {impact} "), theme().dim)];
        for likelihood in 1..=5u8 {
            let n = release
                .risks
                .iter()
                .filter(|r| {
                    r.state == State::Open
                        && r.likelihood.value() == Some(likelihood)
                        && r.impact.value() == Some(impact)
                })
                .count();
            let bg = match likelihood * impact {
                15.. => Color::Red,
                8..15 => Color::Yellow,
                _ => Color::Green,
            };
            let text = if n == 0 {
                " · ".to_string()
            } else {
                format!(" {n} ")
            };
            spans.push(Span::styled(text, Style::new().fg(Color::Black).bg(bg)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        truncate("    1  2  3  4  5 →", area.width as usize),
        theme().dim,
    )));
    lines.push(Line::from(Span::styled("     likelihood", theme().dim)));
    frame.render_widget(Paragraph::new(lines), area);
}
