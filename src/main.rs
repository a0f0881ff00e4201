//! `eventday`: parses the command line, sets up logging and runs the command.

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = eventday::Cli::parse();
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
