//! The `:` command palette: typing narrows the commands, Enter runs the chosen one from its own
//! pane (the focus moves there first), letters like `q` are typed rather than obeyed, and Esc
//! closes.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::overlay::Overlay;
use shipdeck::app::palette::{self, Palette};
use shipdeck::app::state::Pane;
use shipdeck::app::{Command, update};

fn query(h: &Harness) -> Option<Palette> {
    match h.state.overlays.top() {
        Some(Overlay::Palette(p)) => Some(p.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn colon_dispatch_enter_opens_the_dispatch_form_from_the_runs_pane() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::FocusBoard);
    h.key(":");
    h.type_text("dispatch");
    let p = query(&h).expect("the palette is open");
    assert_eq!(p.query, "dispatch");
    let first = palette::matches(&h.state, &p.query)[0].clone();
    assert_eq!(first.command, Command::Dispatch);
    assert_eq!(first.keys, "d");
    h.key("enter");
    assert!(query(&h).is_none(), "Enter closes the palette");
    assert_eq!(
        h.state.focus,
        Pane::Runs,
        "the runs pane's command runs from it"
    );
    h.until(
        |s| {
            s.overlays
                .iter()
                .any(|o| matches!(o, Overlay::DispatchForm { .. }))
        },
        "the dispatch form",
    )
    .await;
}

#[tokio::test]
async fn q_is_typed_into_the_query_and_colon_q_enter_quits() {
    let mut state = common::demo_app_state();
    update(&mut state, shipdeck::app::Action::Command(Command::Palette));
    let key = |s: &mut shipdeck::app::AppState, k: &str| {
        update(
            s,
            shipdeck::app::Action::Input(shipdeck::app::keymap::Key::parse(k).unwrap()),
        );
    };
    key(&mut state, "q");
    assert!(!state.quit);
    assert!(matches!(state.overlays.top(), Some(Overlay::Palette(p)) if p.query == "q"));
    key(&mut state, "enter");
    assert!(state.quit, ":q runs quit");

    let mut state = common::demo_app_state();
    key(&mut state, ":");
    key(&mut state, "r");
    key(&mut state, "backspace");
    key(&mut state, "esc");
    assert!(state.overlays.top().is_none(), "esc closes");
    assert!(!state.quit);
}

#[test]
fn words_match_by_prefix_substring_or_letters_in_order() {
    let state = common::demo_app_state();
    let first = |q: &str| palette::matches(&state, q).first().map(|e| e.command);
    assert_eq!(first("refresh"), Some(Command::Refresh));
    assert_eq!(first("roll"), Some(Command::Rollback));
    assert_eq!(first("dsp"), Some(Command::Dispatch), "letters in order");
    assert_eq!(first("kpi"), Some(Command::FocusKpis));
    assert!(palette::matches(&state, "zzzz").is_empty());
    assert_eq!(
        palette::matches(&state, "").len(),
        palette::entries(&state).len(),
        "an empty query lists every command"
    );
    assert!(
        palette::entries(&state)
            .iter()
            .all(|e| e.command != Command::Palette),
        "the palette does not list itself"
    );
}

fn typed(state: &mut shipdeck::app::AppState, keys: &[&str]) {
    for k in keys {
        update(
            state,
            shipdeck::app::Action::Input(shipdeck::app::keymap::Key::parse(k).unwrap()),
        );
    }
}

fn palette_line(state: &mut shipdeck::app::AppState, line: &str) {
    typed(state, &[":"]);
    for c in line.chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        typed(state, &[&k]);
    }
    typed(state, &["enter"]);
}

#[test]
fn colon_theme_switches_the_theme_and_a_bad_name_says_which_exist() {
    use shipdeck::config::ThemeName;
    let mut state = common::demo_app_state();
    assert_eq!(state.session.theme, ThemeName::Dark);
    palette_line(&mut state, "theme light");
    assert_eq!(state.session.theme, ThemeName::Light);
    palette_line(&mut state, "theme");
    assert_eq!(
        state.session.theme,
        ThemeName::Dark,
        "no name: the next theme"
    );
    palette_line(&mut state, "theme neon");
    assert_eq!(state.session.theme, ThemeName::Dark);
    let status = state.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("No theme \"neon\": dark or light"),
        "{status}"
    );
}

#[tokio::test]
async fn colon_repo_scopes_every_list_and_colon_repo_alone_shows_all_again() {
    use shipdeck::app::lists;
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let line = |h: &mut Harness, text: &str| {
        h.key(":");
        h.type_text(text);
        h.key("enter");
    };
    let all_risks = lists::risk_rows(&h.state).len();
    let all_checklist = lists::checklist_rows(&h.state).len();
    line(&mut h, "repo payments");
    for pane in [Pane::Board, Pane::Checklist, Pane::Risks, Pane::Runs] {
        assert_eq!(
            h.state.filters.get(pane).unwrap().query,
            "repo:acme/payments",
            "{pane:?}"
        );
    }
    let risks = lists::risk_rows(&h.state).len();
    assert!(
        0 < risks && risks < all_risks,
        "{risks} of {all_risks} risks are payments'"
    );
    line(&mut h, "repo");
    assert_eq!(lists::risk_rows(&h.state).len(), all_risks);
    assert_eq!(lists::checklist_rows(&h.state).len(), all_checklist);
    line(&mut h, "repo nowhere");
    let status = h.state.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("No repository \"nowhere\" in this release: acme/"),
        "{status}"
    );
}
