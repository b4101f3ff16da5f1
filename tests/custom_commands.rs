//! `[[commands]]`: the README's example parsed as the config it shows, run on the selected run
//! of the demo through the real workers (a real program, no shell); a field the selection lacks
//! stops the command; `confirm` shows the exact arguments first; `writes` is refused read-only.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::custom::{Finished, Stage};
use shipdeck::app::overlay::Overlay;
use shipdeck::app::state::Pane;
use shipdeck::app::{AppState, Command};

/// The TOML between the README's `commands-example` markers.
fn readme_commands() -> Vec<shipdeck::config::CustomCommand> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- commands-example -->").unwrap();
    let end = readme.find("<!-- /commands-example -->").unwrap();
    let block = &readme[start..end];
    let toml = block
        .split("```toml")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let config: shipdeck::config::Config = toml::from_str(toml).unwrap();
    assert_eq!(config.commands.len(), 3);
    config.commands
}

fn stage(state: &AppState) -> Option<Stage> {
    state.overlays.iter().find_map(|o| match o {
        Overlay::Command(run) => Some(run.stage.clone()),
        _ => None,
    })
}

fn argv(state: &AppState) -> Vec<String> {
    state
        .overlays
        .iter()
        .find_map(|o| match o {
            Overlay::Command(run) => Some(run.argv.clone()),
            _ => None,
        })
        .unwrap()
}

#[tokio::test]
async fn the_readme_example_runs_on_the_selected_run_as_one_argument_per_field() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.state.add_custom_commands(&readme_commands());
    h.select_workflow("acme/storefront", "deploy.yml");
    h.key("j");
    let (w, run) = shipdeck::app::runs::selected(&h.state).unwrap();
    let run = run.expect("a run is selected").clone();
    let repo = w.repo.clone();
    h.key("I");
    let expected = vec![
        "echo".to_string(),
        repo.clone(),
        "run".into(),
        run.id.to_string(),
        "at".into(),
        run.head_sha.clone(),
        run.html_url.clone(),
    ];
    assert_eq!(
        argv(&h.state),
        expected,
        "the arguments are the run's fields"
    );
    h.until(
        |s| matches!(stage(s), Some(Stage::Done(_))),
        "the program's output",
    )
    .await;
    let Some(Stage::Done(Ok(Finished { code, stdout, .. }))) = stage(&h.state) else {
        panic!("{:?}", stage(&h.state));
    };
    assert_eq!(code, Some(0));
    assert_eq!(stdout, format!("{}\n", expected[1..].join(" ")));
    h.key("esc");
    assert!(stage(&h.state).is_none(), "esc closes the output");

    // The same key elsewhere is not the command: on the board, `I` is not bound.
    h.cmd(Command::FocusBoard);
    h.key("I");
    assert!(stage(&h.state).is_none());
}

#[tokio::test]
async fn a_missing_field_stops_the_command_and_names_it() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let mut commands = readme_commands();
    commands[0].scope = "global".into();
    h.state.add_custom_commands(&commands);
    h.cmd(Command::FocusGates);
    h.key("I");
    assert!(stage(&h.state).is_none(), "nothing runs");
    let status = h.state.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("not known for the selection: {repo} (select an item; the release has several repositories), {run_id} (select a run in the runs pane)"),
        "{status}"
    );
}

#[tokio::test]
async fn confirm_shows_the_exact_arguments_and_writes_are_refused_read_only() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let mut commands = readme_commands();
    // The README's board command, made runnable here: same fields, a harmless program.
    commands[2].argv = vec!["echo".into(), "{number}".into(), "{repo}".into()];
    h.state.add_custom_commands(&commands);
    h.cmd(Command::FocusBoard);
    assert_eq!(h.state.focus, Pane::Board);
    let (repo, number) = {
        let cards = shipdeck::app::lists::board_cards(&h.state, h.state.board.column);
        let release = h.state.release.as_ref().unwrap();
        let card = &release.board()[h.state.board.column].cards[cards[0]];
        (card.repo.clone(), card.number)
    };
    h.key("B");
    assert_eq!(stage(&h.state), Some(Stage::Confirm), "asks first");
    assert_eq!(
        argv(&h.state),
        vec!["echo".to_string(), number.to_string(), repo.clone()]
    );
    h.key("n");
    assert!(stage(&h.state).is_none(), "n cancels, nothing ran");
    h.key("B");
    h.key("y");
    h.until(|s| matches!(stage(s), Some(Stage::Done(_))), "the output")
        .await;
    let Some(Stage::Done(Ok(done))) = stage(&h.state) else {
        panic!()
    };
    assert_eq!(done.stdout, format!("{number} {repo}\n"));
    h.key("esc");

    h.state.session.read_only = true;
    h.key("B");
    assert!(
        stage(&h.state).is_none(),
        "a writing command is disabled read-only"
    );
    let status = h.state.status.as_ref().unwrap().text.clone();
    assert!(status.contains("read-only"), "{status}");
}
