//! Driving the real binary in tmux: commands, screen captures, waiting for text, cleanup.

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs `tmux ARGS` and returns its standard output.
pub fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
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
            "timed out waiting for {what:?}; screen:\n{s}"
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
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", session])
        .output();
}
