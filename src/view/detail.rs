//! The detail view of one issue or pull request: its title, state, labels, assignees and
//! milestone, its body rendered from Markdown, and its latest comments.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::format::ago;
use super::markdown;
use super::theme::theme;
use crate::app::AppState;
use crate::app::detail::{IssueView, find_issue};
use crate::release::{Issue, State, text};

/// Draws the detail view over most of `area`.
pub fn render(state: &AppState, view: &IssueView, frame: &mut Frame, area: Rect) {
    let [popup] = Layout::horizontal([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(popup);
    let mut lines = Vec::new();
    let title = match find_issue(state, &view.repo, view.number) {
        Some((issue, milestone)) => {
            render_head(state, issue, milestone, &mut lines);
            lines.push(Line::default());
            match issue.body.as_deref().map(str::trim) {
                Some(body) if !body.is_empty() => lines.extend(markdown::render(body).lines),
                _ => lines.push(Line::from(Span::styled("No description.", theme().dim))),
            }
            let kind = if issue.is_pull_request { "PR" } else { "Issue" };
            format!(" {kind} {}#{} ", view.repo, view.number)
        }
        None => {
            let what = match state.details.issue(&view.repo, view.number) {
                Some(Err(e)) => Span::styled(
                    format!(
                        "cannot read {}#{}: {}",
                        view.repo,
                        view.number,
                        text::line(e)
                    ),
                    theme().bad,
                ),
                _ => Span::styled(
                    format!("loading {}#{}…", view.repo, view.number),
                    theme().dim,
                ),
            };
            lines.push(Line::from(what));
            format!(" {}#{} ", view.repo, view.number)
        }
    };
    lines.push(Line::default());
    render_comments(state, view, &mut lines);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0))
            .block(
                Block::bordered()
                    .border_type(BorderType::Rounded)
                    .border_style(theme().border_focused)
                    .title(Span::styled(title, theme().title_focused))
                    .title_bottom(Span::styled(
                        " esc close · j/k/pgup/pgdn scroll · o open · y copy URL · c comment ",
                        theme().dim,
                    )),
            ),
        popup,
    );
}

/// Title, state, who and when, milestone, labels and assignees.
fn render_head(
    state: &AppState,
    issue: &Issue,
    milestone: Option<&str>,
    lines: &mut Vec<Line<'static>>,
) {
    let (word, style) = match (issue.state, issue.merged_at.is_some()) {
        (State::Open, _) => ("open", theme().ok),
        (State::Closed, true) => ("merged", theme().queued),
        (State::Closed, false) => ("closed", theme().bad),
    };
    lines.push(Line::from(vec![
        Span::styled(
            format!("{word}  "),
            style.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(text::line(&issue.title).into_owned(), theme().bold),
    ]));
    let mut who = format!("{}#{}", issue.repo, issue.number);
    if let Some(author) = &issue.author {
        who.push_str(&format!(
            " · opened by @{} {}",
            text::line(author),
            ago(issue.created_at, state.now)
        ));
    }
    who.push_str(&format!(" · updated {}", ago(issue.updated_at, state.now)));
    if let Some(m) = milestone {
        who.push_str(&format!(" · milestone {}", text::line(m)));
    }
    lines.push(Line::from(Span::styled(who, theme().dim)));
    if !issue.labels.is_empty() {
        let labels: Vec<String> = issue
            .labels
            .iter()
            .map(|l| text::line(l).into_owned())
            .collect();
        lines.push(Line::from(vec![
            Span::styled("labels     ", theme().dim),
            Span::raw(labels.join(", ")),
        ]));
    }
    if !issue.assignees.is_empty() {
        let people: Vec<String> = issue
            .assignees
            .iter()
            .map(|a| format!("@{}", text::line(a)))
            .collect();
        lines.push(Line::from(vec![
            Span::styled("assignees  ", theme().dim),
            Span::raw(people.join(", ")),
        ]));
    }
}

/// The latest comments, or that they are on their way, or why they could not be read.
fn render_comments(state: &AppState, view: &IssueView, lines: &mut Vec<Line<'static>>) {
    let cached = state.details.comments(&view.repo, view.number);
    let result = cached.and_then(|c| c.result.as_ref());
    let loading = cached.is_none_or(|c| c.loading);
    match result {
        None => {
            lines.push(Line::from(Span::styled("Comments", theme().section)));
            let what = if loading {
                "loading comments…"
            } else {
                "no comments read"
            };
            lines.push(Line::from(Span::styled(what, theme().dim)));
        }
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled("Comments", theme().section)));
            lines.push(Line::from(Span::styled(
                format!("cannot read the comments: {}", text::line(e)),
                theme().bad,
            )));
        }
        Some(Ok((comments, total))) => {
            let heading = match (*total, comments.len()) {
                (0, _) => "Comments (none)".to_string(),
                (t, n) if t == n => format!("Comments ({t})"),
                (t, n) => format!("Comments (the latest {n} of {t})"),
            };
            let refreshing = if loading { "  refreshing…" } else { "" };
            lines.push(Line::from(vec![
                Span::styled(heading, theme().section),
                Span::styled(refreshing, theme().dim),
            ]));
            for c in comments {
                lines.push(Line::default());
                let author = c.author.as_deref().map_or_else(
                    || "a deleted account".to_string(),
                    |a| format!("@{}", text::line(a)),
                );
                lines.push(Line::from(vec![
                    Span::styled(author, theme().bold),
                    Span::styled(format!(" · {}", ago(c.created_at, state.now)), theme().dim),
                ]));
                lines.extend(markdown::render(&c.body).lines);
            }
        }
    }
}
