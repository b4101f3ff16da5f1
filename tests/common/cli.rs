//! Running the real `shipdeck` binary against a simulator: a config file for the sample
//! release, and one subcommand run with its exit code and output.

use std::path::{Path, PathBuf};

/// The built binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

/// A private config file in `dir` for the sample release at `url` with `token`.
pub fn config(dir: &Path, url: &str, token: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[github]\napi_url = \"{url}\"\nrepos = [\"acme/storefront\", \"acme/payments\"]\n\
             milestone = \"v2.4.0\"\ntoken = \"{token}\"\n"
        ),
    )
    .expect("config written");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("config made private");
    path
}

/// `shipdeck --config PATH [--read-only] COMMAND ARGS` with `data` as the data dir and no token
/// from the environment: exit code, stdout, stderr.
pub async fn run(
    config: &Path,
    data: &Path,
    read_only: bool,
    command: &str,
    args: &[&str],
) -> (i32, String, String) {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.arg("--config").arg(config);
    if read_only {
        cmd.arg("--read-only");
    }
    let out = cmd
        .arg(command)
        .args(args)
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env("SHIPDECK_DATA_DIR", data)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("shipdeck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
