//! The burn-up pane: scope and done per day as a line chart, the Plan freeze as a vertical
//! line, and a summary naming the scope added after it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::theme::theme;
use crate::release::Release;

/// Draws the chart and its summary.
pub fn render(release: &Release, frame: &mut Frame, area: Rect) {
    let b = &release.burnup;
    let Some(today) = b.today() else {
        frame.render_widget(
            Paragraph::new("No issues on the board yet: nothing to chart.").style(theme().dim),
            area,
        );
        return;
    };
    let [chart_area, text_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(3)]).areas(area);
    let x = |i: usize| f64::from(u32::try_from(i).unwrap_or(u32::MAX));
    let y = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
    let scope: Vec<(f64, f64)> = b
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (x(i), y(p.scope)))
        .collect();
    let done: Vec<(f64, f64)> = b
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (x(i), y(p.done)))
        .collect();
    let top = y(today.scope.max(1));
    let freeze_index = b.freeze.and_then(|f| {
        b.points
            .iter()
            .position(|p| p.day >= f.at.date_naive())
            .map(x)
    });
    let freeze_line: Vec<(f64, f64)> = freeze_index
        .map(|fx| vec![(fx, 0.0), (fx, top)])
        .unwrap_or_default();
    let mut datasets = vec![
        Dataset::default()
            .name("scope")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme().warn)
            .data(&scope),
        Dataset::default()
            .name("done")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme().ok)
            .data(&done),
    ];
    if !freeze_line.is_empty() {
        datasets.push(
            Dataset::default()
                .name("froze")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme().dim)
                .data(&freeze_line),
        );
    }
    let last = b.points.len().saturating_sub(1);
    let first_day = b.points.first().map(|p| p.day.format("%b %-d").to_string());
    let x_labels: Vec<Span> = [first_day, Some(today.day.format("%b %-d").to_string())]
        .into_iter()
        .flatten()
        .map(Span::raw)
        .collect();
    let y_labels: Vec<Span> = ["0".to_string(), today.scope.to_string()]
        .into_iter()
        .map(Span::raw)
        .collect();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .style(theme().dim)
                .bounds([0.0, x(last.max(1))])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .style(theme().dim)
                .bounds([0.0, top])
                .labels(y_labels),
        );
    frame.render_widget(chart, chart_area);

    let mut summary = vec![
        Span::styled(format!("scope {}", today.scope), theme().warn),
        Span::raw(" · "),
        Span::styled(format!("done {}", today.done), theme().ok),
    ];
    match b.freeze {
        Some(f) if b.late.is_empty() => summary.push(Span::raw(format!(
            " · nothing added since {} on {}",
            f.source.phrase(),
            f.at.format("%b %-d")
        ))),
        Some(f) => {
            let shown: Vec<&str> = b.late.iter().take(5).map(String::as_str).collect();
            let more = b.late.len().saturating_sub(shown.len());
            summary.push(Span::styled(
                format!(
                    " · {} added after {} on {}: {}{}",
                    b.late.len(),
                    f.source.phrase(),
                    f.at.format("%b %-d"),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
                theme().bad,
            ));
        }
        None => summary.push(Span::raw(
            " · the Plan phase has open issues: no freeze yet (or set [release.scope_freeze])",
        )),
    }
    let note = Line::from(Span::styled(
        "Counted from each issue's creation date (GitHub's issue list does not say when it joined the milestone).",
        theme().dim,
    ));
    frame.render_widget(
        Paragraph::new(vec![Line::from(summary), note]).wrap(Wrap { trim: true }),
        text_area,
    );
}
