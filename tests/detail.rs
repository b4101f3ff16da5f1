//! The issue detail view: Enter on a risk or a board card opens it, `i` on a checklist item
//! that is a sub-issue; its comments are read through the real workers from the simulator;
//! `o`/`y` act on it; Esc closes it.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::keymap::Key;
use shipdeck::app::overlay::Overlay;
use shipdeck::app::{Action, AppState, Command, Effect, Pane, update};
use shipdeck::release::ReleaseRules;

fn loaded() -> AppState {
    let mut s = AppState::new(
        common::fixed_now(),
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    let now = common::fixed_now();
    assert_eq!(
        update(&mut s, Action::Tick { now }),
        vec![Effect::FetchSnapshot {
            req: 1,
            full: false
        }]
    );
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(common::fixture_snapshot(common::fixed_now()))),
            rate: None,
        },
    );
    s
}

fn key(s: &mut AppState, k: &str) -> Vec<Effect> {
    update(s, Action::Input(Key::parse(k).unwrap()))
}

#[test]
fn enter_on_a_risk_opens_it_asks_for_comments_and_esc_closes_it() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRisks));
    let fx = key(&mut s, "enter");
    assert_eq!(
        fx,
        vec![Effect::FetchComments {
            repo: "acme/app".into(),
            number: 7
        }]
    );
    let view = s.overlays.issue().unwrap();
    assert_eq!((view.repo.as_str(), view.number), ("acme/app", 7));
    // j scrolls the view, not the pane; o and y act on the issue.
    key(&mut s, "j");
    key(&mut s, "pgdn");
    assert_eq!(s.overlays.issue().unwrap().scroll, 11);
    let url = "https://github.com/acme/app/issues/7".to_string();
    assert_eq!(key(&mut s, "y"), vec![Effect::CopyToClipboard(url.clone())]);
    assert_eq!(key(&mut s, "o"), vec![Effect::OpenUrl(url)]);
    // Opening it again while the comments are on their way does not ask twice.
    key(&mut s, "esc");
    assert!(s.overlays.is_empty());
    assert_eq!(s.focus, Pane::Risks);
    assert!(key(&mut s, "enter").is_empty());
    // `q` closes it too, and does not quit.
    key(&mut s, "q");
    assert!(s.overlays.is_empty());
    assert!(!s.quit);
}

#[test]
fn comments_are_kept_and_a_failure_keeps_the_ones_read() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRisks));
    key(&mut s, "enter");
    let comment = |id: u64| shipdeck::release::Comment {
        id,
        author: Some("dana".into()),
        body: format!("comment {id}"),
        created_at: common::fixed_now(),
        html_url: String::new(),
    };
    let all: Vec<_> = (1..=12).map(comment).collect();
    update(
        &mut s,
        Action::CommentsLoaded {
            repo: "acme/app".into(),
            number: 7,
            result: Ok(all),
        },
    );
    let cached = s.details.comments("acme/app", 7).unwrap();
    let (latest, total) = cached.result.clone().unwrap().unwrap();
    assert_eq!(total, 12);
    assert_eq!(latest.first().unwrap().id, 3, "the newest ten are kept");
    assert!(!cached.loading);
    // Reopening reads them again (cheap: the client's ETag cache answers a 304).
    key(&mut s, "esc");
    assert_eq!(key(&mut s, "enter").len(), 1);
    update(
        &mut s,
        Action::CommentsLoaded {
            repo: "acme/app".into(),
            number: 7,
            result: Err("connection refused".into()),
        },
    );
    let cached = s.details.comments("acme/app", 7).unwrap();
    assert!(matches!(cached.result, Some(Ok((_, 12)))));
}

#[test]
fn a_checklist_item_that_is_not_an_issue_says_so() {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusChecklist));
    assert!(key(&mut s, "i").is_empty());
    assert!(s.overlays.is_empty());
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "this checklist item links no issue"
    );
}

#[tokio::test]
async fn a_board_cards_comments_come_from_github() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::FocusBoard);
    let board = h.state.release.as_ref().unwrap().board();
    let (column, card) = board
        .iter()
        .enumerate()
        .find_map(|(c, col)| {
            col.cards
                .iter()
                .position(|k| k.repo == "acme/storefront" && k.number == 255)
                .map(|i| (c, i))
        })
        .expect("the blocker is on the board");
    h.state.board.column = column;
    h.state.board.card = card;
    h.key("enter");
    assert!(matches!(h.state.overlays.top(), Some(Overlay::Issue(_))));
    h.until(
        |s| {
            s.details
                .comments("acme/storefront", 255)
                .is_some_and(|c| c.result.is_some())
        },
        "the comments",
    )
    .await;
    let cached = h.state.details.comments("acme/storefront", 255).unwrap();
    let (comments, total) = cached.result.clone().unwrap().unwrap();
    assert_eq!(total, 2);
    assert_eq!(comments[0].author.as_deref(), Some("carol"));
    assert!(comments[1].body.starts_with("Marking as a release blocker"));
    // Opened again, the comments are asked for again, and the ETag makes that a 304.
    h.key("esc");
    h.key("enter");
    h.until(
        |s| {
            s.details
                .comments("acme/storefront", 255)
                .is_some_and(|c| !c.loading)
        },
        "the comments again",
    )
    .await;
    let reads: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| {
            r.path
                .starts_with("/repos/acme/storefront/issues/255/comments")
        })
        .collect();
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(reads[1].status, 304);
}

/// A body with everything people put in issues, and things they should not.
const BODY: &str = "\
## Plan \u{1b}]0;owned\u{7}

1. Freeze `main`
2. Cut the branch:

```sh
git switch -c release/v2.4.0 && git push -u origin release/v2.4.0 --force-with-lease --no-verify
```

- [x] notes drafted
- [ ] \u{202e}sdrawkcab sign-off

| Service | Owner | Rollback |
|---|---|---|
| storefront | @dana | `rollback.yml` |
| payments \u{1b}[31mred | @lee | manual, see [runbook](https://wiki.example/runbook) |

> Last time the backfill ran for 3 h.

aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
";

#[test]
fn a_real_looking_body_with_hostile_text_renders_safely() {
    let mut s = loaded();
    let snapshot = s.snapshot.as_mut().unwrap();
    let risk = snapshot.repos[0]
        .issues
        .iter_mut()
        .find(|i| i.number == 7)
        .unwrap();
    risk.body = Some(BODY.into());
    let snapshot = s.snapshot.clone().unwrap();
    shipdeck::app::update::apply_snapshot(&mut s, snapshot);
    update(&mut s, Action::Command(Command::FocusRisks));
    key(&mut s, "enter");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 40)).unwrap();
    terminal.draw(|f| shipdeck::view::render(&s, f)).unwrap();
    let buffer = terminal.backend().buffer();
    assert!(buffer.content.iter().all(|c| {
        c.symbol()
            .chars()
            .all(|ch| !ch.is_control() && !('\u{202a}'..='\u{202e}').contains(&ch))
    }));
    insta::assert_snapshot!(terminal.backend());
}

#[tokio::test]
async fn i_on_a_checklist_item_opens_the_issue_it_links() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::FocusChecklist);
    let items = &h.state.release.as_ref().unwrap().checklist;
    h.state.checklist.cursor.selected = items
        .iter()
        .position(|i| i.text.ends_with("(#201)"))
        .unwrap();
    h.key("i");
    let view = h.state.overlays.issue().expect("the linked issue opens");
    assert_eq!((view.repo.as_str(), view.number), ("acme/storefront", 201));
    // Enter still ticks; nothing was ticked by `i`.
    assert!(h.state.checklist.pending.is_empty());
}

#[tokio::test]
async fn an_issue_outside_the_release_is_read_on_its_own() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::FocusChecklist);
    // An item that links storefront#180, an incident outside the milestone.
    let release = h.state.release.as_mut().unwrap();
    release.checklist[0].text = "Follow-up of the v2.3.0 incident (#180)".into();
    h.state.checklist.cursor.selected = 0;
    h.key("i");
    let view = h
        .state
        .overlays
        .issue()
        .expect("it opens while the issue is read");
    assert_eq!(view.number, 180);
    assert!(shipdeck::app::detail::find_issue(&h.state, "acme/storefront", 180).is_none());
    h.until(
        |s| s.details.issue("acme/storefront", 180).is_some(),
        "the issue is read",
    )
    .await;
    let read = h.state.details.issue("acme/storefront", 180).unwrap();
    assert!(read.is_ok(), "{read:?}");
    let (issue, milestone) =
        shipdeck::app::detail::find_issue(&h.state, "acme/storefront", 180).unwrap();
    assert_eq!(issue.number, 180);
    assert_eq!(milestone, None);
    h.cmd(Command::CopyUrl);
    assert!(
        h.status().ends_with("/acme/storefront/issues/180"),
        "{}",
        h.status()
    );
}

#[tokio::test]
async fn c_in_the_details_comments_exactly_what_the_dialog_showed_and_the_view_shows_it() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::FocusRisks);
    h.key("enter");
    let (repo, number) = match h.state.overlays.top() {
        Some(Overlay::Issue(v)) => (v.repo.clone(), v.number),
        other => panic!("{other:?}"),
    };
    h.key("c");
    let text = "Mitigation rehearsed on staging; `; rm -rf ~` stays text";
    h.type_text(text);
    let calls = h.state.overlays.confirm().unwrap().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].path,
        format!("/repos/{repo}/issues/{number}/comments")
    );
    assert_eq!(
        calls[0].body.as_deref(),
        Some(serde_json::json!({ "body": text }).to_string().as_str())
    );
    h.yes_and_refresh().await;
    let sent: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == calls[0].path)
        .collect();
    assert_eq!(sent.len(), 1, "sent once");
    assert_eq!(
        sent[0].body, calls[0].body,
        "the body as the dialog showed it"
    );
    h.until(
        |s| {
            s.details.comments(&repo, number).is_some_and(
                |c| matches!(&c.result, Some(Ok((list, _))) if list.iter().any(|k| k.body == text)),
            )
        },
        "the new comment in the view",
    )
    .await;
    assert!(
        matches!(h.state.overlays.top(), Some(Overlay::Issue(_))),
        "still in the view"
    );

    // Read-only: `c` opens nothing.
    h.state.session.read_only = true;
    h.key("c");
    assert!(h.state.overlays.confirm().is_none());
}
