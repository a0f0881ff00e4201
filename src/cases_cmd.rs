//! `eventday cases purge`, and the key that seals consumers' personal data: from
//! `EVENTDAY_CASE_KEY`, else from the key file (made on first use for development; never
//! printed or logged).

use crate::DbArgs;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use eventday_store::Store;
use eventday_store::cases::{self, CaseKey};
use std::path::{Path, PathBuf};

/// Options of `cases`.
#[derive(Debug, Args)]
pub struct CasesArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: CasesCommand,
}

/// The `cases` subcommands.
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Remove consumers' names, phones and free text from cases older than their organization's
    /// retention period (default 365 days); statistics stay. Also runs at every `serve`.
    Purge(PurgeArgs),
}

/// Options of `cases purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the case key comes from (see [`resolve_key`]).
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The key sealing consumers' names and phones: 64 hexadecimal characters
    /// (e.g. `openssl rand -hex 32`). Without it the key file is used.
    #[arg(long = "case-key", env = "EVENTDAY_CASE_KEY", hide_env_values = true, value_parser = parse_key)]
    pub key: Option<CaseKey>,
    /// The key file used when no key is given; created with a new random key when missing
    /// (development only: back it up, or personal data already sealed cannot be read again).
    #[arg(long = "case-key-file", env = "EVENTDAY_CASE_KEY_FILE", default_value = "eventday-case.key")]
    pub file: PathBuf,
}

fn parse_key(s: &str) -> Result<CaseKey, String> {
    CaseKey::from_hex(s)
}

/// The configured key, or the key file's, or a new key written to the key file.
///
/// # Errors
/// An unreadable or malformed key file, or one that cannot be written.
pub fn resolve_key(args: &KeyArgs) -> Result<CaseKey> {
    if let Some(k) = &args.key {
        return Ok(k.clone());
    }
    read_or_create(&args.file)
}

fn read_or_create(path: &Path) -> Result<CaseKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => CaseKey::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = CaseKey::generate()?;
            write_private(path, &key.to_hex()).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "no EVENTDAY_CASE_KEY: generated a development key in {} (keep it with the database)",
                path.display()
            );
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    opts.open(path)?.write_all(text.as_bytes())
}

/// Purges what is past its retention period and says how many cases it touched.
///
/// # Errors
/// A database error.
pub async fn purge(store: &Store) -> Result<usize> {
    Ok(cases::purge(store, None, cases::today()).await?.cases)
}

/// Runs a `cases` subcommand.
///
/// # Errors
/// A database error.
pub async fn run(args: CasesArgs) -> Result<()> {
    match args.command {
        CasesCommand::Purge(p) => {
            let store = crate::open(&p.db).await?;
            let n = purge(&store).await?;
            println!("purged the personal data of {n} cases past their retention period");
        }
    }
    Ok(())
}
