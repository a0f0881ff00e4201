//! The summary report's data, read from the store, and its rendering: used by the web API
//! (`GET /api/v1/campaigns/{id}/report.pdf`) and by the `eventday report` command alike, so the
//! command writes a PDF without the HTTP crate.
//!
//! `facts` reads what the report says about a campaign as stored, `map` turns it into the
//! report's [`ReportData`] (kinds stay the domain's enums, so the report labels them as the
//! pages and CSV do), `rollup` streams the roll-up of an
//! organization's subtree district by district. The report crate itself stays pure: data in,
//! bytes out.

mod facts;
mod map;
mod rollup;
mod sheets;
mod workbook;

pub use facts::{
    ActivityFact, BoothFact, MediaFact, NarrativeFact, ReportFacts, UnitFact, VenueFact, report_facts,
};
pub use map::report_data;
pub use rollup::{render_rollup, render_rollup_as, render_rollup_on};
pub use sheets::{render_sheet, sign_in_sheet, task_sheet};
pub use workbook::report_workbook;

use crate::Store;
use crate::error::StoreError;
use eventday_report::{FontSet, RenderOptions, Rendered, ReportData};
use std::sync::OnceLock;

/// Failures of report generation.
#[derive(Debug, thiserror::Error)]
pub enum ReportFailure {
    /// Reading the data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The fonts or the PDF writer failed.
    #[error("report generation failed: {0}")]
    Render(String),
}

/// The bundled fonts, parsed once per process (they are immutable assets, not state).
fn fonts() -> Result<&'static FontSet, ReportFailure> {
    static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| FontSet::bundled().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ReportFailure::Render(e.clone()))
}

/// Reads a campaign's report data, narrative in `lang` (or the other language when it has none).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign; database errors.
pub async fn campaign_report_data(
    store: &Store,
    campaign_id: i32,
    lang: eventday_domain::Lang,
) -> Result<ReportData, StoreError> {
    let facts = report_facts(store, campaign_id, lang).await?;
    let mut data = report_data(&facts);
    let names: std::collections::HashMap<i32, String> =
        facts.venues.iter().map(|v| (v.id, v.name.clone())).collect();
    (data.photos, data.photos_left_out) = report_photos(store, campaign_id, &names).await?;
    // A signed report keeps its dispute figures; later outcomes go to its addendum.
    crate::cases::apply_addendum(store, campaign_id, &mut data).await?;
    Ok(data)
}

/// The starred photos of a campaign for the report's 活动剪影 section, with their bytes, in the
/// order of the photos page (venues in plan order, then time), and how many starred photos it
/// cannot show: WebP (the PDF embeds JPEG and PNG only) and photos of voided log entries are
/// left out; the section says how many were left out for their format.
///
/// # Errors
/// Database errors.
async fn report_photos(
    store: &Store,
    campaign_id: i32,
    venue_names: &std::collections::HashMap<i32, String>,
) -> Result<(Vec<eventday_report::ReportPhoto>, u64), StoreError> {
    use crate::photos::{self, EntryState, PhotoFilter};
    use sea_orm::EntityTrait;
    let zone = crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(store.conn())
        .await?
        .and_then(|c| eventday_domain::time::parse_zone(&c.timezone).ok())
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let starred = PhotoFilter { venues: None, starred_only: true };
    let mut shown = Vec::new();
    let mut left_out = 0u64;
    for p in photos::list(store, campaign_id, &starred).await? {
        if p.entry_state == EntryState::Voided {
            continue;
        }
        if !matches!(p.content_type.as_str(), "image/jpeg" | "image/png") {
            left_out += 1;
            continue;
        }
        let bytes = photos::bytes(store, p.id).await?;
        shown.push(eventday_report::ReportPhoto {
            venue: venue_names.get(&p.venue_id).cloned().unwrap_or_else(|| p.venue.clone()),
            time: p.time().with_timezone(&zone).format("%H:%M").to_string(),
            caption: p.shown_caption().to_owned(),
            bytes,
        });
    }
    Ok((shown, left_out))
}

/// Reads a campaign and writes the report's tables (summary, per venue, materials, media,
/// disputes) as a workbook, from the same data as the PDF.
///
/// # Errors
/// Unknown campaign, database errors, or a workbook writer failure.
pub async fn campaign_workbook(
    store: &Store,
    campaign_id: i32,
    lang: eventday_domain::Lang,
) -> Result<Vec<u8>, ReportFailure> {
    let data = campaign_report_data(store, campaign_id, lang).await?;
    report_workbook(&data, lang).map_err(|e| ReportFailure::Render(e.to_string()))
}

/// Reads a campaign and renders its summary report (the layout and PDF run on a blocking thread).
///
/// # Errors
/// Unknown campaign, database errors, or a rendering failure.
pub async fn render_campaign(
    store: &Store,
    campaign_id: i32,
    opts: RenderOptions,
) -> Result<Rendered, ReportFailure> {
    let data = campaign_report_data(store, campaign_id, opts.lang).await?;
    tokio::task::spawn_blocking(move || {
        let fonts = fonts()?;
        eventday_report::render(&data, &opts, fonts).map_err(|e| ReportFailure::Render(e.to_string()))
    })
    .await
    .map_err(|e| ReportFailure::Render(e.to_string()))?
}

/// Reads a campaign and writes its summary report as a Word document (DOCX): the same content as
/// [`render_campaign`]'s PDF.
///
/// # Errors
/// Unknown campaign, database errors, or a rendering failure.
pub async fn render_campaign_docx(
    store: &Store,
    campaign_id: i32,
    opts: RenderOptions,
) -> Result<Vec<u8>, ReportFailure> {
    let data = campaign_report_data(store, campaign_id, opts.lang).await?;
    tokio::task::spawn_blocking(move || {
        eventday_report::render_docx(&data, &opts).map_err(|e| ReportFailure::Render(e.to_string()))
    })
    .await
    .map_err(|e| ReportFailure::Render(e.to_string()))?
}
