//! Hostile text from GitHub (escape sequences, an OSC 52 clipboard write, a title change, a
//! clear-screen, bidi overrides, C1 controls, Zalgo) never reaches a terminal: not from any pane
//! of the dashboard, not from `shipdeck status` or `status --json`, not from an error message.
//! The data stays as GitHub has it (`status --json` decodes to the raw text).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shipdeck::app::{AppState, Pane};
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::sim::SimHandle;

/// An OSC 52 clipboard write, an OSC 2 title, a clear-screen, a bidi override, a C1 CSI, BEL.
const HOSTILE: &str =
    "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}]2;pwned\u{1b}\\\u{1b}[2J\u{202E}evil\u{9b}31mX\u{7}";

/// Whether `text` holds anything a terminal would act on or reorder.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .collect()
}

/// The demo with hostile text in a risk's title, a checklist item, the milestone's title and a
/// label.
async fn hostile_sim() -> SimHandle {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        for repo in &mut w.repos {
            for m in repo.milestones.iter_mut().filter(|m| m.title == "v2.4.0") {
                m.title = format!("v2.4.0{HOSTILE}");
            }
        }
        let payments = w.repo_mut("acme/payments").unwrap();
        let risk = payments.issue_mut(102).unwrap();
        risk.title = format!("Risk{HOSTILE} with {}", "Z\u{300}\u{301}\u{302}".repeat(20));
        let storefront = w.repo_mut("acme/storefront").unwrap();
        let tracking = storefront.issue_mut(200).unwrap();
        let body = tracking.body.clone().unwrap_or_default();
        tracking.body = Some(body.replacen(
            "## Build\n",
            &format!("## Build\n\n- [ ] Item{HOSTILE} to tick\n"),
            1,
        ));
    });
    sim
}

#[tokio::test]
async fn no_pane_draws_a_control_sequence() {
    let sim = hostile_sim().await;
    let api = common::client(&sim);
    let plan = common::demo_plan();
    let snapshot = fetch_snapshot(api.as_ref(), &plan, Utc::now())
        .await
        .unwrap();
    assert!(
        snapshot.milestone.contains('\u{1b}'),
        "the data keeps GitHub's text"
    );
    let config = common::demo_config();
    let mut state = AppState::new(
        Utc::now(),
        common::REPOS.iter().map(|r| (*r).to_string()).collect(),
        config.rules(&snapshot.milestone),
        config.release.ref_pattern.clone(),
    );
    shipdeck::app::update::apply_snapshot(&mut state, snapshot);
    state.zoomed = true;
    let mut seen_evil = 0;
    for pane in Pane::ALL {
        state.focus = pane;
        for (w, h) in [(120, 40), (80, 24)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|f| shipdeck::view::render(&state, f))
                .unwrap();
            let screen: String = terminal
                .backend()
                .buffer()
                .content
                .iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect();
            assert_eq!(
                unsafe_chars(&screen),
                Vec::<char>::new(),
                "{pane:?} {w}x{h}"
            );
            seen_evil += screen.matches("evil").count();
        }
    }
    assert!(seen_evil > 0, "the hostile titles were drawn, made safe");
}

/// Runs the real binary against the simulator with `args`.
async fn shipdeck(sim: &SimHandle, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_shipdeck"))
        .args(["--api-url", &sim.base_url()])
        .args(["--repo", "acme/storefront", "--repo", "acme/payments"])
        .args(args)
        .env("GH_TOKEN", sim.token())
        .env("SHIPDECK_CONFIG", &config)
        .env("SHIPDECK_DATA_DIR", dir.path())
        .env_remove("NO_COLOR")
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn status_prints_no_control_sequence_and_json_keeps_the_text() {
    let sim = hostile_sim().await;
    let out = shipdeck(&sim, &["status"]).await;
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(unsafe_chars(&stdout), Vec::<char>::new(), "{stdout:?}");
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr:?}");
    assert!(
        stdout.contains("v2.4.0") && stdout.contains("evil"),
        "{stdout}"
    );

    let out = shipdeck(&sim, &["status", "--json"]).await;
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(unsafe_chars(&stdout), Vec::<char>::new(), "{stdout:?}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["milestone"]["title"].as_str(),
        Some(format!("v2.4.0{HOSTILE}").as_str()),
        "the JSON value is GitHub's text, escaped"
    );
}

#[tokio::test]
async fn an_error_quoting_githubs_text_is_printed_safe_and_once() {
    let sim = hostile_sim().await;
    let out = shipdeck(&sim, &["--milestone", "v9", "status"]).await;
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success());
    assert!(stderr.contains("milestone \"v9\" not found"), "{stderr}");
    assert!(
        stderr.contains("evil"),
        "the existing milestones are listed: {stderr}"
    );
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr:?}");
    assert_eq!(
        stderr.matches("not found").count(),
        1,
        "printed once: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when stderr is not a terminal"
    );
}

/// Every request matching `path` answered with `status` and GitHub's error body quoting the
/// hostile text, as a server (or a proxy in front of it) might.
fn answer_hostile(sim: &SimHandle, path: &str, status: u16) {
    sim.inject(shipdeck::sim::Fault {
        method: None,
        path_contains: path.into(),
        kind: shipdeck::sim::FaultKind::Message {
            status,
            message: format!("Refused{HOSTILE} by policy"),
        },
        times: 0,
    });
}

#[tokio::test]
async fn gate_post_status_prints_githubs_refusal_safe() {
    let sim = hostile_sim().await;
    answer_hostile(&sim, "/status", 422);
    let out = shipdeck(&sim, &["gate", "--post-status"]).await;
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stderr.contains("no commit status set") && stderr.contains("Refused"),
        "GitHub's refusal is reported: {stderr}"
    );
    assert!(
        stderr.contains("evil"),
        "its text is kept, made safe: {stderr}"
    );
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr:?}");
    assert_eq!(unsafe_chars(&stdout), Vec::<char>::new(), "{stdout:?}");
}

#[tokio::test]
async fn an_api_error_quoting_the_server_is_printed_safe_and_once() {
    let sim = hostile_sim().await;
    answer_hostile(&sim, "/repos/", 401);
    for args in [&["status"][..], &["gate"], &["notes"], &["retro"]] {
        let out = shipdeck(&sim, args).await;
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("GitHub rejected the token"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            stderr.matches("Refused").count(),
            1,
            "{args:?}: the server's message is printed once: {stderr}"
        );
        assert_eq!(
            unsafe_chars(&stderr),
            Vec::<char>::new(),
            "{args:?}: {stderr:?}"
        );
    }
}

/// What tmux (with `set-clipboard on`) took from the programs in `session`: its paste buffers
/// (OSC 52 fills one) and the pane's title (OSC 2 sets it).
fn tmux_took(session: &str) -> (String, String) {
    use common::tmux::tmux;
    let buffers = tmux(&["list-buffers", "-F", "#{buffer_sample}"]);
    let title = tmux(&["display-message", "-p", "-t", session, "#{pane_title}"]);
    (buffers.trim().to_string(), title.trim().to_string())
}

/// Runs `script` with `sh` in a new tmux session (clipboard on, title "before") and waits for
/// it to print `__done__`.
fn run_in_tmux(session: &str, script: &str) -> String {
    use common::tmux::{tmux, wait_for};
    let dir = tempfile::tempdir().unwrap();
    let go = dir.path().join("go");
    tmux(&[
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "40",
        "sh",
        "-c",
        // Until `go` exists, the options below are not set yet.
        &format!(
            "while [ ! -e {go} ]; do sleep 0.05; done; printf '\\033]2;before\\007'; {script}; echo __done__; sleep 60",
            go = go.display()
        ),
    ]);
    tmux(&["set-option", "-g", "set-clipboard", "on"]);
    std::fs::write(&go, "").unwrap();
    wait_for(session, "__done__", std::time::Duration::from_secs(30))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_in_tmux_with_the_clipboard_on_sets_no_clipboard_and_no_title() {
    use common::tmux::{have_tmux, kill_on_drop, tmux};
    if !have_tmux() {
        return;
    }
    // The control: the hostile text printed raw does reach tmux here (clipboard and title).
    let control = "hostile-raw";
    let _kill = kill_on_drop(control);
    let printf = HOSTILE.replace('\u{1b}', "\\033").replace('\u{7}', "\\007");
    let printf = printf.replace(['\u{9b}', '\u{202E}'], "");
    tmux(&["delete-buffer"]);
    run_in_tmux(control, &format!("printf '{printf}'"));
    let (buffers, title) = tmux_took(control);
    assert!(
        buffers.contains("echo pwned") && title == "pwned",
        "the control reaches tmux (buffers {buffers:?}, title {title:?})"
    );
    while tmux(&["list-buffers"]).trim() != "" {
        tmux(&["delete-buffer"]);
    }

    // The same text from GitHub, through `shipdeck status`: nothing reaches tmux.
    let sim = hostile_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let session = "hostile-status";
    let _kill = kill_on_drop(session);
    let screen = run_in_tmux(
        session,
        &format!(
            "GH_TOKEN={} SHIPDECK_CONFIG={} SHIPDECK_DATA_DIR={} {} --api-url {} --repo acme/storefront --repo acme/payments status",
            sim.token(),
            config.display(),
            dir.path().display(),
            env!("CARGO_BIN_EXE_shipdeck"),
            sim.base_url()
        ),
    );
    assert!(screen.contains("evil"), "status printed: {screen}");
    let (buffers, title) = tmux_took(session);
    assert_eq!(buffers, "", "no clipboard write reached tmux");
    assert_eq!(title, "before", "the title was not changed");
}
