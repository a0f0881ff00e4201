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

pub use facts::{
    ActivityFact, BoothFact, MediaFact, NarrativeFact, ReportFacts, UnitFact, VenueFact, report_facts,
};
pub use map::report_data;
pub use rollup::{render_rollup, render_rollup_on};
pub use sheets::{render_sheet, sign_in_sheet, task_sheet};

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
    let mut data = report_data(&report_facts(store, campaign_id, lang).await?);
    // A signed report keeps its dispute figures; later outcomes go to its addendum.
    crate::cases::apply_addendum(store, campaign_id, &mut data).await?;
    Ok(data)
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
