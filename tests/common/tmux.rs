//! Driving the real binary in tmux: commands, screen captures, waiting for text, cleanup.

use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// This test process's own tmux server: a private socket keeps tests apart from the user's
/// tmux and from other test binaries.
fn socket() -> String {
    format!("shipdeck-tests-{}", std::process::id())
}

/// Serialises `new-session`: tests run in parallel threads, and two clients starting the same
/// tmux server at once can lose the race ("server exited unexpectedly"), leaving no session.
static NEW_SESSION: Mutex<()> = Mutex::new(());

/// A `Command` for this process's tmux server.
pub fn command() -> Command {
    let mut c = Command::new("tmux");
    c.arg("-L").arg(socket());
    c
}

/// Runs `tmux ARGS` on this process's server and returns its standard output. A
/// `new-session` must succeed: it is retried twice, then the test fails with tmux's message.
pub fn tmux(args: &[&str]) -> String {
    let creating = args.first() == Some(&"new-session");
    let _serial = creating.then(|| NEW_SESSION.lock().unwrap_or_else(|e| e.into_inner()));
    let mut last_error = String::new();
    for _ in 0..3 {
        let out = command().args(args).output().expect("tmux runs");
        if !creating || out.status.success() {
            return String::from_utf8_lossy(&out.stdout).into_owned();
        }
        last_error = String::from_utf8_lossy(&out.stderr).into_owned();
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("tmux new-session failed three times: {last_error}");
}

/// Whether the session still exists.
pub fn has_session(session: &str) -> bool {
    command()
        .args(["has-session", "-t", session])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The pane's text.
pub fn screen(session: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", session])
}

/// Waits until the pane shows `what`; returns the screen, or fails with it after `timeout`.
pub fn wait_for(session: &str, what: &str, timeout: Duration) -> String {
    let start = Instant::now();
    loop {
        let s = screen(session);
        if s.contains(what) {
            return s;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what:?}; session {}; screen:\n{s}",
            if has_session(session) {
                "alive"
            } else {
                "gone (the program exited)"
            }
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a tmux test can run here; in CI it must (`.ci/run` installs tmux).
pub fn have_tmux() -> bool {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "tmux is required in CI (.ci/run installs it)"
    );
    eprintln!("skipped: tmux not installed (apt-get install tmux)");
    false
}

/// Kills the session when dropped.
pub fn kill_on_drop(session: &str) -> impl Drop + '_ {
    struct Kill<'a>(&'a str);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            kill_session(self.0);
        }
    }
    Kill(session)
}

/// Kills a session, if it is still there.
pub fn kill_session(session: &str) {
    let _ = command().args(["kill-session", "-t", session]).output();
}
