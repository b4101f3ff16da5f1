//! The KPIs pane: one row per metric with its 30-day, 90-day and this-release values, each
//! with its DORA band, and a 13-week sparkline; Enter lists the events behind the selected
//! metric, so no number has to be taken on trust.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

use super::theme::theme;
use crate::app::AppState;
use crate::app::kpis::selected;
use crate::release::kpis::{Band, Kind, KpiReport, Measure, Metric, Scope, value_text};
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
                .style(theme().dim)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let [status_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    frame.render_widget(Paragraph::new(status_line(state, report)), status_area);
    let metric = selected(state).and_then(|kind| report.metric(kind));
    if let (Some(cursor), Some(m)) = (&k.events, metric) {
        events(m, cursor.selected, focused, frame, body);
        return;
    }
    let rows = u16::try_from(report.metrics.len()).unwrap_or(6) + 2;
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(2)]).areas(body);
    table(report, k.cursor.selected, focused, frame, table_area);
    frame.render_widget(
        Paragraph::new(detail(report, metric)).wrap(Wrap { trim: false }),
        detail_area,
    );
}

/// The selected metric in full: its definition, each scope's value with what it counts, the
/// band bounds; then what limited the numbers.
fn detail<'a>(report: &'a KpiReport, metric: Option<&'a Metric>) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(m) = metric {
        lines.push(Line::from(vec![
            Span::styled(m.kind.title(), theme().bold),
            Span::styled(format!(" — {}", m.kind.definition()), theme().dim),
        ]));
        for x in &m.measures {
            let mut spans = vec![
                Span::styled(format!("  {:<13}", x.scope.label()), theme().dim),
                Span::raw(text::line(&x.text).into_owned()),
            ];
            if let Some(b) = x.band {
                spans.push(Span::styled(format!("  {}", b.name()), band_style(Some(b))));
            }
            lines.push(Line::from(spans));
        }
        let bands = Band::thresholds(m.kind)
            .unwrap_or_else(|| "DORA has no band for this metric".to_string());
        lines.push(Line::styled(format!("  bands: {bands}"), theme().dim));
        lines.push(Line::styled(
            "  enter: the events behind these numbers",
            theme().dim,
        ));
    }
    for c in &report.caveats {
        lines.push(Line::styled(format!("⚠ {}", text::line(c)), theme().warn));
    }
    lines
}

fn status_line<'a>(state: &AppState, report: &KpiReport) -> Line<'a> {
    let k = &state.kpis;
    let age = k.read_at.map_or_else(String::new, |at| {
        format!("read {} ago", short_duration(state.now - at))
    });
    let mut spans = vec![
        Span::styled(
            format!("Delivery KPIs · {} · ", text::line(&report.milestone)),
            theme().bold,
        ),
        Span::styled(age, theme().dim),
    ];
    if k.loading {
        spans.push(Span::styled(" · reading…", theme().running));
    }
    if let Some(e) = &k.error {
        spans.push(Span::styled(
            format!(
                " · last read failed, showing the previous one: {}",
                text::line(e)
            ),
            theme().bad,
        ));
    }
    Line::from(spans)
}

/// The band's style: green to red.
fn band_style(band: Option<Band>) -> Style {
    match band {
        Some(Band::Elite | Band::High) => theme().ok,
        Some(Band::Medium) => theme().warn,
        Some(Band::Low) => theme().bad,
        None => Style::default(),
    }
}

/// A table cell: the value alone and its band, or a dash where there is none (the detail
/// below says why).
fn cell(kind: Kind, m: Option<&Measure>) -> Cell<'static> {
    let Some(m) = m else {
        return Cell::from("");
    };
    let Some(v) = m.value else {
        return Cell::from(Span::styled("–", theme().dim));
    };
    // The count is in the detail below: the cell keeps to what fits in a narrow column.
    let value = if m.scope == Scope::Release && kind == Kind::DeploymentFrequency {
        m.text.clone()
    } else {
        value_text(kind, v)
    };
    let mut spans = vec![Span::raw(value)];
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

/// Below this width the sparklines give their column to the values.
const SPARKLINE_MIN_WIDTH: u16 = 100;

fn table(report: &KpiReport, selected: usize, focused: bool, frame: &mut Frame, area: Rect) {
    let sparklines = area.width >= SPARKLINE_MIN_WIDTH;
    let mut heads = vec![
        "metric",
        Scope::Days30.label(),
        Scope::Days90.label(),
        Scope::Release.label(),
    ];
    let mut widths = vec![
        Constraint::Length(22),
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    if sparklines {
        heads.push("13 weeks");
        widths.push(Constraint::Length(13));
    }
    let header = Row::new(heads.into_iter().map(|h| Cell::from(h).style(theme().dim)));
    let rows: Vec<Row> = report
        .metrics
        .iter()
        .map(|m| {
            let mut cells = vec![
                Cell::from(m.kind.title()),
                cell(m.kind, m.measure(Scope::Days30)),
                cell(m.kind, m.measure(Scope::Days90)),
                cell(m.kind, m.measure(Scope::Release)),
            ];
            if sparklines {
                cells.push(Cell::from(sparkline(&m.weekly)).style(theme().running));
            }
            Row::new(cells)
        })
        .collect();
    let mut ts = TableState::default().with_selected(focused.then_some(selected));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(2)
        .row_highlight_style(if focused {
            theme().selected
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
            Span::styled(m.kind.title(), theme().bold),
            Span::styled(
                format!(
                    " · {} event(s), last 90 days and this release, newest first · esc: back",
                    m.events.len()
                ),
                theme().dim,
            ),
        ])),
        title,
    );
    if m.events.is_empty() {
        frame.render_widget(
            Paragraph::new("Nothing happened that this metric counts.").style(theme().dim),
            list_area,
        );
        return;
    }
    let width = m
        .events
        .iter()
        .map(|e| text::line(&e.repo).chars().count())
        .max()
        .unwrap_or(0);
    let items: Vec<ListItem> = m
        .events
        .iter()
        .map(|e| {
            ListItem::new(Line::from(vec![
                Span::styled(e.at.format("%Y-%m-%d %H:%M  ").to_string(), theme().dim),
                Span::styled(format!("{:<width$}  ", text::line(&e.repo)), theme().dim),
                Span::raw(text::line(&e.text).into_owned()),
            ]))
        })
        .collect();
    let mut ls = ListState::default().with_selected(focused.then_some(selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme().selected),
        list_area,
        &mut ls,
    );
}
