//! Differential test: our task-list parser against GitHub's own renderer, `cmark-gfm`.
//!
//! Every body in `tests/checklists/` (and a generated 1,000-item body) is rendered with
//! `cmark-gfm -e tasklist …`; the task items are read back from its HTML (checked state and
//! text, tags stripped, entities decoded, whitespace collapsed) and must equal what
//! `task_list::parse` finds, in the same order.
//!
//! Known, documented differences that the test allows, each as narrowly as possible:
//!
//! 1. cmark-gfm's tasklist extension only recognises a box when the *whole line* up to it is
//!    `[ \t]*` + one list marker + `[ \t]+` (its `scan_tasklist` regex is anchored at the start
//!    of the line). So it misses items inside block quotes (`> - [ ] x`) and items whose list
//!    is opened on the same line as an outer one (`- - [ ] x`). GitHub.com does render
//!    `> - [ ] x` as a task (see github/task_list#36, async-go/asyncgo#533), and pulldown-cmark
//!    and we treat these as items. Such items are left out of the comparison, and the test
//!    checks that each one really is behind a `>` or a second list marker.
//! 2. cmark-gfm decides "checked" with `strstr(line, "[x]")` over the whole line, so
//!    `- [ ] mention [x] later` renders as checked. We read the box itself. The checked state
//!    of such an item (unchecked box, `[x]`/`[X]` later on its line) is not compared; its
//!    presence and text still are.
//! 3. Footnotes (GitHub enables them): a footnote reference renders as a superscript number
//!    that GitHub assigns by order of first reference, so our item text leaves it out (an item's
//!    text is its identity, and it must not change when a footnote is added above it); the test
//!    drops `<sup class="footnote-ref">` from cmark-gfm's HTML. Items inside a footnote
//!    definition are items to us, in source order; GitHub moves them to the end of the body or,
//!    if the footnote is never referenced, drops them. They are left out of the comparison
//!    (and the footnotes section of the HTML with them).

#![allow(clippy::unwrap_used)] // Tests may unwrap (STYLE §7).

#[path = "checklists/long_body.rs"]
mod long_body;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use shipdeck::release::task_list::{ChecklistItem, HeadingNames, parse};

const CMARK: &str = "cmark-gfm";
/// The extensions GitHub enables for issue bodies.
const CMARK_ARGS: [&str; 12] = [
    "-e",
    "tasklist",
    "-e",
    "table",
    "-e",
    "strikethrough",
    "-e",
    "autolink",
    "-e",
    "tagfilter",
    "-e",
    "footnotes",
];

/// One task item as GitHub renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rendered {
    checked: bool,
    text: String,
}

fn cmark_available() -> bool {
    Command::new(CMARK)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn render(body: &str) -> String {
    let mut child = Command::new(CMARK)
        .args(CMARK_ARGS)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn cmark-gfm");
    let mut stdin = child.stdin.take().unwrap();
    let input = body.to_owned();
    // Write on a thread so a large body cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("run cmark-gfm");
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "cmark-gfm failed");
    String::from_utf8(out.stdout).expect("cmark-gfm output is UTF-8")
}

/// Tags that start a block in cmark-gfm's HTML: an item's text ends at the first of them.
const BLOCK_TAGS: [&str; 17] = [
    "</li>",
    "<li",
    "<ul",
    "<ol",
    "<p>",
    "<pre",
    "<blockquote",
    "<table",
    "<hr",
    "<h1",
    "<h2",
    "<h3",
    "<h4",
    "<h5",
    "<h6",
    "<div",
    "</ul>",
];

/// Every task item in cmark-gfm's HTML, in document order.
fn rendered_items(html: &str) -> Vec<Rendered> {
    const INPUT: &str = "<input type=\"checkbox\"";
    // Difference 3: footnote definitions are rendered last; they are not compared.
    let html = html
        .find("<section class=\"footnotes\"")
        .map_or(html, |end| &html[..end]);
    let mut items = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(INPUT) {
        let tag_end = at + rest[at..].find("/>").expect("input tag closes") + 2;
        let checked = rest[at..tag_end].contains("checked=\"\"");
        let after = rest[tag_end..].trim_start();
        // The item's text is its first block: a paragraph (loose item) or a heading, or else
        // the inline content up to the first block tag (tight item).
        let inner = if let Some(p) = after.strip_prefix("<p>") {
            &p[..p.find("</p>").expect("paragraph closes")]
        } else if let Some(level) = after
            .strip_prefix("<h")
            .and_then(|h| h.as_bytes().first().copied())
            .filter(u8::is_ascii_digit)
        {
            let close = format!("</h{}>", level as char);
            let h = &after[4..];
            &h[..h.find(&close).expect("heading closes")]
        } else {
            let end = BLOCK_TAGS
                .iter()
                .filter_map(|t| after.find(t))
                .min()
                .unwrap_or(after.len());
            &after[..end]
        };
        items.push(Rendered {
            checked,
            text: normalise_html(inner),
        });
        rest = &rest[tag_end..];
    }
    items
}

/// Inline HTML to text: images become their alt text, tags go, the common entities are
/// decoded and whitespace is collapsed.
fn normalise_html(inline: &str) -> String {
    let mut text = String::new();
    // Difference 3: drop footnote reference numbers.
    let mut without_refs = String::new();
    let mut rest = inline;
    while let Some(at) = rest.find("<sup class=\"footnote-ref\">") {
        without_refs.push_str(&rest[..at]);
        let close = at + rest[at..].find("</sup>").expect("sup closes");
        rest = &rest[close + "</sup>".len()..];
    }
    without_refs.push_str(rest);
    let mut rest = without_refs.as_str();
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let gt = lt + rest[lt..].find('>').expect("tag closes");
        let tag = &rest[lt..=gt];
        if tag.starts_with("<img")
            && let Some(a) = tag.find(" alt=\"")
        {
            let alt = &tag[a + 6..];
            text.push_str(&alt[..alt.find('"').expect("alt closes")]);
        }
        rest = &rest[gt + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte ranges of the footnote definitions in `body` (difference 3).
fn footnote_definitions(body: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(body, Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS)
        .into_offset_iter()
        .filter_map(|(e, r)| matches!(e, Event::Start(Tag::FootnoteDefinition(_))).then_some(r))
        .collect()
}

/// Whether cmark-gfm's line-anchored tasklist regex can see this item (difference 1).
fn cmark_can_see(body: &str, item: &ChecklistItem) -> bool {
    let line_start = body[..item.marker.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &body[line_start..item.marker.start];
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}');
    let p = prefix.trim_start_matches(is_space);
    let after_marker = if let Some(r) = p.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = p.len() - p.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return false;
        }
        match p[digits..].strip_prefix(['.', ')']) {
            Some(r) => r,
            None => return false,
        }
    };
    !after_marker.is_empty() && after_marker.chars().all(is_space)
}

/// Whether cmark-gfm's `strstr` would call this unchecked box checked (difference 2).
fn cmark_misreads_checked(body: &str, item: &ChecklistItem) -> bool {
    let line_end = body[item.marker.end..]
        .find('\n')
        .map_or(body.len(), |i| item.marker.end + i);
    let rest = &body[item.marker.end..line_end];
    !item.checked && (rest.contains("[x]") || rest.contains("[X]"))
}

fn compare(name: &str, body: &str) -> Result<(usize, usize), String> {
    let ours = parse(body, &HeadingNames::default());
    let theirs = rendered_items(&render(body));

    let footnotes = footnote_definitions(body);
    let mut unseen = 0;
    let mut compared = Vec::new();
    for item in &ours {
        if footnotes.iter().any(|f| f.contains(&item.marker.start)) {
            unseen += 1;
        } else if cmark_can_see(body, item) {
            compared.push(item);
        } else {
            unseen += 1;
            let line_start = body[..item.marker.start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &body[line_start..item.marker.start];
            let list_markers = prefix
                .split_whitespace()
                .filter(|w| {
                    matches!(*w, "-" | "*" | "+")
                        || w.strip_suffix(['.', ')'])
                            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                })
                .count();
            assert!(
                prefix.contains('>') || list_markers > 1,
                "{name}: item {:?} is invisible to cmark-gfm for an undocumented reason (prefix {prefix:?})",
                item.text
            );
        }
    }

    let describe = |ours: &[&ChecklistItem], theirs: &[Rendered]| {
        let mut s = String::from("\n  ours:\n");
        for i in ours {
            s.push_str(&format!(
                "    [{}] {:?}\n",
                if i.checked { 'x' } else { ' ' },
                i.text
            ));
        }
        s.push_str("  cmark-gfm:\n");
        for t in theirs {
            s.push_str(&format!(
                "    [{}] {:?}\n",
                if t.checked { 'x' } else { ' ' },
                t.text
            ));
        }
        s
    };
    let mut problems = Vec::new();
    if compared.len() != theirs.len() {
        problems.push(format!(
            "{name}: {} items here, {} in cmark-gfm",
            compared.len(),
            theirs.len()
        ));
    } else {
        for (i, (o, t)) in compared.iter().zip(&theirs).enumerate() {
            if o.text != t.text {
                problems.push(format!(
                    "{name}: item {i}: text {:?} here, {:?} in cmark-gfm",
                    o.text, t.text
                ));
            }
            if o.checked != t.checked && !cmark_misreads_checked(body, o) {
                problems.push(format!(
                    "{name}: item {i} ({:?}): checked {} here, {} in cmark-gfm",
                    o.text, o.checked, t.checked
                ));
            }
        }
    }
    if !problems.is_empty() {
        problems.push(describe(&compared, &theirs));
        return Err(problems.join("\n"));
    }
    Ok((compared.len(), unseen))
}

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checklists");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn corpus_has_what_it_claims() {
    let corpus = corpus();
    assert!(corpus.len() >= 30, "only {} corpus bodies", corpus.len());
    for (name, body) in &corpus {
        if name.contains("crlf") {
            assert!(
                body.contains("\r\n"),
                "{name} lost its CRLF line endings (see tests/checklists/.gitattributes)"
            );
        }
    }
    assert_eq!(
        parse(&long_body::long_body(1000), &HeadingNames::default()).len(),
        1000
    );
}

#[test]
fn parser_agrees_with_cmark_gfm() {
    if !cmark_available() {
        let msg = "skipped: cmark-gfm not installed (apt-get install cmark-gfm)";
        assert!(
            std::env::var_os("CI").is_none(),
            "{msg}, and CI is set: failing instead"
        );
        // Written straight to stderr so the test harness's capture doesn't hide it.
        let _ = writeln!(std::io::stderr(), "{msg}");
        return;
    }
    let mut bodies = corpus();
    bodies.push(("generated 1,000 items".into(), long_body::long_body(1000)));
    let (mut compared, mut unseen) = (0, 0);
    let mut failures = Vec::new();
    for (name, body) in &bodies {
        match compare(name, body) {
            Ok((c, u)) => {
                compared += c;
                unseen += u;
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bodies disagree with cmark-gfm:\n\n{}",
        failures.len(),
        bodies.len(),
        failures.join("\n\n")
    );
    // The corpus must exercise the comparison and the documented exception.
    assert!(compared > 1200, "compared only {compared} items");
    assert!(unseen > 0, "no item exercised difference 1");
}
