//! The `/` filter of the list panes through `update`, on the demo release read from the
//! simulator: typing narrows the rows at once, the title counts them, Esc clears, and every
//! action on "the selected row" acts on a row the filter shows.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::keymap::Key;
use shipdeck::app::lists;
use shipdeck::app::{Action, AppState, Command, Effect, Pane, update};
use shipdeck::github::sync::fetch_snapshot;

async fn demo_state() -> AppState {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let now = common::fixed_now();
    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), now)
        .await
        .unwrap();
    let mut state = common::demo_app_state();
    state.now = now;
    state.sync.next_due = now;
    let fx = update(&mut state, Action::Tick { now });
    let Some(Effect::FetchSnapshot { req, .. }) = fx.first().cloned() else {
        panic!("the first tick refreshes: {fx:?}");
    };
    update(
        &mut state,
        Action::SnapshotLoaded {
            req,
            result: Ok(Box::new(snapshot)),
            rate: None,
        },
    );
    assert!(state.release.is_some(), "the demo release loads");
    state
}

fn key(code: KeyCode) -> Action {
    Action::Input(Key {
        code,
        mods: KeyModifiers::NONE,
    })
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, key(KeyCode::Char(c)));
    }
}

/// `/` then `query`, in the focused pane.
fn filter(state: &mut AppState, query: &str) {
    update(state, key(KeyCode::Char('/')));
    type_text(state, query);
}

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content
        .chunks(buffer.area.width as usize)
        .map(|row| {
            row.iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn card_titles(state: &AppState) -> Vec<String> {
    let release = state.release.as_ref().unwrap();
    let board = release.board();
    let mut titles = Vec::new();
    for (c, column) in board.iter().enumerate() {
        for i in lists::board_cards(state, c) {
            titles.push(column.cards[i].title.clone());
        }
    }
    titles
}

#[tokio::test]
async fn slash_apple_narrows_the_board_checklist_risks_and_runs_and_counts_them() {
    let mut state = demo_state().await;
    for (focus, pane) in [
        (Command::FocusBoard, Pane::Board),
        (Command::FocusChecklist, Pane::Checklist),
        (Command::FocusRisks, Pane::Risks),
        (Command::FocusRuns, Pane::Runs),
    ] {
        update(&mut state, Action::Command(focus));
        assert_eq!(lists::counts(&state, pane), None, "{pane:?}: no filter yet");
        filter(&mut state, "apple");
        let (shown, all) = lists::counts(&state, pane).unwrap();
        assert!(shown < all, "{pane:?}: {shown} of {all} is narrower");
        assert!(
            screen(&state).contains(&format!("{shown} of {all}")),
            "{pane:?}: the title counts the rows:\n{}",
            screen(&state)
        );
        update(&mut state, key(KeyCode::Enter));
        assert_eq!(state.filters.get(pane).unwrap().query, "apple");
    }
    let titles = card_titles(&state);
    assert!(!titles.is_empty());
    assert!(
        titles.iter().all(|t| t.to_lowercase().contains("apple")),
        "{titles:?}"
    );
    let release = state.release.as_ref().unwrap();
    let risks = lists::risk_rows(&state);
    assert!(
        risks
            .iter()
            .any(|i| release.risks[*i].title.contains("Apple Pay"))
    );
    for i in risks {
        let r = &release.risks[i];
        let text = format!("{} {}", r.title, r.mitigation.clone().unwrap_or_default());
        assert!(text.to_lowercase().contains("apple"), "{text}");
    }
    // Each pane keeps its own filter: the board's is still there after the others were set.
    assert_eq!(state.filters.board.query, "apple");
}

#[tokio::test]
async fn esc_clears_the_filter_while_typing_and_after_enter() {
    let mut state = demo_state().await;
    let all = card_titles(&state).len();
    filter(&mut state, "apple");
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.filters.board, lists::PaneFilter::default());
    assert_eq!(card_titles(&state).len(), all);

    filter(&mut state, "apple");
    update(&mut state, key(KeyCode::Enter));
    assert!(!state.filters.board.editing);
    assert!(card_titles(&state).len() < all);
    assert!(screen(&state).contains("/apple"), "the kept filter shows");
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(card_titles(&state).len(), all);
    assert!(!screen(&state).contains("/apple"));
    assert_eq!(lists::counts(&state, Pane::Board), None);
}

#[tokio::test]
async fn while_typing_every_printable_key_is_text_and_ctrl_c_still_quits() {
    let mut state = demo_state().await;
    filter(&mut state, "qjk?/");
    assert_eq!(state.filters.board.query, "qjk?/");
    assert!(!state.quit && state.overlays.top().is_none());
    assert_eq!(state.focus, Pane::Board);
    update(&mut state, key(KeyCode::Backspace));
    assert_eq!(state.filters.board.query, "qjk?");
    update(
        &mut state,
        Action::Input(Key {
            code: KeyCode::Char('c'),
            mods: KeyModifiers::CONTROL,
        }),
    );
    assert!(state.quit);
}

#[tokio::test]
async fn ticking_the_third_visible_item_ticks_that_item() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusChecklist));
    filter(&mut state, "apple");
    update(&mut state, key(KeyCode::Enter));
    let shown = lists::checklist_rows(&state);
    assert!(shown.len() >= 3, "{shown:?}");
    let release = state.release.as_ref().unwrap();
    let third = release.checklist[shown[2]].text.clone();
    assert_ne!(
        third, release.checklist[2].text,
        "the test needs the filter to move the third row"
    );
    update(&mut state, Action::Command(Command::Down));
    update(&mut state, Action::Command(Command::Down));
    let fx = update(&mut state, Action::Command(Command::ToggleItem));
    let ticked = fx.iter().find_map(|e| match e {
        Effect::QueueTick { key, .. } => Some(key.text.clone()),
        _ => None,
    });
    assert_eq!(ticked.as_deref(), Some(third.as_str()), "{fx:?}");
}

#[tokio::test]
async fn open_and_copy_act_on_the_visible_row_and_the_cursor_stays_among_them() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusRisks));
    filter(&mut state, "apple");
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, Action::Command(Command::Bottom));
    let shown = lists::risk_rows(&state);
    assert!(shown.len() < state.release.as_ref().unwrap().risks.len());
    assert_eq!(state.risks.selected, shown.len() - 1, "the last row shown");
    let release = state.release.as_ref().unwrap();
    let url = release.risks[*shown.last().unwrap()].html_url.clone();
    let fx = update(&mut state, Action::Command(Command::CopyUrl));
    assert_eq!(fx, vec![Effect::CopyToClipboard(url)]);

    update(&mut state, Action::Command(Command::FocusBoard));
    filter(&mut state, "zzz-nothing");
    update(&mut state, key(KeyCode::Enter));
    let fx = update(&mut state, Action::Command(Command::CopyUrl));
    assert!(fx.is_empty(), "no row shown, nothing copied: {fx:?}");
}

#[tokio::test]
async fn slash_in_a_pane_without_rows_to_filter_says_where_it_works() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusGates));
    update(&mut state, key(KeyCode::Char('/')));
    assert!(!lists::editing(&state));
    let status = state.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("board, checklist, risks and runs"),
        "{status}"
    );
}

#[tokio::test]
async fn the_filter_key_is_bindable() {
    let mut state = demo_state().await;
    let overrides = [(
        "global".to_string(),
        [("filter".to_string(), vec!["f".to_string()])].into(),
    )]
    .into();
    state.apply_key_overrides(&overrides);
    assert!(state.session.config_warnings.is_empty());
    update(&mut state, key(KeyCode::Char('f')));
    assert!(lists::editing(&state));
}

#[tokio::test]
async fn runs_match_by_workflow_and_state() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusRuns));
    filter(&mut state, "e2e is:closed");
    let (shown, all) = lists::counts(&state, Pane::Runs).unwrap();
    assert!(0 < shown && shown < all, "{shown} of {all}");
    let release = state.release.as_ref().unwrap();
    for row in shipdeck::app::runs::rows(&state) {
        let w = &release.workflows[row.wf];
        assert!(w.file.contains("e2e"), "{}", w.file);
        let run = &w.runs[row.run.unwrap()];
        assert!(!run.status.is_active());
    }
    // Nothing matches: the pane says so rather than showing an empty table.
    update(&mut state, key(KeyCode::Esc));
    filter(&mut state, "apple");
    assert_eq!(lists::counts(&state, Pane::Runs).map(|c| c.0), Some(0));
    assert!(screen(&state).contains("no run matches the filter"));
}

#[tokio::test]
async fn enter_opens_the_visible_row_not_the_one_the_filter_hides() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusRisks));
    filter(&mut state, "cdn");
    update(&mut state, key(KeyCode::Enter));
    let rows = lists::risk_rows(&state);
    assert_eq!(rows.len(), 1, "one risk mentions the CDN");
    let release = state.release.as_ref().unwrap();
    let shown = release.risks[rows[0]].clone();
    assert_ne!(rows[0], 0, "the visible risk is not the register's first");
    update(&mut state, key(KeyCode::Enter));
    match state.overlays.top() {
        Some(shipdeck::app::overlay::Overlay::Issue(v)) => {
            assert_eq!(
                (v.repo.as_str(), v.number),
                (shown.repo.as_str(), shown.number)
            );
        }
        other => panic!("expected the issue view, got {other:?}"),
    }
}
