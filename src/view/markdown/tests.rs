//! Tests of the Markdown renderer on real-looking issue bodies.

use super::*;

/// The rendered lines as plain strings.
fn plain(source: &str) -> Vec<String> {
    render(source)
        .lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn a_risk_body_keeps_its_structure() {
    let body = "## Summary\n\nThe payment provider may rate-limit our **checkout** calls \
                during the launch.\n\n## Mitigation\n\n- Pre-warm the connection pool\n\
                - Feature flag `checkout_v2` can be turned off\n  - owner: @dana\n\
                - See [the runbook](https://example.com/runbook)\n";
    assert_eq!(
        plain(body),
        [
            "Summary",
            "",
            "The payment provider may rate-limit our checkout calls during the launch.",
            "",
            "Mitigation",
            "",
            "• Pre-warm the connection pool",
            "• Feature flag checkout_v2 can be turned off",
            "  • owner: @dana",
            "• See the runbook (https://example.com/runbook)",
        ]
    );
}

#[test]
fn task_lists_and_numbered_lists() {
    let body = "1. build\n2. test\n   continued here\n\n- [x] tag pushed\n- [ ] notes written\n";
    assert_eq!(
        plain(body),
        [
            "1. build",
            "2. test continued here",
            "",
            "[x] tag pushed",
            "[ ] notes written",
        ]
    );
}

#[test]
fn code_blocks_keep_their_lines_and_indentation() {
    let body = "Run:\n\n```sh\ncargo test\n  --locked\n\necho done\n```\nafter";
    assert_eq!(
        plain(body),
        [
            "Run:",
            "",
            "sh",
            "  cargo test",
            "    --locked",
            "  ",
            "  echo done",
            "",
            "after",
        ]
    );
    let text = render("```\nx\n```");
    assert_eq!(text.lines[0].spans[0].style, theme().dim);
}

#[test]
fn tables_are_columns_separated_by_bars() {
    let body = "| Service | Owner |\n|---|---|\n| storefront | @dana |\n| api | @lee |\n";
    assert_eq!(
        plain(body),
        [
            "Service    │ Owner",
            "───────────┼──────",
            "storefront │ @dana",
            "api        │ @lee",
        ]
    );
}

#[test]
fn quotes_links_and_html_comments() {
    let body = "<!-- template: fill in below -->\n> Rolled back once\n> in v2.3\n\n\
                <https://example.com/x> and [same](https://same.example)";
    assert_eq!(
        plain(body),
        [
            "│ Rolled back once in v2.3",
            "",
            "https://example.com/x and same (https://same.example)",
        ]
    );
}

#[test]
fn headings_are_styled() {
    let text = render("# Title\n\ntext");
    assert!(
        text.lines[0].spans[0]
            .style
            .add_modifier
            .contains(Modifier::UNDERLINED)
    );
    assert_eq!(text.lines[2].spans[0].style, Style::default());
}

#[test]
fn hostile_text_cannot_reach_the_terminal() {
    let body = "# \u{1b}]0;pwned\u{7}Title\n\nclip \u{1b}]52;c;ZXZpbA==\u{7} \u{202e}reversed\n\n\
                ```\n\u{1b}[2J\u{9b}31mcode\n```\n\n| a\u{1b}[31m | b |\n|-|-|\n| \u{2066}x | y |\n\n\
                [link](https://x.example/\u{1b}[0m)";
    for line in plain(body) {
        assert!(
            line.chars().all(|c| !c.is_control()
                && !('\u{2066}'..='\u{2069}').contains(&c)
                && !('\u{202a}'..='\u{202e}').contains(&c)),
            "{line:?}"
        );
    }
}

#[test]
fn an_escape_sequence_the_parser_cuts_in_two_is_removed_whole() {
    // pulldown-cmark splits text at `[` and `]`: the pieces are joined before sanitising.
    assert_eq!(plain("# \u{1b}]0;pwned\u{7}Title"), ["Title"]);
    assert_eq!(plain("a \u{1b}[31mred\u{1b}[0m b"), ["a red b"]);
    assert_eq!(plain("| x \u{1b}[1m |\n|-|\n| y |"), ["x", "─", "y"]);
}

#[test]
fn a_huge_body_renders_quickly() {
    let mut body = String::new();
    for i in 0..5_000 {
        body.push_str(&format!("- [ ] item {i} with `code` and **bold** text\n"));
    }
    body.push('\n');
    body.push_str(&"x".repeat(1_000_000));
    let started = std::time::Instant::now();
    let text = render(&body);
    assert_eq!(text.lines.len(), 5_002);
    assert_eq!(text.lines[5_001].width(), 1_000_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Lists nested far deeper than anyone writes stay indented by a bounded amount.
    let deep: String = (0..100)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let widest = plain(&deep).iter().map(|l| l.chars().count()).max();
    assert!(
        widest.unwrap_or(0) <= 2 * MAX_INDENT_LEVELS + 3,
        "{widest:?}"
    );
}
