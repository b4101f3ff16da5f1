//! The confirm popup shown before any change with consequences: the exact call, an optional
//! typed confirmation, and No/Yes buttons with No as the default.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use super::theme::theme;
use crate::app::write::Confirm;
use crate::release::call::describe;
use crate::release::dispatch::confirmation_matches;

/// The widest the popup grows.
const MAX_WIDTH: u16 = 76;

/// What the confirm popup shows; the app state owns the values.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmView<'a> {
    /// The question, e.g. "Dispatch Deploy to production?".
    pub title: &'a str,
    /// What will happen, e.g. the exact call; may have several lines.
    pub body: &'a str,
    /// Text the user must type before Yes is enabled (e.g. "production").
    pub typed_requirement: Option<&'a str>,
    /// What the user has typed so far.
    pub typed: &'a str,
    /// Whether Yes is selected; No is the default.
    pub yes_selected: bool,
    /// Whether the action is dangerous (production): the border uses the danger colour.
    pub danger: bool,
    /// The requirement is typed and keys now go to the text field: no cursor on it.
    pub typing_done: bool,
}

/// Draws a confirm dialog: its context, its choice and text field, then the calls Yes would
/// send now, computed from the dialog's current state on every frame.
pub fn render_dialog(c: &Confirm, frame: &mut Frame, area: Rect) {
    let mut body = c.context.clone();
    if let Some(choice) = &c.choice {
        let option = choice
            .options
            .get(choice.selected)
            .cloned()
            .unwrap_or_default();
        body.push_str(&format!(
            "\n\n{}: ‹ {option} ›  (↑/↓ to change)",
            choice.label
        ));
    }
    // With a typed requirement too (an override), the text is typed once the requirement
    // matches: the cursor shows where the next key goes.
    let requirement_met = confirmation_matches(c.typed_requirement.as_deref(), &c.typed);
    if let Some(t) = &c.text {
        let need = if t.required { " (required)" } else { "" };
        let cursor = if requirement_met { "▏" } else { "" };
        body.push_str(&format!("\n{}{need}: {}{cursor}", t.label, t.value));
    }
    if !body.is_empty() {
        body.push_str("\n\n");
    }
    body.push_str("Sends:\n");
    body.push_str(&describe(&c.calls()));
    render(
        &ConfirmView {
            title: &c.title,
            body: &body,
            typed_requirement: c.typed_requirement.as_deref(),
            typed: &c.typed,
            yes_selected: c.yes_selected,
            danger: c.danger,
            typing_done: c.text.is_some() && requirement_met,
        },
        frame,
        area,
    );
}

/// Draws the popup centred on `area`: title, wrapped body, the typed confirmation if one is
/// required (Yes stays dim until it matches), the buttons and a line of keys.
pub fn render(view: &ConfirmView<'_>, frame: &mut Frame, area: Rect) {
    let width = MAX_WIDTH.min(area.width);
    let text_width = usize::from(width.saturating_sub(4)).max(1);
    let yes_enabled = confirmation_matches(view.typed_requirement, view.typed);

    let mut lines: Vec<Line> = Vec::new();
    lines.extend(
        view.body
            .lines()
            .flat_map(|l| wrap_text(l, text_width))
            .map(Line::raw),
    );
    lines.push(Line::default());
    if let Some(requirement) = view.typed_requirement {
        let typed_style = if yes_enabled { theme().ok } else { theme().bold };
        lines.push(Line::from(vec![
            Span::raw("Type "),
            Span::styled(requirement, if view.danger { theme().bad } else { theme().key }),
            Span::raw(" to confirm: "),
            Span::styled(view.typed, typed_style),
            Span::styled(if view.typing_done { "" } else { "▏" }, theme().key),
        ]));
        lines.push(Line::default());
    }
    lines.push(render_buttons(view, yes_enabled));
    lines.push(Line::default());
    lines.extend(hint_lines(
        &["←/→ choose", "enter confirm", "esc cancel"],
        text_width,
    ));

    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = centred(area, width, height);
    let (border, border_type, title_style) = if view.danger {
        (theme().bad, BorderType::Thick, theme().no_go)
    } else {
        (
            theme().border_focused,
            BorderType::Rounded,
            theme().title_focused,
        )
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_type(border_type)
                .border_style(border)
                .padding(Padding::horizontal(1))
                .title(Span::styled(format!(" {} ", view.title), title_style)),
        ),
        popup,
    );
}

/// `[ No ]  [ Yes ]`, centred, the selected one highlighted; Yes dim while disabled.
fn render_buttons(view: &ConfirmView<'_>, yes_enabled: bool) -> Line<'static> {
    let no_style = if view.yes_selected {
        theme().title
    } else {
        theme().tab_active
    };
    let yes_style = match (yes_enabled, view.yes_selected) {
        (true, true) if view.danger => theme().no_go,
        (true, true) => theme().tab_active,
        (true, false) => theme().title,
        (false, true) => theme().dim.add_modifier(Modifier::REVERSED),
        (false, false) => theme().dim,
    };
    Line::from(vec![
        Span::styled("[ No ]", no_style),
        Span::raw("  "),
        Span::styled("[ Yes ]", yes_style),
    ])
    .centered()
}

/// A `width`×`height` rectangle centred in `area`.
pub(crate) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    popup
}

/// Key hints joined by " · ", broken into dim lines at the separators to fit `width`.
pub(crate) fn hint_lines(hints: &[&str], width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for hint in hints {
        let candidate = if current.is_empty() {
            (*hint).to_string()
        } else {
            format!("{current} · {hint}")
        };
        if !current.is_empty() && text_width(&candidate) > width {
            lines.push(Line::styled(std::mem::take(&mut current), theme().dim));
            current = (*hint).to_string();
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(Line::styled(current, theme().dim));
    }
    lines
}

/// The display width of `s` in terminal cells.
pub(crate) fn text_width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Wraps one line of text to `width` cells: at spaces or after commas (compact JSON) where it
/// can, inside a word that is longer than a whole line. Leading indentation is kept on the first
/// line. Always at least one line.
pub(crate) fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0;
    for word in text.split_inclusive([' ', ',']) {
        let word_width = text_width(word);
        let fits = current_width + text_width(word.trim_end()) <= width;
        if !fits && current_width > 0 {
            lines.push(current.trim_end().to_string());
            current.clear();
            current_width = 0;
        }
        if current_width == 0 && word_width > width {
            // A word longer than a line: break it at the width.
            for c in word.chars() {
                let mut buf = [0; 4];
                let w = text_width(c.encode_utf8(&mut buf));
                if current_width + w > width && current_width > 0 {
                    lines.push(std::mem::take(&mut current));
                    current_width = 0;
                }
                current.push(c);
                current_width += w;
            }
            continue;
        }
        current.push_str(word);
        current_width += word_width;
    }
    let last = current.trim_end();
    if !last.is_empty() || lines.is_empty() {
        lines.push(last.to_string());
    }
    lines
}

/// The style of a danger title: the danger colour, bold.
pub(crate) fn danger_text() -> Style {
    theme().bad.add_modifier(Modifier::BOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_inside_long_words() {
        assert_eq!(wrap_text("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap_text("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(
            wrap_text("  \"ref\": \"x\",", 40),
            vec!["  \"ref\": \"x\","]
        );
        assert_eq!(wrap_text("", 10), vec![""]);
        assert_eq!(wrap_text("ab abcdefgh", 4), vec!["ab", "abcd", "efgh"]);
        assert_eq!(
            wrap_text(r#"{"a":"x","b":"y"}"#, 10),
            vec![r#"{"a":"x","#, r#""b":"y"}"#]
        );
    }

    #[test]
    fn hints_break_at_separators() {
        let lines = hint_lines(&["aaaa", "bbbb", "cccc"], 11);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, vec!["aaaa · bbbb", "cccc"]);
    }
}
