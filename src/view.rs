//! Rendering: `render(&AppState, &mut Frame)`. Reads state, never mutates it, does no I/O.

pub mod activity;
pub mod audit;
pub mod board;
pub mod burnup;
pub mod checklist;
pub mod confirm;
pub mod custom;
pub mod detail;
pub mod dispatch;
pub mod footer;
pub mod format;
pub mod gates;
pub mod header;
pub mod help;
pub mod hits;
pub mod kpis;
pub mod markdown;
pub mod notes;
pub mod palette;
pub mod retro;
pub mod review;
pub mod risk_form;
pub mod risks;
pub mod run_detail;
pub mod runs;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::app::overlay::Overlay;
use crate::app::{AppState, Pane};
use theme::theme;

/// Terminals smaller than this show one pane at a time.
const FULL_LAYOUT: (u16, u16) = (110, 34);

/// Draws the whole screen.
pub fn render(state: &AppState, frame: &mut Frame) {
    let _ = render_with_hits(state, frame);
}

/// Draws the whole screen and returns where each pane, tab and row was drawn (for the mouse).
pub fn render_with_hits(state: &AppState, frame: &mut Frame) -> hits::HitMap {
    theme::set(theme::Theme::build(
        state.session.theme,
        &state.session.colors,
    ));
    hits::begin();
    render_panes(state, frame);
    if state.session.no_color {
        theme::monochrome(frame.buffer_mut());
    }
    make_safe(frame.buffer_mut());
    hits::take()
}

/// Passes every cell of the frame through the one sanitiser, so no escape sequence, control
/// character or bidi override from GitHub's text reaches the terminal, whichever pane drew it.
pub fn make_safe(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if let std::borrow::Cow::Owned(clean) = crate::release::text::line(symbol) {
            let clean = if clean == crate::release::text::PLACEHOLDER || clean.is_empty() {
                " ".to_string()
            } else {
                clean
            };
            cell.set_symbol(&clean);
        }
    }
}

fn render_panes(state: &AppState, frame: &mut Frame) {
    let area = frame.area();
    let banner = u16::from(state.sync.last_error.is_some());
    let [head, body, banner_area, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(5),
        Constraint::Length(banner),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(state, frame, head);
    let single = state.zoomed
        || !state.focus.in_grid()
        || area.width < FULL_LAYOUT.0
        || area.height < FULL_LAYOUT.1;
    if single {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(body);
        render_tabs(state, frame, tabs);
        render_pane(state, frame, state.focus, pane);
    } else {
        let [top, middle, bottom] = Layout::vertical([
            Constraint::Percentage(36),
            Constraint::Percentage(32),
            Constraint::Percentage(32),
        ])
        .areas(body);
        render_pane(state, frame, Pane::Board, top);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(middle);
        render_pane(state, frame, Pane::Checklist, left);
        render_pane(state, frame, Pane::Risks, right);
        let [runs, gates, activity] = Layout::horizontal([
            Constraint::Percentage(55),
            Constraint::Percentage(25),
            Constraint::Percentage(20),
        ])
        .areas(bottom);
        render_pane(state, frame, Pane::Runs, runs);
        render_pane(state, frame, Pane::Gates, gates);
        let [activity, audit] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(activity);
        render_pane(state, frame, Pane::Activity, activity);
        render_pane(state, frame, Pane::Audit, audit);
    }
    if banner > 0 {
        footer::render_banner(state, frame, banner_area);
    }
    footer::render(state, frame, foot);
    // Bottom first: the popup that owns the keys is drawn last, on top.
    for overlay in state.overlays.iter() {
        match overlay {
            Overlay::Help { scroll } => help::render(state, *scroll, frame, body),
            Overlay::RunDetail(detail) => run_detail::render(state, detail, frame, body),
            Overlay::DispatchForm { form, .. } => {
                dispatch::render(form, targets_production(state), frame, area);
            }
            Overlay::RiskForm(form) => risk_form::render(form, frame, area),
            Overlay::Confirm(c) => confirm::render_dialog(c, frame, area),
            Overlay::Retro(view) => retro::render(state, view, frame, area),
            Overlay::Palette(p) => palette::render(state, p, frame, area),
            Overlay::Issue(view) => detail::render(state, view, frame, body),
            Overlay::Command(run) => custom::render(run, frame, area),
            Overlay::TickReview => review::render(&state.tick_review, frame, area),
        }
    }
    if !state.overlays.is_empty() {
        hits::add(area, crate::app::mouse::Target::Popup);
    }
}

/// Whether an open dispatch form or confirm dialog targets the production environment.
#[must_use]
pub fn targets_production(state: &AppState) -> bool {
    let prod = state.session.production_env.as_str();
    state
        .overlays
        .form()
        .is_some_and(|f| f.environment().as_deref() == Some(prod))
        || state.overlays.confirm().is_some_and(|c| {
            matches!(c.request(), crate::app::write::WriteRequest::Dispatch { inputs, .. }
                if inputs.values().any(|v| v == prod))
                || matches!(c.request(), crate::app::write::WriteRequest::Review { environments, .. }
                    if environments.iter().any(|e| e == prod))
        })
}

fn render_tabs(state: &AppState, frame: &mut Frame, area: Rect) {
    // Padded tabs when they fit, tighter ones on narrow terminals (80 columns hold all eight).
    let padded: usize = Pane::ALL.iter().map(|p| p.title().len() + 5).sum();
    let pad = if padded <= usize::from(area.width) {
        " "
    } else {
        ""
    };
    let mut spans = Vec::new();
    let mut x = area.x;
    for pane in &Pane::ALL {
        let style = if *pane == state.focus {
            theme().tab_active
        } else {
            theme().tab
        };
        let label = format!("{pad}{} {}{pad}", pane.number(), pane.title());
        let width = u16::try_from(label.chars().count()).unwrap_or(u16::MAX);
        let tab = Rect::new(x, area.y, width, 1).intersection(area);
        hits::add(tab, crate::app::mouse::Target::Tab(*pane));
        x = x.saturating_add(width).saturating_add(1);
        spans.push(ratatui::text::Span::styled(label, style));
        spans.push(ratatui::text::Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_pane(state: &AppState, frame: &mut Frame, pane: Pane, area: Rect) {
    hits::add(area, crate::app::mouse::Target::Pane(pane));
    let focused = state.focus == pane;
    let mut extra = pane_title_extra(state, pane);
    if let Some((shown, all)) = crate::app::lists::counts(state, pane) {
        extra = if extra.is_empty() {
            format!("{shown} of {all}")
        } else {
            format!("{extra} · {shown} of {all}")
        };
    }
    let block = pane_block(pane, focused, extra);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(f) = state.filters.get(pane)
        && (f.editing || !f.query.is_empty())
        && inner.height > 1
    {
        let [body, input] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        render_filter_line(f, frame, input);
        inner = body;
    }
    let Some(release) = &state.release else {
        let text = match &state.sync.last_error {
            Some(e) => format!("Could not load the release:\n{e}"),
            None => match state.waiting_for() {
                Some(w) if w.num_seconds() >= 2 => format!(
                    "Loading the release from GitHub… waiting for GitHub, {}",
                    crate::view::format::short_duration(w)
                ),
                _ => "Loading the release from GitHub…".to_string(),
            },
        };
        if pane == Pane::Activity {
            activity::render(state, frame, inner, focused);
        } else if pane == Pane::Audit {
            audit::render(state, frame, inner, focused);
        } else {
            frame.render_widget(
                Paragraph::new(text)
                    .style(theme().dim)
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                inner,
            );
        }
        return;
    };
    match pane {
        Pane::Board => board::render(state, release, frame, inner, focused),
        Pane::Checklist => checklist::render(state, release, frame, inner, focused),
        Pane::Risks => risks::render(state, release, frame, inner, focused),
        Pane::Runs => runs::render(state, release, frame, inner, focused),
        Pane::Gates => gates::render(state, frame, inner, focused),
        Pane::Activity => activity::render(state, frame, inner, focused),
        Pane::Audit => audit::render(state, frame, inner, focused),
        Pane::Burnup => burnup::render(release, frame, inner),
        Pane::Notes => notes::render(state, frame, inner, focused),
        Pane::Kpis => kpis::render(state, frame, inner, focused),
    }
}

/// The `/` filter's line at the bottom of a list pane: the query with a cursor while it is
/// typed, then the query kept and how to clear it.
fn render_filter_line(f: &crate::app::lists::PaneFilter, frame: &mut Frame, area: Rect) {
    let line = if f.editing {
        Line::from(vec![
            ratatui::text::Span::styled("/", theme().title_focused),
            ratatui::text::Span::raw(f.query.clone()),
            ratatui::text::Span::styled("▏", theme().title_focused),
            ratatui::text::Span::styled("  enter keeps · esc clears", theme().dim),
        ])
    } else {
        Line::from(vec![
            ratatui::text::Span::styled(format!("/{}", f.query), theme().title),
            ratatui::text::Span::styled("  esc clears", theme().dim),
        ])
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn pane_title_extra(state: &AppState, pane: Pane) -> String {
    let Some(release) = &state.release else {
        return String::new();
    };
    match pane {
        Pane::Board => format!("{} issues", release.issue_counts().total()),
        Pane::Checklist => {
            let (done, total) = release.checklist_progress();
            format!("{done}/{total}")
        }
        Pane::Risks => format!(
            "{} open",
            release
                .risks
                .iter()
                .filter(|r| r.state == crate::release::State::Open)
                .count()
        ),
        Pane::Runs => release.release_ref.clone(),
        Pane::Gates => state.verdict.as_ref().map_or_else(String::new, |r| {
            if r.profile == crate::release::gates::STANDARD {
                format!("deploy: {}", r.verdict.label())
            } else {
                format!("deploy: {} ({})", r.verdict.label(), r.profile)
            }
        }),
        Pane::Activity => state.activity.log.len().to_string(),
        Pane::Audit => format!("{} writes", state.audit.records.len()),
        Pane::Burnup => release
            .burnup
            .today()
            .map_or_else(String::new, |p| format!("{}/{} done", p.done, p.scope)),
        Pane::Notes => crate::app::notes::current(state).map_or_else(String::new, |n| {
            format!("{} entries", crate::app::notes::entry_count(&n))
        }),
        Pane::Kpis => state
            .kpis
            .report
            .as_ref()
            .and_then(|r| r.metric(crate::release::kpis::Kind::DeploySuccessRate))
            .and_then(|m| m.measure(crate::release::kpis::Scope::Days90))
            .map_or_else(String::new, |m| {
                format!("{} production deploys in 90 days", m.count)
            }),
    }
}

/// The bordered block of a pane: number, title, extra, and a highlight when focused.
#[must_use]
pub fn pane_block(pane: Pane, focused: bool, extra: String) -> Block<'static> {
    let (border, title) = if focused {
        (theme().border_focused, theme().title_focused)
    } else {
        (theme().border, theme().title)
    };
    let mut line = vec![ratatui::text::Span::styled(
        format!(" {} {} ", pane.number(), pane.title()),
        title,
    )];
    if !extra.is_empty() {
        line.push(ratatui::text::Span::styled(
            format!("{extra} "),
            theme().dim,
        ));
    }
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(border)
        .title(Line::from(line))
}
