//! Named styles: every colour the views use comes from here.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

/// The palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

thread_local! {
    /// The theme the views of this thread draw with; [`set`] at the start of each frame.
    static CURRENT: std::cell::Cell<Theme> = const { std::cell::Cell::new(DARK) };
}

/// The theme the current frame is drawn with.
#[must_use]
pub fn theme() -> Theme {
    CURRENT.with(std::cell::Cell::get)
}

/// Draws what follows (on this thread) with `theme`.
pub fn set(theme: Theme) {
    CURRENT.with(|c| c.set(theme));
}

/// The default dark-terminal theme.
pub const DARK: Theme = Theme {
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

/// The theme without colour (`NO_COLOR`): every cell keeps its text and attributes but loses its
/// colours; what stood out by a background (the selected row, the active tab, the GO/NO-GO
/// badge, the chosen button) is in reverse video, and dim text (dark grey) is dim.
///
/// Leaving no colour in the frame also keeps crossterm from writing its `NO_COLOR` stand-in for
/// a colour change, `ESC[;m`, which terminals read as "reset all" and which erased every bold
/// or reversed cell.
pub fn monochrome(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        if cell.fg == Color::DarkGray {
            cell.modifier.insert(Modifier::DIM);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn monochrome_keeps_text_and_attributes_and_turns_backgrounds_into_reverse_video() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer.set_string(0, 0, "a", DARK.selected);
        buffer.set_string(1, 0, "b", DARK.dim);
        buffer.set_string(2, 0, "c", DARK.ok);
        buffer.set_string(3, 0, "d", DARK.dim.add_modifier(Modifier::REVERSED));
        monochrome(&mut buffer);
        let cells: Vec<_> = buffer
            .content
            .iter()
            .map(|c| (c.symbol().to_string(), c.fg, c.bg, c.modifier))
            .collect();
        assert_eq!(
            cells,
            vec![
                (
                    "a".into(),
                    Color::Reset,
                    Color::Reset,
                    Modifier::BOLD | Modifier::REVERSED
                ),
                ("b".into(), Color::Reset, Color::Reset, Modifier::DIM),
                ("c".into(), Color::Reset, Color::Reset, Modifier::empty()),
                (
                    "d".into(),
                    Color::Reset,
                    Color::Reset,
                    Modifier::DIM | Modifier::REVERSED
                ),
            ]
        );
    }
}
