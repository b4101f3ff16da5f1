//! The dispatch form popup: the ref and each `workflow_dispatch` input with its value, hint,
//! description and error; production forms are drawn in the danger colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use super::confirm::{centred, danger_text, hint_lines, text_width, wrap_text};
use super::theme::theme;
use crate::release::dispatch::{
    DispatchForm, FORM_ERROR_KEY, InputField, InputKind, REF_ERROR_KEY,
};

/// The widest the popup grows.
pub(super) const MAX_WIDTH: u16 = 92;

/// The widest a value column grows, so that the kind hint stays near its value.
const MAX_VALUE_WIDTH: usize = 44;

/// The keys the form answers to, shown at its foot.
const HINTS: [&str; 6] = [
    "tab/↓ next",
    "shift-tab/↑ prev",
    "←/→ choose",
    "space toggle",
    "enter review",
    "esc cancel",
];

/// The widest kind hint, "environment".
const HINT_WIDTH: usize = 11;

/// Column widths inside a form popup.
pub(super) struct Columns {
    label: usize,
    value: usize,
}

impl Columns {
    /// The columns for fields named `names` in a popup `text_w` cells wide inside.
    pub(super) fn fit<'a>(names: impl Iterator<Item = &'a str>, text_w: usize) -> Self {
        let label = names
            .map(|n| text_width(n) + 2)
            .chain([5])
            .max()
            .unwrap_or(5)
            .clamp(8, 24);
        // "▸ " + label + " " + value + " " + hint
        let value = text_w
            .saturating_sub(2 + label + 1 + 1 + HINT_WIDTH)
            .clamp(8, MAX_VALUE_WIDTH);
        Columns { label, value }
    }
}

/// Draws the form as a centred popup over `area`. `production`: the form targets the
/// production environment, so the border and title use the danger colour and say PRODUCTION.
pub fn render(form: &DispatchForm, production: bool, frame: &mut Frame, area: Rect) {
    // Where the pre-filled values came from (a rollback's "last good on production: …"), at
    // the top of the form.
    let note = form.note.as_deref();
    let width = MAX_WIDTH.min(area.width);
    let text_w = usize::from(width.saturating_sub(4)).max(1);
    let cols = Columns::fit(form.fields.iter().map(|f| f.name.as_str()), text_w);
    let (body, focus_rows) = render_body(form, production, note, &cols, text_w);

    let form_error: Vec<Line> = form
        .errors
        .get(FORM_ERROR_KEY)
        .map(|e| {
            wrap_text(&format!("✗ {e}"), text_w)
                .into_iter()
                .map(|l| Line::styled(l, theme().bad))
                .collect()
        })
        .unwrap_or_default();
    let block = render_block(form, production);
    render_popup(
        frame,
        area,
        block,
        Popup {
            body,
            focus_rows,
            below: form_error,
            hints: &HINTS,
        },
    );
}

/// What a form popup holds: the scrolled body (and the rows of its focused field), lines kept
/// below it (form-wide errors), and the key hints at its foot.
pub(super) struct Popup<'a> {
    pub body: Vec<Line<'static>>,
    pub focus_rows: (usize, usize),
    pub below: Vec<Line<'static>>,
    pub hints: &'a [&'a str],
}

/// Draws a form popup centred over `area`, at most [`MAX_WIDTH`] wide, scrolled just far
/// enough that the focused field is in view.
pub(super) fn render_popup(frame: &mut Frame, area: Rect, block: Block<'static>, popup: Popup) {
    let Popup {
        body,
        focus_rows,
        below: form_error,
        hints,
    } = popup;
    let width = MAX_WIDTH.min(area.width);
    let text_w = usize::from(width.saturating_sub(4)).max(1);
    let footer = hint_lines(hints, text_w);

    let wanted = body.len() + form_error.len() + footer.len() + 2;
    let height = u16::try_from(wanted).unwrap_or(u16::MAX).min(area.height);
    let popup = centred(area, width, height);
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);

    let [body_area, error_area, footer_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(u16::try_from(form_error.len()).unwrap_or(u16::MAX)),
        Constraint::Length(u16::try_from(footer.len()).unwrap_or(u16::MAX)),
    ])
    .areas(inner);
    // Scroll just far enough that the focused field is in view.
    let visible = usize::from(body_area.height);
    let scroll = focus_rows.1.saturating_sub(visible).min(focus_rows.0);
    frame.render_widget(
        Paragraph::new(body).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        body_area,
    );
    frame.render_widget(Paragraph::new(form_error), error_area);
    frame.render_widget(Paragraph::new(footer), footer_area);
}

/// The scrolled part of the form: the production warning, then each field; and the rows
/// (start, end) of the focused field.
fn render_body(
    form: &DispatchForm,
    production: bool,
    note: Option<&str>,
    cols: &Columns,
    text_w: usize,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let mut body: Vec<Line<'static>> = Vec::new();
    if production {
        body.push(Line::styled(
            "⚠ This dispatch targets PRODUCTION: you will type its name to confirm.",
            danger_text(),
        ));
    }
    if let Some(note) = note {
        body.extend(
            wrap_text(&format!("ⓘ {note}"), text_w)
                .into_iter()
                .map(|l| Line::styled(l, theme().queued)),
        );
    }
    body.push(Line::default());
    let mut focus_rows = (0, 0);
    let ref_field = InputField {
        name: "ref".to_string(),
        description: Some("The branch or tag to run the workflow on".to_string()),
        kind: InputKind::String,
        required: true,
        default: None,
        value: form.git_ref.clone(),
    };
    let rows = std::iter::once((&ref_field, form.errors.get(REF_ERROR_KEY), "branch/tag")).chain(
        form.fields
            .iter()
            .map(|f| (f, form.errors.get(&f.name), f.kind.hint())),
    );
    for (index, (field, error, hint)) in rows.enumerate() {
        let focused = index == form.focus;
        let start = body.len();
        render_field(
            &mut body,
            cols,
            field,
            hint,
            focused,
            error.map(String::as_str),
        );
        if focused {
            focus_rows = (start, body.len());
        }
        body.push(Line::default());
    }
    (body, focus_rows)
}

/// The popup's border and title: the danger colour and a PRODUCTION badge for production.
fn render_block(form: &DispatchForm, production: bool) -> Block<'static> {
    let title = format!(
        " Dispatch {} · {} · {} ",
        form.workflow_name, form.workflow_file, form.repo
    );
    if production {
        Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme().bad)
            .title(Line::from(vec![
                Span::styled(" PRODUCTION ", theme().production),
                Span::styled(title, danger_text()),
            ]))
    } else {
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme().border_focused)
            .title(Span::styled(title, theme().title_focused))
    }
    .padding(Padding::horizontal(1))
}

/// The lines of one field: label and value (and kind hint), then its description and error.
pub(super) fn render_field(
    out: &mut Vec<Line<'static>>,
    cols: &Columns,
    field: &InputField,
    hint: &str,
    focused: bool,
    error: Option<&str>,
) {
    let (marker, label_style) = if focused {
        (Span::styled("▸ ", theme().key), theme().title_focused)
    } else {
        (Span::raw("  "), theme().bold)
    };
    let mut spans = vec![marker, Span::styled(field.name.clone(), label_style)];
    let mut label_width = text_width(&field.name);
    if field.required {
        spans.push(Span::styled(" *", theme().warn));
        label_width += 2;
    }
    spans.push(Span::raw(
        " ".repeat(cols.label.saturating_sub(label_width) + 1),
    ));
    let (value, value_style) = value_text(field, focused, cols.value);
    let value_width = text_width(&value);
    let pad = " ".repeat(cols.value.saturating_sub(value_width));
    if focused {
        // The focused value reads as an input box: its whole column is highlighted.
        spans.push(Span::styled(format!("{value}{pad}"), value_style));
        spans.push(Span::raw(" "));
    } else {
        spans.push(Span::styled(value, value_style));
        spans.push(Span::raw(format!("{pad} ")));
    }
    spans.push(Span::styled(hint.to_string(), theme().dim));
    out.push(Line::from(spans));

    let indent = " ".repeat(2 + cols.label + 1);
    let wrap_width = cols.value + 1 + HINT_WIDTH;
    if let Some(description) = &field.description {
        for line in wrap_text(description, wrap_width) {
            out.push(Line::styled(format!("{indent}{line}"), theme().dim));
        }
    }
    if let Some(error) = error {
        for line in wrap_text(&format!("✗ {error}"), wrap_width) {
            out.push(Line::styled(format!("{indent}{line}"), theme().bad));
        }
    }
}

/// The value as shown, at most `width` cells: `‹ staging ›`, `[x] true`, or the text with a
/// cursor when focused (its end kept in view).
fn value_text(field: &InputField, focused: bool, width: usize) -> (String, Style) {
    let base = if focused {
        theme().selected
    } else {
        Style::new()
    };
    if field.kind == InputKind::Boolean {
        let text = if field.value == "true" {
            "[x] true".to_string()
        } else if field.value == "false" {
            "[ ] false".to_string()
        } else {
            format!("[?] {}", field.value)
        };
        return (text, base);
    }
    if field.kind.options().is_some() {
        if field.value.is_empty() {
            return ("‹ pick one ›".to_string(), base.patch(theme().dim));
        }
        return (fit_tail(&format!("‹ {} ›", field.value), width), base);
    }
    if focused {
        let text = fit_tail(&field.value, width.saturating_sub(1));
        return (format!("{text}▏"), base);
    }
    if field.value.is_empty() {
        let placeholder = if field.required {
            "(empty)"
        } else {
            "(empty, not sent)"
        };
        return (placeholder.to_string(), theme().dim);
    }
    (fit_tail(&field.value, width), base)
}

/// `s` if it fits in `width` cells, else `…` and its end.
fn fit_tail(s: &str, width: usize) -> String {
    if text_width(s) <= width {
        return s.to_string();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1; // the ellipsis
    for c in s.chars().rev() {
        let mut buf = [0; 4];
        let w = text_width(c.encode_utf8(&mut buf));
        if used + w > width {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_keep_their_end() {
        assert_eq!(fit_tail("abcdef", 6), "abcdef");
        assert_eq!(fit_tail("abcdef", 4), "…def");
    }
}
