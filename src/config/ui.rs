//! `[ui]`: the bell, the mouse, the theme and colour overrides.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// `[ui]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ui {
    /// Ring the bell when a watched run completes.
    pub bell: bool,
    /// Click to focus and select, wheel to scroll.
    pub mouse: bool,
    /// The built-in palette the colours start from.
    pub theme: ThemeName,
    /// `[ui.colors]`: one role's style, e.g. `no_go = "bold white on red"`.
    pub colors: ColorOverrides,
}

impl Default for Ui {
    fn default() -> Self {
        Self {
            bell: true,
            mouse: true,
            theme: ThemeName::Dark,
            colors: ColorOverrides::default(),
        }
    }
}

/// The built-in themes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// For terminals with a dark background.
    #[default]
    Dark,
    /// For terminals with a light background.
    Light,
}

impl ThemeName {
    /// Every built-in theme, in the order `:theme` cycles them.
    pub const ALL: [ThemeName; 2] = [ThemeName::Dark, ThemeName::Light];

    /// `dark` or `light`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
        }
    }

    /// The theme named `name` (case-insensitive).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// `[ui.colors]`: a style for any of the theme's roles; absent roles keep the theme's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ColorOverrides {
    pub title: Option<StyleSpec>,
    pub title_focused: Option<StyleSpec>,
    pub border: Option<StyleSpec>,
    pub border_focused: Option<StyleSpec>,
    pub tab: Option<StyleSpec>,
    pub tab_active: Option<StyleSpec>,
    pub dim: Option<StyleSpec>,
    pub selected: Option<StyleSpec>,
    pub ok: Option<StyleSpec>,
    pub bad: Option<StyleSpec>,
    pub warn: Option<StyleSpec>,
    pub running: Option<StyleSpec>,
    pub queued: Option<StyleSpec>,
    pub go: Option<StyleSpec>,
    pub no_go: Option<StyleSpec>,
    pub production: Option<StyleSpec>,
    pub banner: Option<StyleSpec>,
    pub key: Option<StyleSpec>,
    pub brand: Option<StyleSpec>,
    pub section: Option<StyleSpec>,
}

/// A style written like git's colour config: `"[bold|dim|italic|underlined|reversed]… [fg] [on
/// bg]"`, colours by name (`red`, `lightblue`, `darkgray`), index (`208`) or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StyleSpec(pub Style);

impl TryFrom<String> for StyleSpec {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl FromStr for StyleSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut style = Style::new();
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            return Err("a style needs at least a colour, e.g. \"red\" or \"white on red\"".into());
        }
        while let Some(word) = words.next() {
            let lower = word.to_ascii_lowercase();
            if lower == "on" {
                let bg = words
                    .next()
                    .ok_or_else(|| format!("\"{text}\": `on` needs a background colour"))?;
                style = style.bg(color(bg, text)?);
            } else if let Some(m) = modifier(&lower) {
                style = style.add_modifier(m);
            } else if style.fg.is_none() {
                style = style.fg(color(word, text)?);
            } else {
                return Err(format!(
                    "\"{text}\": `{word}` is a second foreground colour (write `fg on bg`)"
                ));
            }
        }
        Ok(StyleSpec(style))
    }
}

fn modifier(word: &str) -> Option<Modifier> {
    Some(match word {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        _ => return None,
    })
}

fn color(word: &str, text: &str) -> Result<Color, String> {
    Color::from_str(word).map_err(|_| {
        format!(
            "\"{text}\": `{word}` is not a colour (a name like red or lightblue, an index 0-255, \
             or #rrggbb)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_read_like_git_colours() {
        let s: StyleSpec = "bold white on red".parse().unwrap();
        assert_eq!(
            s.0,
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        );
        let s: StyleSpec = "#ff8800".parse().unwrap();
        assert_eq!(s.0, Style::new().fg(Color::Rgb(255, 136, 0)));
        let s: StyleSpec = "on 236".parse().unwrap();
        assert_eq!(s.0, Style::new().bg(Color::Indexed(236)));
    }

    #[test]
    fn bad_styles_say_what_is_wrong() {
        let err = "white on".parse::<StyleSpec>().unwrap_err();
        assert!(err.contains("`on` needs a background"), "{err}");
        let err = "mauve".parse::<StyleSpec>().unwrap_err();
        assert!(err.contains("`mauve` is not a colour"), "{err}");
        let err = "red green".parse::<StyleSpec>().unwrap_err();
        assert!(err.contains("second foreground"), "{err}");
        assert!("".parse::<StyleSpec>().is_err());
    }

    #[test]
    fn theme_names_parse_case_insensitively() {
        assert_eq!(ThemeName::parse("Light"), Some(ThemeName::Light));
        assert_eq!(ThemeName::parse("solarized"), None);
    }
}
