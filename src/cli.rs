//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Dispatch a workflow, gate-enforced: exit 0 sent, 1 watched run failed, 2 not started.
    ///
    /// The same rules as the dashboard: a deploy-phase workflow or a protected environment
    /// (never the rollback) needs a GO deploy verdict, or --override REASON, which is posted on
    /// the tracking issue before the dispatch; nothing is dispatched while deploys are locked.
    /// The calls are printed exactly as they will be sent, then sent once (never retried) and
    /// appended to the audit log; the run's URL is printed on stdout.
    ///
    /// Exit codes: 0 dispatched (with --watch: the run succeeded); 1 the watched run ended
    /// otherwise (failure, cancelled, timed_out…); 2 not started (refused, invalid inputs, the
    /// send failed) or the run could not be followed.
    #[command(after_help = DISPATCH_EXAMPLES)]
    Dispatch(DispatchArgs),
    /// Release notes of the milestone: closed issues and merged PRs of every repository,
    /// grouped into sections by label ([notes] in the config).
    ///
    /// Left out: open issues, PRs closed without merging, the tracking issue, risks, and
    /// anything labelled `notes.skip_label` (default `skip-notes`). With --publish-draft, each
    /// repository gets a draft GitHub Release for the tag `notes.tag` (default: the milestone
    /// title) whose body is that repository's part of the notes: created, or the existing
    /// draft for the tag updated (running it again leaves one draft). A release already
    /// published for the tag is not touched; nothing is ever published. The calls are printed
    /// exactly as they will be sent, then sent once and appended to the audit log.
    #[command(after_help = NOTES_EXAMPLES)]
    Notes(NotesArgs),
    /// A retrospective draft of the release from the facts: planned vs delivered scope, scope
    /// added late, NO-GO stretches, overrides, time in each phase, KPIs vs 90 days, incidents.
    ///
    /// Meant for the Review phase (earlier, it warns and drafts the facts so far). Lines are
    /// numbered; --follow-up N,N files each picked line as an issue labelled
    /// `retro.follow_up_label` (default `follow-up`) in its repository's next open milestone
    /// by due date, linking the tracking issue. A line already filed (an open issue with the
    /// same title and the label) is not filed again. The calls are printed exactly as they
    /// will be sent, then sent once and appended to the audit log.
    #[command(after_help = RETRO_EXAMPLES)]
    Retro(RetroArgs),
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
        /// Serve a large release instead of the sample one, always the same for the same
        /// spec: e.g. `issues=5000,items=1000,runs=500,repos=20` (keys left out keep these
        /// values; counts below the sample release's own are raised to them).
        #[arg(long, value_name = "SPEC")]
        scale: Option<crate::sim::Scale>,
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

/// `shipdeck dispatch`'s arguments.
#[derive(Debug, Args)]
pub struct DispatchArgs {
    /// The workflow: its file name (`deploy.yml`), without the extension, or its `name:`; it
    /// must be configured in [[workflows]] with `dispatch = true`.
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    /// The repository to dispatch in, when the workflow is in several (the global --repo
    /// chooses the release's repositories, not this).
    #[arg(short = 'R', long = "in", value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The branch or tag to run on (default: the release ref).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    /// An input of the workflow; repeat for several (`key=` for an empty value). Inputs not
    /// given take their defaults.
    #[arg(short = 'f', long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
    /// Follow the run until it completes; exit 0 if it succeeded, 1 if not.
    #[arg(long)]
    pub watch: bool,
    /// Dispatch a gated workflow although the deploy verdict is NO-GO; the reason and the
    /// failing gates are posted on the tracking issue first.
    #[arg(long = "override", value_name = "REASON")]
    pub override_reason: Option<String>,
    /// Send without asking (required when stdin is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
}

/// `shipdeck notes`'s arguments.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Write the notes to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Markdown, or JSON: {"milestone", "sections": [{"title", "entries": [{"repo", "number",
    /// "title", "author", "html_url", "is_pull_request"}]}]}.
    #[arg(long, value_enum, default_value = "md")]
    pub format: NotesFormat,
    /// Create or update a draft GitHub Release per repository with its notes (not with
    /// --read-only).
    #[arg(long)]
    pub publish_draft: bool,
    /// Send without asking (required when stdin is not a terminal).
    #[arg(short = 'y', long, requires = "publish_draft")]
    pub yes: bool,
}

/// `shipdeck retro`'s arguments.
#[derive(Debug, Args)]
pub struct RetroArgs {
    /// Write the draft to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Markdown, or JSON: {"milestone", "phase", "at", "in_review", "lines": [{"number",
    /// "section", "text", "repo", "url"}], "facts"}.
    #[arg(long, value_enum, default_value = "md")]
    pub format: NotesFormat,
    /// File these lines (numbers, comma-separated) as follow-up issues (not with --read-only).
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    pub follow_up: Vec<usize>,
    /// File in a repository that has no next milestone, without a milestone.
    #[arg(long, requires = "follow_up")]
    pub without_milestone: bool,
    /// Send without asking (required when stdin is not a terminal).
    #[arg(short = 'y', long, requires = "follow_up")]
    pub yes: bool,
}

/// How `shipdeck notes` writes the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NotesFormat {
    /// Markdown: a heading for the milestone, one per section, a line per entry.
    Md,
    /// One JSON object.
    Json,
}

/// `key=value` for `-f`: the first `=` splits; the value may be empty.
fn parse_field(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}

const DISPATCH_EXAMPLES: &str = "\
Examples:
  shipdeck dispatch e2e.yml --yes --watch
  shipdeck dispatch deploy.yml -R acme/storefront -f environment=staging -f version=v2.4.0 --yes
  shipdeck dispatch deploy -R acme/payments -f version=v2.4.0 --override \"hotfix for INC-42\" -y";

const NOTES_EXAMPLES: &str = "\
Examples:
  shipdeck notes --out NOTES.md
  shipdeck notes --format json | jq '.sections[].title'
  shipdeck notes --publish-draft --yes";

const RETRO_EXAMPLES: &str = "\
Examples:
  shipdeck retro --out RETRO.md
  shipdeck retro --format json | jq '.lines[] | select(.section == \"incidents\")'
  shipdeck retro --follow-up 3,7 --yes";

const AFTER_HELP: &str = "\
Token: GH_TOKEN, then GITHUB_TOKEN, then `gh auth token`, then the config file.
NO_COLOR=1: no colour; the selection shows in reverse video.
Try it without a token: shipdeck demo";

/// A phase name for `--phase`.
fn parse_phase(s: &str) -> Result<crate::release::Phase, String> {
    crate::release::Phase::parse(s)
        .ok_or_else(|| format!("unknown phase {s:?}: plan, build, test, prepare, deploy or review"))
}
