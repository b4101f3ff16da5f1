//! Which popup owns the keys: every popup (and popups over popups) × `q`, Esc and Ctrl-C,
//! through `update` with the keys as the terminal sends them.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use crossterm::event::{KeyCode, KeyModifiers};
use shipdeck::app::action::PendingTick;
use shipdeck::app::keymap::Key;
use shipdeck::app::overlay::Overlay;
use shipdeck::app::review::ReviewItem;
use shipdeck::app::{Action, AppState, Command, Effect, Pane, update};
use shipdeck::release::ReleaseRules;
use shipdeck::release::dispatch::{DispatchForm, parse_workflow};
use shipdeck::release::task_list::ItemKey;

const E2E: &str = include_str!("../assets/demo/workflows/e2e.yml");

fn loaded() -> AppState {
    let mut s = AppState::new(
        common::fixed_now(),
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(
        &mut s,
        Action::Tick {
            now: common::fixed_now(),
        },
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

fn press(s: &mut AppState, key: &str) -> Vec<Effect> {
    update(s, Action::Input(Key::parse(key).unwrap()))
}

/// The popups open, bottom first.
fn overlays(s: &AppState) -> Vec<&'static str> {
    s.overlays
        .iter()
        .map(|o| match o {
            Overlay::Help { .. } => "help",
            Overlay::RunDetail(_) => "run details",
            Overlay::DispatchForm { .. } => "form",
            Overlay::RiskForm(_) => "risk form",
            Overlay::Confirm(_) => "confirm",
            Overlay::Retro(_) => "retrospective",
            Overlay::Palette(_) => "palette",
            Overlay::Issue(_) => "issue details",
            Overlay::Command(_) => "command",
            Overlay::TickReview => "tick review",
        })
        .collect()
}

/// The text typed into the open form's ref field.
fn form_ref(s: &AppState) -> String {
    s.overlays.form().unwrap().git_ref.clone()
}

fn help() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::Help));
    s
}

/// The drill-down of the failed E2E run (#202).
fn run_details() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRuns));
    update(&mut s, Action::Command(Command::Down));
    update(&mut s, Action::Command(Command::Drill));
    s
}

/// The dispatch form of e2e.yml, with the cursor on its ref (a text field).
fn form() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRuns));
    let spec = parse_workflow("e2e.yml", E2E, &[]).unwrap();
    let form = DispatchForm::new("acme/app", "e2e.yml", "release/v1.0", spec);
    update(
        &mut s,
        Action::DispatchFormLoaded {
            result: Ok(Box::new(form)),
        },
    );
    s
}

/// The same form with the cursor on its `browser` choice (nothing to type into).
fn form_on_a_choice() -> AppState {
    let mut s = form();
    press(&mut s, "tab");
    s
}

/// "Re-run the failed jobs of #202?": nothing to type.
fn confirm() -> AppState {
    let mut s = run_details();
    update(&mut s, Action::Command(Command::Rerun));
    s
}

/// "Lock deploys": a reason to type.
fn confirm_with_text() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::ToggleLock));
    s
}

fn help_over_run_details() -> AppState {
    let mut s = run_details();
    update(&mut s, Action::Command(Command::Help));
    s
}

/// The form submitted: its confirm dialog over it.
fn confirm_over_form() -> AppState {
    let mut s = form();
    press(&mut s, "enter");
    s
}

/// A tick GitHub refused for good.
fn refused_tick() -> ReviewItem {
    ReviewItem {
        id: 7,
        tick: PendingTick {
            repo: "acme/app".into(),
            number: 6,
            key: ItemKey {
                text: "scope".into(),
                occurrence: 0,
            },
            checked: true,
        },
        reason: "the item is no longer in the checklist".into(),
    }
}

/// A tick GitHub refused for good, kept for review: the review popup.
fn tick_review() -> AppState {
    let mut s = loaded();
    update(
        &mut s,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![refused_tick()],
        },
    );
    s
}

/// The new-risk form open when a tick is refused in the background: the review waits beneath
/// it, and the form keeps the keys.
fn tick_refused_under_the_risk_form() -> AppState {
    let mut s = risk_form();
    update(&mut s, Action::TickNeedsReview(refused_tick()));
    s
}

/// The new-risk form, the cursor on its title (a text field).
fn risk_form() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusRisks));
    update(&mut s, Action::Command(Command::NewRisk));
    s
}

/// The `:` palette: its query takes the keys.
fn palette() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::Palette));
    s
}

/// The details of the first card on the board.
fn issue_details() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::FocusBoard));
    update(&mut s, Action::Command(Command::Drill));
    s
}

/// The retrospective draft (`V`).
fn retrospective() -> AppState {
    let mut s = loaded();
    update(&mut s, Action::Command(Command::Retro));
    s
}

/// Help opened over the tick review.
fn help_over_tick_review() -> AppState {
    let mut s = tick_review();
    press(&mut s, "?");
    s
}

#[test]
fn every_popup_and_key() {
    type Setup = fn() -> AppState;
    // (popups, setup, what remains after q, after Esc); Ctrl-C always quits.
    let matrix: [(&str, Setup, &[&str], &[&str]); 16] = [
        ("nothing", loaded, &[], &[]),
        ("help", help, &[], &[]),
        ("run details", run_details, &[], &[]),
        ("form, on its ref", form, &["form"], &[]),
        ("form, on a choice", form_on_a_choice, &[], &[]),
        ("confirm", confirm, &["run details"], &["run details"]),
        ("confirm with text", confirm_with_text, &["confirm"], &[]),
        (
            "help over run details",
            help_over_run_details,
            &["run details"],
            &["run details"],
        ),
        ("confirm over form", confirm_over_form, &["form"], &["form"]),
        ("tick review", tick_review, &[], &[]),
        (
            "help over tick review",
            help_over_tick_review,
            &["tick review"],
            &["tick review"],
        ),
        ("risk form, on its title", risk_form, &["risk form"], &[]),
        (
            "tick refused under the risk form",
            tick_refused_under_the_risk_form,
            &["tick review", "risk form"],
            &["tick review"],
        ),
        ("palette", palette, &["palette"], &[]),
        ("issue details", issue_details, &[], &[]),
        ("retrospective", retrospective, &[], &[]),
    ];
    for (name, setup, after_q, after_esc) in matrix {
        let mut s = setup();
        let before = overlays(&s);
        assert_eq!(
            before.is_empty(),
            name == "nothing",
            "{name}: the setup opened {before:?}"
        );

        let fx = press(&mut s, "q");
        assert_eq!(
            s.quit,
            name == "nothing",
            "{name}: q quits only the main screen"
        );
        if name != "nothing" {
            assert_eq!(overlays(&s), after_q, "{name}: after q");
        }
        assert_eq!(fx, vec![], "{name}: q sends nothing");

        let mut s = setup();
        let fx = press(&mut s, "esc");
        assert!(!s.quit, "{name}: Esc never quits");
        assert_eq!(overlays(&s), after_esc, "{name}: after Esc");
        assert_eq!(fx, vec![], "{name}: Esc sends nothing");

        let mut s = setup();
        let fx = press(&mut s, "ctrl-c");
        assert!(s.quit, "{name}: Ctrl-C quits");
        assert_eq!(overlays(&s), before, "{name}: Ctrl-C changes no popup");
        assert_eq!(fx, vec![], "{name}: Ctrl-C sends nothing");
    }
}

#[test]
fn q_types_into_a_text_field_and_ctrl_c_types_nothing() {
    let mut s = form();
    let typed = form_ref(&s);
    press(&mut s, "q");
    assert_eq!(form_ref(&s), format!("{typed}q"));
    press(&mut s, "ctrl-c");
    press(&mut s, "ctrl-x");
    assert_eq!(
        form_ref(&s),
        format!("{typed}q"),
        "control keys type nothing"
    );
}

#[test]
fn popups_close_one_at_a_time_from_the_top() {
    let mut s = help_over_run_details();
    press(&mut s, "q");
    assert_eq!(overlays(&s), ["run details"]);
    press(&mut s, "q");
    assert_eq!(overlays(&s), Vec::<&str>::new());
    assert!(!s.quit);
    assert_eq!(s.focus, Pane::Runs);
    press(&mut s, "q");
    assert!(s.quit, "q quits once no popup is left");
}

#[test]
fn ctrl_c_cannot_be_rebound() {
    let k = |s: &str| Key::parse(s).unwrap();
    assert_eq!(
        k("ctrl-c"),
        Key {
            code: KeyCode::Char('c'),
            mods: KeyModifiers::CONTROL
        }
    );
    let mut s = loaded();
    let overrides = std::collections::BTreeMap::from([(
        "runs".to_string(),
        std::collections::BTreeMap::from([("cancel_run".to_string(), vec!["ctrl-c".to_string()])]),
    )]);
    s.apply_key_overrides(&overrides);
    assert_eq!(
        s.session.config_warnings,
        vec![
            "[keys.runs] cancel_run: ctrl-c always quits and cannot be bound (ignored; the default keys X stay)"
                .to_string()
        ]
    );
    update(&mut s, Action::Command(Command::FocusRuns));
    press(&mut s, "ctrl-c");
    assert!(s.quit);
}

#[test]
fn a_tick_refused_in_the_background_never_takes_typing_from_a_form() {
    let mut s = tick_refused_under_the_risk_form();
    // "deploy": its d would discard the tick, were the review on top.
    for c in "deploy".chars() {
        press(&mut s, &c.to_string());
    }
    assert_eq!(s.tick_review.items.len(), 1, "the tick is still there");
    assert_eq!(s.overlays.risk_form().unwrap().fields[0].value, "deploy");
    // `T` brings the waiting review to the top.
    press(&mut s, "esc");
    update(&mut s, Action::Command(Command::ReviewTicks));
    assert_eq!(overlays(&s), ["tick review"]);
}
