use chrono::{DateTime, TimeZone as _, Utc};
use pulldown_cmark::{Event, Options, Parser, Tag};

use super::render::{EMPTY, escape, json, markdown};
use super::*;
use crate::release::snapshot::{RepoSnapshot, TrackingIssue};
use crate::release::{Milestone, State};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn issue(repo: &str, number: u64, title: &str, labels: &[&str]) -> Issue {
    Issue {
        repo: repo.into(),
        number,
        title: title.into(),
        state: State::Closed,
        is_pull_request: false,
        labels: labels.iter().map(|l| (*l).to_string()).collect(),
        assignees: Vec::new(),
        author: Some("bob".into()),
        body: None,
        html_url: format!("https://github.com/{repo}/issues/{number}"),
        created_at: at(),
        updated_at: at(),
        closed_at: Some(at()),
        merged_at: None,
        state_reason: None,
    }
}

fn pr(repo: &str, number: u64, title: &str, labels: &[&str], merged: bool) -> Issue {
    Issue {
        is_pull_request: true,
        merged_at: merged.then(at),
        html_url: format!("https://github.com/{repo}/pull/{number}"),
        ..issue(repo, number, title, labels)
    }
}

fn titles(notes: &Notes) -> Vec<(String, Vec<String>)> {
    notes
        .sections
        .iter()
        .map(|s| {
            (
                s.title.clone(),
                s.entries
                    .iter()
                    .map(|e| format!("{}#{}", e.repo, e.number))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn entries_go_to_the_first_section_that_takes_them_sorted_by_repo_then_number() {
    let issues = [
        issue("acme/web", 12, "Saved carts", &["enhancement"]),
        issue("acme/api", 30, "Crash on refund", &["bug"]),
        pr("acme/api", 7, "Rotate keys", &["security", "fix"], true),
        issue("acme/web", 3, "Docs", &["documentation"]),
        issue("acme/api", 2, "New payouts", &["Feature"]),
        issue("acme/web", 9, "Patch CVE", &["security"]),
    ];
    let notes = group("v1.0", &issues, &NotesRules::default());
    assert_eq!(
        titles(&notes),
        vec![
            (
                "Features".into(),
                vec!["acme/api#2".into(), "acme/web#12".into()]
            ),
            // `fix` comes before `security` in the order of sections: Fixes wins.
            (
                "Fixes".into(),
                vec!["acme/api#7".into(), "acme/api#30".into()]
            ),
            ("Security".into(), vec!["acme/web#9".into()]),
            ("Other".into(), vec!["acme/web#3".into()]),
        ]
    );
    assert_eq!(notes.milestone, "v1.0");
}

#[test]
fn open_skipped_unmerged_not_planned_and_duplicate_entries_are_left_out() {
    let mut open = issue("acme/web", 1, "Still open", &["bug"]);
    open.state = State::Open;
    let issues = [
        open,
        issue("acme/web", 2, "Internal chore", &["bug", "Skip-Notes"]),
        pr("acme/web", 3, "Abandoned approach", &["bug"], false),
        pr("acme/web", 4, "The real fix", &["bug"], true),
        Issue {
            state_reason: Some("not_planned".into()),
            ..issue("acme/web", 5, "Won't do", &["bug"])
        },
        Issue {
            state_reason: Some("duplicate".into()),
            ..issue("acme/web", 6, "Same as #4", &["bug"])
        },
        Issue {
            state_reason: Some("completed".into()),
            ..issue("acme/web", 7, "Done", &["bug"])
        },
    ];
    let notes = group("v1.0", &issues, &NotesRules::default());
    assert_eq!(
        titles(&notes),
        vec![(
            "Fixes".into(),
            vec!["acme/web#4".into(), "acme/web#7".into()]
        )]
    );
}

#[test]
fn without_a_catch_all_section_unmatched_entries_are_left_out() {
    let rules = NotesRules {
        sections: vec![SectionRule::new("Fixes", &["bug"])],
        skip_label: "no-notes".into(),
    };
    let issues = [
        issue("acme/web", 1, "Fix", &["bug"]),
        issue("acme/web", 2, "Chore", &[]),
        issue("acme/web", 3, "Hidden", &["bug", "no-notes"]),
    ];
    assert_eq!(
        titles(&group("v1.0", &issues, &rules)),
        vec![("Fixes".into(), vec!["acme/web#1".into()])]
    );
}

fn snapshot(issues: Vec<Issue>) -> Snapshot {
    let milestone = Milestone {
        number: 4,
        title: "v2.4.0".into(),
        description: None,
        state: State::Open,
        due_on: None,
        open_issues: 0,
        closed_issues: 0,
        html_url: String::new(),
    };
    let repos = ["acme/api", "acme/web"]
        .iter()
        .map(|r| RepoSnapshot {
            repo: (*r).to_string(),
            verdict_status: None,
            milestone: milestone.clone(),
            issues: issues.iter().filter(|i| i.repo == *r).cloned().collect(),
            workflows: Vec::new(),
            missing: Vec::new(),
        })
        .collect();
    Snapshot {
        milestone: "v2.4.0".into(),
        repos,
        tracking: Some(TrackingIssue {
            repo: "acme/web".into(),
            number: 100,
            title: "Release v2.4.0".into(),
            body: String::new(),
            html_url: String::new(),
            updated_at: at(),
            labels: Vec::new(),
            lock: None,
            sub_issues: None,
            signoffs: Vec::new(),
            status_comments: Vec::new(),
            overrides: Vec::new(),
        }),
        fetched_at: at(),
    }
}

#[test]
fn the_tracking_issue_checklists_and_risks_are_not_notes_across_every_repository() {
    let s = snapshot(vec![
        issue("acme/web", 100, "Release v2.4.0", &[]),
        issue("acme/api", 101, "Old checklist", &["release-checklist"]),
        issue(
            "acme/api",
            102,
            "Risk: PSP limits",
            &["risk", "likelihood:4"],
        ),
        issue("acme/api", 5, "Refunds", &["enhancement"]),
        pr("acme/web", 6, "Checkout", &["enhancement"], true),
    ]);
    let notes = from_snapshot(&s, &ReleaseRules::default(), &NotesRules::default());
    assert_eq!(
        titles(&notes),
        vec![(
            "Features".into(),
            vec!["acme/api#5".into(), "acme/web#6".into()]
        )]
    );
    assert_eq!(
        titles(&notes.for_repo("acme/web")),
        vec![("Features".into(), vec!["acme/web#6".into()])]
    );
    assert!(notes.for_repo("acme/other").is_empty());
}

#[test]
fn an_empty_milestone_says_so() {
    let notes = group("v9", &[], &NotesRules::default());
    assert!(notes.is_empty());
    assert_eq!(markdown(&notes), format!("# v9\n\n{EMPTY}\n"));
    assert_eq!(
        json(&notes),
        serde_json::json!({"milestone": "v9", "sections": []})
    );
}

#[test]
fn markdown_has_a_heading_per_section_and_one_linked_line_per_entry() {
    let issues = [
        pr("acme/web", 12, "Saved carts", &["enhancement"], true),
        issue("acme/api", 3, "Refund crash", &["bug"]),
    ];
    let md = markdown(&group("v2.4.0", &issues, &NotesRules::default()));
    assert_eq!(
        md,
        "# v2\\.4\\.0\n\n## Features\n\n\
         - Saved carts ([acme/web\\#12](https://github.com/acme/web/pull/12), @bob)\n\n\
         ## Fixes\n\n\
         - Refund crash ([acme/api\\#3](https://github.com/acme/api/issues/3), @bob)\n"
    );
}

#[test]
fn json_names_every_field() {
    let mut i = issue("acme/api", 3, "Refund crash", &["bug"]);
    i.author = None;
    let v = json(&group("v1", &[i], &NotesRules::default()));
    assert_eq!(
        v,
        serde_json::json!({"milestone": "v1", "sections": [{"title": "Fixes", "entries": [{
            "repo": "acme/api", "number": 3, "title": "Refund crash", "author": null,
            "html_url": "https://github.com/acme/api/issues/3", "is_pull_request": false
        }]}]})
    );
}

/// Everything Markdown makes of `md` that is not plain text, list structure or our own
/// headings and links.
fn injected(md: &str, own_links: usize) -> Vec<String> {
    let mut links = 0;
    let mut found = Vec::new();
    for event in Parser::new_ext(md, Options::all()) {
        match event {
            Event::Start(Tag::Link { .. }) => links += 1,
            Event::Start(Tag::List(_) | Tag::Item | Tag::Paragraph | Tag::Heading { .. })
            | Event::End(_)
            | Event::Text(_)
            | Event::SoftBreak => {}
            other => found.push(format!("{other:?}")),
        }
    }
    if links != own_links {
        found.push(format!("{links} links, expected {own_links}"));
    }
    found
}

#[test]
fn a_title_cannot_inject_markup_into_the_notes() {
    let hostile = [
        "[click](https://evil.example) ![img](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)> <b>bold</b>",
        "line one\n# Injected heading\n- injected item",
        "**bold** _em_ `code` ~~strike~~ | table | $x$",
        "https://evil.example www.evil.example <https://evil.example>",
        "1. ordered \u{1b}]52;c;ZXZpbA==\u{7} @everyone",
    ];
    for (k, title) in hostile.iter().enumerate() {
        let mut e = issue("acme/web", 1, title, &["bug"]);
        e.author = Some("dependabot[bot]".into());
        let md = markdown(&group("v1 [x](y)", &[e], &NotesRules::default()));
        assert_eq!(injected(&md, 1), Vec::<String>::new(), "title {k}: {md}");
        assert_eq!(md.lines().count(), 5, "title {k} stays one line: {md}");
        assert!(!md.contains('\u{1b}'), "no escape sequence: {md:?}");
    }
}

#[test]
fn a_link_target_cannot_break_out_or_use_another_scheme() {
    let mut e = issue("acme/web", 1, "t", &[]);
    e.html_url = "javascript:alert(1)".into();
    let md = markdown(&group("v1", &[e.clone()], &NotesRules::default()));
    assert_eq!(injected(&md, 0), Vec::<String>::new(), "{md}");
    e.html_url = "https://x.example/a) [evil](https://evil.example".into();
    let md = markdown(&group("v1", &[e], &NotesRules::default()));
    assert_eq!(injected(&md, 1), Vec::<String>::new(), "{md}");
    assert!(md.contains("https://x.example/a%29%20%5Bevil%5D%28https://evil.example"));
}

#[test]
fn authors_are_mentions_and_odd_logins_are_escaped() {
    let mut e = issue("acme/web", 1, "t", &[]);
    e.author = Some("mona-lisa".into());
    let md = markdown(&group("v1", &[e.clone()], &NotesRules::default()));
    assert!(md.contains(", @mona-lisa)\n"), "{md}");
    e.author = Some("dependabot[bot]".into());
    let md = markdown(&group("v1", &[e], &NotesRules::default()));
    assert!(md.contains(", @dependabot\\[bot\\])\n"), "{md}");
}

#[test]
fn escaping_keeps_plain_words_plain() {
    assert_eq!(
        escape("Upgrade stripe-go to v78"),
        "Upgrade stripe\\-go to v78"
    );
    assert_eq!(escape("a/b, c's \"d\"?"), "a/b, c's \"d\"?");
}
