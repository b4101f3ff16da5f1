//! The popup of a `[[commands]]` entry: the exact arguments, then "running…", then what the
//! program printed and how it ended.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::theme::theme;
use crate::app::custom::{CommandRun, Stage, shown};
use crate::release::text;

/// Draws the popup centred on `area`.
pub fn render(run: &CommandRun, frame: &mut Frame, area: Rect) {
    let [popup] = Layout::horizontal([Constraint::Percentage(80)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Percentage(70)])
        .flex(Flex::Center)
        .areas(popup);
    let mut lines = vec![Line::from(vec![
        Span::styled("$ ", theme().dim),
        Span::styled(text::line(&shown(&run.argv)).into_owned(), theme().bold),
    ])];
    lines.push(Line::from(Span::styled(
        "(run as these arguments, without a shell)",
        theme().dim,
    )));
    lines.push(Line::from(""));
    let footer = match &run.stage {
        Stage::Confirm => {
            lines.push(Line::from(vec![
                Span::styled("Run this? ", theme().warn),
                Span::styled("y/enter", theme().key),
                Span::raw(" runs · "),
                Span::styled("n/esc", theme().key),
                Span::raw(" cancels"),
            ]));
            " y run · n cancel "
        }
        Stage::Running => {
            lines.push(Line::from(Span::styled("running…", theme().running)));
            " esc close (the program keeps running) "
        }
        Stage::Done(Err(e)) => {
            lines.push(Line::from(Span::styled(
                text::line(e).into_owned(),
                theme().bad,
            )));
            " esc close "
        }
        Stage::Done(Ok(done)) => {
            let (status, style) = match done.code {
                Some(0) => ("exit 0".to_string(), theme().ok),
                Some(c) => (format!("exit {c}"), theme().bad),
                None => ("killed by a signal".to_string(), theme().bad),
            };
            lines.push(Line::from(Span::styled(status, style)));
            for l in done.stdout.lines() {
                lines.push(Line::from(text::line(l).into_owned()));
            }
            if !done.stderr.is_empty() {
                lines.push(Line::from(Span::styled("stderr:", theme().warn)));
                for l in done.stderr.lines() {
                    lines.push(Line::from(Span::styled(
                        text::line(l).into_owned(),
                        theme().warn,
                    )));
                }
            }
            " esc close · j/k scroll "
        }
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((run.scroll, 0))
            .block(
                Block::bordered()
                    .border_type(BorderType::Rounded)
                    .border_style(theme().border_focused)
                    .title(Span::styled(
                        format!(" {} ", text::line(&run.name)),
                        theme().title_focused,
                    ))
                    .title_bottom(Span::styled(footer, theme().dim)),
            ),
        popup,
    );
}
