//! Snapshot tests of the whole screen (TestBackend + insta) on the demo release, with a fixed
//! clock. The demo data comes from the simulator over real HTTP; its timestamps are shifted so
//! that the simulator's start is the fixed clock.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::{Action, AppState, Command, update};
use shipdeck::github::ApiError;
use shipdeck::github::GitHubApi;
use shipdeck::github::sync::SyncError;
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::release::RateBudget;
use shipdeck::sim::{self, SimOptions};

/// Moves every timestamp in a serializable value by `by`.
fn shift<T: serde::Serialize + serde::de::DeserializeOwned>(snapshot: &T, by: Duration) -> T {
    fn walk(v: &mut serde_json::Value, by: Duration) {
        match v {
            serde_json::Value::String(s) => {
                if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                    *s = (t.with_timezone(&Utc) + by).to_rfc3339();
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, by)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| walk(x, by)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(snapshot).unwrap();
    walk(&mut v, by);
    serde_json::from_value(v).unwrap()
}

/// The demo dashboard as it is after its first refresh, at the fixed clock.
async fn demo_state() -> AppState {
    demo().await.0
}

/// The demo state, the simulator behind it, and the shift applied to its timestamps.
async fn demo() -> (AppState, shipdeck::sim::SimHandle, Duration) {
    demo_titled("v2.4.0").await
}

/// Like [`demo`], with the release's milestone renamed `title` in every repository.
async fn demo_titled(title: &str) -> (AppState, shipdeck::sim::SimHandle, Duration) {
    demo_adjusted(title, |_| {}).await
}

/// Like [`demo_titled`], with `adjust` applied to the simulator's world before it is read.
async fn demo_adjusted(
    title: &str,
    adjust: impl FnOnce(&mut shipdeck::sim::World),
) -> (AppState, shipdeck::sim::SimHandle, Duration) {
    // Whole seconds: the simulator's timestamps are whole seconds too, so the shift is exact.
    let t0 = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
    let sim = sim::start(SimOptions {
        world: sim::demo_world(t0),
        ..SimOptions::demo()
    })
    .await
    .unwrap();
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for m in repo.milestones.iter_mut().filter(|m| m.title == "v2.4.0") {
                m.title = title.into();
            }
        }
        adjust(w);
    });
    let api = common::client(&sim);
    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), t0)
        .await
        .unwrap();
    let now = common::fixed_now();
    let snapshot = shift(&snapshot, now - t0);
    let config = common::demo_config();
    let mut state = AppState::new(
        now,
        common::REPOS.iter().map(|r| (*r).to_string()).collect(),
        config.rules(title),
        config.release.ref_pattern.clone(),
    );
    state.session.source = "demo".into();
    update(&mut state, Action::Tick { now });
    update(
        &mut state,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(snapshot)),
            rate: Some(RateBudget {
                limit: 5000,
                remaining: 4987,
                reset: now + Duration::minutes(42),
                server_time: None,
            }),
        },
    );
    state.now = now + Duration::seconds(3);
    (state, sim, now - t0)
}

fn draw(state: &AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    terminal
}

#[tokio::test]
async fn dashboard_120x40() {
    let state = demo_state().await;
    insta::assert_snapshot!(draw(&state, 120, 40).backend());
}

#[tokio::test]
async fn dashboard_80x24_shows_one_pane_with_tabs() {
    let mut state = demo_state().await;
    insta::assert_snapshot!("dashboard_80x24_board", draw(&state, 80, 24).backend());
    update(&mut state, Action::Command(Command::FocusChecklist));
    insta::assert_snapshot!("dashboard_80x24_checklist", draw(&state, 80, 24).backend());
    update(&mut state, Action::Command(Command::FocusRuns));
    insta::assert_snapshot!("dashboard_80x24_runs", draw(&state, 80, 24).backend());
    update(&mut state, Action::Command(Command::FocusRisks));
    insta::assert_snapshot!("dashboard_80x24_risks", draw(&state, 80, 24).backend());
}

#[tokio::test]
async fn board_filtered_by_apple_120x40() {
    let mut state = demo_state().await;
    for c in "/apple".chars() {
        update(&mut state, Action::Input(plain_key(KeyCode::Char(c))));
    }
    update(&mut state, Action::Input(plain_key(KeyCode::Enter)));
    insta::assert_snapshot!(draw(&state, 120, 40).backend());
}

fn plain_key(code: KeyCode) -> shipdeck::app::keymap::Key {
    shipdeck::app::keymap::Key {
        code,
        mods: crossterm::event::KeyModifiers::NONE,
    }
}

#[tokio::test]
async fn help_overlay_lists_the_real_keys() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::Help));
    insta::assert_snapshot!(draw(&state, 100, 40).backend());
}

#[tokio::test]
async fn outage_banner_keeps_the_last_good_data() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::Refresh));
    update(
        &mut state,
        Action::SnapshotLoaded {
            req: 2,
            result: Err(SyncError::Api {
                repo: "acme/storefront".into(),
                error: ApiError::Network("connection refused".into()),
            }),
            rate: None,
        },
    );
    state.now += Duration::seconds(40);
    let terminal = draw(&state, 120, 40);
    let text = format!("{}", terminal.backend());
    assert!(
        text.contains(
            "⚠ acme/storefront: cannot reach GitHub: connection refused — showing data from 43s ago"
        ),
        "{text}"
    );
    assert!(text.contains("v2.4.0"), "the release is still shown");
    insta::assert_snapshot!(terminal.backend());
}

#[tokio::test]
async fn read_only_footer_says_ticking_is_disabled() {
    let mut state = demo_state().await;
    state.session.read_only = true;
    update(&mut state, Action::Command(Command::FocusChecklist));
    let text = format!("{}", draw(&state, 100, 30).backend());
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("READ-ONLY: ticking disabled"), "{footer}");
    assert!(!footer.contains("space tick"), "{footer}");
}

#[tokio::test]
async fn runs_pane_normal_compact_and_drill_down() {
    let (mut state, sim, by) = demo().await;
    let api = common::client(&sim);
    update(&mut state, Action::Command(Command::FocusRuns));
    update(&mut state, Action::Command(Command::Zoom));
    insta::assert_snapshot!("runs_pane_120x30", draw(&state, 120, 30).backend());

    // Compact: the latest run of each workflow, one line per job with its current step.
    update(&mut state, Action::Command(Command::Compact));
    let latest: Vec<(String, u64)> = state
        .release
        .as_ref()
        .unwrap()
        .workflows
        .iter()
        .filter_map(|w| w.runs.first().map(|r| (w.repo.clone(), r.id)))
        .collect();
    for (repo, id) in latest {
        let jobs = api.run_jobs(&repo, id).await.unwrap();
        update(
            &mut state,
            Action::JobsLoaded {
                run_id: id,
                result: Ok(shift(&jobs, by)),
            },
        );
    }
    insta::assert_snapshot!("runs_pane_compact_120x30", draw(&state, 120, 30).backend());
    update(&mut state, Action::Command(Command::Compact));

    // Drill into the red E2E run: jobs, steps, and the failed job's log tail.
    let row = shipdeck::app::runs::rows(&state)
        .iter()
        .position(|r| {
            let w = &state.release.as_ref().unwrap().workflows[r.wf];
            r.run
                .and_then(|i| w.runs.get(i))
                .is_some_and(|run| run.id == 9_000_000_023)
        })
        .unwrap();
    state.runs.cursor.selected = row;
    let fx = update(&mut state, Action::Command(Command::Drill));
    assert_eq!(fx.len(), 1, "fetches the jobs");
    let jobs = api
        .run_jobs("acme/storefront", 9_000_000_023)
        .await
        .unwrap();
    let fx = update(
        &mut state,
        Action::JobsLoaded {
            run_id: 9_000_000_023,
            result: Ok(shift(&jobs, by)),
        },
    );
    let [shipdeck::app::Effect::FetchLogTail { job_id, .. }] = fx.as_slice() else {
        panic!("the failed job's log is fetched: {fx:?}");
    };
    let tail = shipdeck::tui::writes::log_tail(api.as_ref(), "acme/storefront", *job_id, 25)
        .await
        .unwrap();
    update(
        &mut state,
        Action::LogTailLoaded {
            job_id: *job_id,
            result: Ok(tail),
        },
    );
    let screen = draw(&state, 120, 40);
    let text = format!("{}", screen.backend());
    assert!(text.contains("Log of the failed job"), "{text}");
    assert!(text.contains("##[error]"), "{text}");
    insta::assert_snapshot!("run_drill_down_120x40", screen.backend());
}

#[tokio::test]
async fn dispatch_form_and_confirm_in_the_dashboard() {
    let (mut state, sim, _) = demo().await;
    let api = common::client(&sim);
    let form = shipdeck::tui::writes::load_form(
        api.as_ref(),
        "acme/storefront",
        "deploy.yml",
        "release/v2.4.0",
        &[],
    )
    .await
    .unwrap();
    update(
        &mut state,
        Action::DispatchFormLoaded {
            result: Ok(Box::new(form)),
        },
    );
    let key = |s: &str| Action::Input(shipdeck::app::keymap::Key::parse(s).unwrap());
    update(&mut state, key("enter"));
    insta::assert_snapshot!(
        "dispatch_form_required_missing",
        draw(&state, 120, 40).backend()
    );
    update(&mut state, key("tab"));
    update(&mut state, key("right"));
    update(&mut state, key("tab"));
    for c in "v2.4.0".chars() {
        update(&mut state, key(&c.to_string()));
    }
    let prod = draw(&state, 120, 40);
    assert!(
        format!("{}", prod.backend())
            .lines()
            .next()
            .unwrap()
            .contains("PRODUCTION"),
        "the header shows the production cue"
    );
    // The demo's deploy verdict is NO-GO: the dialog lists why and asks for an override.
    update(&mut state, key("enter"));
    let no_go = draw(&state, 120, 40);
    let text = format!("{}", no_go.backend());
    assert!(text.contains("The deploy verdict is NO-GO"), "{text}");
    assert!(text.contains("Type override to confirm"), "{text}");
    for c in "override".chars() {
        update(&mut state, key(&c.to_string()));
    }
    for c in "INC-42".chars() {
        update(&mut state, key(&c.to_string()));
    }
    insta::assert_snapshot!(
        "dispatch_confirm_no_go_override",
        draw(&state, 120, 40).backend()
    );
    update(&mut state, key("esc"));

    // With the gates passing, production asks for its name.
    state
        .rules
        .gates
        .phases
        .0
        .insert(shipdeck::release::Phase::Deploy, Vec::new());
    // Any action re-evaluates the verdict.
    update(&mut state, Action::Resize);
    update(&mut state, key("enter"));
    let confirm = draw(&state, 120, 40);
    let text = format!("{}", confirm.backend());
    assert!(text.contains("Type production to confirm"), "{text}");
    insta::assert_snapshot!("dispatch_confirm_production", confirm.backend());
}

#[tokio::test]
async fn an_impossible_release_ref_is_explained_in_the_header_and_the_runs_pane() {
    let (mut state, _sim, _) = demo_titled("Version 0.4").await;
    update(&mut state, Action::Command(Command::FocusRuns));
    update(&mut state, Action::Command(Command::Zoom));
    let screen = draw(&state, 120, 30);
    let text = format!("{}", screen.backend());
    let header = text.lines().nth(1).unwrap();
    assert!(
        header.contains("⚠ invalid release ref: set release.ref"),
        "{header}"
    );
    assert!(
        text.contains("release ref \"release/Version 0.4\" cannot exist (it contains a space)"),
        "{text}"
    );
    assert!(!text.contains("No watched workflows"), "{text}");
    let warnings = state
        .activity
        .log
        .iter()
        .filter(|e| e.level == shipdeck::app::state::Level::Warn)
        .filter(|e| e.text.contains("cannot exist"))
        .count();
    assert_eq!(warnings, 1, "the activity log says so once");
    insta::assert_snapshot!("runs_pane_impossible_ref_120x30", screen.backend());
}

#[tokio::test]
async fn the_runs_pane_names_watched_workflows_the_repositories_lack() {
    use shipdeck::release::snapshot::{Missing, MissingWorkflow};
    let now = common::fixed_now();
    let mut snapshot = common::fixture_snapshot(now);
    let workflows = std::mem::take(&mut snapshot.repos[0].workflows);
    snapshot.repos[0].missing = workflows
        .iter()
        .map(|w| MissingWorkflow {
            repo: w.repo.clone(),
            file: w.file.clone(),
            phase: w.phase,
            required: w.required,
            named: false,
            why: Missing::NotFound { checked_at: now },
        })
        .collect();
    let mut state = AppState::new(
        now,
        vec!["acme/app".into()],
        shipdeck::release::ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(&mut state, Action::Tick { now });
    update(
        &mut state,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(snapshot)),
            rate: None,
        },
    );
    update(&mut state, Action::Command(Command::FocusRuns));
    update(&mut state, Action::Command(Command::Zoom));
    let text = format!("{}", draw(&state, 100, 20).backend());
    assert!(
        text.contains("not found: ci.yml in acme/app, e2e.yml in acme/app"),
        "{text}"
    );
    assert!(!text.contains("configure [[workflows]]"), "{text}");
}

#[tokio::test]
async fn footer_of_every_pane() {
    let mut state = demo_state().await;
    // The status message shares the line; without it every hint that fits is shown.
    state.status = None;
    let mut footers = String::new();
    for pane in shipdeck::app::Pane::ALL {
        state.focus = pane;
        let text = format!("{}", draw(&state, 160, 40).backend());
        let footer = text.lines().last().unwrap().trim_matches('"').trim_end();
        footers.push_str(&format!("{:>9} │{footer}\n", pane.title()));
    }
    // The popups that take keys through the keymap: there `q` closes.
    state.focus = shipdeck::app::Pane::Runs;
    update(&mut state, Action::Command(Command::Drill));
    update(&mut state, Action::Command(Command::Help));
    for popup in ["help", "details"] {
        let text = format!("{}", draw(&state, 160, 40).backend());
        let footer = text.lines().last().unwrap().trim_matches('"').trim_end();
        footers.push_str(&format!("{popup:>9} │{footer}\n"));
        update(&mut state, Action::Command(Command::Close));
    }
    insta::assert_snapshot!(footers);
}

#[tokio::test]
async fn a_bad_key_in_the_config_stays_visible_until_fixed() {
    let sim = common::demo_sim().await;
    let config = shipdeck::config::Config::parse(
        "[keys.global]\nrefresh = [\"hyper-r\"]\n",
        std::path::Path::new("shipdeck.toml"),
    )
    .unwrap();
    let setup = shipdeck::commands::setup::Setup {
        config,
        config_path: None,
        api: common::client(&sim),
        plan: common::demo_plan(),
        read_only: false,
        source: "demo".into(),
        api_url: sim.base_url(),
        warnings: Vec::new(),
    };
    let mut state = shipdeck::commands::dashboard::initial_state(&setup);
    let r = shipdeck::app::keymap::Key::parse("r").unwrap();
    assert_eq!(
        state
            .session
            .keymap
            .lookup(shipdeck::app::keymap::Focus::Global, r),
        Some(Command::Refresh),
        "the default keys stay"
    );
    // Later messages take the status line; the warning stays in the header.
    update(&mut state, Action::Command(Command::Refresh));
    let screen = format!("{}", draw(&state, 120, 40).backend());
    let header = screen.lines().next().unwrap();
    assert!(header.contains("⚠ 1 config problem (?)"), "{header}");
    // `?` lists it.
    update(&mut state, Action::Command(Command::Help));
    let screen = format!("{}", draw(&state, 120, 40).backend());
    assert!(screen.contains("Config problems"), "{screen}");
    assert!(
        screen.contains("refresh: unknown key \"hyper-r\""),
        "{screen}"
    );
}

#[tokio::test]
async fn ticks_that_cannot_apply_are_reviewed_in_a_popup() {
    use shipdeck::app::action::PendingTick;
    use shipdeck::app::review::ReviewItem;
    let mut state = demo_state().await;
    let checklist = state.release.as_ref().unwrap().checklist.clone();
    let kept = |id: u64, index: usize, reason: &str| ReviewItem {
        id,
        tick: PendingTick {
            repo: "acme/storefront".into(),
            number: 200,
            key: checklist[index].key(),
            checked: !checklist[index].checked,
        },
        reason: reason.into(),
    };
    update(
        &mut state,
        Action::TicksRestored {
            pending: Vec::new(),
            failed: vec![
                kept(
                    1,
                    0,
                    "GitHub refused (403): Unable to edit the body of a locked issue",
                ),
                kept(
                    2,
                    3,
                    "the item \"Risk register opened and owners assigned\" is no longer in the checklist",
                ),
            ],
        },
    );
    update(
        &mut state,
        Action::Input(shipdeck::app::keymap::Key::parse("j").unwrap()),
    );
    insta::assert_snapshot!(draw(&state, 100, 30).backend());
}

#[tokio::test]
async fn burnup_pane_120x30() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusBurnup));
    let screen = draw(&state, 120, 30);
    let text = format!("{}", screen.backend());
    // The chart counts the same issues as the header.
    let header = text.lines().nth(1).unwrap();
    let today = state.release.as_ref().unwrap().burnup.today().unwrap();
    assert!(
        header.contains(&format!("issues {}/{}", today.done, today.scope)),
        "{header}"
    );
    assert!(text.contains("8 Burn-up 12/38 done"), "{text}");
    insta::assert_snapshot!(screen.backend());
}

#[tokio::test]
async fn kpis_pane_120x40_and_the_events_behind_a_number() {
    let (mut state, sim, by) = demo().await;
    let api = common::client(&sim);
    let plan = shipdeck::commands::setup::history_plan_for(&common::demo_config());
    let history =
        shipdeck::github::history::fetch_history(api.as_ref(), &plan, state.now - by, None)
            .await
            .unwrap();
    let read_at = state.now - Duration::minutes(4);
    update(
        &mut state,
        Action::CachedHistory {
            history: Box::new(shift(&history, by)),
            read_at,
        },
    );
    update(&mut state, Action::Command(Command::FocusKpis));
    update(&mut state, Action::Command(Command::Down));
    let report = state
        .kpis
        .report
        .clone()
        .expect("computed from the history");
    let screen = draw(&state, 120, 40);
    let text = format!("{}", screen.backend());
    // The table shows the report's own numbers and bands.
    let lead = report
        .metric(shipdeck::release::kpis::Kind::LeadTime)
        .unwrap();
    let d90 = lead
        .measure(shipdeck::release::kpis::Scope::Days90)
        .unwrap();
    assert!(text.contains(&d90.text), "{text}");
    assert!(text.contains("read 4m ago"), "{text}");
    insta::assert_snapshot!("kpis_pane_120x40", screen.backend());
    update(&mut state, Action::Command(Command::Drill));
    let screen = draw(&state, 120, 40);
    let text = format!("{}", screen.backend());
    assert!(
        text.contains(&format!("{} event(s)", lead.events.len())),
        "{text}"
    );
    insta::assert_snapshot!("kpis_pane_lead_time_events_120x40", screen.backend());
    update(&mut state, Action::Command(Command::Close));
    assert!(state.kpis.events.is_none(), "esc goes back to the metrics");
    assert_eq!(state.focus, shipdeck::app::state::Pane::Kpis);
}

#[tokio::test]
async fn command_palette_100x30() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::Palette));
    for c in "roll".chars() {
        update(
            &mut state,
            Action::Input(shipdeck::app::keymap::Key::parse(&c.to_string()).unwrap()),
        );
    }
    let screen = draw(&state, 100, 30);
    let text = format!("{}", screen.backend());
    assert!(text.contains(":roll"), "{text}");
    assert!(text.contains("roll back  (Runs)"), "{text}");
    insta::assert_snapshot!(screen.backend());
}

#[tokio::test]
async fn a_configured_scope_freeze_marks_what_came_after_it() {
    let mut state = demo_state().await;
    let freeze = common::fixed_now() - Duration::days(6);
    state.rules.scope_freeze = Some(freeze);
    let snapshot = state.snapshot.clone().unwrap();
    state.release = Some(shipdeck::release::Release::derive(&snapshot, &state.rules));
    update(&mut state, Action::Command(Command::FocusBurnup));
    let b = state.release.as_ref().unwrap().burnup.clone();
    let created = |name: &str| {
        snapshot
            .repos
            .iter()
            .flat_map(|r| &r.issues)
            .find(|i| format!("{}#{}", i.repo, i.number) == name)
            .map(|i| i.created_at)
            .unwrap()
    };
    assert!(
        !b.late.is_empty(),
        "the demo has issues from the last 6 days"
    );
    assert!(b.late.iter().all(|n| created(n) > freeze));
    let text = format!("{}", draw(&state, 120, 30).backend());
    assert!(
        text.contains(&format!(
            "{} added after the scope freeze on {}",
            b.late.len(),
            freeze.format("%b %-d")
        )),
        "{text}"
    );
}

#[tokio::test]
async fn notes_pane_120x30() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusNotes));
    update(&mut state, Action::Command(Command::Down));
    let screen = draw(&state, 120, 30);
    let text = format!("{}", screen.backend());
    // The pane shows the notes the CLI writes: every entry of its Markdown is a line here.
    let notes = shipdeck::app::notes::current(&state).unwrap();
    let n = shipdeck::app::notes::entry_count(&notes);
    assert!(n > 0);
    assert!(text.contains(&format!("9 Notes {n} entries")), "{text}");
    for s in &notes.sections {
        for e in &s.entries {
            assert!(
                text.contains(&format!("{}#{}", e.repo, e.number)),
                "{}#{} missing: {text}",
                e.repo,
                e.number
            );
        }
    }
    insta::assert_snapshot!(screen.backend());
}

#[tokio::test]
async fn issue_detail_of_a_risk_100x30() {
    let (mut state, sim, by) = demo().await;
    update(&mut state, Action::Command(Command::FocusRisks));
    let risks = &state.release.as_ref().unwrap().risks;
    state.risks.selected = risks
        .iter()
        .position(|r| r.repo == "acme/storefront" && r.number == 251)
        .unwrap();
    let fx = update(&mut state, Action::Command(Command::Drill));
    assert_eq!(fx.len(), 1, "the comments are asked for");
    let loading = format!("{}", draw(&state, 100, 30).backend());
    assert!(loading.contains("loading comments…"), "{loading}");
    let api = common::client(&sim);
    let comments = api.comments("acme/storefront", 251).await.unwrap();
    update(
        &mut state,
        Action::CommentsLoaded {
            repo: "acme/storefront".into(),
            number: 251,
            result: Ok(shift(&comments, by)),
        },
    );
    insta::assert_snapshot!(draw(&state, 100, 30).backend());
}

#[tokio::test]
async fn new_risk_form_100x30() {
    let mut state = demo_state().await;
    update(&mut state, Action::Command(Command::FocusRisks));
    let key = |s: &str| Action::Input(shipdeck::app::keymap::Key::parse(s).unwrap());
    update(&mut state, key("n"));
    for c in "Risk: search reindex overloads the cluster".chars() {
        let name = if c == ' ' {
            "space".into()
        } else {
            c.to_string()
        };
        update(&mut state, key(&name));
    }
    update(&mut state, key("tab"));
    for _ in 0..4 {
        update(&mut state, key("right"));
    }
    update(&mut state, key("tab"));
    update(&mut state, key("tab"));
    update(&mut state, key("enter"));
    insta::assert_snapshot!(draw(&state, 100, 30).backend());
}

#[tokio::test]
async fn risks_with_contradictory_or_missing_labels_are_flagged_120x30() {
    let (mut state, _sim, _) = demo_adjusted("v2.4.0", |w| {
        let repo = w.repo_mut("acme/storefront").unwrap();
        repo.issue_mut(252)
            .unwrap()
            .labels
            .push("likelihood:5".into());
        repo.issue_mut(251)
            .unwrap()
            .labels
            .retain(|l| l != "impact:4");
    })
    .await;
    update(&mut state, Action::Command(Command::FocusRisks));
    update(&mut state, Action::Command(Command::Zoom));
    insta::assert_snapshot!(draw(&state, 120, 30).backend());
}
