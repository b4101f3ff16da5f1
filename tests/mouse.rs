//! The mouse through `update`, with the targets the view drew: a click focuses a pane and
//! selects the row that was drawn under the pointer (the same row is highlighted on the next
//! frame), a click on a tab switches pane, the wheel moves the cursor or scrolls a popup,
//! dialogs ignore clicks, and `[ui] mouse = false` turns it all off.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::mouse::{Mouse, MouseKind, Target};
use shipdeck::app::overlay::Overlay;
use shipdeck::app::state::Pane;
use shipdeck::app::{Action, AppState, update};
use shipdeck::view::hits::HitMap;

fn frame(state: &AppState, w: u16, h: u16) -> (Terminal<TestBackend>, HitMap) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = HitMap::default();
    terminal
        .draw(|f| hits = shipdeck::view::render_with_hits(state, f))
        .unwrap();
    (terminal, hits)
}

/// The first point (scanning rows, then columns) whose target `want` accepts.
fn find(hits: &HitMap, w: u16, h: u16, want: impl Fn(Target) -> bool) -> (u16, u16, Target) {
    for y in 0..h {
        for x in 0..w {
            if let Some(t) = hits.at(x, y)
                && want(t)
            {
                return (x, y, t);
            }
        }
    }
    panic!("no such target on screen");
}

fn click(state: &mut AppState, target: Option<Target>) {
    update(
        state,
        Action::Mouse(Mouse {
            kind: MouseKind::Click,
            target,
        }),
    );
}

fn line(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let b = terminal.backend().buffer();
    (0..b.area.width).map(|x| b[(x, y)].symbol()).collect()
}

#[tokio::test]
async fn a_click_selects_the_row_drawn_under_it_and_the_wheel_moves_on() {
    let sim = common::demo_sim().await;
    let h = Harness::new(&sim).await;
    let mut state = h.state.clone();
    assert_eq!(state.focus, Pane::Board);
    let (_, hits) = frame(&state, 140, 44);
    // The third risk row, while the board has the focus.
    let (x, y, target) = find(&hits, 140, 44, |t| {
        matches!(
            t,
            Target::Row {
                pane: Pane::Risks,
                index: 2,
                ..
            }
        )
    });
    let (before, _) = frame(&state, 140, 44);
    let clicked_text = line(&before, y);
    click(&mut state, Some(target));
    assert_eq!(state.focus, Pane::Risks, "the click focused the risks pane");
    assert_eq!(state.risks.selected, 2);
    // The row highlighted now is the one that was under the pointer.
    let (after, _) = frame(&state, 140, 44);
    let b = after.backend().buffer();
    assert_eq!(
        b[(x, y)].bg,
        shipdeck::view::theme::DARK.selected.bg.unwrap(),
        "the clicked row is highlighted"
    );
    let risk = &state.release.as_ref().unwrap().risks
        [shipdeck::app::lists::risk_rows(&state)[state.risks.selected]];
    let number = format!("#{}", risk.number);
    assert!(clicked_text.contains(&number), "{clicked_text}");
    assert!(line(&after, y).contains(&number));

    update(
        &mut state,
        Action::Mouse(Mouse {
            kind: MouseKind::ScrollDown,
            target: Some(Target::Pane(Pane::Risks)),
        }),
    );
    assert_eq!(state.risks.selected, 3, "the wheel moves the cursor");

    // A card of another phase column: the column and the card are selected.
    let (_, hits) = frame(&state, 140, 44);
    let (_, _, card) = find(&hits, 140, 44, |t| {
        matches!(
            t,
            Target::Row {
                pane: Pane::Board,
                column: 1,
                index: 1
            }
        )
    });
    click(&mut state, Some(card));
    assert_eq!(state.focus, Pane::Board);
    assert_eq!((state.board.column, state.board.card), (1, 1));
}

#[tokio::test]
async fn tabs_at_narrow_widths_dialogs_ignore_clicks_and_mouse_off_does_nothing() {
    let sim = common::demo_sim().await;
    let h = Harness::new(&sim).await;
    let mut state = h.state.clone();
    let (_, hits) = frame(&state, 80, 24);
    let (_, _, tab) = find(&hits, 80, 24, |t| t == Target::Tab(Pane::Runs));
    click(&mut state, Some(tab));
    assert_eq!(state.focus, Pane::Runs, "a tab click switches pane");

    // With the help open, the popup covers the screen: a click does nothing, the wheel
    // scrolls the help.
    update(&mut state, Action::Command(shipdeck::app::Command::Help));
    let (_, hits) = frame(&state, 80, 24);
    assert_eq!(hits.at(1, 12), Some(Target::Popup));
    click(&mut state, hits.at(1, 12));
    assert_eq!(state.focus, Pane::Runs);
    update(
        &mut state,
        Action::Mouse(Mouse {
            kind: MouseKind::ScrollDown,
            target: Some(Target::Popup),
        }),
    );
    assert!(matches!(
        state.overlays.top(),
        Some(Overlay::Help { scroll: 1 })
    ));

    // The review of ticks that cannot apply is a dialog: clicks and the wheel do nothing.
    let mut review = h.state.clone();
    let tick = |id, text: &str| shipdeck::app::review::ReviewItem {
        id,
        tick: shipdeck::app::action::PendingTick {
            repo: "acme/storefront".into(),
            number: 200,
            key: shipdeck::release::task_list::ItemKey {
                text: text.into(),
                occurrence: 0,
            },
            checked: true,
        },
        reason: "the item is no longer in the checklist".into(),
    };
    update(
        &mut review,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![tick(1, "a"), tick(2, "b")],
        },
    );
    let (_, hits) = frame(&review, 80, 24);
    assert_eq!(
        hits.at(1, 12),
        Some(Target::Popup),
        "the popup covers the panes"
    );
    assert_eq!(hits.at(40, 12), Some(Target::Popup));
    click(&mut review, hits.at(1, 12));
    click(&mut review, Some(Target::Tab(Pane::Runs)));
    update(
        &mut review,
        Action::Mouse(Mouse {
            kind: MouseKind::ScrollDown,
            target: hits.at(40, 12),
        }),
    );
    assert_eq!(review.focus, Pane::Board, "no click reaches the panes");
    assert_eq!(review.tick_review.selected, 0, "the wheel picks nothing");
    assert!(review.overlays.tick_review());

    let mut off = h.state.clone();
    off.session.mouse = false;
    click(&mut off, Some(Target::Tab(Pane::Runs)));
    assert_eq!(
        off.focus,
        Pane::Board,
        "[ui] mouse = false: clicks do nothing"
    );
}
