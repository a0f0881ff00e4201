//! `eventday import` and `eventday export`: CSV files of one kind for one campaign.

use anyhow::{Context, Result, bail};
use clap::Args;
use eventday_domain::csv::{Kind, Lang};
use eventday_store::Store;
use eventday_store::csv_io::{self, ImportOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds: units, venues, booths, activities, allocations, media, log-entries, disputes.
    pub kind: Kind,
    /// The campaign to import into.
    #[arg(long)]
    pub campaign: i32,
    /// The CSV file (UTF-8 with or without BOM, or GB18030/GBK).
    pub file: PathBuf,
    /// Check the file and report what would change, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The database.
    #[command(flatten)]
    pub db: crate::DbArgs,
}

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export: units, venues, booths, activities, allocations, media, log-entries, disputes.
    pub kind: Kind,
    /// The campaign to export from.
    #[arg(long)]
    pub campaign: i32,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Header and label language: zh (default) or en.
    #[arg(long, default_value = "zh", value_parser = eventday_report::parse_lang)]
    pub lang: Lang,
    /// The database.
    #[command(flatten)]
    pub db: crate::DbArgs,
}

/// Runs `import`: prints a summary, or fails naming the first bad line and column.
///
/// # Errors
/// An unreadable file, an unknown campaign, a database error, or any bad row (nothing written).
pub async fn import(store: &Store, args: &ImportArgs) -> Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let opts = ImportOptions { dry_run: args.dry_run, progress: Some(&progress), actor: None };
    let report = csv_io::import(store, args.campaign, args.kind, &bytes, opts).await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(first) = report.errors.first() {
        let more = report.errors.len() - 1;
        let tail = if more > 0 { format!(" (and {more} more problems)") } else { String::new() };
        bail!("{}: {first}{tail}; nothing was imported", args.file.display());
    }
    let verb = if args.dry_run { "would import (dry run, nothing written)" } else { "imported" };
    println!(
        "{verb} {}: {} created, {} updated, {} unchanged",
        args.kind, report.created, report.updated, report.unchanged
    );
    Ok(())
}

/// Runs `export` to a file or standard output.
///
/// # Errors
/// An unknown campaign, a database error, or an unwritable output.
pub async fn export(store: &Store, args: &ExportArgs) -> Result<()> {
    let bytes = csv_io::export(store, args.campaign, args.kind, args.lang).await?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().write_all(&bytes).context("cannot write to standard output")?,
    }
    Ok(())
}
