//! `b` (roll back) end to end: `update` + the real workers + the real octocrab client + the
//! simulator. The proposal is the environment of the deploy being rolled back and the last
//! version that succeeded there before it, with where that came from; never a guess.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::collections::BTreeMap;

use common::harness::Harness;
use shipdeck::app::{Action, Command, runs};
use shipdeck::release::call::{Call, describe};
use shipdeck::sim::SimHandle;

const STOREFRONT: &str = "acme/storefront";

/// Puts the runs cursor on the storefront row `pick` chooses.
fn select(h: &mut Harness, pick: impl Fn(&str, Option<&shipdeck::release::Run>) -> bool) {
    h.cmd(Command::FocusRuns);
    let release = h.state.release.as_ref().unwrap();
    let pos = runs::rows(&h.state)
        .iter()
        .position(|r| {
            let w = &release.workflows[r.wf];
            w.repo == STOREFRONT && pick(&w.file, r.run.and_then(|i| w.runs.get(i)))
        })
        .unwrap();
    h.state.runs.cursor.selected = pos;
}

/// Starts a production deploy of `version` as another user would (it waits for a reviewer).
async fn deploy_to_production(sim: &SimHandle, version: &str) {
    let inputs = BTreeMap::from([
        ("environment".to_string(), "production".to_string()),
        ("version".to_string(), version.to_string()),
        ("dry_run".to_string(), "false".to_string()),
    ]);
    let api = common::client(sim);
    let done = shipdeck::github::write::execute(
        api.as_ref(),
        &[Call::dispatch(
            STOREFRONT,
            "deploy.yml",
            "release/v2.4.0",
            &inputs,
        )],
    )
    .await;
    done.result.unwrap();
}

#[tokio::test]
async fn a_production_deploy_in_progress_rolls_back_to_the_last_good_production_version() {
    let sim = common::demo_sim().await;
    deploy_to_production(&sim, "v2.4.0-rc.3").await;
    let mut h = Harness::new(&sim).await;
    assert!(
        h.state
            .release
            .as_ref()
            .unwrap()
            .workflows
            .iter()
            .any(|w| w
                .runs
                .first()
                .is_some_and(|r| r.display_title == "Deploy v2.4.0-rc.3 to production"
                    && r.status.is_active())),
        "the production deploy is under way"
    );
    select(&mut h, |file, _| file == "ci.yml");
    let inputs = h.roll_back().await;
    assert_eq!(inputs["environment"], "production");
    assert_eq!(
        inputs["version"], "v2.3.0",
        "the last version that succeeded in production, not the last staging one"
    );
    let status = h.status();
    assert!(
        status.contains("last good on production: v2.3.0, deploy #"),
        "{status}"
    );
    assert!(status.contains("31d ago"), "{status}");
    assert!(status.contains("v2.4.0-rc.3"), "{status}");

    // The form and then the confirm dialog say where the proposal came from.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| shipdeck::view::render(&h.state, f))
        .unwrap();
    let screen = format!("{}", terminal.backend());
    assert!(
        screen.contains("ⓘ last good on production: v2.3.0, deploy #"),
        "{screen}"
    );
    // Read at another ref, the form keeps its values and says where they came from.
    let typed = h.state.overlays.form().unwrap().git_ref.chars().count();
    for _ in 0..typed {
        h.key("backspace");
    }
    h.type_text("main");
    h.key("enter");
    h.until(
        |s| s.overlays.form_read_at() == Some("main"),
        "the form read again at main",
    )
    .await;
    let form = h.state.overlays.form().unwrap();
    assert!(
        form.note
            .as_deref()
            .is_some_and(|n| n.contains("last good on production: v2.3.0, deploy #")),
        "{:?}",
        form.note
    );
    h.send(Action::Input(
        shipdeck::app::keymap::Key::parse("enter").unwrap(),
    ));
    let confirm = h.state.overlays.confirm().expect("the confirm dialog");
    assert!(
        confirm
            .context
            .contains("last good on production: v2.3.0, deploy #"),
        "{}",
        confirm.context
    );
    let shown = describe(&confirm.calls());
    assert!(shown.contains("\"version\":\"v2.3.0\""), "{shown}");
}

#[tokio::test]
async fn a_selected_staging_deploy_rolls_back_on_staging() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    select(&mut h, |file, run| {
        file == "deploy.yml" && run.is_some_and(|r| r.display_title.contains("v2.4.0-rc.2"))
    });
    let inputs = h.roll_back().await;
    assert_eq!(inputs["environment"], "staging");
    assert_eq!(inputs["version"], "v2.4.0-rc.1");
    assert!(
        h.status().contains("last good on staging: v2.4.0-rc.1"),
        "{}",
        h.status()
    );
}

#[tokio::test]
async fn without_an_earlier_production_success_no_version_is_proposed() {
    let sim = common::demo_sim().await;
    // Only one production deploy in the whole history, and no rollback: nothing to go back to.
    sim.with_world(|w| {
        let repo = w.repo_mut(STOREFRONT).unwrap();
        repo.runs.retain(|r| !r.path.ends_with("rollback.yml"));
        let oldest = repo
            .runs
            .iter()
            .filter(|r| r.display_title.ends_with("to production"))
            .min_by_key(|r| r.created_at)
            .map(|r| r.id)
            .unwrap();
        repo.runs.retain(|r| r.id != oldest);
    });
    let mut h = Harness::new(&sim).await;
    select(&mut h, |file, _| file == "ci.yml");
    let inputs = h.roll_back().await;
    assert_eq!(inputs["environment"], "production");
    assert!(
        inputs.get("version").is_none_or(String::is_empty),
        "no version is guessed: {inputs:?}"
    );
    let status = h.status();
    assert!(
        status.starts_with("no successful production deploy before v2.3.0"),
        "{status}"
    );
    assert!(status.contains("runs of deploy.yml"), "{status}");
}

#[tokio::test]
async fn without_any_production_deploy_nothing_is_prefilled() {
    let sim = common::demo_sim().await;
    // No production deploy, and no production rollback either (it would say what production
    // was rolled back to).
    sim.with_world(|w| {
        w.repo_mut(STOREFRONT).unwrap().runs.retain(|r| {
            !r.display_title.ends_with("to production")
                && !r.display_title.starts_with("Rollback production")
        });
    });
    let mut h = Harness::new(&sim).await;
    select(&mut h, |file, _| file == "ci.yml");
    let inputs = h.roll_back().await;
    assert!(
        inputs.get("version").is_none_or(String::is_empty),
        "{inputs:?}"
    );
    assert!(
        inputs.get("reason").is_none_or(String::is_empty),
        "{inputs:?}"
    );
    let status = h.status();
    assert!(
        status.starts_with("no production deploy among the last"),
        "{status}"
    );
}

#[tokio::test]
async fn after_a_rollback_b_knows_what_production_runs_and_goes_back_before_it() {
    let sim = common::demo_sim().await;
    // An older production release than v2.2.0, so that there is something before it.
    sim.with_world(|w| {
        let repo = w.repo_mut(STOREFRONT).unwrap();
        let oldest = repo
            .runs
            .iter()
            .filter(|r| r.display_title.ends_with("to production"))
            .min_by_key(|r| r.created_at)
            .unwrap()
            .clone();
        let mut older = oldest;
        older.id = 8_999_999_800;
        older.run_number -= 1;
        older.display_title = "Deploy v2.1.0 to production".into();
        older.created_at -= chrono::Duration::days(30);
        older.updated_at -= chrono::Duration::days(30);
        repo.runs.insert(0, older);
    });
    let mut h = Harness::new(&sim).await;

    // Roll production back from v2.3.0 to v2.2.0, approve it as a production reviewer, and
    // wait for it to succeed.
    h.select_workflow(STOREFRONT, "ci.yml");
    let inputs = h.roll_back().await;
    assert_eq!(
        (inputs["environment"].as_str(), inputs["version"].as_str()),
        ("production", "v2.2.0")
    );
    h.key("enter");
    h.type_text("production");
    h.key("right");
    h.key("enter");
    assert!(h.state.overlays.confirm().is_none(), "Yes was accepted");
    let id = h.dispatched_run_id("rollback.yml").await;
    h.until(
        |s| {
            runs::find_run(s, STOREFRONT, id).is_some_and(|r| {
                r.status == shipdeck::release::RunStatus::Waiting && r.waiting_for == ["production"]
            })
        },
        "the rollback waiting for a production reviewer",
    )
    .await;
    h.select_run(STOREFRONT, id);
    h.cmd(Command::Review);
    h.until(|s| s.overlays.confirm().is_some(), "the review dialog")
        .await;
    h.key("right");
    h.key("enter");
    h.until(
        |s| runs::find_run(s, STOREFRONT, id).is_some_and(|r| r.is_green()),
        "the rollback to succeed",
    )
    .await;
    let number = h.run(STOREFRONT, id).unwrap().run_number;

    // `b` again, on the rollback's run and with no run selected: production runs v2.2.0 now,
    // put there by the rollback, and the version before it is v2.1.0 (never v2.3.0 again).
    for on_rollback in [true, false] {
        if on_rollback {
            h.select_run(STOREFRONT, id);
        } else {
            h.select_workflow(STOREFRONT, "ci.yml");
        }
        let inputs = h.roll_back().await;
        assert_eq!(
            (inputs["environment"].as_str(), inputs["version"].as_str()),
            ("production", "v2.1.0"),
            "{inputs:?}"
        );
        assert_eq!(
            inputs["reason"],
            format!("roll back v2.2.0, rollback #{number}")
        );
        let status = h.status();
        assert!(
            status.starts_with(&format!(
                "production was rolled back to v2.2.0 by rollback #{number}, "
            )),
            "{status}"
        );
        assert!(
            status.contains("; last good on production: v2.1.0, deploy #"),
            "{status}"
        );
        h.key("esc");
    }
}
