//! `eventday`: parses the command line, sets up logging and runs the command.

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = eventday::Cli::parse();
    // The server gets worker threads; a one-shot command runs on this thread (no hand-offs
    // between threads for each query it awaits).
    let runtime = if cli.wants_worker_threads() {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    };
    match runtime {
        Ok(rt) => rt.block_on(run(cli)),
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: eventday::Cli) -> ExitCode {
    let filter = EnvFilter::try_new(format!("{},sqlx=warn,sea_orm=warn", cli.log))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: captured logs stay greppable.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();
    match eventday::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line naming the cause chain; never a backtrace.
            let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
