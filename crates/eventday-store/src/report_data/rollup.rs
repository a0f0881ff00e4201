//! The roll-up report of an organization and all its descendants, streamed: the store reads
//! districts a page at a time and the renderer lays out and writes each page as it goes, so a
//! province of 3,000 districts × 17 venues never sits in memory at once.

use super::map::count;
use super::{ReportFailure, fonts};
use crate::Store;
use crate::rollup::{self, RollupDistrict, RollupReader, RollupVenue};
use eventday_report as report;
use eventday_report::{RenderOptions, RollupHeader, RollupRendered};

/// Districts read from the database per page.
const PAGE: u64 = 200;

fn venue_row(v: RollupVenue) -> report::VenueRow {
    super::map::venue_row((v.name, v.kind, v.host_unit), &v.figures, v.log_entries, v.accepted)
}

fn district(d: RollupDistrict, venues: Vec<RollupVenue>) -> report::RollupDistrict {
    report::RollupDistrict {
        name: d.organization,
        parent: d.parent,
        totals: report::Totals {
            visitors: count(d.figures.visitors),
            consultations: count(d.figures.consultations),
            complaints_received: count(d.figures.complaints_received),
            complaints_settled: count(d.figures.complaints_settled),
            money_recovered_fen: d.figures.money_recovered_fen,
            log_entries: count(d.log_entries),
            ..report::Totals::default()
        },
        venues: venues.into_iter().map(venue_row).collect(),
    }
}

/// Renders the roll-up of `organization_id` for `year` into `out`; `on_district(n)` is called as
/// the `n`-th district is read (for a progress bar).
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
    let header = RollupHeader {
        organization: rollup::organization_name(store, organization_id).await?,
        year,
        top_n: 10,
    };
    // A short queue between the reader (async) and the renderer (a blocking thread): the reader
    // waits while the renderer is behind, so memory holds at most this many districts.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<report::RollupDistrict>(PAGE as usize);
    let renderer = tokio::task::spawn_blocking(move || {
        let fonts = fonts()?;
        let districts = std::iter::from_fn(move || rx.blocking_recv());
        report::render_rollup_with_progress(&header, districts, &opts, fonts, out, on_district)
            .map_err(|e| ReportFailure::Render(e.to_string()))
    });
    let mut reader = RollupReader::new(store, organization_id, year, PAGE);
    let read = async {
        while let Some(page) = reader.next_page().await? {
            for (d, venues) in page {
                if tx.send(district(d, venues)).await.is_err() {
                    return Ok(()); // the renderer stopped; its error is reported below
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
