//! Property tests for the task-list parser and the one-byte tick.

#![allow(clippy::unwrap_used)] // Tests may unwrap (STYLE §7).

use proptest::prelude::*;
use shipdeck::release::task_list::{ChecklistItem, HeadingNames, Tick, parse, set_checked};

/// One line (or a few) of a generated checklist body.
#[derive(Debug, Clone)]
enum Block {
    Heading {
        level: usize,
        name: String,
    },
    Item {
        depth: usize,
        marker: &'static str,
        mark: char,
        sep: char,
        text: String,
    },
    Paragraph(String),
    Fence(Vec<String>),
    Comment(String),
    Blank,
}

fn text() -> impl Strategy<Value = String> {
    // Words with unicode, RTL, emoji and the inline punctuation Markdown cares about.
    let word = prop_oneof![
        "[a-z]{1,8}",
        Just("Überprüfung".to_string()),
        Just("日本語".to_string()),
        Just("مراجعة".to_string()),
        Just("בדיקה".to_string()),
        Just("🚀".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just("`code`".to_string()),
        Just("**bold**".to_string()),
        Just("_em_".to_string()),
        Just("[link](https://example.com)".to_string()),
        Just("[x]".to_string()),
        Just("[ ]".to_string()),
        Just("&amp;".to_string()),
        Just("<b>".to_string()),
        Just("\\*".to_string()),
        "[*_`~<>&#|!()\\[\\]-]",
    ];
    prop::collection::vec(word, 0..6).prop_map(|w| w.join(" "))
}

fn heading_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Plan".to_string()),
        Just("🔨 Build".to_string()),
        Just("Test:".to_string()),
        Just("**Prepare**".to_string()),
        Just("🚀 Deploy".to_string()),
        Just("review".to_string()),
        Just("Notes".to_string()),
        text(),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        1 => (1..4usize, heading_name()).prop_map(|(level, name)| Block::Heading { level, name }),
        8 => (
            0..4usize,
            prop::sample::select(vec!["-", "*", "+", "1.", "2)", "10."]),
            prop::sample::select(vec![' ', 'x', 'X']),
            prop::sample::select(vec![' ', ' ', '\t']),
            text(),
        )
            .prop_map(|(depth, marker, mark, sep, text)| Block::Item { depth, marker, mark, sep, text }),
        1 => text().prop_map(Block::Paragraph),
        1 => prop::collection::vec(
            prop_oneof![Just("- [ ] fake".to_string()), Just("* [x] fake".to_string()), text()],
            0..3
        )
        .prop_map(Block::Fence),
        1 => text().prop_map(|t| Block::Comment(format!("- [ ] {t}"))),
        2 => Just(Block::Blank),
    ]
}

/// A checklist body: headings, nested items with mixed markers, paragraphs, fences and
/// comments holding fake items, blank lines; LF or CRLF line endings.
fn checklist() -> impl Strategy<Value = String> {
    (prop::collection::vec(block(), 1..40), any::<bool>()).prop_map(|(blocks, crlf)| {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut body = String::new();
        let mut prev_depth: Option<usize> = None;
        for b in blocks {
            match b {
                Block::Heading { level, name } => {
                    body.push_str(&format!("{nl}{} {name}{nl}", "#".repeat(level)));
                    prev_depth = None;
                }
                Block::Item {
                    depth,
                    marker,
                    mark,
                    sep,
                    text,
                } => {
                    // Nest at most one level deeper than the item before; four spaces a level
                    // fits every marker used here.
                    let depth = depth.min(prev_depth.map_or(0, |d| d + 1));
                    body.push_str(&format!(
                        "{}{marker} [{mark}]{sep}{text}{nl}",
                        "    ".repeat(depth)
                    ));
                    prev_depth = Some(depth);
                }
                Block::Paragraph(t) => {
                    body.push_str(&format!("{nl}{t}{nl}{nl}"));
                    prev_depth = None;
                }
                Block::Fence(lines) => {
                    body.push_str(&format!("{nl}```{nl}"));
                    for l in lines {
                        body.push_str(&l);
                        body.push_str(nl);
                    }
                    body.push_str(&format!("```{nl}"));
                    prev_depth = None;
                }
                Block::Comment(t) => {
                    body.push_str(&format!("{nl}<!--{nl}{t}{nl}-->{nl}{nl}"));
                    prev_depth = None;
                }
                Block::Blank => body.push_str(nl),
            }
        }
        body
    })
}

/// Markdown soup: fragments that make odd structures (quotes, lazy lines, tabs, HTML, fences
/// opened and never closed) in random order.
fn soup() -> impl Strategy<Value = String> {
    let boxes = prop::sample::select(vec![
        "\n- [ ] ",
        "\n- [x] ",
        "\r\n* [X]\t",
        "\n1. [ ] ",
        "\n  - [ ] ",
        "\n> - [ ] ",
        "\n- [ ]",
        "- [ ] ",
    ]);
    let other = prop::sample::select(vec![
        "\n",
        "\r\n",
        "  ",
        "    ",
        "\t",
        "> ",
        "```",
        "~~~",
        "<!--",
        "-->",
        "<div>",
        "</div>",
        "# ",
        "===",
        "---",
        "|",
        "`",
        "*",
        "_",
        "[",
        "]",
        "(",
        ")",
        "[x]: /u\n",
        "\\",
        "&amp;",
        "Deploy",
        "text",
        "é",
        "🚀",
        "עב",
    ]);
    let token = prop_oneof![1 => boxes, 3 => other];
    prop::collection::vec(token, 0..80).prop_map(|t| t.concat())
}

/// Every item's marker is inside the body and covers a well-formed box matching `checked`.
fn check_markers(body: &str, items: &[ChecklistItem]) -> Result<(), TestCaseError> {
    for item in items {
        let m = &item.marker;
        prop_assert!(
            m.end <= body.len() && m.start + 3 == m.end,
            "bad range {m:?}"
        );
        let bytes = &body.as_bytes()[m.clone()];
        prop_assert_eq!(bytes[0], b'[');
        prop_assert_eq!(bytes[2], b']');
        prop_assert!(matches!(bytes[1], b' ' | b'x' | b'X'));
        prop_assert_eq!(item.checked, bytes[1] != b' ');
    }
    Ok(())
}

/// Setting item `i` of `body` to the opposite state changes exactly its one byte, shows it in
/// the new state, leaves every other item as it was, and a second set is a no-op.
fn check_tick(body: &str, items: &[ChecklistItem], i: usize) -> Result<(), TestCaseError> {
    let names = HeadingNames::default();
    let item = &items[i];
    let want = !item.checked;
    prop_assert_eq!(
        set_checked(body, &names, &item.key(), item.checked),
        Ok(Tick::AlreadySet)
    );
    let out = match set_checked(body, &names, &item.key(), want) {
        Ok(Tick::Changed(out)) => out,
        other => return Err(TestCaseError::fail(format!("tick {i}: {other:?}"))),
    };
    prop_assert_eq!(out.len(), body.len());
    let diff: Vec<usize> = body
        .bytes()
        .zip(out.bytes())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(n, _)| n)
        .collect();
    prop_assert_eq!(diff, vec![item.marker.start + 1]);

    let after = parse(&out, &names);
    prop_assert_eq!(after.len(), items.len());
    for (j, (a, b)) in items.iter().zip(&after).enumerate() {
        if j == i {
            prop_assert_eq!(b.checked, want);
            let mut b = b.clone();
            b.checked = a.checked;
            prop_assert_eq!(a, &b);
        } else {
            prop_assert_eq!(a, b, "item {} changed when ticking item {}", j, i);
        }
    }
    prop_assert_eq!(
        set_checked(&out, &names, &item.key(), want),
        Ok(Tick::AlreadySet)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn ticking_any_item_changes_one_byte_and_nothing_else(body in checklist()) {
        let items = parse(&body, &HeadingNames::default());
        check_markers(&body, &items)?;
        for i in 0..items.len() {
            check_tick(&body, &items, i)?;
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn ticking_in_markdown_soup_changes_one_byte_and_nothing_else(body in soup()) {
        let items = parse(&body, &HeadingNames::default());
        check_markers(&body, &items)?;
        for i in 0..items.len() {
            check_tick(&body, &items, i)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn parse_never_panics_and_markers_point_at_boxes(body in any::<String>()) {
        let items = parse(&body, &HeadingNames::default());
        check_markers(&body, &items)?;
    }

    #[test]
    fn parse_handles_arbitrary_unicode_around_boxes(
        pre in "\\PC{0,20}", post in "\\PC{0,20}", nl in prop::sample::select(vec!["\n", "\r\n", "\r"]),
    ) {
        let body = format!("{pre}{nl}- [ ] {post}{nl}  - [x] {pre}{nl}> 1. [X] {post}");
        let items = parse(&body, &HeadingNames::default());
        check_markers(&body, &items)?;
    }
}

#[test]
fn generators_produce_items() {
    // Guard against generators that stop producing what the properties need.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let names = HeadingNames::default();
    let (mut items, mut nested, mut crlf, mut soup_items) = (0, 0, 0, 0);
    for _ in 0..100 {
        let body = checklist().new_tree(&mut runner).unwrap().current();
        crlf += usize::from(body.contains("\r\n"));
        let parsed = parse(&body, &names);
        items += parsed.len();
        nested += parsed.iter().filter(|i| i.depth > 0).count();
        soup_items += parse(&soup().new_tree(&mut runner).unwrap().current(), &names).len();
    }
    assert!(items > 500, "{items} items in 100 bodies");
    assert!(nested > 100, "{nested} nested items in 100 bodies");
    assert!(crlf > 20, "{crlf} CRLF bodies of 100");
    assert!(soup_items > 300, "{soup_items} items in 100 soups");
}

#[test]
fn generated_style_body_parses_as_expected() {
    let body = "## 🚀 Deploy\r\n- [ ] a\r\n    * [x]\tb 🚀\r\n        10. [X] c\r\n\r\n```\r\n- [ ] fake\r\n```\r\n";
    let items = parse(body, &HeadingNames::default());
    // `10.` cannot interrupt a paragraph, so that line is a lazy continuation of `b`.
    assert_eq!(
        items
            .iter()
            .map(|i| (i.text.as_str(), i.depth))
            .collect::<Vec<_>>(),
        vec![("a", 0), ("b 🚀 10. [X] c", 1)]
    );
}
