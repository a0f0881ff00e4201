//! CSV import and export of a campaign's data, one kind at a time (one file per kind, import
//! and export together).
//!
//! An import is all-or-nothing: it runs in ONE write transaction and writes every row through
//! the store's one write function of its entity ([`crate::planning`], the log's
//! [`crate::queries::insert_log_entry`]), with that function's rules and an audit event naming
//! the importing user. A refused row becomes an error naming its line and column; when any row
//! is refused, or on a dry run, the transaction is rolled back, so a dry run checks exactly what
//! a real import would.
//!
//! A folder of files (one per kind, named after the kind) is imported in dependency order in
//! ONE transaction by [`import_folder`]: all of it or nothing, with the same dry run.
//!
//! Natural keys (a row matching a stored record updates it, otherwise it creates one):
//! units by name (the directory is shared; `participates` adds the unit to the campaign, and
//! an import never removes a participation); venues by name; booths by (venue, topic);
//! activities by (venue, title); allocations by (material, venue), the material being created
//! in the campaign's catalogue when missing (its unit label is then required); media by
//! (outlet, date, headline); materials by name; officials by (name, title, organization,
//! venue); checklist tasks by (phase, title, venue); narrative
//! sections by (language, key); tallies by (venue, booth); log entries by id (same content:
//! unchanged; other content: an error, never an overwrite), a line without an id getting one
//! derived from the campaign, venue, time and content (UUID v5), so importing the same file
//! again stores nothing new; disputes by (venue, received on, category, enterprise,
//! summary), whose status may only move forward. Materials without any allocation are not
//! exported.

mod activities;
mod allocations;
mod booths;
mod campaign_file;
mod disputes;
mod folder;
mod log_entries;
mod materials;
mod media;
mod narrative;
mod officials;
mod tallies;
mod tasks;
mod units;
mod venues;

pub use folder::{FolderReport, import_folder, kind_of_file};

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use eventday_domain::csv::workbook::export_workbook;
use eventday_domain::csv::{Headers, ImportReport, Kind, Lang, LocalTime, parse_rows, write_file};
use eventday_domain::time::{local_to_utc, parse_zone};
use eventday_domain::{Rect, ValidationError};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Called with (rows written, rows to write) while an import writes.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// How to run an import.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// Check and count, write nothing.
    pub dry_run: bool,
    /// Progress callback for large files.
    pub progress: Option<Progress<'a>>,
    /// The importing user, named in every audit event (`None` for the command line).
    pub actor: Option<i32>,
    /// The author recorded for log lines without one; by default the importing user's display
    /// name, or [`DEFAULT_AUTHOR`] on the command line.
    pub author: Option<&'a str>,
}

/// The author of imported log lines that name none, when no user imports them.
pub const DEFAULT_AUTHOR: &str = "导入";

/// One import under way: its transaction, campaign, counts and errors.
struct Ctx<'a> {
    tx: DatabaseTransaction,
    campaign: campaign::Model,
    zone: Tz,
    report: ImportReport,
    opts: ImportOptions<'a>,
    headers: Headers,
}

/// What a row did when it was written.
enum Change {
    Created,
    Updated,
}

impl Ctx<'_> {
    fn actor(&self) -> Option<i32> {
        self.opts.actor
    }

    /// Who is named as the author of log lines without one.
    async fn default_author(&self) -> Result<String, StoreError> {
        if let Some(a) = self.opts.author {
            return Ok(a.to_owned());
        }
        if let Some(id) = self.opts.actor
            && let Some(u) = user::Entity::find_by_id(id).one(&self.tx).await?
        {
            return Ok(u.display_name);
        }
        Ok(DEFAULT_AUTHOR.to_owned())
    }

    /// Records an error for the cell of column `key` on `line`.
    fn err(&mut self, line: u64, key: &str, message: impl Into<String>) {
        let e = self.headers.error(line, key, message);
        self.report.errors.push(e);
    }

    /// Counts a row equal to what is stored.
    fn unchanged(&mut self) {
        self.report.unchanged += 1;
    }

    /// Counts what a row's write did, or turns the write function's refusal into errors on the
    /// row's cells (`column` maps an input field to the column it came from). Other failures
    /// end the import.
    fn outcome<T>(
        &mut self,
        line: u64,
        change: Change,
        result: Result<T, StoreError>,
        column: fn(&str) -> &str,
    ) -> Result<Option<T>, StoreError> {
        match result {
            Ok(v) => {
                match change {
                    Change::Created => self.report.created += 1,
                    Change::Updated => self.report.updated += 1,
                }
                Ok(Some(v))
            }
            Err(StoreError::Invalid(v)) => {
                for (field, why) in v.fields {
                    // An empty column: a detail the message of another field already gives.
                    let key = column(&field);
                    if !key.is_empty() {
                        self.err(line, key, why);
                    }
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// [`Ctx::outcome`] of a resource's `save`.
    fn saved<M>(
        &mut self,
        line: u64,
        result: Result<crate::planning::Saved<M>, StoreError>,
        column: fn(&str) -> &str,
    ) -> Result<Option<M>, StoreError> {
        use crate::planning::Saved;
        match result {
            Ok(Saved::Created(m)) => self.outcome(line, Change::Created, Ok(m), column),
            Ok(Saved::Updated(m)) => self.outcome(line, Change::Updated, Ok(m), column),
            Err(e) => self.outcome(line, Change::Created, Err::<M, _>(e), column),
        }
    }

    /// The id of the campaign's venue named `name`, or an error on the row's `venue` cell.
    fn venue(&mut self, venues: &[venue::Model], line: u64, name: &str) -> Option<i32> {
        let found = venues.iter().find(|v| v.name == name).map(|v| v.id);
        if found.is_none() {
            self.err(line, "venue", no_venue(name));
        }
        found
    }

    fn tick(&self, done: usize, total: usize) {
        if let Some(p) = self.opts.progress
            && (done.is_multiple_of(200) || done == total)
        {
            p(done as u64, total as u64);
        }
    }

    fn utc(&self, t: LocalTime) -> Result<DateTime<Utc>, String> {
        let local = t.on(self.campaign.date);
        local_to_utc(local.date(), local.time(), self.zone)
    }
}

async fn load_campaign(db: &impl ConnectionTrait, id: i32) -> Result<(campaign::Model, Tz), StoreError> {
    let c = campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: id.to_string() })?;
    let zone = parse_zone(&c.timezone).map_err(|e| ValidationError::field("timezone", e))?;
    Ok((c, zone))
}

/// Imports one file of `kind` into a campaign. The report's `errors` is empty when the rows
/// were written (or would be, on a dry run); otherwise nothing was written.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign; [`StoreError::VenueLocked`] for rows of a
/// venue whose day is accepted; database errors (nothing written).
pub async fn import(
    store: &Store,
    campaign_id: i32,
    kind: Kind,
    bytes: &[u8],
    opts: ImportOptions<'_>,
) -> Result<ImportReport, StoreError> {
    let tx = store.write_tx().await?;
    let (tx, report) = import_in(tx, campaign_id, kind, bytes, opts).await?;
    finish(store, tx, report, opts.dry_run).await
}

/// Commits `tx` when `report` has no errors and this is no dry run, else rolls it back (and
/// zeroes the counts of a refused import); sorts and caps the errors.
async fn finish(
    store: &Store,
    tx: DatabaseTransaction,
    mut report: ImportReport,
    dry_run: bool,
) -> Result<ImportReport, StoreError> {
    if report.errors.is_empty() && !dry_run {
        tx.commit().await?;
        store.scope_cache().clear();
    } else {
        tx.rollback().await?;
        if !report.errors.is_empty() {
            report.created = 0;
            report.updated = 0;
            report.unchanged = 0;
        }
    }
    report.errors.sort_by_key(|e| e.line);
    report.cap_errors();
    Ok(report)
}

/// Imports one file of `kind` into a campaign inside `tx`, which it hands back (written to, but
/// neither committed nor rolled back) with the report.
async fn import_in(
    tx: DatabaseTransaction,
    campaign_id: i32,
    kind: Kind,
    bytes: &[u8],
    opts: ImportOptions<'_>,
) -> Result<(DatabaseTransaction, ImportReport), StoreError> {
    let (campaign, zone) = load_campaign(&tx, campaign_id).await?;
    macro_rules! go {
        ($m:ident) => {
            match parse_rows(bytes) {
                Ok((rows, headers)) => {
                    let mut ctx = Ctx { tx, campaign, zone, report: ImportReport::default(), opts, headers };
                    $m::import(&mut ctx, rows).await?;
                    // In a workbook, every error also names its sheet and cell.
                    ctx.headers.locate(&mut ctx.report.errors);
                    (ctx.tx, ctx.report)
                }
                Err(errors) => (tx, ImportReport { errors, ..ImportReport::default() }),
            }
        };
    }
    Ok(match kind {
        Kind::Campaign => go!(campaign_file),
        Kind::Units => go!(units),
        Kind::Venues => go!(venues),
        Kind::Booths => go!(booths),
        Kind::Activities => go!(activities),
        Kind::Materials => go!(materials),
        Kind::Allocations => go!(allocations),
        Kind::Media => go!(media),
        Kind::Officials => go!(officials),
        Kind::Tasks => go!(tasks),
        Kind::Narrative => go!(narrative),
        Kind::LogEntries => go!(log_entries),
        Kind::Tallies => go!(tallies),
        Kind::Disputes => go!(disputes),
    })
}

/// The line that first had `key`, when it is seen again.
fn dup<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, u64>, key: K, line: u64) -> Option<u64> {
    match seen.get(&key) {
        Some(first) => Some(*first),
        None => {
            seen.insert(key, line);
            None
        }
    }
}

async fn unit_map(db: &impl ConnectionTrait) -> Result<HashMap<String, unit::Model>, StoreError> {
    Ok(unit::Entity::find().all(db).await?.into_iter().map(|u| (u.name.clone(), u)).collect())
}

async fn venue_list(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Vec<venue::Model>, StoreError> {
    crate::views::campaign_venues(db, campaign_id).await
}

/// The rows of entity `E` whose venue (column `venue_col`) is one of `venues`.
async fn of_venues<E: EntityTrait>(
    db: &impl ConnectionTrait,
    venue_col: E::Column,
    venues: &[venue::Model],
) -> Result<Vec<E::Model>, StoreError> {
    Ok(E::find().filter(venue_col.is_in(venues.iter().map(|v| v.id))).all(db).await?)
}

/// (venue, topic) -> id of the booths of `venues`.
async fn booth_ids(
    db: &impl ConnectionTrait,
    venues: &[venue::Model],
) -> Result<HashMap<(i32, String), i32>, StoreError> {
    let booths = of_venues::<booth::Entity>(db, booth::Column::VenueId, venues).await?;
    Ok(booths.into_iter().map(|b| ((b.venue_id, b.topic), b.id)).collect())
}

fn no_venue(name: &str) -> String {
    format!("no venue named {name:?} in this campaign")
}

fn rect(b: &booth::Model) -> Rect {
    Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg }
}

/// What every kind's export needs: the campaign's zone and venues, unit names and booths.
struct ExportCtx {
    campaign_id: i32,
    lang: Lang,
    zone: Tz,
    venues: Vec<venue::Model>,
    unit_names: HashMap<i32, String>,
    booths: Vec<booth::Model>,
}

impl ExportCtx {
    fn venue_ids(&self) -> Vec<i32> {
        self.venues.iter().map(|v| v.id).collect()
    }
    fn venue_name(&self, id: i32) -> String {
        self.venues.iter().find(|v| v.id == id).map(|v| v.name.clone()).unwrap_or_default()
    }
    /// A venue's place in the campaign's order (for sorting rows as the venues are shown).
    fn venue_pos(&self, id: i32) -> Option<usize> {
        self.venues.iter().position(|v| v.id == id)
    }
    fn unit_name(&self, id: i32) -> String {
        self.unit_names.get(&id).cloned().unwrap_or_default()
    }
    fn booth_topic(&self, id: i32) -> Option<String> {
        self.booths.iter().find(|b| b.id == id).map(|b| b.topic.clone())
    }
    fn local(&self, t: DateTime<Utc>) -> LocalTime {
        LocalTime::At(t.with_timezone(&self.zone).naive_local())
    }
}

/// The file name an export is offered under, e.g. `campaign-1-log-entries.csv`.
#[must_use]
pub fn export_file_name(campaign_id: i32, kind: Kind) -> String {
    format!("campaign-{campaign_id}-{kind}.csv")
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CSV (UTF-8 with BOM).
    #[default]
    Csv,
    /// An Excel workbook (.xlsx).
    Xlsx,
}

impl Format {
    /// The file name extension.
    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The media type.
    #[must_use]
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => XLSX_CONTENT_TYPE,
        }
    }
}

/// The media type of .xlsx files.
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Exports one kind of a campaign's data as a CSV file (UTF-8 with BOM, CRLF, headers in
/// `lang`). Importing the file into an empty campaign gives the same data.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors otherwise.
pub async fn export(store: &Store, campaign_id: i32, kind: Kind, lang: Lang) -> Result<Vec<u8>, StoreError> {
    export_as(store, campaign_id, kind, lang, Format::Csv).await
}

/// Exports one kind of a campaign's data as CSV or as a workbook with the same rows and
/// headers (numbers as numbers, dates as dates). Importing either into an empty campaign gives
/// the same data.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors otherwise.
pub async fn export_as(
    store: &Store,
    campaign_id: i32,
    kind: Kind,
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, StoreError> {
    let rows = export_rows(store, campaign_id, kind, lang, None).await?;
    write_as(kind, lang, format, &rows)
}

/// The booths of one venue of a campaign, as [`export_as`] writes the campaign's: the file the
/// venue's planner offers, imported like any booths file.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign or a venue not in it, database errors.
pub async fn export_venue_booths(
    store: &Store,
    campaign_id: i32,
    venue_id: i32,
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, StoreError> {
    let rows = export_rows(store, campaign_id, Kind::Booths, lang, Some(venue_id)).await?;
    write_as(Kind::Booths, lang, format, &rows)
}

fn write_as(kind: Kind, lang: Lang, format: Format, rows: &[Vec<String>]) -> Result<Vec<u8>, StoreError> {
    match format {
        Format::Csv => Ok(write_file(kind, lang, rows)),
        Format::Xlsx => export_workbook(kind, lang, rows).map_err(|e| StoreError::Io(e.to_string())),
    }
}

/// The cells of one kind's export, row by row in column order; with `venue`, the booths of
/// that venue only.
async fn export_rows(
    store: &Store,
    campaign_id: i32,
    kind: Kind,
    lang: Lang,
    venue: Option<i32>,
) -> Result<Vec<Vec<String>>, StoreError> {
    let db = store.conn();
    let (_, zone) = load_campaign(db, campaign_id).await?;
    let venues = venue_list(db, campaign_id).await?;
    if let Some(v) = venue
        && !venues.iter().any(|m| m.id == v)
    {
        return Err(StoreError::NotFound { entity: "venue", id: v.to_string() });
    }
    let unit_names = unit::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let booths = booth::Entity::find()
        .filter(
            booth::Column::VenueId
                .is_in(venues.iter().map(|v| v.id).filter(|v| venue.is_none_or(|x| x == *v))),
        )
        .order_by_asc(booth::Column::Id)
        .all(db)
        .await?;
    let x = ExportCtx { campaign_id, lang, zone, venues, unit_names, booths };
    let rows = match kind {
        Kind::Campaign => campaign_file::export(db, &x).await?,
        Kind::Materials => materials::export(db, &x).await?,
        Kind::Officials => officials::export(db, &x).await?,
        Kind::Tasks => tasks::export(db, &x).await?,
        Kind::Narrative => narrative::export(db, &x).await?,
        Kind::Tallies => tallies::export(db, &x).await?,
        Kind::Units => units::export(db, &x).await?,
        Kind::Venues => venues::export(&x),
        Kind::Booths => booths::export(db, &x).await?,
        Kind::Activities => activities::export(db, &x).await?,
        Kind::Allocations => allocations::export(db, &x).await?,
        Kind::Media => media::export(db, &x).await?,
        Kind::LogEntries => log_entries::export(db, &x).await?,
        Kind::Disputes => disputes::export(db, &x).await?,
    };
    Ok(rows)
}
