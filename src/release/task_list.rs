//! Task-list checklists in Markdown: parsing with a real GFM parser, and setting one box.
//!
//! An item is what GitHub renders as a task-list item: `-`, `*`, `+` or ordered list items whose
//! first block starts with `[ ]`, `[x]` or `[X]` followed by a space or tab on the same line.
//! Items inside code, HTML comments or HTML blocks are not items; items in block quotes are.
//! Each item keeps the byte range of its marker, so a tick rewrites exactly the one byte between
//! the brackets and nothing else. `tests/checklist_cmark.rs` checks all this against GitHub's
//! renderer, cmark-gfm, and lists where the two knowingly differ.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, TagEnd};
use serde::{Deserialize, Serialize};

use super::Phase;

/// GitHub's limit on an issue body, in characters.
pub const BODY_LIMIT: usize = 65_536;

/// Which part of the checklist an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Under a heading that names a phase.
    Phase(Phase),
    /// Before any phase heading, or under a heading that names none.
    General,
}

impl Section {
    /// The phase, if any.
    #[must_use]
    pub fn phase(self) -> Option<Phase> {
        match self {
            Section::Phase(p) => Some(p),
            Section::General => None,
        }
    }

    /// "Plan" … "Review", or "General".
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Section::Phase(p) => p.title(),
            Section::General => "General",
        }
    }
}

/// One task-list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// The item's text as rendered (inline markup removed, whitespace collapsed).
    pub text: String,
    pub checked: bool,
    /// 0 for a top-level item, 1 for an item nested in another list item, …
    pub depth: usize,
    pub section: Section,
    /// The nearest heading above the item, verbatim.
    pub heading: Option<String>,
    /// Byte range of the `[ ]` marker in the body.
    pub marker: Range<usize>,
    /// Index among the items with the same text (0 for the first).
    pub occurrence: usize,
    /// In sub-issues mode, the sub-issue this item is (its title the text, closed = checked);
    /// `marker` is then empty. `None` for a task-list item.
    #[serde(default)]
    pub sub_issue: Option<super::sub_issues::IssueRef>,
}

impl ChecklistItem {
    /// The identity that survives other edits of the body.
    #[must_use]
    pub fn key(&self) -> ItemKey {
        ItemKey {
            text: self.text.clone(),
            occurrence: self.occurrence,
        }
    }
}

/// How an item is found again in a body that may have changed: its text and its occurrence
/// among items with equal text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemKey {
    pub text: String,
    pub occurrence: usize,
}

/// Maps heading text to phases. Matching is case-insensitive and ignores punctuation or emoji
/// around the name, so `## 🚀 Deploy:` names the Deploy phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingNames {
    names: Vec<(Phase, String)>,
}

impl Default for HeadingNames {
    fn default() -> Self {
        Self {
            names: Phase::ALL
                .iter()
                .map(|p| (*p, p.title().to_lowercase()))
                .collect(),
        }
    }
}

impl HeadingNames {
    /// Builds the map from (phase, names) pairs.
    #[must_use]
    pub fn new(pairs: impl IntoIterator<Item = (Phase, String)>) -> Self {
        Self {
            names: pairs
                .into_iter()
                .map(|(p, n)| (p, normalise_heading(&n)))
                .collect(),
        }
    }

    /// The phase a heading names, if any.
    #[must_use]
    pub fn phase_of(&self, heading: &str) -> Option<Phase> {
        let h = normalise_heading(heading);
        self.names.iter().find(|(_, n)| *n == h).map(|(p, _)| *p)
    }
}

fn normalise_heading(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn options() -> Options {
    Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// Parses every task-list item of `body`, in document order.
///
/// An item is what GitHub renders with a checkbox. pulldown-cmark finds the candidates;
/// [`is_github_box`] then applies GitHub's stricter rule for the box itself. An item's text is
/// its first block only (the paragraph, or the heading, that starts with the box): nested
/// lists, code blocks, quotes and later paragraphs of the item are not part of it.
#[must_use]
pub fn parse(body: &str, headings: &HeadingNames) -> Vec<ChecklistItem> {
    let mut items: Vec<ChecklistItem> = Vec::new();
    let mut section = Section::General;
    let mut heading: Option<String> = None;
    // While Some, the text of a section heading is being read.
    let mut heading_text: Option<String> = None;
    let mut item_depth = 0usize;
    // While Some, inline text is being collected for the last item pushed.
    let mut collecting: Option<String> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let end = tag.to_end();
                if !is_inline(end) {
                    finish(&mut items, &mut collecting);
                }
                match end {
                    TagEnd::Heading(_) => heading_text = Some(String::new()),
                    TagEnd::Item => item_depth += 1,
                    _ => {}
                }
            }
            Event::End(end) => {
                if !is_inline(end) {
                    finish(&mut items, &mut collecting);
                }
                match end {
                    TagEnd::Heading(_) => {
                        if let Some(h) = heading_text.take() {
                            let h = collapse(&h);
                            section = headings
                                .phase_of(&h)
                                .map_or(Section::General, Section::Phase);
                            heading = Some(h);
                        }
                    }
                    TagEnd::Item => item_depth = item_depth.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Rule => finish(&mut items, &mut collecting),
            Event::TaskListMarker(checked) => {
                finish(&mut items, &mut collecting);
                if !is_github_box(body, &range) {
                    // GitHub shows these brackets as text.
                    if let Some(h) = heading_text.as_mut() {
                        h.push_str(&body[range]);
                    }
                    continue;
                }
                // A box opening a (setext) heading inside the item: the heading is the item's
                // text, not a section heading.
                heading_text = None;
                items.push(ChecklistItem {
                    text: String::new(),
                    checked,
                    depth: item_depth.saturating_sub(1),
                    section,
                    heading: heading.clone(),
                    marker: range,
                    occurrence: 0,
                    sub_issue: None,
                });
                collecting = Some(String::new());
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = collecting.as_mut() {
                    c.push_str(&t);
                } else if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = collecting.as_mut() {
                    c.push(' ');
                } else if let Some(h) = heading_text.as_mut() {
                    h.push(' ');
                }
            }
            _ => {}
        }
    }
    finish(&mut items, &mut collecting);

    // Occurrence among equal texts, in document order.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut occurrences = Vec::with_capacity(items.len());
    for item in &items {
        let n = seen.entry(item.text.as_str()).or_default();
        occurrences.push(*n);
        *n += 1;
    }
    for (item, n) in items.iter_mut().zip(occurrences) {
        item.occurrence = n;
    }
    items
}

/// Whether GitHub renders the candidate box at `marker` as a checkbox.
///
/// pulldown-cmark accepts any of space, tab, VT or FF between the brackets and any ASCII
/// whitespace after them, line endings included. GitHub (cmark-gfm's `scan_tasklist`) wants
/// exactly ` `, `x` or `X` between the brackets and a space, tab, VT or FF after them on the
/// same line: `- [ ]` at the end of a line, `- [x]\r\n` and `- [\t] a` are plain text there.
fn is_github_box(body: &str, marker: &Range<usize>) -> bool {
    let bytes = body.as_bytes();
    marker.len() == 3
        && bytes.get(marker.start) == Some(&b'[')
        && matches!(bytes.get(marker.start + 1), Some(b' ' | b'x' | b'X'))
        && bytes.get(marker.start + 2) == Some(&b']')
        && matches!(
            bytes.get(marker.end),
            Some(b' ' | b'\t' | b'\x0b' | b'\x0c')
        )
}

/// Inline elements continue an item's text; every other element ends it.
fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn finish(items: &mut [ChecklistItem], collecting: &mut Option<String>) {
    if let Some(text) = collecting.take()
        && let Some(last) = items.last_mut()
    {
        last.text = collapse(&text);
    }
}

/// Why a box could not be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TickError {
    #[error("the item \"{0}\" is no longer in the checklist")]
    ItemGone(String),
    #[error("the body is {0} characters, over GitHub's limit of {BODY_LIMIT}")]
    BodyTooLong(usize),
}

/// The result of setting a box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tick {
    /// The body with exactly one byte changed.
    Changed(String),
    /// The box was already in the wanted state; nothing to send.
    AlreadySet,
}

/// Sets (not flips) the box of the item `key` in `body`. Exactly the one byte between the
/// brackets changes; every other byte, line endings included, is kept.
///
/// # Errors
/// [`TickError::ItemGone`] if no item has that text and occurrence, and
/// [`TickError::BodyTooLong`] if the body is over GitHub's limit.
pub fn set_checked(
    body: &str,
    headings: &HeadingNames,
    key: &ItemKey,
    checked: bool,
) -> Result<Tick, TickError> {
    let chars = body.chars().count();
    if chars > BODY_LIMIT {
        return Err(TickError::BodyTooLong(chars));
    }
    let item = parse(body, headings)
        .into_iter()
        .find(|i| i.text == key.text && i.occurrence == key.occurrence)
        .ok_or_else(|| TickError::ItemGone(key.text.clone()))?;
    if item.checked == checked {
        return Ok(Tick::AlreadySet);
    }
    let at = item.marker.start + 1;
    let mut out = String::with_capacity(body.len());
    out.push_str(&body[..at]);
    out.push(if checked { 'x' } else { ' ' });
    out.push_str(&body[at + 1..]);
    Ok(Tick::Changed(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(body: &str) -> Vec<(String, bool, usize, Section)> {
        parse(body, &HeadingNames::default())
            .into_iter()
            .map(|i| (i.text, i.checked, i.depth, i.section))
            .collect()
    }

    #[test]
    fn groups_items_under_phase_headings() {
        let body = "intro\n- [ ] general\n## Plan\n- [x] scope agreed\n* [X] owners named\n## Build\n1. [ ] branch cut\n## Other\n+ [ ] misc\n";
        assert_eq!(
            items(body),
            vec![
                ("general".into(), false, 0, Section::General),
                ("scope agreed".into(), true, 0, Section::Phase(Phase::Plan)),
                ("owners named".into(), true, 0, Section::Phase(Phase::Plan)),
                ("branch cut".into(), false, 0, Section::Phase(Phase::Build)),
                ("misc".into(), false, 0, Section::General),
            ]
        );
    }

    #[test]
    fn ignores_code_comments_and_html() {
        let body = "## Test\n```\n- [ ] in fence\n```\n\n    - [ ] indented code\n\n<!--\n- [ ] in comment\n-->\n\n<div>\n- [ ] in html\n</div>\n\n- [ ] real `code` **bold**\n";
        assert_eq!(
            items(body),
            vec![(
                "real code bold".into(),
                false,
                0,
                Section::Phase(Phase::Test)
            )]
        );
    }

    #[test]
    fn nested_items_keep_their_depth() {
        let body = "- [ ] parent\n  - [x] child\n    - [ ] grandchild\n- [ ] sibling\n";
        assert_eq!(
            items(body)
                .into_iter()
                .map(|(t, c, d, _)| (t, c, d))
                .collect::<Vec<_>>(),
            vec![
                ("parent".into(), false, 0),
                ("child".into(), true, 1),
                ("grandchild".into(), false, 2),
                ("sibling".into(), false, 0),
            ]
        );
    }

    #[test]
    fn a_box_needs_a_space_or_tab_after_it_on_its_line() {
        // As on GitHub: a box at the end of a line (LF, CRLF or end of body) is plain text.
        let body = "- [ ]\n- [x]\r\n- [ ] \n- [ ]\ttab\n- [x]foo\n- [ ]";
        assert_eq!(
            items(body)
                .into_iter()
                .map(|(t, c, _, _)| (t, c))
                .collect::<Vec<_>>(),
            vec![(String::new(), false), ("tab".into(), false)]
        );
    }

    #[test]
    fn only_space_x_or_upper_x_between_the_brackets() {
        let body = "- [\t] tab\n- [\u{b}] vt\n- [y] y\n- [X] upper\n";
        assert_eq!(
            items(body)
                .into_iter()
                .map(|(t, c, _, _)| (t, c))
                .collect::<Vec<_>>(),
            vec![("upper".into(), true)]
        );
    }

    #[test]
    fn text_is_the_first_block_only() {
        let body = "- [ ] run\n  ```\n  ./deploy.sh\n  ```\n- [ ] check\n  > quoted\n- [ ] a\n  <div>html</div>\n- [ ] loose\n\n  second paragraph\n";
        assert_eq!(
            items(body).into_iter().map(|(t, ..)| t).collect::<Vec<_>>(),
            vec!["run", "check", "a", "loose"]
        );
    }

    #[test]
    fn a_heading_that_starts_an_item_is_its_text_not_a_section() {
        let body = "## Plan\n- [ ] Deploy\n  ===\n- [ ] next\n";
        assert_eq!(
            items(body),
            vec![
                ("Deploy".into(), false, 0, Section::Phase(Phase::Plan)),
                ("next".into(), false, 0, Section::Phase(Phase::Plan)),
            ]
        );
    }

    #[test]
    fn headings_match_case_insensitively_with_decoration() {
        let names = HeadingNames::default();
        assert_eq!(names.phase_of("🚀 DEPLOY:"), Some(Phase::Deploy));
        assert_eq!(names.phase_of("Deployment notes"), None);
        let custom = HeadingNames::new([(Phase::Prepare, "Release prep".to_string())]);
        assert_eq!(custom.phase_of("release PREP"), Some(Phase::Prepare));
    }

    #[test]
    fn tick_changes_exactly_one_byte_and_keeps_crlf() {
        let body = "## Plan\r\n- [ ] a\r\n- [ ] b\r\n- [ ] a\r\n";
        let key = ItemKey {
            text: "a".into(),
            occurrence: 1,
        };
        let Ok(Tick::Changed(out)) = set_checked(body, &HeadingNames::default(), &key, true) else {
            panic!("expected a change");
        };
        assert_eq!(out, "## Plan\r\n- [ ] a\r\n- [ ] b\r\n- [x] a\r\n");
        assert_eq!(
            set_checked(&out, &HeadingNames::default(), &key, true),
            Ok(Tick::AlreadySet)
        );
    }

    #[test]
    fn tick_reports_a_missing_item() {
        let key = ItemKey {
            text: "gone".into(),
            occurrence: 0,
        };
        assert_eq!(
            set_checked("- [ ] here\n", &HeadingNames::default(), &key, true),
            Err(TickError::ItemGone("gone".into()))
        );
    }

    #[test]
    fn unchecking_upper_case_x() {
        let key = ItemKey {
            text: "done".into(),
            occurrence: 0,
        };
        assert_eq!(
            set_checked("- [X] done\n", &HeadingNames::default(), &key, false),
            Ok(Tick::Changed("- [ ] done\n".into()))
        );
    }
}
