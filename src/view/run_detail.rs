//! The drill-down of one run: its jobs and steps with timings, and the end of a failed job's
//! log.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::format::{ago, clock_duration, run_state, took};
use super::theme::theme;
use crate::app::AppState;
use crate::app::runs::find_run;
use crate::app::state::RunDetail;

/// Draws the drill-down over most of `area`.
pub fn render(state: &AppState, detail: &RunDetail, frame: &mut Frame, area: Rect) {
    let [popup] = Layout::horizontal([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Percentage(88)])
        .flex(Flex::Center)
        .areas(popup);
    let run = find_run(state, &detail.repo, detail.run_id);
    let mut lines = Vec::new();
    let title = match &run {
        Some(run) => {
            let (glyph, word, style) = run_state(run.status, run.conclusion);
            lines.push(Line::from(vec![
                Span::styled(format!("{glyph} {word}  "), style),
                Span::styled(
                    format!(
                        "{} #{}",
                        run.name.clone().unwrap_or_default(),
                        run.run_number
                    ),
                    theme().bold,
                ),
                Span::raw(format!("  {}", run.display_title)),
            ]));
            lines.push(Line::from(Span::styled(
                format!(
                    "{} · {} · {} by {} · {} · {} · started {} · took {}{}",
                    detail.repo,
                    run.short_sha(),
                    run.event,
                    run.actor.clone().unwrap_or_default(),
                    run.head_branch.clone().unwrap_or_default(),
                    if run.run_attempt > 1 {
                        format!("attempt {}", run.run_attempt)
                    } else {
                        "attempt 1".into()
                    },
                    ago(run.run_started_at.unwrap_or(run.created_at), state.now),
                    clock_duration(run.duration(state.now)),
                    if run.waiting_for.is_empty() {
                        String::new()
                    } else {
                        format!(" · waiting for approval: {}", run.waiting_for.join(", "))
                    }
                ),
                theme().dim,
            )));
            format!(" Run #{} ", run.run_number)
        }
        None => {
            lines.push(Line::from(Span::styled(
                format!("run {} (not on the release ref)", detail.run_id),
                theme().dim,
            )));
            format!(" Run {} ", detail.run_id)
        }
    };
    lines.push(Line::from(""));
    match state.runs.jobs.get(&detail.run_id) {
        None => lines.push(Line::from(Span::styled("loading jobs…", theme().dim))),
        Some(jobs) => {
            for job in jobs {
                let (glyph, word, style) = run_state(job.status, job.conclusion);
                let job_took = took(job.started_at, job.completed_at, state.now);
                lines.push(Line::from(vec![
                    Span::styled(format!("{glyph} "), style),
                    Span::styled(job.name.clone(), theme().bold),
                    Span::styled(format!("  {word} {job_took}"), theme().dim),
                ]));
                for step in &job.steps {
                    let (glyph, _, style) = run_state(step.status, step.conclusion);
                    let step_took = took(step.started_at, step.completed_at, state.now);
                    lines.push(Line::from(vec![
                        Span::raw("    "),
                        Span::styled(format!("{glyph} "), style),
                        Span::raw(format!("{:<40} ", step.name)),
                        Span::styled(step_took, theme().dim),
                    ]));
                }
            }
        }
    }
    if let Some((job_id, log)) = &detail.log {
        let name = state
            .runs
            .jobs
            .get(&detail.run_id)
            .and_then(|jobs| jobs.iter().find(|j| j.id == *job_id))
            .map_or_else(|| job_id.to_string(), |j| j.name.clone());
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("Log of the failed job \"{name}\" (end):"),
            theme().section,
        )));
        match log {
            Ok(log_lines) => {
                // The end of a log is where the error is: keep the last lines that fit (at
                // least 5; scrolling shows the rest of the popup).
                let room = usize::from(popup.height.saturating_sub(2))
                    .saturating_sub(lines.len())
                    .max(5);
                let skip = log_lines.len().saturating_sub(room);
                for l in &log_lines[skip..] {
                    let style = if l.contains("##[error]") || l.to_lowercase().contains("error") {
                        theme().bad
                    } else {
                        theme().dim
                    };
                    lines.push(Line::from(Span::styled(format!("  {l}"), style)));
                }
            }
            Err(e) => lines.push(Line::from(Span::styled(
                format!("  cannot read the log: {e}"),
                theme().bad,
            ))),
        }
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).scroll((detail.scroll, 0)).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme().border_focused)
                .title(Span::styled(title, theme().title_focused))
                .title_bottom(Span::styled(
                    " esc/q close · j/k scroll · R re-run · X cancel · a approve · o open ",
                    theme().dim,
                )),
        ),
        popup,
    );
}
