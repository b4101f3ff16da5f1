//! The KPIs pane: one row per metric with its 30-day, 90-day and this-release values, each
//! with its DORA band, and a 13-week sparkline; Enter lists the events behind the selected
//! metric, so no number has to be taken on trust.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

use super::theme::THEME;
use crate::app::AppState;
use crate::app::kpis::selected;
use crate::release::kpis::{Band, KpiReport, Measure, Metric, Scope};
use crate::release::text;
use crate::release::time::short_duration;

/// Draws the metrics table or the selected metric's events.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    let k = &state.kpis;
    let Some(report) = &k.report else {
        let text = match (&k.error, k.loading || state.session.kpis.enabled) {
            (Some(e), _) => format!("Could not read the delivery history: {}", text::line(e)),
            (None, true) => "Reading the delivery history (90 days of deploys, rollbacks, \
                             merged PRs and incidents)…"
                .to_string(),
            (None, false) => "No delivery history in this session.".to_string(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(THEME.dim)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let [status_area, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(3),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(status_line(state, report)), status_area);
    let metric = selected(state).and_then(|kind| report.metric(kind));
    match (&k.events, metric) {
        (Some(cursor), Some(m)) => events(m, cursor.selected, focused, frame, body),
        _ => table(report, k.cursor.selected, focused, frame, body),
    }
    let mut foot_lines = Vec::new();
    if let Some(m) = metric {
        foot_lines.push(Line::from(vec![
            Span::styled(format!("{}: ", m.kind.title()), THEME.bold),
            Span::styled(m.kind.definition(), THEME.dim),
        ]));
    }
    for c in &report.caveats {
        foot_lines.push(Line::styled(format!("⚠ {}", text::line(c)), THEME.warn));
    }
    frame.render_widget(Paragraph::new(foot_lines).wrap(Wrap { trim: true }), foot);
}

fn status_line<'a>(state: &AppState, report: &KpiReport) -> Line<'a> {
    let k = &state.kpis;
    let age = k.read_at.map_or_else(String::new, |at| {
        format!("read {} ago", short_duration(state.now - at))
    });
    let mut spans = vec![
        Span::styled(
            format!("Delivery KPIs · {} · ", text::line(&report.milestone)),
            THEME.bold,
        ),
        Span::styled(age, THEME.dim),
    ];
    if k.loading {
        spans.push(Span::styled(" · reading…", THEME.running));
    }
    if let Some(e) = &k.error {
        spans.push(Span::styled(
            format!(
                " · last read failed, showing the previous one: {}",
                text::line(e)
            ),
            THEME.bad,
        ));
    }
    Line::from(spans)
}

/// The band's style: green to red.
fn band_style(band: Option<Band>) -> Style {
    match band {
        Some(Band::Elite | Band::High) => THEME.ok,
        Some(Band::Medium) => THEME.warn,
        Some(Band::Low) => THEME.bad,
        None => Style::default(),
    }
}

fn cell(m: Option<&Measure>) -> Cell<'static> {
    let Some(m) = m else {
        return Cell::from("");
    };
    let mut spans = vec![Span::styled(
        m.text.clone(),
        if m.value.is_some() {
            Style::default()
        } else {
            THEME.dim
        },
    )];
    if let Some(b) = m.band {
        spans.push(Span::styled(format!(" {}", b.name()), band_style(Some(b))));
    }
    Cell::from(Line::from(spans))
}

/// Eight-level bars of `values`, scaled to the largest; a gap where a week had nothing.
#[must_use]
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().flatten().copied().fold(0.0_f64, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max <= 0.0 => BARS[0],
            Some(v) => {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "0..=7 by construction"
                )]
                let i = ((v / max) * 7.0).round().clamp(0.0, 7.0) as usize;
                BARS[i]
            }
        })
        .collect()
}

fn table(report: &KpiReport, selected: usize, focused: bool, frame: &mut Frame, area: Rect) {
    let header = Row::new(
        [
            "metric",
            Scope::Days30.label(),
            Scope::Days90.label(),
            Scope::Release.label(),
            "13 weeks",
        ]
        .map(|h| Cell::from(h).style(THEME.dim)),
    );
    let rows: Vec<Row> = report
        .metrics
        .iter()
        .map(|m| {
            Row::new(vec![
                Cell::from(m.kind.title()),
                cell(m.measure(Scope::Days30)),
                cell(m.measure(Scope::Days90)),
                cell(m.measure(Scope::Release)),
                Cell::from(sparkline(&m.weekly)).style(THEME.running),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(22),
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(13),
    ];
    let mut ts = TableState::default().with_selected(focused.then_some(selected));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(2)
        .row_highlight_style(if focused {
            THEME.selected
        } else {
            Style::default()
        });
    frame.render_stateful_widget(table, area, &mut ts);
}

fn events(m: &Metric, selected: usize, focused: bool, frame: &mut Frame, area: Rect) {
    let [title, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(m.kind.title(), THEME.bold),
            Span::styled(
                format!(
                    " · {} event(s), last 90 days and this release, newest first · esc: back",
                    m.events.len()
                ),
                THEME.dim,
            ),
        ])),
        title,
    );
    if m.events.is_empty() {
        frame.render_widget(
            Paragraph::new("Nothing happened that this metric counts.").style(THEME.dim),
            list_area,
        );
        return;
    }
    let items: Vec<ListItem> = m
        .events
        .iter()
        .map(|e| {
            ListItem::new(Line::from(vec![
                Span::styled(e.at.format("%Y-%m-%d %H:%M  ").to_string(), THEME.dim),
                Span::styled(format!("{}  ", text::line(&e.repo)), THEME.dim),
                Span::raw(text::line(&e.text).into_owned()),
            ]))
        })
        .collect();
    let mut ls = ListState::default().with_selected(focused.then_some(selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(THEME.selected),
        list_area,
        &mut ls,
    );
}
