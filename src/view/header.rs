//! The header: release, due countdown, phase, verdict, data age, API budget; then progress.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{countdown, short_duration};
use super::theme::theme;
use crate::app::AppState;
use crate::release::State;
use crate::release::gates::{STANDARD, Verdict};
use crate::release::window::WindowStatus;

/// Draws the two header lines.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let sep = || Span::styled(" │ ", theme().dim);
    let narrow = area.width < 100;
    let production = super::targets_production(state);
    let mut verdict = state.verdict.as_ref().map(|r| {
        let verdict = r.verdict;
        let profile = if r.profile == STANDARD {
            String::new()
        } else {
            format!("· {} ", r.profile)
        };
        Span::styled(
            format!(" {} {profile}", verdict.label()),
            if verdict == Verdict::Go {
                theme().go
            } else {
                theme().no_go
            },
        )
    });
    let mut top = Vec::new();
    // Narrow terminals cut the line's end: there the verdict goes before anything else, and
    // elsewhere after the phase.
    if narrow && let Some(verdict) = verdict.take() {
        top.extend([verdict, Span::raw(" ")]);
    }
    if production {
        top.extend([
            Span::styled(" PRODUCTION ", theme().production),
            Span::raw(" "),
        ]);
    } else if !narrow {
        top.extend([Span::styled(" shipdeck ", theme().brand), Span::raw(" ")]);
    } else if top.is_empty() {
        top.push(Span::raw(" "));
    }
    let mut bottom = vec![Span::raw(" ")];
    match &state.release {
        Some(r) => {
            if r.bad_ref.is_some() {
                // First on its line, so that narrow terminals show it too; the runs pane and
                // the gate say why.
                bottom.push(Span::styled(
                    "⚠ invalid release ref: set release.ref",
                    theme().bad,
                ));
                bottom.push(sep());
            }
            top.push(Span::styled(r.title.clone(), theme().header_heading));
            if r.closed {
                top.push(sep());
                top.push(Span::styled("closed", theme().bold));
            } else if let Some(due) = r.due_on {
                let (text, overdue) = countdown(due, state.now);
                top.push(sep());
                top.push(Span::styled(
                    format!("due {text}"),
                    if overdue { theme().bad } else { theme().bold },
                ));
            }
            top.push(sep());
            top.push(Span::raw("phase "));
            top.push(Span::styled(
                r.current_phase.title(),
                theme().header_heading,
            ));
            if let Some(verdict) = verdict {
                top.push(sep());
                top.push(verdict);
            }
            if let Some(lock) = &r.lock {
                top.push(sep());
                top.push(Span::styled(
                    format!(
                        "🔒 LOCKED{}",
                        lock.author
                            .as_ref()
                            .map(|a| format!(" by {a}"))
                            .unwrap_or_default()
                    ),
                    theme().warn,
                ));
            }
            match r.health {
                Some(true) => {
                    top.push(sep());
                    top.push(Span::styled("healthy", theme().ok));
                }
                Some(false) => {
                    top.push(sep());
                    top.push(Span::styled("FAULTY", theme().bad));
                }
                None => {}
            }

            let bar_width = if narrow { 4 } else { 10 };
            let issues = r.issue_counts();
            let (closed, total) = (issues.closed, issues.total());
            let (ticked, items) = r.checklist_progress();
            bottom.push(Span::raw(format!("issues {closed}/{total} ")));
            bottom.push(Span::styled(bar(closed, total, bar_width), theme().ok));
            bottom.push(sep());
            bottom.push(Span::raw(format!("checklist {ticked}/{items} ")));
            bottom.push(Span::styled(bar(ticked, items, bar_width), theme().ok));
            let open_risks = r.risks.iter().filter(|x| x.state == State::Open).count();
            bottom.push(sep());
            bottom.push(Span::raw(format!("risks {open_risks}")));
            bottom.push(sep());
            bottom.push(Span::styled(
                format!("blockers {}", r.blockers.len()),
                if r.blockers.is_empty() {
                    theme().ok
                } else {
                    theme().bad
                },
            ));
            if let Some(status) = crate::app::gates::window_status(state) {
                let style = match status {
                    WindowStatus::Open { .. } | WindowStatus::Unrestricted => theme().ok,
                    WindowStatus::Closed { .. } => theme().warn,
                    WindowStatus::Frozen { .. } => theme().bad,
                };
                bottom.push(sep());
                bottom.push(Span::styled(
                    status.describe(crate::app::gates::github_now(state)),
                    style,
                ));
            }
            bottom.push(sep());
            bottom.push(Span::styled(r.repos.join(", "), theme().dim));
        }
        None => top.push(Span::styled(
            state
                .sync
                .progress
                .clone()
                .unwrap_or_else(|| "loading…".to_string()),
            theme().dim,
        )),
    }
    if !state.session.config_warnings.is_empty() {
        top.push(sep());
        top.push(Span::styled(config_badge(state, narrow), theme().warn));
    }
    top.push(sep());
    top.push(sync_badge(state));
    if let Some(rate) = state.rate {
        top.push(sep());
        let low = rate.remaining * 10 < rate.limit;
        let text = if narrow {
            format!("API {}", rate.remaining)
        } else {
            format!("API {}/{}", rate.remaining, rate.limit)
        };
        top.push(Span::styled(
            text,
            if low { theme().warn } else { theme().dim },
        ));
    }
    if state.session.read_only {
        top.push(sep());
        top.push(Span::styled("READ-ONLY", theme().warn));
    }
    if !state.session.source.is_empty() {
        top.push(sep());
        top.push(Span::styled(state.session.source.clone(), theme().dim));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(top), Line::from(bottom)]),
        area,
    );
}

/// The config problems badge: stays until the config is fixed; `?` lists them.
fn config_badge(state: &AppState, narrow: bool) -> String {
    let n = state.session.config_warnings.len();
    if narrow {
        "⚠ config (?)".to_string()
    } else {
        format!("⚠ {n} config problem{} (?)", if n == 1 { "" } else { "s" })
    }
}

fn sync_badge(state: &AppState) -> Span<'static> {
    let age = state.data_age().map_or_else(
        || "never".to_string(),
        |d| format!("{} ago", short_duration(d)),
    );
    let waiting = state.waiting_for().filter(|w| w.num_seconds() >= 2);
    if let Some(until) = state.sync.limited_until {
        Span::styled(
            format!(
                "● rate limited until {} UTC, data {age}",
                until.format("%H:%M")
            ),
            theme().warn,
        )
    } else if state.sync.last_error.is_some() {
        // A slow retry after an outage says it is waiting, not only that it was offline.
        let retry = waiting.map_or_else(String::new, |w| {
            format!(", waiting for GitHub {}", short_duration(w))
        });
        Span::styled(format!("● offline{retry}, data {age}"), theme().bad)
    } else if state.sync.from_cache {
        Span::styled(format!("● stale (cached {age})"), theme().warn)
    } else if let Some(w) = waiting {
        Span::styled(
            format!("↻ waiting for GitHub, {} (data {age})", short_duration(w)),
            theme().queued,
        )
    } else if state.sync.in_flight.is_some() {
        Span::styled(format!("↻ syncing (data {age})"), theme().queued)
    } else {
        Span::styled(format!("● synced {age}"), theme().ok)
    }
}

/// A bar of `width` cells, `done/total` full.
#[must_use]
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let full = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}
