//! GitHub Markdown (an issue's body, a comment) as terminal text, from pulldown-cmark's events:
//! headings, paragraphs, lists and task lists, code, links with their address, tables, block
//! quotes. Every piece of text goes through the one sanitiser, so nothing an issue's author
//! wrote can reach the terminal as an escape sequence or a bidi control. The `Paragraph` that
//! shows the result wraps long lines.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};

use super::theme::theme;
use crate::release::text;

/// List levels indented at most (deeper lists keep this indentation).
const MAX_INDENT_LEVELS: usize = 8;

/// Width of a horizontal rule.
const RULE_WIDTH: usize = 40;

/// The Markdown `source` as styled lines, ready for a wrapping `Paragraph`.
#[must_use]
pub fn render(source: &str) -> Text<'static> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut r = Renderer::default();
    for event in Parser::new_ext(source, options) {
        r.event(event);
    }
    r.flush_raw();
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    Text::from(r.lines)
}

/// One open list: the next number (`None` for bullets) and the width of its items' markers.
struct Level {
    next: Option<u64>,
    width: usize,
}

/// A table being collected: its rows of cells, and how many rows are the header.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<Span<'static>>>>,
    header_rows: usize,
    cell: Vec<Span<'static>>,
}

#[derive(Default)]
struct Renderer {
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    styles: Vec<Style>,
    lists: Vec<Level>,
    /// The marker of a list item whose first line is not written yet.
    marker: Option<String>,
    quotes: usize,
    /// The text of the fenced or indented code block being read.
    code: Option<String>,
    /// The addresses of the links being read, and the text of the innermost one.
    links: Vec<String>,
    link_text: String,
    table: Option<Table>,
    in_html_comment: bool,
    /// Text not yet sanitised, and its style: the parser splits text at `[`, `]`, `<` and
    /// the like, so adjacent pieces are joined first and an escape sequence cut in two is
    /// removed whole.
    raw: String,
    raw_style: Style,
}

impl Renderer {
    fn event(&mut self, event: Event<'_>) {
        if let Event::Text(t) = &event
            && self.code.is_none()
        {
            let style = self.style();
            if style != self.raw_style {
                self.flush_raw();
                self.raw_style = style;
            }
            if !self.links.is_empty() {
                self.link_text.push_str(t);
            }
            self.raw.push_str(t);
            return;
        }
        self.flush_raw();
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(code) = &mut self.code {
                    code.push_str(&t);
                }
            }
            Event::Code(t) => self.text(&t, theme().warn),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, theme().warn),
            Event::Html(t) | Event::InlineHtml(t) => self.html(&t),
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]"), theme().dim),
            Event::SoftBreak => self.text(" ", self.style()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.gap();
                self.push(Span::styled("─".repeat(RULE_WIDTH), theme().dim));
                self.flush();
            }
            Event::TaskListMarker(checked) => {
                let mark = if checked { "[x] " } else { "[ ] " };
                self.marker = Some(mark.to_string());
                if let Some(level) = self.lists.last_mut() {
                    level.width = mark.len();
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if self.lists.is_empty() {
                    self.gap();
                }
            }
            Tag::Heading { level, .. } => {
                self.gap();
                let style = match level {
                    HeadingLevel::H1 => theme().section.add_modifier(Modifier::UNDERLINED),
                    HeadingLevel::H2 => theme().section,
                    _ => theme().bold,
                };
                self.styles.push(style);
            }
            Tag::BlockQuote(_) => {
                self.gap();
                self.quotes += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                if self.lists.is_empty() {
                    self.gap();
                }
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    self.push(Span::styled(text::line(&lang).into_owned(), theme().dim));
                    self.flush();
                }
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.gap();
                }
                let width = start.map_or(2, |n| number_marker(n).len());
                self.lists.push(Level { next: start, width });
            }
            Tag::Item => {
                self.flush();
                if let Some(level) = self.lists.last_mut() {
                    let marker = match level.next {
                        Some(n) => {
                            level.next = Some(n.saturating_add(1));
                            number_marker(n)
                        }
                        None => "• ".to_string(),
                    };
                    level.width = marker.chars().count();
                    self.marker = Some(marker);
                }
            }
            Tag::Table(_) => {
                self.flush();
                self.gap();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.cell.clear();
                }
            }
            Tag::Emphasis => self
                .styles
                .push(self.style().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(self.style().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(self.style().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.link_text.clear();
                self.styles
                    .push(self.style().add_modifier(Modifier::UNDERLINED));
            }
            Tag::Image { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.link_text.clear();
                self.text("[image: ", theme().dim);
                self.styles.push(self.style());
            }
            Tag::FootnoteDefinition(label) => {
                self.gap();
                self.text(&format!("[^{label}]: "), theme().dim);
            }
            Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition => self.flush(),
            TagEnd::Heading(_) => {
                self.styles.pop();
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                for line in code.strip_suffix('\n').unwrap_or(&code).split('\n') {
                    self.push(Span::styled(format!("  {}", text::line(line)), theme().dim));
                    self.flush_always();
                }
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.marker = None;
            }
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table {
                    let mut cell = std::mem::take(&mut t.cell);
                    // What the sanitiser removed can leave the cell's edge blank.
                    if let Some(last) = cell.last_mut() {
                        let trimmed = last.content.trim_end().len();
                        last.content.to_mut().truncate(trimmed);
                    }
                    if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                let url = self.links.pop().unwrap_or_default();
                let shown = std::mem::take(&mut self.link_text);
                if !url.is_empty() && shown.trim() != url {
                    self.text(&format!(" ({url})"), theme().dim);
                }
            }
            TagEnd::Image => {
                self.styles.pop();
                let url = self.links.pop().unwrap_or_default();
                self.link_text.clear();
                self.text(&format!("] ({url})"), theme().dim);
            }
            TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_)
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
        }
    }

    /// Sanitises and adds the text collected so far.
    fn flush_raw(&mut self) {
        if !self.raw.is_empty() {
            let raw = std::mem::take(&mut self.raw);
            self.push(Span::styled(text::line(&raw).into_owned(), self.raw_style));
        }
    }

    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    /// Adds text in `style`, sanitised (line breaks become spaces).
    fn text(&mut self, raw: &str, style: Style) {
        if raw.is_empty() {
            return;
        }
        if !self.links.is_empty() {
            self.link_text.push_str(raw);
        }
        self.push(Span::styled(text::line(raw).into_owned(), style));
    }

    /// Raw HTML is shown as text (dim), except comments, which GitHub hides too.
    fn html(&mut self, raw: &str) {
        let mut rest = raw;
        let mut shown = String::new();
        while !rest.is_empty() {
            if self.in_html_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        self.in_html_comment = false;
                    }
                    None => rest = "",
                }
            } else if let Some(start) = rest.find("<!--") {
                shown.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                self.in_html_comment = true;
            } else {
                shown.push_str(rest);
                rest = "";
            }
        }
        let shown = shown.trim_end_matches('\n');
        for (i, part) in shown.split('\n').enumerate() {
            if i > 0 {
                self.flush();
            }
            if !part.trim().is_empty() {
                self.text(part, theme().dim);
            }
        }
    }

    fn push(&mut self, span: Span<'static>) {
        match &mut self.table {
            Some(t) => t.cell.push(span),
            None => self.current.push(span),
        }
    }

    /// Ends the current line, if it has anything (or a list marker waits).
    fn flush(&mut self) {
        if self.current.is_empty() && self.marker.is_none() {
            return;
        }
        self.flush_always();
    }

    /// Ends the current line, even an empty one (a blank line inside a code block).
    fn flush_always(&mut self) {
        let mut spans = self.prefix();
        spans.append(&mut self.current);
        self.lines.push(Line::from(spans));
    }

    /// The block quote bars and the list indentation of the next line, with the waiting list
    /// marker if there is one.
    fn prefix(&mut self) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        if self.quotes > 0 {
            spans.push(Span::styled("│ ".repeat(self.quotes), theme().dim));
        }
        let shown = self.lists.len().min(MAX_INDENT_LEVELS);
        let outer: usize = self.lists[..shown.saturating_sub(1)]
            .iter()
            .map(|l| l.width)
            .sum();
        match self.marker.take() {
            Some(marker) => {
                spans.push(Span::raw(" ".repeat(outer)));
                spans.push(Span::styled(marker, theme().key));
            }
            None => {
                let own = self.lists.get(shown.wrapping_sub(1)).map_or(0, |l| l.width);
                if outer + own > 0 {
                    spans.push(Span::raw(" ".repeat(outer + own)));
                }
            }
        }
        spans
    }

    /// A blank line between blocks (never two, never at the top).
    fn gap(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    /// Lays the collected table out: columns padded to their widest cell, cells separated by
    /// " │ ", a rule under the header.
    fn end_table(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; columns];
        for row in &table.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.iter().map(Span::width).sum());
            }
        }
        for (r, row) in table.rows.into_iter().enumerate() {
            let cells = row.len();
            for (i, cell) in row.into_iter().enumerate() {
                if i > 0 {
                    self.current.push(Span::styled(" │ ", theme().dim));
                }
                let width: usize = cell.iter().map(Span::width).sum();
                let header = r < table.header_rows;
                for span in cell {
                    let style = if header {
                        span.style.add_modifier(Modifier::BOLD)
                    } else {
                        span.style
                    };
                    self.current.push(Span::styled(span.content, style));
                }
                if i + 1 < cells {
                    self.current.push(Span::raw(" ".repeat(widths[i] - width)));
                }
            }
            self.flush_always();
            if r + 1 == table.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.current.push(Span::styled(rule.join("─┼─"), theme().dim));
                self.flush_always();
            }
        }
    }
}

fn number_marker(n: u64) -> String {
    format!("{n}. ")
}

#[cfg(test)]
mod tests;
