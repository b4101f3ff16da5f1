//! The phase board shows every issue it counts: issues and pull requests without a phase label
//! sit in an "Unsorted" column, selectable like any card, and the header's count, the board's
//! columns and `status --json` all add up.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::{Action, AppState, Command, Effect, Pane, update};
use shipdeck::release::status::StatusReport;
use shipdeck::release::{Issue, Release, ReleaseRules, Snapshot, State};

const REPO: &str = "acme/app";

fn unlabelled(number: u64, title: &str, state: State, pr: bool) -> Issue {
    let now = common::fixed_now();
    Issue {
        repo: REPO.into(),
        number,
        title: title.into(),
        state,
        is_pull_request: pr,
        labels: vec!["bug".into()],
        assignees: Vec::new(),
        author: Some("carol".into()),
        body: None,
        html_url: format!("https://github.com/{REPO}/issues/{number}"),
        created_at: now - Duration::days(2),
        updated_at: now - Duration::hours(3),
        closed_at: None,
        merged_at: None,
        state_reason: None,
    }
}

/// The fixture release plus two issues without a phase label (an open issue and a closed
/// pull request), with the milestone's own counters as GitHub keeps them (every issue and PR
/// in the milestone: the tracking issue and the risk included).
fn snapshot() -> Snapshot {
    let mut s = common::fixture_snapshot(common::fixed_now());
    let repo = &mut s.repos[0];
    repo.issues
        .push(unlabelled(8, "Typo in the footer", State::Open, false));
    repo.issues
        .push(unlabelled(9, "Bump serde", State::Closed, true));
    let open = repo.issues.iter().filter(|i| i.is_open()).count() as u64;
    repo.milestone.open_issues = open;
    repo.milestone.closed_issues = repo.issues.len() as u64 - open;
    s
}

fn loaded() -> AppState {
    let now = common::fixed_now();
    let mut s = AppState::new(
        now,
        vec![REPO.into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(&mut s, Action::Tick { now });
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(snapshot())),
            rate: None,
        },
    );
    s
}

fn draw(state: &AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    terminal
}

/// `(closed, total)` from the header's "issues C/T".
fn header_counts(screen: &str) -> (usize, usize) {
    let line = screen.lines().nth(1).unwrap();
    let rest = &line[line.find("issues ").unwrap() + "issues ".len()..];
    let word = rest.split_whitespace().next().unwrap();
    let (closed, total) = word.split_once('/').unwrap();
    (closed.parse().unwrap(), total.parse().unwrap())
}

/// Every card on the board: the phase columns, then the unsorted ones.
fn board_cards(release: &Release) -> Vec<(u64, State)> {
    release
        .phases
        .iter()
        .flat_map(|c| c.cards.iter())
        .chain(release.unsorted.iter())
        .map(|c| (c.number, c.state))
        .collect()
}

#[test]
fn the_header_counts_what_the_board_shows_unsorted_included() {
    let state = loaded();
    let release = state.release.as_ref().unwrap();
    let unsorted: Vec<u64> = release.unsorted.iter().map(|c| c.number).collect();
    assert_eq!(unsorted, vec![8, 9], "open first, then closed");
    let cards = board_cards(release);
    let closed = cards.iter().filter(|(_, s)| *s == State::Closed).count();
    let screen = format!("{}", draw(&state, 120, 40).backend());
    assert_eq!(header_counts(&screen), (closed, cards.len()), "{screen}");
    assert!(
        screen.contains(&format!("1 Phases {} issues", cards.len())),
        "{screen}"
    );
    assert!(screen.contains("Unsorted"), "{screen}");
    assert!(screen.contains("○ #8 Typo in"), "{screen}");
    assert!(screen.contains("✓ #9 Bump serde"), "{screen}");
}

#[test]
fn unsorted_cards_are_selectable_and_open_like_the_others() {
    let mut state = loaded();
    update(&mut state, Action::Command(Command::FocusBoard));
    assert_eq!(state.focus, Pane::Board);
    for _ in 0..10 {
        update(&mut state, Action::Command(Command::Right));
    }
    assert_eq!(
        update(&mut state, Action::Command(Command::OpenInBrowser)),
        vec![Effect::OpenUrl(format!(
            "https://github.com/{REPO}/issues/8"
        ))]
    );
    update(&mut state, Action::Command(Command::Down));
    assert_eq!(
        update(&mut state, Action::Command(Command::CopyUrl)),
        vec![Effect::CopyToClipboard(format!(
            "https://github.com/{REPO}/issues/9"
        ))]
    );
    update(&mut state, Action::Command(Command::Left));
    assert_eq!(
        update(&mut state, Action::Command(Command::OpenInBrowser)),
        Vec::<Effect>::new(),
        "the Review column has no cards"
    );
}

#[test]
fn status_json_lists_the_unsorted_issues_and_its_counts_add_up() {
    let state = loaded();
    let release = state.release.as_ref().unwrap();
    let json = serde_json::to_value(StatusReport::new(
        release,
        state.verdict.clone().unwrap(),
        common::fixed_now(),
    ))
    .unwrap();
    let listed: Vec<u64> = json["unsorted"]["issues"]
        .as_array()
        .unwrap_or_else(|| panic!("no unsorted issues in {json:#}"))
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, vec![8, 9]);
    assert_eq!(json["unsorted"]["issues"][1]["is_pull_request"], true);
    assert_eq!(json["unsorted"]["issues"][1]["state"], "closed");
    let sum = |key: &str| -> u64 {
        json["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[key].as_u64().unwrap())
            .sum::<u64>()
            + json["unsorted"][key].as_u64().unwrap()
    };
    assert_eq!(json["milestone"]["open_issues"].as_u64(), Some(sum("open")));
    assert_eq!(
        json["milestone"]["closed_issues"].as_u64(),
        Some(sum("closed"))
    );
    let human = shipdeck::commands::status::human(
        release,
        state.verdict.as_ref().unwrap(),
        common::fixed_now(),
    );
    assert!(human.contains("Unsorted issues  1/2"), "{human}");
}

#[test]
fn board_with_unsorted_issues_80x24() {
    let mut state = loaded();
    update(&mut state, Action::Command(Command::FocusBoard));
    let screen = draw(&state, 80, 24);
    let text = format!("{}", screen.backend());
    assert!(text.contains("Unsorted"), "{text}");
    assert!(text.contains("#8"), "{text}");
    insta::assert_snapshot!(screen.backend());
}
