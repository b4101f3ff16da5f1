//! shipdeck's entry point: arguments, error hooks, logging, then the chosen command.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::WrapErr;

use shipdeck::cli::{Cli, Cmd};
use shipdeck::commands::setup::Endpoint;
use shipdeck::commands::{Setup, dashboard, dispatch, gate, init, notes, retro, status};
use shipdeck::release::text;
use shipdeck::sim;
use shipdeck::tui::terminal;

fn main() -> ExitCode {
    let colour = use_colour();
    // The panic hook (which restores the terminal first); errors are printed below, once.
    let hook = if colour {
        color_eyre::config::HookBuilder::default()
    } else {
        color_eyre::config::HookBuilder::default().theme(color_eyre::config::Theme::new())
    };
    if let Err(e) = hook.install() {
        eprintln!("shipdeck: could not install the error hooks: {e}");
    }
    let cli = Cli::parse();
    if cli.print_default_config {
        print!("{}", shipdeck::config::EXAMPLE);
        return ExitCode::SUCCESS;
    }
    // `gate` and `dispatch` keep 1 for no-go / a failed run: not deciding is 2.
    let error_code = match cli.command {
        Some(Cmd::Gate { .. } | Cmd::Dispatch(_)) => 2,
        _ => 1,
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the async runtime")
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
        Ok(code) => code,
        Err(report) => {
            eprint!("{}", error_text(&report, colour));
            ExitCode::from(error_code)
        }
    }
}

/// Colour only on a terminal that can show it, and never with `NO_COLOR` set (to anything
/// non-empty).
fn use_colour() -> bool {
    std::io::stderr().is_terminal() && !terminal::no_color() && !terminal::is_dumb()
}

/// An error and its causes, every message through the sanitiser: they can quote GitHub's text
/// (a milestone's title, GitHub's own message).
fn error_text(report: &color_eyre::Report, colour: bool) -> String {
    let clean = |e: &dyn std::fmt::Display| text::lines(&e.to_string()).into_owned();
    let mut chain = report.chain();
    let top = chain.next().map(|e| clean(&e)).unwrap_or_default();
    let mut out = if colour {
        format!("\u{1b}[1;31mError:\u{1b}[0m {top}\n")
    } else {
        format!("Error: {top}\n")
    };
    // A cause whose text the message already quotes is not printed again.
    let mut said = top.clone();
    let mut causes: Vec<String> = Vec::new();
    for cause in chain.map(|e| clean(&e)) {
        if !cause.trim().is_empty() && !said.contains(&cause) {
            said.push('\n');
            said.push_str(&cause);
            causes.push(cause);
        }
    }
    if !causes.is_empty() {
        out.push_str("\nCaused by:\n");
        for (i, cause) in causes.iter().enumerate() {
            out.push_str(&format!("  {i}: {cause}\n"));
        }
    }
    out
}

async fn run(cli: Cli) -> color_eyre::Result<ExitCode> {
    if let Some(Cmd::Gate {
        phase,
        json,
        post_status,
    }) = &cli.command
    {
        let setup = Setup::new(&cli, None)?;
        warn_about(&setup);
        return gate::run(&setup, *phase, *json, *post_status).await;
    }
    if let Some(Cmd::Dispatch(args)) = &cli.command {
        let setup = Setup::new(&cli, None)?;
        warn_about(&setup);
        return dispatch::run(&setup, args).await;
    }
    if let Some(Cmd::Notes(args)) = &cli.command {
        let setup = Setup::new(&cli, None)?;
        warn_about(&setup);
        return notes::run(&setup, args).await;
    }
    if let Some(Cmd::Retro(args)) = &cli.command {
        let setup = Setup::new(&cli, None)?;
        warn_about(&setup);
        return retro::run(&setup, args).await;
    }
    run_other(cli).await.map(|()| ExitCode::SUCCESS)
}

async fn run_other(cli: Cli) -> color_eyre::Result<()> {
    match &cli.command {
        None => {
            let _log = init_logging();
            let setup = Setup::new(&cli, None)?;
            warn_about(&setup);
            let storage = dashboard::Storage::data_dir(&setup);
            dashboard::run(setup, storage).await
        }
        Some(Cmd::Demo { latency_ms }) => {
            let _log = init_logging();
            let options = sim::SimOptions {
                latency: std::time::Duration::from_millis(*latency_ms),
                ..sim::SimOptions::demo()
            };
            let handle = sim::start(options)
                .await
                .wrap_err("starting the demo simulator on 127.0.0.1")?;
            tracing::info!(url = %handle.base_url(), "demo simulator started");
            let endpoint = Endpoint {
                api_url: handle.base_url(),
                token: handle.token().to_string(),
                repos: vec!["acme/storefront".into(), "acme/payments".into()],
                source: "demo".into(),
            };
            let mut demo_cli = cli;
            demo_cli.api_url = None;
            demo_cli.repos.clear();
            let mut setup = Setup::new(&demo_cli, Some(endpoint))?;
            // The demo's release comes with its own gates: windows, a freeze, sign-off roles.
            (setup.config.gates, setup.config.signoffs) =
                shipdeck::config::demo_gates(chrono::Utc::now());
            setup.plan = shipdeck::commands::setup::plan_for(&setup.config);
            warn_about(&setup);
            let scratch = tempfile_dir()?;
            let storage = dashboard::Storage {
                cache: None,
                outbox: scratch.join("outbox.json"),
                audit: scratch.join("audit.jsonl"),
            };
            let result = dashboard::run(setup, storage).await;
            let _ = std::fs::remove_dir_all(&scratch);
            handle.shutdown().await;
            result
        }
        Some(Cmd::Sim {
            port,
            token,
            latency_ms,
            faults,
            seed,
            now,
            users,
            scale,
        }) => {
            let base = scale.map_or_else(sim::SimOptions::demo, sim::SimOptions::scaled);
            let mut options = sim::SimOptions {
                port: *port,
                token: token.clone(),
                latency: std::time::Duration::from_millis(*latency_ms),
                now: *now,
                ..base
            };
            options.users.extend(users.iter().cloned());
            let handle = sim::start(options)
                .await
                .wrap_err_with(|| format!("starting the simulator on 127.0.0.1:{port}"))?;
            if let Some(spec) = faults {
                let seed = seed.unwrap_or_else(clock_seed);
                handle.set_chaos(Some(sim::Chaos::new(spec.clone(), seed)));
                eprintln!(
                    "Random faults: {spec} (seed {seed}; --seed {seed} replays them). \
                     Statistics: GET /_sim/chaos; DELETE /_sim/chaos stops them."
                );
            }
            println!("{}", handle.base_url());
            let repos = scale.map_or_else(
                || vec!["acme/storefront".to_owned(), "acme/payments".to_owned()],
                |s| s.repo_names(),
            );
            let what = scale.map_or_else(
                || "the sample release".to_owned(),
                |s| format!("a scaled release ({s})"),
            );
            let repo_args: String = repos.iter().map(|r| format!(" --repo {r}")).collect();
            eprintln!(
                "GitHub simulator serving {what} ({}, milestone v2.4.0).\n\
                 Token: {token} (alice); shipdeck-demo-bob, -carol, -dave, -erin act as those users. Try:\n  GH_TOKEN={token} shipdeck --api-url {}{repo_args} status\n\
                 Ctrl-C stops it.",
                repos.join(", "),
                handle.base_url()
            );
            tokio::signal::ctrl_c()
                .await
                .wrap_err("waiting for Ctrl-C")?;
            handle.shutdown().await;
            Ok(())
        }
        Some(Cmd::Init { template }) => {
            if cli.read_only {
                return Err(color_eyre::eyre::eyre!(
                    "--read-only: init would create an issue; run it without --read-only"
                ));
            }
            let setup = Setup::new(&cli, None)?;
            warn_about(&setup);
            let path = template
                .clone()
                .or_else(|| setup.config.release.checklist_template.clone());
            let text = init::load_template(path.as_deref())?;
            let rules = setup.config.rules(&setup.config.github.milestone);
            let line = init::run(
                setup.api.as_ref(),
                &setup.plan,
                &text,
                &rules,
                chrono::Utc::now(),
            )
            .await?;
            // The line quotes GitHub's answer (the title as stored, its URL).
            println!("{}", text::lines(&line));
            Ok(())
        }
        Some(Cmd::Status { json }) => {
            let setup = Setup::new(&cli, None)?;
            warn_about(&setup);
            status::run(&setup, *json).await
        }
        Some(Cmd::Gate { .. } | Cmd::Dispatch(_) | Cmd::Notes(_) | Cmd::Retro(_)) => {
            unreachable!("handled in run")
        }
    }
}

/// Config warnings go to stderr before the command runs (the dashboard also shows them).
fn warn_about(setup: &Setup) {
    for w in &setup.warnings {
        eprintln!("warning: {}", text::lines(w));
    }
}

/// A seed for random faults when none was given.
fn clock_seed() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_secs() ^ u64::from(now.subsec_nanos())
}

/// A fresh directory for the demo's outbox: the demo's GitHub forgets everything when it stops,
/// so its ticks must not be replayed into the next demo.
fn tempfile_dir() -> color_eyre::Result<std::path::PathBuf> {
    shipdeck::files::fresh_dir(&std::env::temp_dir(), "shipdeck-demo")
        .wrap_err("creating the demo's scratch directory")
}

/// Logs go to `shipdeck.log` in the data dir (0600): nothing may print while the TUI runs. A
/// data dir that cannot be written means no log; the dashboard then says why before starting.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = shipdeck::config::data_dir();
    shipdeck::files::create_dir(&dir).ok()?;
    // Created (or made) private before the appender opens it for appending.
    shipdeck::files::open_append(&dir.join("shipdeck.log")).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "shipdeck.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHIPDECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(move || SafeLog(writer.clone()))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// A log writer that passes every line through the sanitiser: log lines quote GitHub's text.
struct SafeLog(tracing_appender::non_blocking::NonBlocking);

impl std::io::Write for SafeLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(text::lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
