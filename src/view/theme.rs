//! Named styles: every colour the views use comes from here.

use ratatui::style::{Color, Modifier, Style};

/// The palette.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub title_focused: Style,
    pub border: Style,
    pub border_focused: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub dim: Style,
    pub bold: Style,
    pub selected: Style,
    pub ok: Style,
    pub bad: Style,
    pub warn: Style,
    pub running: Style,
    pub queued: Style,
    pub go: Style,
    pub no_go: Style,
    pub banner: Style,
    pub key: Style,
    pub brand: Style,
    pub header_heading: Style,
    pub section: Style,
}

/// The default dark-terminal theme.
pub const THEME: Theme = Theme {
    title: Style::new().fg(Color::Gray),
    title_focused: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::DarkGray),
    border_focused: Style::new().fg(Color::Cyan),
    tab: Style::new().fg(Color::Gray),
    tab_active: Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD),
    dim: Style::new().fg(Color::DarkGray),
    bold: Style::new().add_modifier(Modifier::BOLD),
    selected: Style::new()
        .bg(Color::Rgb(40, 60, 90))
        .add_modifier(Modifier::BOLD),
    ok: Style::new().fg(Color::Green),
    bad: Style::new().fg(Color::Red),
    warn: Style::new().fg(Color::Yellow),
    running: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    queued: Style::new().fg(Color::Blue),
    go: Style::new()
        .fg(Color::Black)
        .bg(Color::Green)
        .add_modifier(Modifier::BOLD),
    no_go: Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD),
    banner: Style::new().fg(Color::White).bg(Color::Red),
    key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    brand: Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD),
    header_heading: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
    section: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
};
