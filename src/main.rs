//! shipdeck's entry point: arguments, error hooks, logging, then the chosen command.

use clap::Parser;
use color_eyre::eyre::WrapErr;

use shipdeck::cli::{Cli, Cmd};
use shipdeck::commands::setup::Endpoint;
use shipdeck::commands::{Setup, dashboard, status};
use shipdeck::sim;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    if cli.print_default_config {
        print!("{}", shipdeck::config::EXAMPLE);
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> color_eyre::Result<()> {
    match &cli.command {
        None => {
            let _log = init_logging();
            let setup = Setup::new(&cli, None)?;
            dashboard::run(setup, true).await
        }
        Some(Cmd::Demo) => {
            let _log = init_logging();
            let handle = sim::start(sim::SimOptions::demo())
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
            let setup = Setup::new(&demo_cli, Some(endpoint))?;
            let result = dashboard::run(setup, false).await;
            handle.shutdown().await;
            result
        }
        Some(Cmd::Sim { port, token }) => {
            let options = sim::SimOptions {
                port: *port,
                token: token.clone(),
                ..sim::SimOptions::demo()
            };
            let handle = sim::start(options)
                .await
                .wrap_err_with(|| format!("starting the simulator on 127.0.0.1:{port}"))?;
            println!("{}", handle.base_url());
            eprintln!(
                "GitHub simulator serving the sample release (acme/storefront, acme/payments, milestone v2.4.0).\n\
                 Token: {token}. Try:\n  GH_TOKEN={token} shipdeck --api-url {} --repo acme/storefront --repo acme/payments status\n\
                 Ctrl-C stops it.",
                handle.base_url()
            );
            tokio::signal::ctrl_c()
                .await
                .wrap_err("waiting for Ctrl-C")?;
            handle.shutdown().await;
            Ok(())
        }
        Some(Cmd::Status { json }) => {
            let setup = Setup::new(&cli, None)?;
            status::run(&setup, *json).await
        }
    }
}

/// Logs go to `shipdeck.log` in the data dir: nothing may print while the TUI runs.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = shipdeck::config::data_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "shipdeck.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHIPDECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
