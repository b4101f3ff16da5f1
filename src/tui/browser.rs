//! Opening a URL in the user's browser. `$BROWSER`, when set, is a colon-separated list of
//! commands tried in order (as `gh` and Python's `webbrowser` read it): `%s` in a command is
//! replaced by the URL, otherwise the URL is appended. Without it, the system's opener.

use std::io::ErrorKind;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a browser command may run before it counts as started: a browser that stays in
/// the foreground is working, not failing.
pub const LAUNCH_WAIT: Duration = Duration::from_secs(3);

/// The commands to try: each non-empty entry of `$BROWSER` (its value is `browser`), else the
/// system's opener.
#[must_use]
pub fn commands(browser: Option<&str>) -> Vec<String> {
    let from_env: Vec<String> = browser
        .unwrap_or_default()
        .split(':')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if !from_env.is_empty() {
        return from_env;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    vec![opener.to_string()]
}

/// The program and arguments of one command for `url`: split like a shell would (quotes
/// kept together), every `%s` replaced by the URL, or the URL appended when there is none.
///
/// # Errors
/// The command is empty or its quotes do not close.
pub fn argv(command: &str, url: &str) -> Result<Vec<String>, String> {
    let words = shlex::split(command)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| format!("cannot read the command \"{command}\""))?;
    if words.iter().any(|w| w.contains("%s")) {
        Ok(words.iter().map(|w| w.replace("%s", url)).collect())
    } else {
        Ok(words.into_iter().chain([url.to_string()]).collect())
    }
}

/// Tries each command in turn until one opens `url`: it exits successfully, or is still
/// running after `wait`. Returns the name of the program that did.
///
/// # Errors
/// Why each command failed, e.g. `xdg-open: not found`.
pub fn open(url: &str, commands: &[String], wait: Duration) -> Result<String, String> {
    let mut failures = Vec::new();
    for command in commands {
        let argv = match argv(command, url) {
            Ok(argv) => argv,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let name = Path::new(&argv[0])
            .file_name()
            .map_or_else(|| argv[0].clone(), |n| n.to_string_lossy().into_owned());
        let child = Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match child {
            Ok(child) => match finish(child, wait) {
                Ok(()) => return Ok(name),
                Err(e) => failures.push(format!("{name}: {e}")),
            },
            Err(e) if e.kind() == ErrorKind::NotFound => {
                failures.push(format!("{name}: not found"))
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    if failures.is_empty() {
        failures.push("no browser command".to_string());
    }
    Err(failures.join("; "))
}

/// Waits up to `wait` for the command: `Ok` if it succeeded or is still running (then a
/// thread reaps it when it ends), else its exit status.
fn finish(mut child: Child, wait: Duration) -> Result<(), String> {
    let deadline = Instant::now() + wait;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(status
                    .code()
                    .map_or_else(|| status.to_string(), |code| format!("exit status {code}")));
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}
