//! The `eventday` command line: configuration and the commands behind `serve`, `migrate`,
//! `demo` and `user`. `main.rs` only parses flags and calls [`run`].

pub mod user_cmd;

pub mod csv_cmd;

pub mod campaign_cmd;
pub mod cases_cmd;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use eventday_store::Store;
use eventday_store::demo::{self, LoadOutcome};
use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

/// The 2013 demo campaign, shipped as data in `assets/demo/` and compiled into the binary.
pub const DEMO_CAMPAIGN_JSON: &str = include_str!("../assets/demo/campaign-2013.json");

/// Plan, run and report a one-day “3·15” campaign across a main venue and many sub-venues.
#[derive(Debug, Parser)]
#[command(name = "eventday", version, about, propagate_version = true)]
pub struct Cli {
    /// Log filter, e.g. `info` or `eventday_web=debug` [env: EVENTDAY_LOG]
    #[arg(long, global = true, env = "EVENTDAY_LOG", default_value = "info")]
    pub log: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command runs for long with work in parallel (the server, the synthetic
    /// generator), so it wants a multi-threaded runtime; the others are one-shot.
    #[must_use]
    pub fn wants_worker_threads(&self) -> bool {
        matches!(self.command, Command::Serve(_) | Command::Demo(_))
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web pages and the JSON API.
    Serve(ServeArgs),
    /// Bring the database schema up to date.
    Migrate(DbArgs),
    /// Load the 2013 demo campaign (running it twice changes nothing), or with
    /// `--synthetic-districts N` a generated province of N districts for load and roll-up tests.
    Demo(DemoArgs),
    /// Copy a running SQLite database into a new file, consistently (for PostgreSQL: pg_dump).
    Backup(BackupArgs),
    /// Manage accounts: add, list, disable, reset-password.
    User(user_cmd::UserArgs),
    /// Write a campaign's summary report as PDF or Word (`--format docx`), or with `--rollup` the
    /// roll-up report of an organization and all its descendants for a year.
    Report(ReportArgs),
    /// Set up a campaign without a server: add, list, show; accept many venues' days at once.
    Campaign(campaign_cmd::CampaignArgs),
    /// Import a CSV file of one kind into a campaign (all rows or none).
    Import(csv_cmd::ImportArgs),
    /// Import a folder of CSV files of every kind in dependency order (all files or none).
    ImportFolder(csv_cmd::ImportFolderArgs),
    /// Export one kind of a campaign's data as CSV (UTF-8 with BOM).
    Export(csv_cmd::ExportArgs),
    /// Complaint cases: `purge` removes personal data past the retention period.
    Cases(cases_cmd::CasesArgs),
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Instead of the 2013 campaign, generate a province → cities → districts tree with this many
    /// districts (17 venues and about 50 log entries per venue each); rerunning completes or
    /// leaves it as it is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub synthetic_districts: Option<u32>,
    /// Seed of the synthetic data: the same seed and count give the same data.
    #[arg(long, default_value_t = 1, requires = "synthetic_districts")]
    pub seed: u64,
    /// Year of the synthetic campaigns (held on 15 March).
    #[arg(long, default_value_t = 2026, requires = "synthetic_districts")]
    pub year: i32,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet unless `--force` is given.
    #[arg(long, value_name = "FILE")]
    pub out: std::path::PathBuf,
    /// Replace `--out` if it exists.
    #[arg(long)]
    pub force: bool,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign (see `GET /api/v1/campaigns`).
    #[arg(long, required_unless_present = "rollup", conflicts_with = "rollup")]
    pub campaign: Option<i32>,
    /// Report an organization together with all its descendants' campaigns of `--year`.
    #[arg(long, requires_all = ["org", "year"])]
    pub rollup: bool,
    /// With `--rollup`: the organization at the top (a province, city or district).
    #[arg(long, requires = "rollup")]
    pub org: Option<i32>,
    /// With `--rollup`: the year.
    #[arg(long, requires = "rollup")]
    pub year: Option<i32>,
    /// With `--rollup`: count only campaigns whose submission the parent accepted (otherwise
    /// everything logged so far); the document says which.
    #[arg(long, requires = "rollup")]
    pub accepted_only: bool,
    /// Language: `zh` (default) or `en`.
    #[arg(long, default_value = "zh", value_parser = eventday_report::parse_lang)]
    pub lang: eventday_report::Lang,
    /// Layout: `modern` (default) or `gbt9704` (GB/T 9704 official-document conventions).
    #[arg(long, default_value = "modern")]
    pub style: eventday_report::Style,
    /// Fix the creation date and document id so the same data gives identical bytes.
    #[arg(long)]
    pub deterministic: bool,
    /// Output: `pdf` (default), `docx` (Word: the same content, to edit before signing), or
    /// `xlsx` (the report's tables, one sheet each).
    #[arg(long, value_enum, default_value_t = ReportFormat::Pdf)]
    pub format: ReportFormat,
    /// Where to write the document.
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// The outputs of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// The summary as PDF.
    Pdf,
    /// The summary as an editable Word document.
    Docx,
    /// The report's tables as an Excel workbook.
    Xlsx,
}

impl ReportFormat {
    /// The laid-out document this is (`None` for the workbook of tables).
    fn document(self) -> Option<eventday_report::Format> {
        match self {
            ReportFormat::Pdf => Some(eventday_report::Format::Pdf),
            ReportFormat::Docx => Some(eventday_report::Format::Docx),
            ReportFormat::Xlsx => None,
        }
    }
}

/// Where the database is.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` (default) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "EVENTDAY_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://eventday.db?mode=rwc"
    )]
    pub database_url: DatabaseUrl,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "EVENTDAY_BIND", default_value = "127.0.0.1:8315")]
    pub bind: SocketAddr,
    /// Load the 2013 demo campaign before serving, with a demo organizer and one lead per venue
    /// (their passwords are printed once, when the accounts are created).
    #[arg(long, env = "EVENTDAY_DEMO")]
    pub demo: bool,
    /// Mark the session cookie Secure (set when users reach the server over https).
    #[arg(long, env = "EVENTDAY_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Base URL of links handed out (invitations), e.g. https://eventday.example.org
    /// [default: the Host the request came to].
    #[arg(long, env = "EVENTDAY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The key for consumers' personal data in complaint cases.
    #[command(flatten)]
    pub case_key: cases_cmd::KeyArgs,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// A database URL whose password never shows in `Debug` output or logs.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Err("the database URL is empty".into());
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((_, host)) => write!(f, "{scheme}://***@{host}"),
                None => write!(f, "{scheme}://{rest}"),
            },
            None => f.write_str("***"),
        }
    }
}

/// Opens the database and brings its schema up to date.
///
/// # Errors
/// An unusable URL, an unreachable database, or a failed migration.
pub async fn open(db: &DbArgs) -> Result<Store> {
    let store = Store::connect(&db.database_url.0).await?;
    store.migrate().await?;
    Ok(store)
}

/// Loads the demo campaign and says what happened.
///
/// # Errors
/// A demo file that fails validation, or a database error.
pub async fn load_demo(store: &Store) -> Result<LoadOutcome> {
    let file = demo::parse(DEMO_CAMPAIGN_JSON).context("the demo campaign file is invalid")?;
    let outcome = demo::load(store, &file).await?;
    match outcome {
        LoadOutcome::Created(id) => println!(
            "demo campaign loaded: id {id}, {} venues, {} log entries",
            file.venues.len(),
            file.log_entries.len()
        ),
        LoadOutcome::AlreadyLoaded(id) => println!("demo campaign already loaded (id {id}); nothing changed"),
    }
    Ok(outcome)
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the command fails with; `main` prints it on one line.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Migrate(db) => {
            open(&db).await?;
            println!("database is up to date");
        }
        Command::Demo(args) => {
            let store = open(&args.db).await?;
            match args.synthetic_districts {
                Some(n) => synthetic(&store, n, args.seed, args.year).await?,
                None => {
                    load_demo(&store).await?;
                }
            }
        }
        Command::Backup(args) => backup(&args).await?,
        Command::Serve(args) => serve(args).await?,
        Command::User(args) => user_cmd::run(args).await?,
        Command::Report(args) => report(args).await?,
        Command::Campaign(args) => {
            let db = DbArgs { database_url: args.database_url.clone() };
            campaign_cmd::run(&open(&db).await?, &args).await?;
        }
        Command::Import(args) => csv_cmd::import(&open(&args.db).await?, &args).await?,
        Command::ImportFolder(args) => csv_cmd::import_folder(&open(&args.db).await?, &args).await?,
        Command::Export(args) => csv_cmd::export(&open(&args.db).await?, &args).await?,
        Command::Cases(args) => cases_cmd::run(args).await?,
    }
    Ok(())
}

/// Generates the synthetic province, with a progress bar on a terminal and a line every few
/// seconds otherwise (logs of CI runs stay short).
async fn synthetic(store: &Store, districts: u32, seed: u64, year: i32) -> Result<()> {
    use std::io::IsTerminal;
    let spec = eventday_store::synthetic::SyntheticSpec { districts, seed, year };
    let started = std::time::Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(u64::from(districts));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} districts, {msg} ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    let mut last_line = std::time::Instant::now();
    let outcome = eventday_store::synthetic::generate(store, &spec, |p| {
        if let Some(bar) = &bar {
            bar.set_position(u64::from(p.districts_done));
            bar.set_message(format!("{} log entries", p.entries_written));
        } else if last_line.elapsed().as_secs() >= 5 || p.districts_done == p.districts_total {
            last_line = std::time::Instant::now();
            println!(
                "{}/{} districts, {} log entries written, {:.0} s",
                p.districts_done,
                p.districts_total,
                p.entries_written,
                started.elapsed().as_secs_f64()
            );
        }
    })
    .await
    .context("generating the synthetic province failed")?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if outcome.districts_written == 0 {
        println!(
            "synthetic province already complete (organization id {}); nothing changed",
            outcome.province_id
        );
    } else {
        println!(
            "synthetic province ready: organization id {}, {} districts, {} venues, {} log entries written in {secs:.1} s ({:.0} entries/s)",
            outcome.province_id,
            outcome.districts_written,
            outcome.venues_written,
            outcome.entries_written,
            outcome.entries_written as f64 / secs.max(0.001)
        );
    }
    Ok(())
}

/// Writes a consistent copy of the SQLite database (the server may keep running).
async fn backup(args: &BackupArgs) -> Result<()> {
    let store = Store::connect(&args.db.database_url.0).await?;
    let bytes = eventday_store::backup::backup_sqlite(&store, &args.out, args.force).await?;
    println!("backup written to {} ({bytes} bytes)", args.out.display());
    Ok(())
}

async fn report(args: ReportArgs) -> Result<()> {
    // A campaign's report reads one query at a time: one connection is enough and is cheaper to
    // open; a roll-up streams districts while it reads their venues, so it keeps the pool.
    let store = if args.rollup || args.campaign.is_none() {
        open(&args.db).await?
    } else {
        let store = Store::connect_for_one_read(&args.db.database_url.0).await?;
        store.migrate().await?;
        store
    };
    let opts = eventday_report::RenderOptions {
        lang: args.lang,
        style: args.style,
        deterministic: args.deterministic,
    };
    let Some(format) = args.format.document() else {
        let (Some(campaign), false) = (args.campaign, args.rollup) else {
            anyhow::bail!("--format xlsx writes one campaign's tables: give --campaign ID (without --rollup)")
        };
        let bytes = eventday_store::report_data::campaign_workbook(&store, campaign, args.lang).await?;
        write_atomically(&args.out, &bytes)?;
        println!("wrote {} ({} bytes)", args.out.display(), bytes.len());
        return Ok(());
    };
    let (Some(campaign), false) = (args.campaign, args.rollup) else {
        return rollup_report(&store, &args, opts, format).await;
    };
    if format == eventday_report::Format::Docx {
        let docx = eventday_store::report_data::render_campaign_docx(&store, campaign, opts).await?;
        write_atomically(&args.out, &docx)?;
        println!("wrote {} ({} bytes)", args.out.display(), docx.len());
        return Ok(());
    }
    let out = eventday_store::report_data::render_campaign(&store, campaign, opts).await?;
    if !out.missing_chars.is_empty() {
        let list: String =
            out.missing_chars.iter().map(|c| format!("{c} (U+{:04X}) ", u32::from(*c))).collect();
        eprintln!("warning: no font has these characters; they show as boxes: {}", list.trim_end());
    }
    write_atomically(&args.out, &out.pdf)?;
    println!("wrote {} ({} pages, {} bytes)", args.out.display(), out.pages, out.pdf.len());
    Ok(())
}

async fn rollup_report(
    store: &Store,
    args: &ReportArgs,
    opts: eventday_report::RenderOptions,
    format: eventday_report::Format,
) -> Result<()> {
    let (Some(org), Some(year)) = (args.org, args.year) else {
        anyhow::bail!("--rollup needs --org ID and --year YEAR");
    };
    let basis = if args.accepted_only {
        eventday_store::rollup::Basis::Accepted
    } else {
        eventday_store::rollup::Basis::Logged
    };
    // A progress bar on a terminal only; each district of the subtree is laid out twice (the
    // district table, then the appendix of venues).
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let total = eventday_store::rollup::rollup_totals_on(store, org, year, basis).await?.districts;
        let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0).saturating_mul(2));
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} district rows {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let tick = bar.clone();
    let started = std::time::Instant::now();
    let tmp = args.out.with_extension("partial");
    let file = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    let out = eventday_store::report_data::render_rollup_as(
        store,
        org,
        year,
        basis,
        opts,
        format,
        std::io::BufWriter::new(file),
        move |n| {
            if let Some(b) = &tick {
                b.set_position(n as u64);
            }
        },
    )
    .await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
    };
    std::fs::rename(&tmp, &args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    if !out.missing_chars.is_empty() {
        let list: String =
            out.missing_chars.iter().map(|c| format!("{c} (U+{:04X}) ", u32::from(*c))).collect();
        eprintln!("warning: no font has these characters; they show as boxes: {}", list.trim_end());
    }
    // A Word document is paginated by Word: only a PDF knows its pages.
    let pages =
        if format == eventday_report::Format::Pdf { format!("{} pages, ", out.pages) } else { String::new() };
    println!(
        "wrote {} ({} districts, {pages}{} bytes) in {:.1} s",
        args.out.display(),
        out.districts,
        out.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes a file through a temporary sibling and a rename, so a reader never sees half a file.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<()> {
    let store = open(&args.db).await?;
    if args.demo {
        let campaign_id = load_demo(&store).await?.campaign_id();
        print_demo_accounts(&store, campaign_id).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr().context("cannot read the listening address")?;
    println!("eventday is serving on http://{addr}");
    tracing::info!(%addr, "serving");
    eventday_store::accounts::warm_up().await;
    let case_key = cases_cmd::resolve_key(&args.case_key)?;
    // Personal data past its retention period goes at every start, before anyone reads it.
    let purged = cases_cmd::purge(&store).await?;
    if purged > 0 {
        tracing::info!(cases = purged, "purged personal data past its retention period");
    }
    let config = eventday_web::WebConfig {
        secure_cookies: args.secure_cookies,
        public_url: args.public_url.clone(),
        case_key: Some(case_key),
    };
    let app = eventday_web::router(eventday_web::AppState { store, config });
    // On a shutdown signal the server stops accepting and lets requests finish, but live feeds
    // (Server-Sent Events) never finish by themselves: after SHUTDOWN_GRACE the process ends
    // them by stopping, and the dashboards reconnect (with Last-Event-ID) to the next server.
    let (stopping_tx, mut stopping) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            stopping_tx.send(true).ok();
        });
    let bound = async move {
        if stopping.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = server => r.context("the server stopped with an error")?,
        () = bound => tracing::info!(grace = ?SHUTDOWN_GRACE, "connections still open after the grace period are closed"),
    }
    Ok(())
}

/// How long a stopping server waits for open connections (live feeds among them).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Creates the demo organizer and leads when missing and prints their credentials once, on
/// standard output only (never through the log).
async fn print_demo_accounts(store: &Store, campaign_id: i32) -> Result<()> {
    let created = eventday_store::accounts::ensure_demo_accounts(store, campaign_id).await?;
    if created.is_empty() {
        println!("demo accounts already exist (passwords were printed when they were created)");
        return Ok(());
    }
    println!("demo accounts created; their passwords are shown only this once:");
    for a in &created {
        let venue = a.venue.as_deref().map(|v| format!("  {v}")).unwrap_or_default();
        println!("  {:<16} {:<18} {:<10}{venue}", a.login, a.password, a.role.as_str());
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_debug_hides_the_password() {
        let url = DatabaseUrl("postgres://app:hunter2@db.example/eventday".into());
        let shown = format!("{url:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("db.example/eventday"));
    }
}
