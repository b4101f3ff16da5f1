//! A config file is trusted with the token and with where it is sent (`github.api_url`): one
//! that others can write is refused before anything is sent; one that holds a token others can
//! read gets a warning on stderr and in the dashboard's status line.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use clap::Parser;
use shipdeck::cli::Cli;
use shipdeck::commands::Setup;
use shipdeck::commands::dashboard::initial_state;
use shipdeck::config::Config;

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

/// Writes `text` to `dir/config.toml` with `mode`.
fn config_file(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn sim_config(url: &str, token: &str) -> String {
    format!(
        "[github]\napi_url = \"{url}\"\nrepos = [\"acme/storefront\", \"acme/payments\"]\nmilestone = \"v2.4.0\"\ntoken = \"{token}\"\n"
    )
}

/// `shipdeck --config PATH status` with no token in the environment.
async fn status(config: &Path, data: &Path) -> std::process::Output {
    tokio::process::Command::new(BIN)
        .args(["--config", &config.display().to_string(), "status"])
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env("SHIPDECK_DATA_DIR", data)
        .env("PATH", "/nonexistent") // no `gh` to ask for a token
        .output()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_others_can_write_is_refused_before_any_request() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = config_file(dir.path(), &sim_config(&sim.base_url(), sim.token()), 0o666);
    let out = status(&path, &dir.path().join("data")).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    let shown = path.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{shown}: others can write to this config file (mode 666)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("chmod 600 {shown}")), "{stderr}");
    assert!(
        sim.requests().is_empty(),
        "nothing is sent: {:?}",
        sim.requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_others_can_read_is_warned_about_on_stderr() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = config_file(dir.path(), &sim_config(&sim.base_url(), sim.token()), 0o644);
    let out = status(&path, &dir.path().join("data")).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let shown = path.display().to_string();
    assert!(
        stderr.contains(&format!(
            "warning: {shown} holds a token and others can read it (mode 644); fix: chmod 600 {shown}"
        )),
        "{stderr}"
    );

    // 0600: nothing to say.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = status(&path, &dir.path().join("data")).await;
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_dashboard_shows_config_warnings_in_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_file(
        dir.path(),
        &sim_config("http://127.0.0.1:9", "ghp_example"),
        0o640,
    );
    let cli = Cli::parse_from(["shipdeck", "--config", &path.display().to_string()]);
    let setup = Setup::new(&cli, None).unwrap();
    let state = initial_state(&setup);
    let status = state.status.expect("a warning in the status line");
    assert_eq!(
        status.text,
        format!(
            "config: {0} holds a token and others can read it (mode 640); fix: chmod 600 {0}",
            path.display()
        )
    );
}

#[tokio::test]
async fn the_gate_settings_reach_the_dashboard_and_its_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}[gates]\npost_status = true\nwindows = [\"Mon-Fri 09:00-17:00 UTC\"]\n[signoffs]\nqa = [\"carol\"]\n",
        sim_config("http://127.0.0.1:9", "ghp_example")
    );
    let path = config_file(dir.path(), &text, 0o600);
    let cli = Cli::parse_from(["shipdeck", "--config", &path.display().to_string()]);
    let setup = Setup::new(&cli, None).unwrap();
    assert_eq!(
        setup.plan.status_context.as_deref(),
        Some(shipdeck::app::gates::STATUS_CONTEXT),
        "the refresh reads the commit status it keeps"
    );
    let state = initial_state(&setup);
    assert!(state.session.post_status);
    assert_eq!(state.rules.gates.windows.len(), 1);
    assert!(state.rules.gates.roles.may_sign("qa", "carol"));
}

#[test]
fn which_modes_warn_and_which_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let with_token = "[github]\ntoken = \"ghp_example\"\n";
    let cases: [(&str, u32, Result<usize, &str>); 8] = [
        (with_token, 0o600, Ok(0)),
        (with_token, 0o400, Ok(0)),
        (with_token, 0o666, Err("others can write")),
        (with_token, 0o644, Ok(1)),
        (with_token, 0o604, Ok(1)),
        ("refresh_secs = 30\n", 0o644, Ok(0)),
        ("refresh_secs = 30\n", 0o620, Ok(1)),
        ("refresh_secs = 30\n", 0o602, Err("others can write")),
    ];
    for (text, mode, want) in cases {
        let path = config_file(dir.path(), text, mode);
        let got = Config::load(Some(&path));
        match (got, want) {
            (Ok(loaded), Ok(n)) => assert_eq!(
                loaded.warnings.len(),
                n,
                "mode {mode:o}: {:?}",
                loaded.warnings
            ),
            (Err(e), Err(text)) => assert!(e.to_string().contains(text), "{e}"),
            (got, want) => panic!("mode {mode:o}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn a_device_is_not_a_file_others_can_edit() {
    // `--config /dev/null`: all defaults, nothing to refuse.
    let loaded = Config::load(Some(Path::new("/dev/null"))).unwrap();
    assert_eq!(loaded.config, Config::default());
    assert!(loaded.warnings.is_empty());
}
