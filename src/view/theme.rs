//! Named styles: every colour the views use comes from here.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use crate::config::{ColorOverrides, StyleSpec, ThemeName};

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
    /// The PRODUCTION badge: kept apart from NO-GO so the two never read as one.
    pub production: Style,
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
    production: Style::new()
        .fg(Color::Black)
        .bg(Color::LightMagenta)
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

/// The theme for terminals with a light background: no white-on-white greys or yellows, darker
/// accents, a pale selection bar.
pub const LIGHT: Theme = Theme {
    title: Style::new().fg(Color::Black),
    title_focused: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::Gray),
    border_focused: Style::new().fg(Color::Blue),
    tab: Style::new().fg(Color::Black),
    tab_active: Style::new()
        .fg(Color::White)
        .bg(Color::Blue)
        .add_modifier(Modifier::BOLD),
    dim: Style::new().fg(Color::DarkGray),
    bold: Style::new().add_modifier(Modifier::BOLD),
    selected: Style::new()
        .bg(Color::Rgb(200, 220, 245))
        .add_modifier(Modifier::BOLD),
    ok: Style::new().fg(Color::Rgb(0, 120, 0)),
    bad: Style::new().fg(Color::Rgb(190, 0, 0)),
    warn: Style::new().fg(Color::Rgb(150, 95, 0)),
    running: Style::new()
        .fg(Color::Rgb(150, 95, 0))
        .add_modifier(Modifier::BOLD),
    queued: Style::new().fg(Color::Blue),
    go: Style::new()
        .fg(Color::White)
        .bg(Color::Rgb(0, 120, 0))
        .add_modifier(Modifier::BOLD),
    no_go: Style::new()
        .fg(Color::White)
        .bg(Color::Rgb(190, 0, 0))
        .add_modifier(Modifier::BOLD),
    production: Style::new()
        .fg(Color::White)
        .bg(Color::Magenta)
        .add_modifier(Modifier::BOLD),
    banner: Style::new().fg(Color::White).bg(Color::Rgb(190, 0, 0)),
    key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
    brand: Style::new()
        .fg(Color::White)
        .bg(Color::Blue)
        .add_modifier(Modifier::BOLD),
    header_heading: Style::new().fg(Color::Black).add_modifier(Modifier::BOLD),
    section: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
};

impl Theme {
    /// The built-in theme `name` with the config's `[ui.colors]` laid over it.
    #[must_use]
    pub fn build(name: ThemeName, colors: &ColorOverrides) -> Self {
        let mut t = match name {
            ThemeName::Dark => DARK,
            ThemeName::Light => LIGHT,
        };
        let roles: [(&mut Style, Option<StyleSpec>); 20] = [
            (&mut t.title, colors.title),
            (&mut t.title_focused, colors.title_focused),
            (&mut t.border, colors.border),
            (&mut t.border_focused, colors.border_focused),
            (&mut t.tab, colors.tab),
            (&mut t.tab_active, colors.tab_active),
            (&mut t.dim, colors.dim),
            (&mut t.selected, colors.selected),
            (&mut t.ok, colors.ok),
            (&mut t.bad, colors.bad),
            (&mut t.warn, colors.warn),
            (&mut t.running, colors.running),
            (&mut t.queued, colors.queued),
            (&mut t.go, colors.go),
            (&mut t.no_go, colors.no_go),
            (&mut t.production, colors.production),
            (&mut t.banner, colors.banner),
            (&mut t.key, colors.key),
            (&mut t.brand, colors.brand),
            (&mut t.section, colors.section),
        ];
        for (style, spec) in roles {
            if let Some(StyleSpec(s)) = spec {
                *style = s;
            }
        }
        t
    }
}

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
    fn production_and_no_go_stay_distinct_in_every_built_in_theme() {
        for name in ThemeName::ALL {
            let t = Theme::build(name, &ColorOverrides::default());
            assert_ne!(t.production.bg, t.no_go.bg, "{name:?}");
            assert_ne!(t.go.bg, t.no_go.bg, "{name:?}");
            assert_ne!(t.selected.bg, None, "{name:?}");
        }
    }

    #[test]
    fn config_colours_replace_only_the_roles_they_name() {
        let colors = ColorOverrides {
            no_go: Some("bold yellow on blue".parse().unwrap()),
            ..ColorOverrides::default()
        };
        let t = Theme::build(ThemeName::Light, &colors);
        assert_eq!(t.no_go.fg, Some(Color::Yellow));
        assert_eq!(t.no_go.bg, Some(Color::Blue));
        assert_eq!(t.ok, LIGHT.ok);
        assert_eq!(t.production, LIGHT.production);
    }

    #[test]
    fn the_current_theme_is_what_was_set_last() {
        set(LIGHT);
        assert_eq!(theme(), LIGHT);
        set(DARK);
        assert_eq!(theme(), DARK);
    }

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
