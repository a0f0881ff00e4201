//! `eventday import`, `eventday import-folder` and `eventday export`: CSV files or workbooks
//! (.xlsx, .xls) of one kind for one campaign, or a folder of all kinds at once.

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
    /// What the file holds: campaign, units, venues, booths, activities, materials,
    /// allocations, media, officials, tasks, narrative, log-entries, tallies, disputes.
    pub kind: Kind,
    /// The campaign to import into.
    #[arg(long)]
    pub campaign: i32,
    /// The CSV file (UTF-8 with or without BOM, or GB18030/GBK), or a workbook (.xlsx or .xls:
    /// its first sheet), told apart by content.
    pub file: PathBuf,
    /// Check the file and report what would change, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The author recorded for log lines that name none.
    #[arg(long, default_value = csv_io::DEFAULT_AUTHOR)]
    pub author: String,
    /// The database.
    #[command(flatten)]
    pub db: crate::DbArgs,
}

/// Options of `import-folder`.
#[derive(Debug, Args)]
pub struct ImportFolderArgs {
    /// A folder of CSV files named after their kind (`campaign.csv`, `units.csv`,
    /// `venues.csv`, `booths.csv`, `materials.csv`, `media.csv`, `officials.csv`,
    /// `narrative.csv`, `log-entries.csv`, `tallies.csv` ...; a leading number such as
    /// `01-` is ignored). Imported in dependency order, all or nothing.
    pub dir: PathBuf,
    /// The campaign to import into; without it, `campaign.csv` names the campaign (found by
    /// organization and date, or created).
    #[arg(long)]
    pub campaign: Option<i32>,
    /// Check every file and report what would change, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The author recorded for log lines that name none.
    #[arg(long, default_value = csv_io::DEFAULT_AUTHOR)]
    pub author: String,
    /// The database.
    #[command(flatten)]
    pub db: crate::DbArgs,
}

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export: campaign, units, venues, booths, activities, materials, allocations,
    /// media, officials, tasks, narrative, log-entries, tallies, disputes.
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
    /// File format: csv (default) or xlsx (same rows and headers; numbers and dates typed).
    #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
    pub format: FileFormat,
    /// The database.
    #[command(flatten)]
    pub db: crate::DbArgs,
}

/// The file formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// An Excel workbook.
    Xlsx,
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
    let opts = ImportOptions {
        dry_run: args.dry_run,
        progress: Some(&progress),
        actor: None,
        author: Some(&args.author),
    };
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

/// Runs `import-folder`: prints what each file did, or fails naming the file, line and column
/// of the first problem (nothing written).
///
/// # Errors
/// An unreadable folder or file, an unknown campaign, a database error, or any bad row.
pub async fn import_folder(store: &Store, args: &ImportFolderArgs) -> Result<()> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(&args.dir)
        .with_context(|| format!("cannot read the folder {}", args.dir.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read the folder {}", args.dir.display()))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
        let lower = name.to_ascii_lowercase();
        if !path.is_file() || ![".csv", ".xlsx", ".xls"].iter().any(|e| lower.ends_with(e)) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        files.push((name, bytes));
    }
    if files.is_empty() {
        bail!("{} holds no .csv or .xlsx files", args.dir.display());
    }
    let opts =
        ImportOptions { dry_run: args.dry_run, progress: None, actor: None, author: Some(&args.author) };
    let report = csv_io::import_folder(store, args.campaign, &files, opts).await?;
    if let Some((_, name, r)) = report.failed() {
        let more = r.errors.len().saturating_sub(1);
        let tail = if more > 0 { format!(" (and {more} more problems)") } else { String::new() };
        let first = r.errors.first().map(ToString::to_string).unwrap_or_default();
        bail!("{}: {first}{tail}; nothing was imported", args.dir.join(name).display());
    }
    let verb = if args.dry_run { "would import (dry run, nothing written)" } else { "imported" };
    for (kind, name, r) in &report.files {
        println!(
            "{verb} {kind} from {name}: {} created, {} updated, {} unchanged",
            r.created, r.updated, r.unchanged
        );
    }
    println!("campaign {}", report.campaign_id);
    Ok(())
}

/// Runs `export` to a file or standard output.
///
/// # Errors
/// An unknown campaign, a database error, or an unwritable output.
pub async fn export(store: &Store, args: &ExportArgs) -> Result<()> {
    let format = match args.format {
        FileFormat::Csv => csv_io::Format::Csv,
        FileFormat::Xlsx => csv_io::Format::Xlsx,
    };
    if format == csv_io::Format::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!("a workbook is not for the terminal: give --out FILE.xlsx");
    }
    let bytes = csv_io::export_as(store, args.campaign, args.kind, args.lang, format).await?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().write_all(&bytes).context("cannot write to standard output")?,
    }
    Ok(())
}
