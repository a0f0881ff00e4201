//! A whole campaign from a folder of files, one per kind (`campaign.csv`, `units.csv`,
//! `venues.csv` ...), imported in dependency order in ONE transaction: all of it or nothing.

use super::{ImportOptions, campaign_file, import_in};
use crate::Store;
use crate::error::StoreError;
use eventday_domain::csv::{ImportReport, Kind, RowError};
use serde::Serialize;

/// What a folder import did (or would do), file by file in the order they were imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderReport {
    /// The campaign imported into (0 when it could not be found or created).
    pub campaign_id: i32,
    /// (kind, file name, report) per file imported, in import order; the import stops at the
    /// first file with errors, and then nothing at all was written.
    pub files: Vec<(Kind, String, ImportReport)>,
}

impl FolderReport {
    /// The first file with errors, if any.
    #[must_use]
    pub fn failed(&self) -> Option<&(Kind, String, ImportReport)> {
        self.files.iter().find(|(_, _, r)| !r.errors.is_empty())
    }
}

/// The kind a file holds, from its name: the kind's name (`log-entries.csv`, or
/// `log_entries.xlsx`), optionally after a number that orders the files (`03-booths.csv`).
/// Whether it is CSV or a workbook is read from its content, not from its name.
#[must_use]
pub fn kind_of_file(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let ext = [".csv", ".xlsx", ".xls"].into_iter().find(|e| lower.ends_with(e))?;
    let stem = &name[..name.len() - ext.len()];
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['-', '_', ' ']);
    stem.parse().ok()
}

fn file_error(name: &str, message: impl Into<String>) -> (Kind, String, ImportReport) {
    let report = ImportReport { errors: vec![RowError::line(1, message)], ..ImportReport::default() };
    (Kind::Campaign, name.to_owned(), report)
}

/// Imports `files` (name and bytes) into `campaign_id`, or into the campaign that
/// `campaign.csv` names (found by organization and date, or created). Every file goes through
/// the same per-kind import as a single file, in [`Kind::ALL`] order, all in one transaction
/// that is committed only when no file has an error and this is no dry run.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors (nothing written).
pub async fn import_folder(
    store: &Store,
    campaign_id: Option<i32>,
    files: &[(String, Vec<u8>)],
    opts: ImportOptions<'_>,
) -> Result<FolderReport, StoreError> {
    let mut out = FolderReport { campaign_id: campaign_id.unwrap_or(0), files: Vec::new() };
    let mut by_kind: Vec<(Kind, &str, &[u8])> = Vec::new();
    for (name, bytes) in files {
        match kind_of_file(name) {
            Some(k) if by_kind.iter().any(|(o, _, _)| *o == k) => {
                out.files.push(file_error(name, format!("a second file of kind {k}")));
            }
            Some(k) => by_kind.push((k, name, bytes)),
            None => out.files.push(file_error(
                name,
                format!(
                    "unknown file name; expected one of: {}",
                    Kind::ALL.iter().map(|k| format!("{k}.csv")).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
    if out.failed().is_some() {
        return Ok(out);
    }
    by_kind.sort_by_key(|(k, _, _)| Kind::ALL.iter().position(|a| a == k));
    let mut tx = store.write_tx().await?;
    let mut rest = by_kind.as_slice();
    let cid = match (campaign_id, by_kind.first()) {
        (None, Some((Kind::Campaign, name, bytes))) => {
            rest = &by_kind[1..];
            match campaign_file::resolve(&tx, opts.actor, bytes).await? {
                Ok((id, report)) => {
                    out.files.push((Kind::Campaign, (*name).to_owned(), report));
                    id
                }
                Err(errors) => {
                    let report = ImportReport { errors, ..ImportReport::default() };
                    out.files.push((Kind::Campaign, (*name).to_owned(), report));
                    tx.rollback().await?;
                    return Ok(out);
                }
            }
        }
        (Some(id), _) => id,
        (None, _) => {
            out.files.push(file_error("campaign.csv", "name a campaign, or include a campaign.csv file"));
            tx.rollback().await?;
            return Ok(out);
        }
    };
    out.campaign_id = cid;
    for (kind, name, bytes) in rest {
        let (next, mut report) = import_in(tx, cid, *kind, bytes, opts).await?;
        tx = next;
        report.errors.sort_by_key(|e| e.line);
        report.cap_errors();
        let failed = !report.errors.is_empty();
        out.files.push((*kind, (*name).to_owned(), report));
        // Later files refer to this one's rows; their errors would only repeat its own.
        if failed {
            break;
        }
    }
    if out.failed().is_none() && !opts.dry_run {
        tx.commit().await?;
        store.scope_cache().clear();
    } else {
        tx.rollback().await?;
        if out.failed().is_some() {
            for (_, _, r) in &mut out.files {
                r.created = 0;
                r.updated = 0;
                r.unchanged = 0;
            }
        }
    }
    Ok(out)
}
