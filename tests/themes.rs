//! Themes: `[ui] theme = "light"` draws the whole dashboard in the light palette (no colour of
//! the dark one is left), `[ui.colors]` recolours a role everywhere it is drawn, and the
//! PRODUCTION badge never shares the NO-GO colour.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::collections::HashSet;

use common::harness::Harness;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use shipdeck::app::AppState;
use shipdeck::config::{ColorOverrides, ThemeName};
use shipdeck::view::theme::{DARK, LIGHT};

fn colours(state: &AppState) -> HashSet<Color> {
    let mut terminal = Terminal::new(TestBackend::new(140, 44)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .flat_map(|c| [c.fg, c.bg])
        .collect()
}

#[tokio::test]
async fn the_light_theme_leaves_no_colour_of_the_dark_one_and_overrides_apply() {
    let sim = common::demo_sim().await;
    let h = Harness::new(&sim).await;
    let mut state = h.state.clone();
    let dark = colours(&state);
    assert!(dark.contains(&Color::Cyan), "the dark theme's focus colour");

    state.session.theme = ThemeName::Light;
    let light = colours(&state);
    for only_dark in [Color::Cyan, Color::Rgb(40, 60, 90), Color::LightMagenta] {
        assert!(
            !light.contains(&only_dark),
            "{only_dark:?} is the dark theme's and still drawn in the light one"
        );
    }
    assert!(
        light.contains(&LIGHT.selected.bg.unwrap()),
        "the light selection bar"
    );

    state.session.colors = ColorOverrides {
        border_focused: Some("#123456".parse().unwrap()),
        ..ColorOverrides::default()
    };
    let recoloured = colours(&state);
    assert!(recoloured.contains(&Color::Rgb(0x12, 0x34, 0x56)));
}

#[test]
fn production_is_never_drawn_in_the_no_go_colour() {
    for t in [DARK, LIGHT] {
        assert_ne!(t.production, t.no_go);
        assert_ne!(t.production.bg, t.no_go.bg);
    }
}
