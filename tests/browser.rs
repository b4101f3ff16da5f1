//! `o`: `$BROWSER` read like `gh` and Python's webbrowser, run with real scripts as browsers.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shipdeck::app::{Action, Effect};
use shipdeck::tui::Workers;
use shipdeck::tui::browser::{argv, commands, open};
use tokio::sync::mpsc;

const URL: &str = "https://github.com/acme/app/issues/7";

/// An executable shell script in `dir`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A browser that writes its arguments, one a line, to `args`.
fn recording_browser(dir: &Path) -> (PathBuf, PathBuf) {
    let args = dir.join("args");
    let path = script(
        dir,
        "browser",
        &format!("printf '%s\\n' \"$@\" > '{}'", args.display()),
    );
    (path, args)
}

#[test]
fn browser_is_a_colon_separated_list_and_falls_back_to_the_system_opener() {
    let system = commands(None);
    assert_eq!(system.len(), 1);
    assert_eq!(commands(Some("")), system, "an empty $BROWSER is unset");
    assert_eq!(commands(Some(" : ")), system);
    assert_eq!(
        commands(Some("w3m:firefox --new-tab %s::lynx")),
        ["w3m", "firefox --new-tab %s", "lynx"]
    );
}

#[test]
fn percent_s_is_the_url_otherwise_it_is_appended() {
    assert_eq!(argv("w3m", URL).unwrap(), ["w3m", URL]);
    assert_eq!(
        argv("firefox --new-tab %s", URL).unwrap(),
        ["firefox", "--new-tab", URL]
    );
    assert_eq!(
        argv("open -a 'Google Chrome' --args %s", URL).unwrap(),
        ["open", "-a", "Google Chrome", "--args", URL],
        "quoted words stay together"
    );
    assert_eq!(
        argv("browse --url=%s", URL).unwrap(),
        ["browse", &format!("--url={URL}")]
    );
    assert!(argv("'unclosed", URL).is_err());
    assert!(argv("   ", URL).is_err());
}

#[test]
fn each_command_is_tried_until_one_opens_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let (browser, args) = recording_browser(dir.path());
    let failing = script(dir.path(), "no-browser", "exit 3");
    let list = [
        "/nonexistent/shipdeck-browser".to_string(),
        failing.display().to_string(),
        format!("'{}' --new-tab %s", browser.display()),
    ];
    assert_eq!(
        open(URL, &list, Duration::from_secs(5)),
        Ok("browser".to_string())
    );
    assert_eq!(
        std::fs::read_to_string(&args).unwrap(),
        format!("--new-tab\n{URL}\n")
    );
}

#[test]
fn when_every_command_fails_each_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let failing = script(dir.path(), "no-browser", "exit 3");
    let list = [
        failing.display().to_string(),
        "/nonexistent/shipdeck-browser %s".to_string(),
        "'unclosed".to_string(),
    ];
    assert_eq!(
        open(URL, &list, Duration::from_secs(5)),
        Err(
            "no-browser: exit status 3; shipdeck-browser: not found; cannot read the command \"'unclosed\""
                .to_string()
        )
    );
}

#[test]
fn a_browser_that_keeps_running_has_opened_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let slow = script(dir.path(), "foreground-browser", "sleep 5");
    let start = Instant::now();
    assert_eq!(
        open(
            URL,
            &[slow.display().to_string()],
            Duration::from_millis(200)
        ),
        Ok("foreground-browser".to_string())
    );
    assert!(start.elapsed() < Duration::from_secs(2), "not waited for");
}

#[tokio::test]
async fn the_worker_answers_with_what_happened() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (browser, args) = recording_browser(dir.path());
    let failing = script(dir.path(), "no-browser", "exit 3");
    for (browser_env, expected) in [
        (browser.display().to_string(), Ok("browser".to_string())),
        (
            failing.display().to_string(),
            Err("no-browser: exit status 3".to_string()),
        ),
    ] {
        let (tx, mut rx) = mpsc::channel(8);
        let workers = Workers::new(common::client(&sim), common::demo_plan(), tx, None)
            .with_browser(Some(&browser_env));
        workers.start(Effect::OpenUrl(URL.into()));
        let answer = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            answer,
            Action::UrlOpened {
                url: URL.into(),
                result: expected
            }
        );
    }
    assert_eq!(std::fs::read_to_string(&args).unwrap(), format!("{URL}\n"));
}
