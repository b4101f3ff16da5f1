//! Runs a `[[commands]]` program: exactly the given arguments (no shell), no standard input,
//! its output captured (the last [`OUTPUT_LIMIT`] bytes of each stream), killed after
//! [`TIMEOUT`].

use std::process::Stdio;
use std::time::Duration;

use crate::app::custom::{Finished, OUTPUT_LIMIT};

/// How long a program may run before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `argv` and waits for it.
///
/// # Errors
/// The program could not start (not found, not executable) or ran past `timeout`; the message
/// says which.
pub async fn run(argv: &[String], timeout: Duration) -> Result<Finished, String> {
    let (program, args) = argv.split_first().ok_or("no program to run")?;
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| {
            format!(
                "{program} ran longer than {} s and was stopped",
                timeout.as_secs()
            )
        })?
        .map_err(|e| format!("{program}: {e}"))?;
    Ok(Finished {
        code: output.status.code(),
        stdout: tail(&output.stdout),
        stderr: tail(&output.stderr),
    })
}

/// The last `OUTPUT_LIMIT` bytes as text (cut on a character boundary).
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() <= OUTPUT_LIMIT {
        return text.into_owned();
    }
    let mut start = text.len() - OUTPUT_LIMIT;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("… (earlier output cut)\n{}", &text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_field_holding_shell_syntax_stays_one_argument() {
        let argv = vec![
            "printf".to_string(),
            "[%s]\\n".to_string(),
            "; rm -rf ~".to_string(),
            "$(id)".to_string(),
        ];
        let done = run(&argv, TIMEOUT).await.unwrap();
        assert_eq!(done.code, Some(0));
        assert_eq!(done.stdout, "[; rm -rf ~]\n[$(id)]\n");
    }

    #[tokio::test]
    async fn exit_codes_missing_programs_and_timeouts_are_reported() {
        let done = run(&["false".to_string()], TIMEOUT).await.unwrap();
        assert_eq!(done.code, Some(1));
        let err = run(&["shipdeck-no-such-program".to_string()], TIMEOUT)
            .await
            .unwrap_err();
        assert!(
            err.contains("could not start shipdeck-no-such-program"),
            "{err}"
        );
        let err = run(
            &["sleep".to_string(), "5".to_string()],
            Duration::from_millis(100),
        )
        .await
        .unwrap_err();
        assert!(err.contains("ran longer than"), "{err}");
    }

    #[test]
    fn long_output_keeps_its_end() {
        let long = "é".repeat(OUTPUT_LIMIT);
        let kept = tail(long.as_bytes());
        assert!(kept.starts_with("… (earlier output cut)\n"));
        assert!(kept.ends_with('é'));
        assert!(kept.len() <= OUTPUT_LIMIT + 40);
    }
}
