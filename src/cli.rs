//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A keyboard-driven terminal dashboard for running software releases on GitHub.
#[derive(Debug, Parser)]
#[command(name = "shipdeck", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Config file (default: the platform config dir, e.g. ~/.config/shipdeck/config.toml).
    #[arg(long, global = true, env = "SHIPDECK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// GitHub REST API root (GitHub Enterprise: https://HOST/api/v3).
    #[arg(long, global = true, value_name = "URL")]
    pub api_url: Option<String>,
    /// Repository taking part in the release; repeat for several. Replaces the config's list.
    #[arg(long = "repo", global = true, value_name = "OWNER/NAME")]
    pub repos: Vec<String>,
    /// Milestone title, or "auto" for the open milestone with the nearest due date.
    #[arg(long, global = true, value_name = "TITLE")]
    pub milestone: Option<String>,
    /// Disable every action that changes anything on GitHub.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Print the documented default config and exit.
    #[arg(long)]
    pub print_default_config: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// Subcommands; none opens the dashboard.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The dashboard on a built-in sample release (no token, no network).
    Demo {
        /// Delay every simulated GitHub answer by this many milliseconds (to see pending states).
        #[arg(long, default_value_t = 0, value_name = "MS")]
        latency_ms: u64,
    },
    /// Evaluate the go/no-go gates of a phase (for CI): exit 0 go, 1 no-go, 2 could not decide.
    Gate {
        /// The phase whose entry gates are evaluated.
        #[arg(long, default_value = "deploy", value_parser = parse_phase)]
        phase: crate::release::Phase,
        /// Print the report as JSON (the same object as `status --json`'s `gate`).
        #[arg(long)]
        json: bool,
        /// Set commit status `shipdeck/go-no-go` on the release ref's head commit in every
        /// repository (not with --read-only).
        #[arg(long)]
        post_status: bool,
    },
    /// Run the GitHub simulator alone and print its base URL.
    Sim {
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// The token clients must send.
        #[arg(long, default_value = "shipdeck-demo")]
        token: String,
        /// Delay every answer by this many milliseconds.
        #[arg(long, default_value_t = 0, value_name = "MS")]
        latency_ms: u64,
        /// Random faults, e.g. `500:0.1,502-after-apply:0.05,reset:0.05,stall:0.02,truncate:0.05,secondary:0.02,429:0.02`:
        /// comma-separated KIND[=ARG][@SCOPE]:RATE. KIND: a 4xx/5xx status, STATUS-after-apply,
        /// reset, stall[=EVERY], truncate, secondary[=RETRY_AFTER], 429[=RETRY_AFTER],
        /// delay[=TIME]; SCOPE: a method (@PATCH) or a path part (@/issues).
        #[arg(long, value_name = "SPEC")]
        faults: Option<crate::sim::ChaosSpec>,
        /// Seed of the random faults: the same seed replays the same faults (default: from the
        /// clock, printed).
        #[arg(long, value_name = "N", requires = "faults")]
        seed: Option<u64>,
        /// Start the simulator's clock at this time (RFC 3339, e.g. 2026-12-01T10:00:00Z); it
        /// runs on from there and the sample release is dated from it. `POST /_sim/clock
        /// {"now": TIME}` moves it later.
        #[arg(long, value_name = "TIME")]
        now: Option<chrono::DateTime<chrono::Utc>>,
        /// Also accept TOKEN as LOGIN's (repeatable), beside the built-in demo users.
        #[arg(long = "user", value_name = "LOGIN=TOKEN", value_parser = parse_user)]
        users: Vec<(String, String)>,
    },
    /// Create the milestone's tracking issue from the checklist template (refuses if one exists).
    Init {
        /// Template file (default: `release.checklist_template` in the config, else built in).
        #[arg(long, value_name = "PATH")]
        template: Option<PathBuf>,
    },
    /// One-shot summary of the release, for scripts.
    Status {
        /// Print one JSON object (schema in the README).
        #[arg(long)]
        json: bool,
    },
}

/// `LOGIN=TOKEN` as (token, login), the order `SimOptions::users` takes.
fn parse_user(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((login, token)) if !login.is_empty() && !token.is_empty() => {
            Ok((token.to_owned(), login.to_owned()))
        }
        _ => Err(format!("expected LOGIN=TOKEN, got {s:?}")),
    }
}

const AFTER_HELP: &str = "\
Token: GH_TOKEN, then GITHUB_TOKEN, then `gh auth token`, then the config file.
NO_COLOR=1: no colour; the selection shows in reverse video.
Try it without a token: shipdeck demo";

/// A phase name for `--phase`.
fn parse_phase(s: &str) -> Result<crate::release::Phase, String> {
    crate::release::Phase::parse(s)
        .ok_or_else(|| format!("unknown phase {s:?}: plan, build, test, prepare, deploy or review"))
}
