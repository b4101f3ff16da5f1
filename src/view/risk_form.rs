//! The new-risk popup (`n` in the Risks pane): its fields drawn like the dispatch form's, with
//! the score the picked levels make.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding};

use super::dispatch::{Columns, MAX_WIDTH, Popup, render_field, render_popup};
use super::theme::theme;
use crate::release::risk::form::{IMPACT, LIKELIHOOD, RiskForm};

/// The keys the form answers to, shown at its foot.
const HINTS: [&str; 5] = [
    "tab/↓ next",
    "shift-tab/↑ prev",
    "←/→ choose",
    "enter review",
    "esc cancel",
];

/// Draws the form as a centred popup over `area`.
pub fn render(form: &RiskForm, frame: &mut Frame, area: Rect) {
    let text_w = usize::from(MAX_WIDTH.min(area.width).saturating_sub(4)).max(1);
    let cols = Columns::fit(form.fields.iter().map(|f| f.name.as_str()), text_w);
    let mut body: Vec<Line<'static>> = vec![Line::default()];
    let mut focus_rows = (0, 0);
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focus;
        let start = body.len();
        let hint = if field.kind.options().is_some() {
            "choice"
        } else {
            "text"
        };
        render_field(
            &mut body,
            &cols,
            field,
            hint,
            focused,
            form.errors.get(&field.name).map(String::as_str),
        );
        if focused {
            focus_rows = (start, body.len());
        }
        body.push(Line::default());
    }
    let score = match (form.level(LIKELIHOOD), form.level(IMPACT)) {
        (Some(l), Some(i)) => format!("score {l} × {i} = {}", l * i),
        _ => "score: pick the likelihood and the impact".to_string(),
    };
    let below = vec![Line::styled(score, theme().dim)];
    let title = match form.repo() {
        Some(repo) if form.repos.len() == 1 => format!(" New risk · {repo} "),
        _ => " New risk ".to_string(),
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme().border_focused)
        .title(Span::styled(title, theme().title_focused))
        .padding(Padding::horizontal(1));
    render_popup(
        frame,
        area,
        block,
        Popup {
            body,
            focus_rows,
            below,
            hints: &HINTS,
        },
    );
}
