//! Drives the real binary in tmux, as a person would: the demo opens, a tick shows as pending,
//! then confirmed, and `q` ends the program; Ctrl-C from a popup ends it too, with the terminal
//! restored. Skipped (with a message) where tmux is missing,
//! except in CI, which installs it.

mod common;

use common::tmux::{kill_on_drop as scopeguard, tmux, wait_for};

use std::time::{Duration, Instant};

#[test]
fn tick_goes_pending_then_confirmed_and_q_quits() {
    if !common::tmux::have_tmux() {
        return;
    }
    let session = format!("shipdeck-test-{}", std::process::id());
    let data = tempfile::tempdir().expect("temp dir");
    let command = format!(
        "SHIPDECK_DATA_DIR={} {} demo --latency-ms 400",
        data.path().display(),
        env!("CARGO_BIN_EXE_shipdeck")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    let guard = scopeguard(&session);

    wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));
    tmux(&[
        "send-keys",
        "-t",
        &session,
        "2",
        "g",
        "j",
        "j",
        "j",
        "j",
        "j",
        "j",
        "j",
    ]);
    wait_for(&session, "space tick", Duration::from_secs(5));
    tmux(&["send-keys", "-t", &session, "Space"]);
    let pending = wait_for(&session, "[ ]…", Duration::from_secs(5));
    assert!(
        pending.contains("2 Checklist 15/34"),
        "not yet confirmed:\n{pending}"
    );
    // The confirmation (status line) and the item leaving its pending state come together;
    // a refresh may show the new count a moment earlier.
    let confirmed = wait_for(
        &session,
        "unticked \"PLP server-side pagination",
        Duration::from_secs(15),
    );
    assert!(confirmed.contains("2 Checklist 14/34"), "{confirmed}");
    assert!(
        !confirmed.contains("[ ]…") && !confirmed.contains("[x]…"),
        "no item is pending any more:\n{confirmed}"
    );

    tmux(&["send-keys", "-t", &session, "q"]);
    let start = Instant::now();
    while common::tmux::has_session(&session) {
        assert!(start.elapsed() < Duration::from_secs(5), "q did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(guard);
}

#[test]
fn ctrl_c_from_a_popup_quits_and_restores_the_terminal() {
    if !common::tmux::have_tmux() {
        return;
    }
    let session = format!("shipdeck-ctrl-c-{}", std::process::id());
    let data = tempfile::tempdir().expect("temp dir");
    // After shipdeck ends, the shell prints its exit status and the terminal's modes.
    let command = format!(
        "SHIPDECK_DATA_DIR={} {} demo; echo \"shipdeck exited $?\"; stty -a; echo stty-done; sleep 60",
        data.path().display(),
        env!("CARGO_BIN_EXE_shipdeck")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        "sh",
        "-c",
        &command,
    ]);
    let guard = scopeguard(&session);

    wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));
    tmux(&["send-keys", "-t", &session, "?"]);
    wait_for(&session, " Keys ", Duration::from_secs(5));
    tmux(&["send-keys", "-t", &session, "C-c"]);
    let after = wait_for(&session, "stty-done", Duration::from_secs(5));
    assert!(after.contains("shipdeck exited 0"), "{after}");
    // The alternate screen is gone and the terminal is back in cooked mode with echo.
    assert!(!after.contains("Checklist"), "{after}");
    assert!(
        after.contains(" icanon") && !after.contains("-icanon"),
        "{after}"
    );
    assert!(
        after.contains(" echo ") && !after.contains("-echo "),
        "{after}"
    );
    drop(guard);
}

/// Writes an executable shell script.
fn script(path: &std::path::Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).expect("script written");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn o_uses_browser_and_shows_the_url_when_it_cannot_open_it() {
    if !common::tmux::have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let args = dir.path().join("args");
    let fail = dir.path().join("no-browser");
    let works = dir.path().join("browser");
    script(&fail, "exit 3");
    script(
        &works,
        &format!("printf '%s\\n' \"$@\" > {}", args.display()),
    );
    for (name, browser) in [
        // The first command fails, the second gets the URL for its `%s`.
        (
            "works",
            format!("{}:{} --new-tab %s", fail.display(), works.display()),
        ),
        ("fails", fail.display().to_string()),
    ] {
        let session = format!("shipdeck-browser-{name}-{}", std::process::id());
        let command = format!(
            "BROWSER='{browser}' SHIPDECK_DATA_DIR={} {} demo",
            dir.path().join(name).display(),
            env!("CARGO_BIN_EXE_shipdeck")
        );
        tmux(&[
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        let guard = scopeguard(&session);
        wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));
        // The checklist's URL is its tracking issue.
        tmux(&["send-keys", "-t", &session, "2", "o"]);
        if name == "works" {
            wait_for(&session, "opened in the browser", Duration::from_secs(5));
            let sent = std::fs::read_to_string(&args).expect("the browser ran");
            let lines: Vec<&str> = sent.lines().collect();
            assert_eq!(lines.len(), 2, "{sent}");
            assert_eq!(lines[0], "--new-tab");
            assert!(
                lines[1].starts_with("http") && lines[1].contains("/issues/"),
                "{sent}"
            );
        } else {
            let screen = wait_for(&session, "could not open a browser", Duration::from_secs(5));
            let footer = screen
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or_default();
            let url = std::fs::read_to_string(&args).expect("from the first run");
            let url = url.lines().nth(1).unwrap_or_default();
            // Each demo serves on its own port: compare the URL past its host.
            let path = url
                .split_once("//")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(url, |(_, path)| path);
            assert!(
                footer.contains("(no-browser: exit status 3): http")
                    && footer.trim_end().ends_with(&format!("/{path}")),
                "the whole URL is shown:\n{screen}"
            );
        }
        tmux(&["send-keys", "-t", &session, "q"]);
        drop(guard);
    }
}
