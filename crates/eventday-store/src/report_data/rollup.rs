//! The roll-up report of an organization and all its descendants, streamed: the store reads
//! districts a page at a time and the renderer lays out and writes each page as it goes, so a
//! province of 3,000 districts × 17 venues never sits in memory at once.
//!
//! Three reads: the totals (for the opening paragraph, before any row), the districts with their
//! sums in (city, district) order (the district table), then the districts again with their venues
//! (the appendix).

use super::map::count;
use super::{ReportFailure, fonts};
use crate::Store;
use crate::rollup::{self, Basis, RollupDistrict, RollupReader, RollupVenue};
use eventday_report as report;
use eventday_report::{Format, PreviousCampaign, RenderOptions, RollupHeader, RollupItem, RollupRendered};

/// Districts read from the database per page.
const PAGE: u64 = 200;

fn venue_row(v: RollupVenue) -> report::VenueRow {
    super::map::venue_row((v.name, v.kind, v.host_unit), &v.figures, v.log_entries, v.accepted)
}

fn totals(f: &eventday_domain::Figures, log_entries: i64) -> report::Totals {
    report::Totals {
        visitors: count(f.visitors),
        consultations: count(f.consultations),
        complaints_received: count(f.complaints_received),
        complaints_settled: count(f.complaints_settled),
        money_recovered_fen: f.money_recovered_fen,
        log_entries: count(log_entries),
        ..report::Totals::default()
    }
}

fn district(d: RollupDistrict, venues: Vec<RollupVenue>) -> report::RollupDistrict {
    report::RollupDistrict {
        name: d.organization,
        parent: d.parent,
        totals: totals(&d.figures, d.log_entries),
        venue_count: count(d.venues),
        venues_unaccepted: count(d.venues_unaccepted),
        venues: venues.into_iter().map(venue_row).collect(),
    }
}

/// What the opening paragraph says: who reported, the totals, the year before.
async fn header(
    store: &Store,
    organization_id: i32,
    year: i32,
    basis: Basis,
    deterministic: bool,
) -> Result<RollupHeader, ReportFailure> {
    let organization = rollup::organization_name(store, organization_id).await?;
    let now = rollup::rollup_totals_on(store, organization_id, year, basis).await?;
    let coverage = rollup::rollup_coverage(store, organization_id, year).await?;
    let before = rollup::rollup_totals_on(store, organization_id, year - 1, basis).await?;
    let previous = (before.districts > 0)
        .then(|| PreviousCampaign { year: year - 1, totals: totals(&before.figures, before.log_entries) });
    // The report is dated the day it is made (China time); a deterministic one, the last event day.
    let date = if deterministic {
        coverage.last_date
    } else {
        let zone = eventday_domain::time::parse_zone("Asia/Shanghai").ok();
        zone.map(|z| chrono::Utc::now().with_timezone(&z).date_naive())
    };
    Ok(RollupHeader {
        organization,
        year,
        top_n: 10,
        districts_expected: count(coverage.districts_expected),
        districts_reporting: count(coverage.districts_reporting),
        campaigns: count(now.districts),
        venues: count(now.venues),
        venues_unaccepted: count(now.venues_unaccepted),
        money_recorded: now.figures.money_recovered_fen != 0,
        totals: totals(&now.figures, now.log_entries),
        previous,
        date,
        accepted_only: basis == Basis::Accepted,
    })
}

/// Renders the roll-up of `organization_id` for `year` into `out`; `on_district(n)` is called as
/// the `n`-th district is laid out (for a progress bar): each district comes twice, once in the
/// district table and once in the appendix.
///
/// # Errors
/// Unknown organization, database errors, or a rendering or writing failure.
pub async fn render_rollup<W: std::io::Write + Send + 'static>(
    store: &Store,
    organization_id: i32,
    year: i32,
    opts: RenderOptions,
    out: W,
    on_district: impl FnMut(usize) + Send + 'static,
) -> Result<RollupRendered, ReportFailure> {
    render_rollup_on(store, organization_id, year, Basis::Logged, opts, out, on_district).await
}

/// [`render_rollup`] of the campaigns of `basis` ("accepted submissions only" or "everything
/// logged so far"), which the document states.
///
/// # Errors
/// As [`render_rollup`].
pub async fn render_rollup_on<W: std::io::Write + Send + 'static>(
    store: &Store,
    organization_id: i32,
    year: i32,
    basis: Basis,
    opts: RenderOptions,
    out: W,
    on_district: impl FnMut(usize) + Send + 'static,
) -> Result<RollupRendered, ReportFailure> {
    render_rollup_as(store, organization_id, year, basis, opts, Format::Pdf, out, on_district).await
}

/// [`render_rollup_on`] as a PDF or a Word document (both streamed).
///
/// # Errors
/// As [`render_rollup`].
#[expect(clippy::too_many_arguments, reason = "the roll-up's query, its rendering and its output")]
pub async fn render_rollup_as<W: std::io::Write + Send + 'static>(
    store: &Store,
    organization_id: i32,
    year: i32,
    basis: Basis,
    opts: RenderOptions,
    format: Format,
    out: W,
    on_district: impl FnMut(usize) + Send + 'static,
) -> Result<RollupRendered, ReportFailure> {
    let header = header(store, organization_id, year, basis, opts.deterministic).await?;
    // A short queue between the reader (async) and the renderer (a blocking thread): the reader
    // waits while the renderer is behind, so memory holds at most this many districts.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<RollupItem>(PAGE as usize);
    let renderer = tokio::task::spawn_blocking(move || {
        let districts = std::iter::from_fn(move || rx.blocking_recv());
        match format {
            Format::Pdf => {
                report::render_rollup_with_progress(&header, districts, &opts, fonts()?, out, on_district)
            }
            Format::Docx => report::render_rollup_docx(&header, districts, &opts, out, on_district),
        }
        .map_err(|e| ReportFailure::Render(e.to_string()))
    });
    let read = async {
        // The district table: sums only, in (city, district) order.
        let mut reader = RollupReader::new(store, organization_id, year, PAGE).without_venues().on(basis);
        while let Some(page) = reader.next_page().await? {
            for (d, _) in page {
                if tx.send(RollupItem::District(district(d, Vec::new()))).await.is_err() {
                    return Ok(()); // the renderer stopped; its error is reported below
                }
            }
        }
        // The appendix: the same districts with their venues.
        let mut reader = RollupReader::new(store, organization_id, year, PAGE).on(basis);
        while let Some(page) = reader.next_page().await? {
            for (d, venues) in page {
                if tx.send(RollupItem::Detail(district(d, venues))).await.is_err() {
                    return Ok(());
                }
            }
        }
        Ok::<(), ReportFailure>(())
    };
    let read_result = read.await;
    drop(tx);
    let rendered = renderer.await.map_err(|e| ReportFailure::Render(e.to_string()))??;
    read_result?;
    Ok(rendered)
}
