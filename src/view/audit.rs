//! The audit pane: every write call made to GitHub this session, with its result.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::theme::theme;
use crate::app::AppState;

/// Draws the audit table.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect, focused: bool) {
    if state.audit.records.is_empty() {
        let text = if state.session.read_only {
            "Read-only: nothing will be written."
        } else {
            "No write calls yet. Every write (ticks, dispatches, re-runs, cancels, reviews, locks) is listed here and appended to audit.jsonl."
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme().dim)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let rows = state.audit.records.iter().map(|r| {
        let ok = r.status.is_some_and(|s| (200..300).contains(&s));
        Row::new(vec![
            Cell::from(Span::styled(r.at.format("%H:%M:%S").to_string(), theme().dim)),
            Cell::from(r.method.clone()),
            Cell::from(Span::styled(
                r.status.map_or_else(|| "—".to_string(), |s| s.to_string()),
                if ok { theme().ok } else { theme().bad },
            )),
            Cell::from(r.path.clone()),
            Cell::from(Span::styled(
                r.outcome.clone(),
                if ok { theme().dim } else { theme().bad },
            )),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(8),
            Constraint::Length(6),
            Constraint::Length(3),
            Constraint::Fill(2),
            Constraint::Fill(1),
        ],
    )
    .header(Row::new(["Time", "Method", "St", "Path", "Result"]).style(theme().dim))
    .row_highlight_style(theme().selected);
    let selected = if focused {
        state
            .audit
            .cursor
            .selected
            .min(state.audit.records.len() - 1)
    } else {
        state.audit.records.len() - 1
    };
    // The selected call's body, exactly as sent, under the table.
    let body = state.audit.records[selected]
        .body
        .as_deref()
        .map(|b| format!("body: {b}"));
    let body_lines = body.as_ref().map_or(0, |b| {
        let width = usize::from(area.width.max(1));
        u16::try_from(b.chars().count().div_ceil(width).min(4)).unwrap_or(4)
    });
    let [table_area, body_area] = ratatui::layout::Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(if area.height > body_lines + 3 {
            body_lines
        } else {
            0
        }),
    ])
    .areas(area);
    let mut ts = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, table_area, &mut ts);
    if let Some(body) = body {
        frame.render_widget(
            Paragraph::new(body)
                .style(theme().dim)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            body_area,
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::state::Pane;
    use crate::release::call::Call;
    use crate::release::{ReleaseRules, WriteRecord};

    #[test]
    fn the_selected_call_shows_its_body_as_sent() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .single()
            .expect("date");
        let mut state = AppState::new(now, Vec::new(), ReleaseRules::default(), String::new());
        let call = Call::add_labels("acme/app", 5, &["release:faulty".into()]);
        state.audit.records.push(WriteRecord {
            at: now,
            method: call.method.to_string(),
            path: call.path.clone(),
            body: call.body.clone(),
            status: Some(200),
            outcome: "200 OK".into(),
        });
        state.focus = Pane::Audit;
        let mut terminal = Terminal::new(TestBackend::new(90, 8)).expect("terminal");
        terminal
            .draw(|f| render(&state, f, f.area(), true))
            .expect("draw");
        let screen = terminal.backend().to_string();
        assert!(
            screen.contains("/repos/acme/app/issues/5/labels"),
            "{screen}"
        );
        assert!(
            screen.contains(r#"body: {"labels":["release:faulty"]}"#),
            "{screen}"
        );
    }
}
