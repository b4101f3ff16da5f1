//! The checklist: the tracking issue's items (or its sub-issues) grouped by phase.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::format::truncate;
use super::theme::theme;
use crate::app::AppState;
use crate::release::Release;

/// Draws the checklist.
pub fn render(state: &AppState, release: &Release, frame: &mut Frame, area: Rect, focused: bool) {
    let Some(tracking) = &release.tracking else {
        frame.render_widget(
            Paragraph::new(format!(
                "No tracking issue: label an issue of the milestone `{}`,\nor run `shipdeck init` to create one.",
                state.rules.checklist_label
            ))
            .style(theme().dim),
            area,
        );
        return;
    };
    let width = area.width as usize;
    let mut items = Vec::new();
    let mut selected_row = None;
    // For the mouse: the item (as a cursor position) each list row shows; `None` for headings.
    let mut item_of_row: Vec<Option<usize>> = Vec::new();
    let mut section = None;
    // The items the pane's `/` filter keeps (all without one); the cursor is a position
    // among them.
    let shown = crate::app::lists::checklist_rows(state);
    for (i, item) in shown
        .iter()
        .filter_map(|i| release.checklist.get(*i))
        .enumerate()
    {
        if section != Some(item.section) {
            section = Some(item.section);
            let in_section: Vec<_> = release
                .checklist
                .iter()
                .filter(|x| x.section == item.section)
                .collect();
            let done = in_section.iter().filter(|x| x.checked).count();
            items.push(ListItem::new(Line::from(vec![
                Span::styled(item.section.title(), theme().section),
                Span::styled(format!(" {done}/{}", in_section.len()), theme().dim),
            ])));
        }
        if i == state.checklist.cursor.selected {
            selected_row = Some(items.len());
        }
        item_of_row.resize(items.len(), None);
        item_of_row.push(Some(i));
        let indent = "  ".repeat(item.depth + 1);
        let pending = state.pending_tick(&item.key()).map(|p| p.checked);
        let (mark, style) = match (pending, item.checked) {
            (Some(true), _) => ("[x]", theme().warn),
            (Some(false), _) => ("[ ]", theme().warn),
            (None, true) => ("[x]", theme().ok),
            (None, false) => ("[ ]", ratatui::style::Style::new()),
        };
        let text_style = if pending.is_some() {
            theme().warn
        } else if item.checked {
            theme().dim
        } else {
            ratatui::style::Style::new()
        };
        // A sub-issue item names its issue (with the repository when it lives elsewhere).
        let issue = item.sub_issue.as_ref().map(|r| {
            if r.repo == tracking.repo {
                format!(" #{}", r.number)
            } else {
                format!(" {}#{}", r.repo, r.number)
            }
        });
        let issue_width = issue.as_ref().map_or(0, |i| i.chars().count());
        let text_width =
            width.saturating_sub(indent.len() + 4 + usize::from(pending.is_some()) + issue_width);
        let mut spans = vec![
            Span::raw(indent),
            Span::styled(mark, style),
            Span::raw(if pending.is_some() { "… " } else { " " }),
            Span::styled(truncate(&item.text, text_width), text_style),
        ];
        if let Some(issue) = issue {
            spans.push(Span::styled(issue, theme().dim));
        }
        items.push(ListItem::new(Line::from(spans)));
    }
    if items.is_empty() && state.filters.checklist.is_active() {
        items.push(ListItem::new(Span::styled(
            "no item matches the filter",
            theme().dim,
        )));
    } else if items.is_empty() {
        let what = if tracking.sub_issues.is_some() {
            "sub-issues (checklist.mode = \"sub-issues\")"
        } else {
            "task-list items"
        };
        items.push(ListItem::new(Span::styled(
            format!("#{} has no {what}", tracking.number),
            theme().dim,
        )));
    }
    let mut list_state =
        ListState::default().with_selected(if focused { selected_row } else { None });
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme().selected),
        area,
        &mut list_state,
    );
    let offset = list_state.offset();
    for (line, row) in item_of_row.iter().enumerate().skip(offset) {
        let Ok(y) = u16::try_from(line - offset) else {
            break;
        };
        if y >= area.height {
            break;
        }
        if let Some(index) = *row {
            super::hits::add(
                Rect::new(area.x, area.y + y, area.width, 1),
                crate::app::mouse::Target::Row {
                    pane: crate::app::Pane::Checklist,
                    column: 0,
                    index,
                },
            );
        }
    }
}
